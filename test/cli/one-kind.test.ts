// One kind per situation, whatever the mode and whichever command: an ABBA pair that can
// deadlock is `deadlock` under explore and check, in BFS, DFS, DPOR, random and auto (DFS and
// DPOR met the lock-order inversion first and said lock_order, BFS the hang and said
// deadlock); an inversion that a gate keeps from hanging stays lock_order in every mode.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkThread } from '../../src/cli/check.js';
import { exploreThread } from '../../src/cli/explore-thread.js';
import { main } from '../../src/cli/main.js';

// Every command in this thread: each started a worker thread that loads the checker (~0.2 s of
// CPU, a score of them); explore-inline.test.ts and check-inline.test.ts hold the two paths equal.
exploreThread.inline = true;
checkThread.inline = true;

function asPass(fixture: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mmcheck-kind-')), 'x.mmspec');
  writeFileSync(path, readFileSync(fixture, 'utf8').replace(/expect violation\(\w+\)/g, 'expect pass'));
  return path;
}

async function got(...args: string[]): Promise<string> {
  const out: string[] = [];
  await main(['node', 'mmcheck', ...args], { out: (s) => out.push(s), err: () => {} });
  const text = out.join('\n');
  const m =
    /^scenario \w+: (\S+) \(expected pass\)/m.exec(text) ?? / {2}(violation\(\w+\)) \(expected pass\)/.exec(text);
  assert.ok(m, text);
  return m[1]!;
}

const MODES = ['auto', 'bfs', 'dfs', 'dpor', 'random'];

test('ABBA that can hang: deadlock under explore and check in every mode', async () => {
  const spec = asPass('test/fixtures/kinds/deadlock-abba.mmspec');
  for (const mode of MODES) {
    assert.equal(await got('explore', spec, '--mode', mode), 'violation(deadlock)', `explore --mode ${mode}`);
    assert.equal(
      await got('check', spec, '--mode', mode, '--jobs', '1', '--traces', 'test/fixtures/check/no-traces'),
      'violation(deadlock)',
      `check --mode ${mode}`,
    );
  }
});

test('a lock-order inversion that cannot hang stays lock_order in every mode', async () => {
  const spec = asPass('test/fixtures/kinds/lock_order-gated.mmspec');
  for (const mode of MODES)
    assert.equal(await got('explore', spec, '--mode', mode), 'violation(lock_order)', `explore --mode ${mode}`);
});

// An expected kind the search did not reach within its bound, and another kind a plain search
// of the same bound found: the report shows the other violation (exit 1) and says the search
// for the expected one was incomplete, so nobody reads it as "the spec has no deadlock".
test('expected kind past the bound, another kind before it: the other violation, with a note that the search was incomplete', async () => {
  const spec = `spec "target incomplete"
shared x: int;
shared l: spinlock;
thread early() { assert(x != 2, "early"); }
thread deep() { local i: int; for i in 0..20 { x = x + 1; } spin_lock(l); spin_lock(l); }
scenario s budget(states: 8) expect violation(deadlock) { early(); deep(); }
scenario unbounded expect violation(deadlock) { early(); deep(); }
`;
  const path = join(mkdtempSync(join(tmpdir(), 'mmcheck-target-')), 't.mmspec');
  writeFileSync(path, spec);
  const run = async (scenario: string): Promise<{ code: number; text: string }> => {
    const out: string[] = [];
    const code = await main(['node', 'mmcheck', 'explore', path, '--scenario', scenario, '--width', '200'], {
      out: (s) => out.push(s),
      err: () => {},
    });
    return { code, text: out.join('\n') };
  };
  const bounded = await run('s');
  assert.equal(bounded.code, 1);
  assert.match(bounded.text, /^scenario s: violation\(assertion\) \(expected violation\(deadlock\)\) UNEXPECTED/);
  assert.match(
    bounded.text,
    /note: the search for violation\(deadlock\) stopped before it was complete \(stopped at the scenario's budget\(states: 8\): /,
  );
  // Without the bound the deadlock is found, and no such note is printed.
  const full = await run('unbounded');
  assert.equal(full.code, 1);
  assert.match(full.text, /^scenario unbounded: violation\(deadlock\) \(expected violation\(deadlock\)\) ok/);
  assert.doesNotMatch(full.text, /stopped before it was complete/);
});
