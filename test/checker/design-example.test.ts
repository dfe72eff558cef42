// The design example (specs/rfc-2008-example.mmspec): its minimal counterexample and its
// call_srcu variant.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { replaySchedule } from '../../src/checker/trace/record.js';
import { KINDS, lineOf, load, MODES, ROOT, runSpec, violation, who } from '../support/kind-fixtures.js';

const DESIGN = `${ROOT}specs/rfc-2008-example.mmspec`;

// fault_vs_munmap's premature_free is munmap's `free(pt)` (line 42), the only free of a
// pte_page in the spec, so every counterexample ends with that step. Lower bound on its
// length, counting steps (statements that touch shared state; the for-loop header and
// `if (pt != null)` are local and fused):
//   munmap must run down_write, `v = tree`, `tree = null`, the await, `pt = pmd`, two
//   rounds of spin_lock / `pt.pte[i] = 0` / spin_unlock, `pmd = null`, free: 13 steps, in
//   straight line. `free(pt)` frees something only if `pt = pmd` read a non-null pmd, and
//   only the fault's `pmd = pt` (line 25) makes pmd non-null.
//   The fault reaches `pmd = pt` through srcu_read_lock, `v = tree`, the start check, the
//   usage check, `pt = pmd`, `alloc`, `pmd = pt`: 7 steps (`goto retry` only adds steps).
// So every counterexample has at least 13 + 7 = 20 steps. BFS returns one of exactly 20
// (the fault's 7, then munmap's 13), and a search bounded at depth 19 finds none.
test('design: fault_vs_munmap is premature_free with a 20-step path, and none is shorter', async () => {
  const spec = load(DESIGN, 'specs/rfc-2008-example.mmspec');
  const sc = spec.scenarios.find((s) => s.name === 'fault_vs_munmap')!;
  const run = await runSpec(spec, sc, { mode: 'bfs' });
  assert.equal(run.got, 'violation(premature_free)');
  assert.equal(run.other, undefined);
  const verdict = run.result.verdict;
  assert.ok(verdict.kind === 'violation');
  assert.equal(verdict.schedule.length, 20);
  assert.equal(lineOf(spec, verdict.violation), 42);
  assert.equal(who(run, verdict.violation), 'munmap');
  assert.equal(
    verdict.violation.message,
    'pte_page#0 freed by munmap (specs/rfc-2008-example.mmspec:42) while fault is still inside the srcu_read_lock(mm_srcu) section in which it obtained a reference to pte_page#0',
  );
  const steps = replaySchedule(run.system, verdict.schedule).steps;
  assert.deepEqual(
    steps.map((s) => s.threadName),
    [...Array(7).fill('fault'), ...Array(13).fill('munmap')],
  );
  assert.deepEqual(
    steps.slice(5, 7).map((s) => s.text),
    ['pt = alloc pte_page {};', 'pmd = pt;'],
  );
  assert.equal(steps.at(-1)!.text, 'free(pt);');

  const bounded = await runSpec(spec, sc, { mode: 'bfs', maxDepth: 19 });
  assert.equal(bounded.result.verdict.kind, 'incomplete', 'depth 19: no violation of any kind');
  assert.equal(bounded.other, undefined);
  assert.equal(bounded.result.stats.maxDepth, 19);
});

test('design: both scenarios of the example find premature_free under DFS as well', async () => {
  const spec = load(DESIGN, 'specs/rfc-2008-example.mmspec');
  for (const sc of spec.scenarios) {
    const run = await runSpec(spec, sc, { mode: 'dfs' });
    assert.equal(run.got, 'violation(premature_free)', sc.name);
    assert.equal(lineOf(spec, violation(run)), 42);
  }
});

// The variant that defers the pte page with call_srcu(mm_srcu, pt) passes both scenarios in
// both modes (see the fixture's header for why, and for the leak --leak would report).
test('design: freeing the pte page with call_srcu passes', async () => {
  const path = `${KINDS}design-call-srcu-ok.mmspec`;
  assert.ok(existsSync(path));
  const spec = load(path, 'kinds/design-call-srcu-ok.mmspec');
  const original = readFileSync(DESIGN, 'utf8').split('\n');
  const variant = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('//'));
  const changed = variant.filter((l, i) => l !== original[i]);
  assert.deepEqual(
    changed.map((l) => l.trim().split(/\s+\/\//)[0]),
    [
      'pmd = null; call_srcu(mm_srcu, pt);',
      'scenario fault_vs_munmap expect pass { fault(1); munmap(); }',
      'scenario two_faults      expect pass { fault(0); fault(1); munmap(); }',
    ],
  );
  for (const sc of spec.scenarios) {
    for (const mode of MODES) {
      const run = await runSpec(spec, sc, { mode });
      assert.equal(
        run.got,
        'pass',
        `${sc.name} (${mode}): ${run.result.verdict.kind === 'violation' ? run.result.verdict.violation.message : ''}`,
      );
      assert.ok(run.result.stats.executions > 0);
    }
  }
});
