// `mmcheck check --data-race` end to end through main(): the flag reaches every scenario.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';

async function checkJson(...args: string[]): Promise<{ code: number; cases: { scenario: string; got: string }[] }> {
  const out: string[] = [];
  const argv = ['node', 'mmcheck', 'check', '--mode', 'bfs', '--json', '--traces', join(tmpdir(), 'mmcheck-no-traces')];
  const code = await main([...argv, ...args], { out: (s) => out.push(s), err: () => {} });
  const j = JSON.parse(out.join('\n')) as { cases: { scenario: string; got: string }[] };
  return { code, cases: j.cases.map((c) => ({ scenario: c.scenario, got: c.got })) };
}

test('check --data-race: a scenario that passes without the check fails with it', async () => {
  const racy = join(mkdtempSync(join(tmpdir(), 'mmcheck-check-')), 'racy.mmspec');
  writeFileSync(racy, 'shared x: int;\nthread t() { x = x + 1; }\nscenario two_bumps expect pass { t(); t(); }\n');
  const without = await checkJson(racy);
  assert.equal(without.code, 0);
  assert.deepEqual(without.cases, [{ scenario: 'two_bumps', got: 'pass' }]);
  const r = await checkJson(racy, '--data-race');
  assert.equal(r.code, 1);
  assert.deepEqual(r.cases, [{ scenario: 'two_bumps', got: 'violation(data_race)' }]);
});
