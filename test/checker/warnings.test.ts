// Warnings do not cut an execution that expects another kind (docs/adr/005): premature_free,
// lock_order, data_race (and leak, a final check) are passed over, remembered for the report,
// and the execution goes on to the kind the scenario expects. Every other kind still cuts, and
// a scenario that expects the warning itself, or pass, still stops at it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { replaySchedule } from '../../src/checker/trace/record.js';
import { compileText } from '../../src/model/compile.js';
import type { CheckedSpec } from '../../src/model/lang/checked.js';
import { KINDS, lineOf, only, runSpec, violation } from '../support/kind-fixtures.js';

const MODES = ['bfs', 'dfs', 'dpor', 'auto'] as const;

function withExpect(text: string, expect: string): CheckedSpec {
  const r = compileText(text.replace(/expect [a-z_()]+ \{/, `expect ${expect} {`), 'warn.mmspec');
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join('\n'));
  return r.spec;
}

const PAST_FREE = readFileSync(`${KINDS}use_after_free-past-premature-free.mmspec`, 'utf8');

test('warnings: use_after_free past a premature_free in every mode; the premature free is remembered', async () => {
  const spec = withExpect(PAST_FREE, 'violation(use_after_free)');
  for (const mode of MODES) {
    const run = await runSpec(spec, only(spec), { mode });
    assert.equal(run.got, 'violation(use_after_free)', mode);
    assert.equal(lineOf(spec, violation(run)), 18, mode);
    assert.equal(run.other?.first.kind, 'premature_free', mode);
    // The counterexample goes through the free: replay passes over it and ends in the access.
    const v = run.result.verdict;
    assert.ok(v.kind === 'violation');
    const replay = replaySchedule(run.system, v.schedule);
    assert.equal(replay.diverged, undefined, mode);
    assert.equal(replay.violation?.kind, 'use_after_free', mode);
  }
});

test('warnings: a scenario expecting the warning, or pass, still stops at it', async () => {
  for (const mode of MODES) {
    const expectFree = withExpect(PAST_FREE, 'violation(premature_free)');
    const free = await runSpec(expectFree, only(expectFree), { mode });
    assert.equal(free.got, 'violation(premature_free)', mode);
    const v = free.result.verdict;
    assert.ok(v.kind === 'violation');
    assert.equal(replaySchedule(free.system, v.schedule).violation?.kind, 'premature_free', mode);
    const expectPass = withExpect(PAST_FREE, 'pass');
    assert.equal((await runSpec(expectPass, only(expectPass), { mode })).got, 'violation(premature_free)', mode);
    // --no-target: the plain search stops at the first violation, the premature free.
    const expectUaf = withExpect(PAST_FREE, 'violation(use_after_free)');
    const plain = await runSpec(expectUaf, only(expectUaf), { mode, target: false });
    assert.equal(plain.got, 'violation(premature_free)', mode);
  }
});

test('warnings: a data race (with the check on) is passed over on the way to an assertion', async () => {
  const text = `spec "data race, then the assertion it leads to"
shared counter: int = 0;
thread bump() {
  counter = counter + 1;
}
thread check() {
  local c: int;
  c = READ_ONCE(counter);
  assert(c != 2);
}
scenario s expect violation(assertion) { bump(); bump(); check(); }
`;
  const spec = withExpect(text, 'violation(assertion)');
  for (const mode of ['bfs', 'dfs'] as const) {
    const run = await runSpec(spec, only(spec), { mode, dataRace: true });
    assert.equal(run.got, 'violation(assertion)', mode);
    assert.equal(run.other?.first.kind, 'data_race', mode);
    const pass = withExpect(text, 'pass');
    assert.equal((await runSpec(pass, only(pass), { mode, dataRace: true })).got, 'violation(data_race)', mode);
  }
});
