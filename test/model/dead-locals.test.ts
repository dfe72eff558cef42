// The dead-local reset (model/lower-flow.ts) against plain BFS on random programs rich in
// locals (loops, inlined fns with locals, choose, either, goto, srcu indexes): the same
// verdict, the same reachable violation kinds, the same terminal states once every frame word
// is cleared, and never more states.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { explore } from '../../src/checker/explore.js';
import type { ExploreOptions } from '../../src/checker/result.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileFile, compileText } from '../../src/model/compile.js';
import type { CheckedSpec } from '../../src/model/lang/checked.js';
import { VIOLATION_KINDS, type ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS, type ReductionSet } from '../../src/model/reductions.js';
import { lockstep } from '../support/codegen-lockstep.js';
import { propertyRuns } from '../support/fc-global.js';
import { localsSpec, loopSpec, RecordingSystem, randomSpec, spinSpec } from '../support/random-spec.js';

const DEAD_LOCALS: ReductionSet = new Set(['dead-locals']);
const BFS: Partial<ExploreOptions> = { mode: 'bfs', maxDepth: 300, maxStates: 20_000 };

interface Outcome {
  verdict: string;
  states: number;
  kinds: ViolationKind[];
  terminals: string[];
}

async function outcome(spec: CheckedSpec, reduce: ReductionSet): Promise<Outcome> {
  const sys = buildSystem(spec, spec.scenarios[0]!, { reduce });
  // One search that cuts every violation and goes on: plain BFS stops at the first, so its
  // verdict is a violation exactly when this one collects a kind.
  const collect = new TargetSystem(sys, null);
  const rec = new RecordingSystem(collect);
  const r = await explore(rec, BFS);
  const kinds = VIOLATION_KINDS.filter((k) => collect.cutKinds.has(k));
  // Terminal states on what outlives a thread's locals: every frame word cleared.
  const terminals = new Set<string>();
  for (const text of rec.terminals) {
    if (text.endsWith(',1')) continue; // a cut violation: compared through the kinds
    const s = Int32Array.from(text.slice(0, text.lastIndexOf(',')).split(',').map(Number));
    for (const t of sys.program.threads) s.fill(0, t.layout.pc + 1, t.layout.frameEnd);
    terminals.add(s.join(','));
  }
  return {
    verdict: r.verdict.kind === 'incomplete' || kinds.length === 0 ? r.verdict.kind : 'violation',
    states: r.stats.states,
    kinds,
    terminals: [...terminals].sort(),
  };
}

test('dead-locals: BFS agrees with --reduce none on verdict, violation kinds and terminal states, with no more states', async () => {
  let smaller = 0;
  let incomplete = 0;
  // 50 cases: test/model/soundness.test.ts holds bfs --reduce dead-locals to the unreduced
  // search on 2,000 specs (a third of them this generator's) with the same comparisons, never
  // more states among them (500 here before it, then 150); `npm run fuzz:reduce` runs 10,000.
  const runs = propertyRuns(50);
  await fc.assert(
    fc.asyncProperty(localsSpec, async (s) => {
      const c = compileText(s.text, 'random.mmspec');
      if (!c.ok)
        assert.fail(`generated spec does not compile:\n${c.diagnostics.map((d) => d.message).join('\n')}\n${s.text}`);
      const ref = await outcome(c.spec, NO_REDUCTIONS);
      if (ref.verdict === 'incomplete') {
        incomplete++;
        return;
      }
      const got = await outcome(c.spec, DEAD_LOCALS);
      assert.ok(got.states <= ref.states, `${got.states} states with dead-locals, ${ref.states} without:\n${s.text}`);
      if (got.states < ref.states) smaller++;
      assert.deepEqual({ ...got, states: 0 }, { ...ref, states: 0 }, `dead-locals disagrees with none on:\n${s.text}`);
    }),
    { numRuns: runs },
  );
  assert.ok(incomplete <= runs / 20, `${incomplete} of ${runs} runs hit a bound`);
  // A property that never sees a merge would prove nothing.
  assert.ok(smaller >= runs / 4, `only ${smaller} of ${runs} programs lost a state to the reset`);
});

async function bfsCounts(path: string, scenario: string, reduce: ReductionSet): Promise<[number, number]> {
  const c = compileFile(path);
  if (!c.ok) assert.fail(`${path} does not compile`);
  const sys = buildSystem(c.spec, c.spec.scenarios.find((s) => s.name === scenario)!, { reduce });
  const r = await explore(new TargetSystem(sys, null), { mode: 'bfs' });
  assert.equal(r.verdict.kind, 'pass', 'every violation is cut; the search completes');
  return [r.stats.states, r.stats.transitions];
}

test('dead-locals: pinned counts — the RFC example loses states, the seed twin (which resets by hand) none', async () => {
  assert.deepEqual(await bfsCounts('specs/rfc-2008-example.mmspec', 'two_faults', NO_REDUCTIONS), [8691, 20387]);
  assert.deepEqual(await bfsCounts('specs/rfc-2008-example.mmspec', 'two_faults', DEFAULT_REDUCTIONS), [8408, 19676]);
  for (const [k, states] of [
    [1, 220],
    [2, 3190],
  ] as const) {
    const twin = await bfsCounts('specs/bench/fault-vs-munmap.mmspec', `fixed_k${k}`, DEFAULT_REDUCTIONS);
    assert.equal(twin[0], states);
  }
});

// A step clears only the dead words that may be non-zero when it arrives (lower-flow.ts
// clearedAtRest): walked in lockstep with a system clearing every dead word (the closures, so
// the generated code's clearing is checked too), the same successors word for word, on every
// scenario in specs/ and on random specs; and the stress spec clears far fewer words a pc.
test('dead-locals: clearing the words possibly non-zero gives the states of clearing every dead word', () => {
  const pair = (spec: CheckedSpec, sc: CheckedSpec['scenarios'][number]) =>
    lockstep(
      buildSystem(spec, sc, { reduce: DEAD_LOCALS, codegen: true }),
      buildSystem(spec, sc, { reduce: DEAD_LOCALS, codegen: false, clearAllDead: true }),
      300,
    ).transitions;
  let transitions = 0;
  for (const dir of ['specs', 'specs/bench'])
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.mmspec'))) {
      const c = compileFile(join(dir, f));
      if (!c.ok) assert.fail(`${f} does not compile`);
      for (const sc of c.spec.scenarios) transitions += pair(c.spec, sc);
    }
  assert.ok(transitions > 50_000, `${transitions} transitions`);
  fc.assert(
    fc.property(fc.oneof(localsSpec, randomSpec, spinSpec, loopSpec), (s) => {
      const c = compileText(s.text, 'random.mmspec');
      if (c.ok) pair(c.spec, c.spec.scenarios[0]!);
    }),
    { numRuns: propertyRuns(150) },
  );
  const stress = compileFile('specs/rfc-2008-stress.mmspec');
  if (!stress.ok) assert.fail('the stress spec does not compile');
  const words = (clearAllDead: boolean): number => {
    const sys = buildSystem(stress.spec, stress.spec.scenarios[0]!, { reduce: DEAD_LOCALS, clearAllDead });
    return sys.threads[0]!.clears!.reduce((n, w) => n + (w?.length ?? 0), 0);
  };
  // fault#1: 74 visible pcs, 85 dead words each on average, 6 of them possibly non-zero.
  assert.deepEqual([words(true), words(false)], [6278, 425]);
});
