// Thread symmetry against the unreduced search: on random specs that start one thread body
// several times with equal (and with other) arguments, BFS and DFS with `--reduce symmetry` give
// the same verdict and violation kinds as BFS with `--reduce none`, stores no more states,
// and reaches the same terminal states up to renaming the interchangeable threads (each
// side's terminal states mapped to the least member of their orbit, found by trying every
// renaming). On the seed twin, a known orbit collapses and counterexamples stay concrete.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { explore } from '../../src/checker/explore.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText, findScenario } from '../../src/model/compile.js';
import type { CheckedSpec } from '../../src/model/lang/checked.js';
import { NO_REDUCTIONS, type ReductionSet } from '../../src/model/reductions.js';
import { Footprint, STEP_OK, STEP_VIOLATION } from '../../src/model/system.js';
import { propertyRuns } from '../support/fc-global.js';
import { symmetricSpec } from '../support/random-spec.js';
import { TerminalRecorder, terminalKeys } from '../support/reduce-oracle.js';

const SYMMETRY: ReductionSet = new Set(['symmetry']);

function compiled(text: string): CheckedSpec {
  const c = compileText(text, 'random.mmspec');
  if (!c.ok) assert.fail(`generated spec does not compile:\n${c.diagnostics.map((d) => d.message).join('\n')}`);
  return c.spec;
}

async function search(spec: CheckedSpec, reduce: ReductionSet, mode: 'bfs' | 'dfs' = 'bfs') {
  const sys = buildSystem(spec, spec.scenarios[0]!, { reduce });
  const target = new TargetSystem(sys, null);
  const rec = new TerminalRecorder(target);
  const r = await explore(rec, { mode, reduce, maxStates: 200_000 });
  const kinds = [...target.cutKinds].sort();
  return {
    r,
    kinds,
    terminals: terminalKeys(sys.program, rec.terminals, false),
    symmetric: sys.canonicalize !== undefined,
  };
}

test('symmetry: BFS and DFS with symmetry agree with unreduced BFS on random specs with repeated threads', async () => {
  let reduced = 0;
  let incomplete = 0;
  // 150 cases (500 before test/model/soundness.test.ts held symmetry to the unreduced search on
  // 2,000 specs, a fifth of them with interchangeable threads); `npm run fuzz:reduce` scales it.
  const runs = propertyRuns(150);
  await fc.assert(
    fc.asyncProperty(symmetricSpec, async (s) => {
      const spec = compiled(s.text); // once: each search builds its own system from it
      const plain = await search(spec, NO_REDUCTIONS);
      // Over the state bound the reference says nothing: the reduced search may finish where it
      // could not (found at 40,352 cases with test:props scale 200).
      if (plain.r.verdict.kind === 'incomplete') {
        incomplete++;
        return;
      }
      for (const mode of ['bfs', 'dfs'] as const) {
        const sym = await search(spec, SYMMETRY, mode);
        const what = `(${mode}) on\n${s.text}`;
        assert.equal(sym.r.verdict.kind, plain.r.verdict.kind, `verdict ${what}`);
        assert.deepEqual(sym.kinds, plain.kinds, `violation kinds ${what}`);
        assert.ok(sym.r.stats.states <= plain.r.stats.states, `more states with symmetry ${what}`);
        assert.deepEqual(sym.terminals, plain.terminals, `terminal states up to symmetry ${what}`);
        if (mode === 'bfs' && sym.r.stats.states < plain.r.stats.states) reduced++;
      }
    }),
    { numRuns: runs },
  );
  assert.ok(incomplete <= runs / 20, `${incomplete} of ${runs} reference runs hit the state bound`);
  assert.ok(reduced >= runs / 4, `symmetry reduced only ${reduced} of ${runs} specs: the property would see little`);
});

const TWIN = fileURLToPath(new URL('../../../specs/bench/fault-vs-munmap.mmspec', import.meta.url));

async function twin(scenario: string, reduce: ReductionSet) {
  const c = compileText(readFileSync(TWIN, 'utf8'), TWIN);
  assert.ok(c.ok);
  const sc = findScenario(c.spec, scenario)!;
  const sys = buildSystem(c.spec, sc, { reduce });
  return { sys, r: await explore(sys, { mode: 'bfs', reduce }) };
}

test('symmetry: the seed twin fixed K=3 (fault(0) twice) stores fewer states than 42,584', async () => {
  const plain = await twin('fixed_k3', NO_REDUCTIONS);
  const sym = await twin('fixed_k3', SYMMETRY);
  assert.equal(plain.r.stats.states, 42_584);
  assert.equal(sym.r.verdict.kind, 'pass');
  assert.equal(sym.r.stats.states, 22_636);
});

test('symmetry: the buggy twin K=3 still finds use_after_free, by a schedule of the real threads', async () => {
  const { sys, r } = await twin('buggy_k3', SYMMETRY);
  assert.equal(r.verdict.kind, 'violation');
  if (r.verdict.kind !== 'violation') return;
  assert.equal(r.verdict.violation.kind, 'use_after_free');
  // Replaying the schedule on the concrete system raises the same violation at its last step.
  const init = sys.initial();
  assert.ok('state' in init);
  let s = init.state;
  const next = new Int32Array(s.length);
  const fp = new Footprint();
  const schedule = r.verdict.schedule;
  for (const [i, m] of schedule.entries()) {
    assert.ok(sys.choices(s, m.thread) > m.choice, `step ${i} of the schedule is not enabled`);
    const res = sys.step(s, m.thread, m.choice, next, fp);
    if (i === schedule.length - 1) {
      assert.equal(res, STEP_VIOLATION);
      assert.equal(sys.lastViolation().kind, 'use_after_free');
    } else {
      assert.equal(res, STEP_OK);
      s = next.slice();
    }
  }
});
