// The kernel-C language fixtures (test/support/kinds-lang-c.ts) in the search modes the
// kinds table does not run (it runs BFS and DFS): DPOR and auto must find the same violation
// and pass the twin; random must find the violation and never call the twin a violation
// (it cannot prove a pass: its verdict there is incomplete).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, lineOf, only, runSpec, violation, who } from '../support/kind-fixtures.js';
import { LANG_C_CASES } from '../support/kinds-lang-c.js';

for (const c of LANG_C_CASES) {
  for (const mode of ['dpor', 'random', 'auto'] as const) {
    test(`kinds (${mode}): ${c.name} is ${c.kind} at line ${c.line ?? '-'}; its twin does not fail`, async () => {
      const spec = fixture(c.name);
      const run = await runSpec(spec, only(spec), { mode, seed: 1 });
      assert.equal(run.got, `violation(${c.kind})`, run.got);
      const v = violation(run);
      assert.equal(lineOf(spec, v), c.line);
      if (mode !== 'random') assert.equal(who(run, v), c.thread);
      const twin = fixture(`${c.name}-ok`);
      const ok = await runSpec(twin, only(twin), { mode, seed: 1 });
      assert.equal(ok.got, mode === 'random' ? 'incomplete' : 'pass', ok.got);
    });
  }
}

test('anonymous conditions are named by their line; violation(final) matches any final', async () => {
  const spec = fixture('final-kernel-c');
  assert.deepEqual(
    spec.finals.map((f) => f.name),
    ['final@21'],
  );
  const inv = fixture('invariant-anonymous');
  assert.deepEqual(
    inv.invariants.map((i) => i.name),
    ['invariant@10'],
  );
  const run = await runSpec(inv, only(inv), { mode: 'bfs' });
  assert.equal(violation(run).condition, 'invariant@10');
});

test('int arithmetic wraps around at 32 bits; bitwise operators work on the word', async () => {
  const spec = fixture('design-wraparound');
  for (const mode of ['bfs', 'dpor'] as const) {
    const run = await runSpec(spec, only(spec), { mode });
    assert.equal(run.got, 'pass', run.result.verdict.kind === 'violation' ? run.result.verdict.violation.message : '');
  }
});
