import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_OPTIONS } from '../../../src/checker/result.js';
import { needsLeakCheck, runScenario } from '../../../src/checker/scenario.js';
import { exploreBfs } from '../../../src/checker/search/bfs.js';
import { BoundedGoalSystem, sameViolation } from '../../../src/checker/systems/bounded-goal.js';
import { describeMinimized, minimizeSchedule, shortestFound } from '../../../src/checker/trace/minimize.js';
import { preemptionPoints } from '../../../src/checker/trace/preemptions.js';
import { replaySchedule } from '../../../src/checker/trace/record.js';
import { buildSystem, compileFile, compileText, findScenario } from '../../../src/model/compile.js';
import type { ModelSystem } from '../../../src/model/model-system.js';
import { propertyRuns } from '../../support/fc-global.js';
import { invariantSpec, randomSpec } from '../../support/random-spec.js';

const CASES = [
  { spec: 'specs/rfc-2008-example.mmspec', scenario: 'fault_vs_munmap' },
  { spec: 'specs/rfc-2008-example.mmspec', scenario: 'two_faults' },
  { spec: 'test/fixtures/traces/uaf.mmspec', scenario: 'reader_vs_release' },
  { spec: 'test/fixtures/traces/lost-update.mmspec', scenario: 'three_incs' },
  { spec: 'test/fixtures/traces/abba.mmspec', scenario: 'abba' },
];

function loader(
  spec: string,
  scenario: string,
): { make: () => ModelSystem; run: (o: Parameters<typeof runScenario>[2]) => ReturnType<typeof runScenario> } {
  const c = compileFile(spec);
  assert.ok(c.ok, spec);
  const sc = findScenario(c.spec, scenario)!;
  return {
    make: () => buildSystem(c.spec, sc),
    run: (o) => runScenario(buildSystem(c.spec, sc, { leak: needsLeakCheck(sc, o?.leak) }), sc, o),
  };
}

const BLOCKING = `spec "blocking"
shared l: spinlock;
shared x: int = 0;
thread t1() { x = 1; spin_lock(l); spin_unlock(l); }
thread t2() { spin_lock(l); x = 2; spin_unlock(l); }
scenario s expect pass { t1(); t2(); }
`;

test('preemptions: switching away from a runnable thread counts, from a finished or blocked one does not', () => {
  const c = compileText(BLOCKING, 'blocking.mmspec');
  assert.ok(c.ok);
  const sys = buildSystem(c.spec, c.spec.scenarios[0]!);
  const at = (threads: number[]): number[] => {
    const schedule = threads.map((thread) => ({ thread, choice: 0 }));
    const r = replaySchedule(sys, schedule);
    assert.equal(r.diverged, undefined);
    return preemptionPoints(sys, schedule, r.states);
  };
  assert.deepEqual(at([0, 0, 0, 1, 1, 1]), []); // t1 runs to its end first
  // t2 locks; t1 preempts it (2); t1 now blocks on l, so t2 going on (3) is free; t2 finishes (4), t1 goes on (5) free.
  assert.deepEqual(at([1, 0, 1, 1, 0, 0]), [2]);
  // t2 locks and writes; t1 preempts it (3) and then blocks, so t2's unlock (4) is free.
  assert.deepEqual(at([1, 1, 0, 1, 0, 0]), [3]);
});

// The rfc-2008 counterexample needs one preemption: with none, whichever thread runs first
// runs to its end (neither ever blocks alone), and then there is no reader inside a section
// when munmap frees, or no page table to free. The complete 0-preemption search proves it.
test('minimise: fault_vs_munmap has no counterexample with 0 preemptions; with 1 the shortest has 20 steps', async () => {
  const { make, run } = loader('specs/rfc-2008-example.mmspec', 'fault_vs_munmap');
  const r = await run({ mode: 'bfs' });
  assert.equal(r.result.verdict.kind, 'violation');
  if (r.result.verdict.kind !== 'violation') return;
  const goal = r.result.verdict.violation;
  const zero = exploreBfs(new BoundedGoalSystem(make(), goal, 0), { ...DEFAULT_OPTIONS, mode: 'bfs' });
  assert.equal(zero.verdict.kind, 'pass');
  assert.equal(zero.stats.states, 48);
  const one = exploreBfs(new BoundedGoalSystem(make(), goal, 1), { ...DEFAULT_OPTIONS, mode: 'bfs' });
  assert.equal(one.verdict.kind === 'violation' && one.verdict.schedule.length, 20);
  const m = await minimizeSchedule(make, r.result.verdict.schedule, goal);
  assert.deepEqual([m.after, m.proved], [{ steps: 20, preemptions: 1 }, true]);
  assert.equal(
    describeMinimized(m),
    'minimised: 20 → 20 steps, 1 → 1 preemptions (minimal: the complete search with at most 0 preemptions, 48 states, does not reach it)',
  );
});

test('minimise: a random walk of fault_vs_munmap (8 preemptions) shrinks to the 1-preemption, 20-step trace', async () => {
  const { make, run } = loader('specs/rfc-2008-example.mmspec', 'fault_vs_munmap');
  const r = await run({ mode: 'random', seed: 1 });
  if (r.result.verdict.kind !== 'violation') return assert.fail('random walk found no violation');
  const m = await minimizeSchedule(make, r.result.verdict.schedule, r.result.verdict.violation);
  assert.deepEqual([m.before, m.after, m.proved], [{ steps: 20, preemptions: 8 }, { steps: 20, preemptions: 1 }, true]);
});

test('minimise: the lost update found by BFS (2 preemptions) needs only 1', async () => {
  const { make, run } = loader('test/fixtures/traces/lost-update.mmspec', 'three_incs');
  const r = await run({ mode: 'bfs' });
  if (r.result.verdict.kind !== 'violation') return assert.fail('no violation');
  const m = await minimizeSchedule(make, r.result.verdict.schedule, r.result.verdict.violation);
  assert.deepEqual(
    [m.before, m.after],
    [
      { steps: 9, preemptions: 2 },
      { steps: 9, preemptions: 1 },
    ],
  );
});

test('minimise: a budget too small to finish is reported, and the reordering pass keeps what it gained', async () => {
  const { make, run } = loader('specs/rfc-2008-example.mmspec', 'two_faults');
  const r = await run({ mode: 'random', seed: 1 });
  if (r.result.verdict.kind !== 'violation') return assert.fail('no violation');
  const v = r.result.verdict;
  const m = await minimizeSchedule(make, v.schedule, v.violation, { maxStates: 5 });
  assert.equal(m.proved, false);
  assert.ok(m.rounds.length > 0 && m.rounds.every((x) => x.outcome === 'incomplete'));
  assert.match(describeMinimized(m), /not proved minimal/);
  // No bounded search finished: what is kept is simplify.ts's reordering, checked by replay.
  assert.ok(m.after.preemptions < m.before.preemptions, JSON.stringify([m.before, m.after]));
  const sys = make();
  const again = replaySchedule(sys, m.schedule);
  assert.ok(again.violation !== null && sameViolation(again.violation, v.violation));
  assert.equal(preemptionPoints(sys, m.schedule, again.states).length, m.after.preemptions);
  // A schedule with no preemption is left as it is.
  const plain = await minimizeSchedule(make, m.schedule, m.violation, { maxStates: 5 });
  if (m.after.preemptions === 0) assert.deepEqual(plain.schedule, m.schedule);
});

// The property: whatever counterexample a random walk finds, minimising it never adds a
// preemption, never lengthens it at the same preemptions, keeps the violation (kind and
// position), and the result replays to that violation.
test('minimise property: never more preemptions, same violation kind and position, replays (random walks)', async () => {
  const loaders = CASES.map((c) => loader(c.spec, c.scenario));
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: CASES.length - 1 }),
      fc.integer({ min: 1, max: 10_000 }),
      async (i, seed) => {
        const { make, run } = loaders[i]!;
        const r = await run({ mode: 'random', seed, executions: 200 });
        if (r.result.verdict.kind !== 'violation') return;
        const v = r.result.verdict;
        const m = await minimizeSchedule(make, v.schedule, v.violation);
        assert.ok(m.after.preemptions <= m.before.preemptions, JSON.stringify(m.rounds));
        if (m.after.preemptions === m.before.preemptions) assert.ok(m.after.steps <= m.before.steps);
        assert.equal(m.violation.kind, v.violation.kind);
        assert.ok(sameViolation(m.violation, v.violation));
        const sys = make();
        const again = replaySchedule(sys, m.schedule);
        assert.ok(again.violation !== null && sameViolation(again.violation, v.violation));
        assert.equal(preemptionPoints(sys, m.schedule, again.states).length, m.after.preemptions);
      },
    ),
    { numRuns: propertyRuns(40) },
  );
});

// The bounded searches store one state per orbit of identical threads (threadSymmetry): the
// seed twin's four faults are 2 + 2 interchangeable instances. Same sizes, same proof, fewer
// states, and the schedule found is one of the real threads (it replays).
test('minimise with symmetry: the seed twin at K = 4 gives the same 20-step, 1-preemption trace from fewer states', async () => {
  const { make, run } = loader('specs/bench/fault-vs-munmap.mmspec', 'buggy_k4');
  const r = await run({ mode: 'bfs' });
  if (r.result.verdict.kind !== 'violation') return assert.fail('no violation');
  const v = r.result.verdict;
  const sym = await minimizeSchedule(make, v.schedule, v.violation);
  const plain = await minimizeSchedule(make, v.schedule, v.violation, { symmetry: false });
  const sizes = (m: typeof sym) => [m.before, m.after, m.proved];
  assert.deepEqual(sizes(sym), [{ steps: 13, preemptions: 5 }, { steps: 20, preemptions: 1 }, true]);
  assert.deepEqual(sizes(plain), sizes(sym));
  assert.deepEqual(
    sym.rounds.map((x) => [x.bound, x.states, x.outcome]),
    [
      [0, 350, 'none'],
      [1, 2_254, 'found'],
    ],
  );
  assert.deepEqual(
    plain.rounds.map((x) => x.states),
    [813, 6_657],
  );
  const sys = make();
  const again = replaySchedule(sys, sym.schedule);
  assert.ok(again.violation !== null && sameViolation(again.violation, v.violation));
  assert.equal(preemptionPoints(sys, sym.schedule, again.states).length, 1);
});

// The property behind it: symmetry only merges states of one orbit, so every bound's search
// reaches the goal at the same depth or proves the same absence.
test('minimise property: with and without symmetry, the same sizes and proof (random walks, identical threads)', async () => {
  const symmetric = [
    { spec: 'specs/bench/fault-vs-munmap.mmspec', scenario: 'buggy_k3' },
    { spec: 'test/fixtures/traces/lost-update.mmspec', scenario: 'three_incs' },
    { spec: 'specs/rfc-2008-example.mmspec', scenario: 'two_faults' },
  ].map((c) => loader(c.spec, c.scenario));
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: symmetric.length - 1 }),
      fc.integer({ min: 1, max: 10_000 }),
      async (i, seed) => {
        const { make, run } = symmetric[i]!;
        const r = await run({ mode: 'random', seed, executions: 50 });
        if (r.result.verdict.kind !== 'violation') return;
        const v = r.result.verdict;
        const sym = await minimizeSchedule(make, v.schedule, v.violation);
        const plain = await minimizeSchedule(make, v.schedule, v.violation, { symmetry: false });
        assert.deepEqual([sym.after, sym.proved], [plain.after, plain.proved]);
        assert.deepEqual(
          sym.rounds.map((x) => [x.bound, x.outcome]),
          plain.rounds.map((x) => [x.bound, x.outcome]),
        );
        for (const [k, x] of sym.rounds.entries()) assert.ok(x.states <= plain.rounds[k]!.states);
        const again = replaySchedule(make(), sym.schedule);
        assert.ok(again.violation !== null && sameViolation(again.violation, v.violation));
      },
    ),
    { numRuns: propertyRuns(10) },
  );
});

/** The minimisation of a BFS counterexample with and without the shortcut for shortest schedules: the same result. */
async function sameWithShortest(make: () => ModelSystem, r: Awaited<ReturnType<typeof runScenario>>): Promise<boolean> {
  const v = r.result.verdict;
  if (v.kind !== 'violation') return false;
  assert.equal(shortestFound(r.result.mode, {}, v.loop), v.loop === undefined);
  if (v.loop !== undefined) return false;
  const quick = await minimizeSchedule(make, v.schedule, v.violation, { shortest: true });
  const full = await minimizeSchedule(make, v.schedule, v.violation);
  assert.deepEqual([quick.after, quick.proved], [full.after, full.proved]);
  const again = replaySchedule(make(), quick.schedule);
  assert.ok(again.violation !== null && sameViolation(again.violation, v.violation));
  // The shortcut leaves out the search of the schedule's own bound, the last round.
  const skipped = quick.rounds.length < full.rounds.length;
  if (skipped) {
    assert.deepEqual(quick.rounds, full.rounds.slice(0, -1));
    assert.equal(full.rounds.at(-1)!.outcome, 'found');
  } else assert.deepEqual(quick.rounds, full.rounds);
  return skipped;
}

test('minimise a shortest (BFS) counterexample: its own bound is not searched, and the result is the same', async () => {
  const cases = [
    ...CASES,
    { spec: 'specs/bench/philosophers.mmspec', scenario: 'deadlock3' },
    { spec: 'specs/bench/fault-vs-munmap.mmspec', scenario: 'buggy_k3' },
    { spec: 'specs/tutorial.mmspec', scenario: 'step1' },
    { spec: 'specs/rfc-2008-sync.mmspec', scenario: 'q7_synchronize_srcu_under_mmap_sem' },
  ];
  const skipped: string[] = [];
  for (const c of cases) {
    const { make, run } = loader(c.spec, c.scenario);
    const r = await run({ mode: 'bfs' });
    assert.equal(r.result.verdict.kind, 'violation', c.scenario);
    if (await sameWithShortest(make, r)) skipped.push(c.scenario);
  }
  // two_faults: BFS's 1-preemption schedule is already the shortest with 1.
  assert.ok(skipped.includes('two_faults'), skipped.join(' '));
  // Not for a search that does not find shortest schedules.
  assert.equal(shortestFound('dfs', {}, undefined), false);
  assert.equal(shortestFound('dpor', {}, undefined), false);
  assert.equal(shortestFound('bfs', { reduce: new Set(['symmetry', 'por']) }, undefined), false);
  assert.equal(shortestFound('bfs', { bitstate: 20 }, undefined), false);
  assert.equal(shortestFound('bfs', { partition: { k: 1, n: 2 } }, undefined), false);
  assert.equal(shortestFound('bfs', {}, 3), false);
  assert.equal(shortestFound('bfs', { reduce: new Set(['symmetry', 'dead-locals']) }, undefined), true);
});

test('minimise property: a BFS counterexample minimised with the shortcut equals the full minimisation (random specs)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(randomSpec, invariantSpec), async (s) => {
      const c = compileText(s.text, 'random.mmspec');
      if (!c.ok) return;
      const sc = c.spec.scenarios[0]!;
      const make = (): ModelSystem => buildSystem(c.spec, sc);
      await sameWithShortest(make, await runScenario(make(), sc, { mode: 'bfs', maxStates: 20_000 }));
    }),
    { numRuns: propertyRuns(40) },
  );
});
