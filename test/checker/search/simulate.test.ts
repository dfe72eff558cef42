// The simulate mode (search/simulate.ts, pct.ts) on hand-written systems: what PCT's change
// points buy, determinism from the seed, the coverage it reports, and PCT's bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OPTIONS, type ExploreOptions, type ExploreResult } from '../../../src/checker/result.js';
import { PctScheduler, pctBound } from '../../../src/checker/search/pct.js';
import { exploreSimulate } from '../../../src/checker/search/simulate.js';
import type { TransitionSystem } from '../../../src/model/system.js';
import { replay, ToyCounter } from '../../support/toy-counter.js';
import { ToySystem } from '../../support/toy-system.js';

const simulate = (sys: TransitionSystem, o: Partial<ExploreOptions> = {}): ExploreResult =>
  exploreSimulate(sys, { ...DEFAULT_OPTIONS, mode: 'simulate', ...o });

const detail = (r: ExploreResult): string => (r.verdict.kind === 'incomplete' ? r.verdict.detail : '');

test('pct with bug depth 1 never preempts: the lost update needs one change point (depth 2)', () => {
  const sys = new ToyCounter({ threads: 2, check: 'final' });
  // d = 1: every run runs the highest-priority thread to its end, then the other.
  const serial = simulate(sys, { strategy: 'pct', pctDepth: 1, executions: 300 });
  assert.equal(serial.verdict.kind === 'incomplete' && serial.verdict.bound, 'simulation');
  assert.equal(serial.stats.executions, 300);
  // The initial state and the two serial orders' 4 states each (the ToyCounter's 13 in all).
  assert.equal(serial.stats.states, 9);
  const pct = simulate(sys, { strategy: 'pct', pctDepth: 2, executions: 300 });
  assert.equal(pct.verdict.kind, 'violation');
  if (pct.verdict.kind !== 'violation') return;
  assert.equal(pct.verdict.violation.kind, 'final');
  assert.equal(sys.terminal(replay(sys, pct.verdict.schedule).state)?.kind, 'final');
});

test('simulate: the same seed gives the same runs; another seed other runs', () => {
  const sys = new ToyCounter({ threads: 3, rounds: 2, check: 'final' });
  for (const strategy of ['random', 'pct'] as const) {
    const a = simulate(sys, { strategy, seed: 11 });
    const b = simulate(sys, { strategy, seed: 11 });
    assert.equal(a.verdict.kind, 'violation', strategy);
    assert.deepEqual(a.verdict, b.verdict);
    assert.equal(a.stats.transitions, b.stats.transitions);
  }
  const runs = (seed: number): number[] => {
    const r = simulate(new ToyCounter({ threads: 3, rounds: 2 }), { strategy: 'pct', seed, executions: 40 });
    return [r.stats.states, r.stats.transitions];
  };
  assert.deepEqual(runs(5), runs(5));
  assert.notDeepEqual(runs(5), runs(6));
});

test('simulate: without a violation the verdict is incomplete, with runs, steps and distinct states', () => {
  const sys = new ToyCounter({ threads: 2 });
  const r = simulate(sys, { strategy: 'random', executions: 200, seed: 4 });
  assert.equal(r.verdict.kind === 'incomplete' && r.verdict.bound, 'simulation');
  assert.equal(r.stats.transitions, 200 * 4);
  // Every state of the toy's 13 is reached by 200 uniform runs (BFS counts 13).
  assert.equal(r.stats.states, 13);
  assert.match(
    detail(r),
    /^simulation: 200 runs \(strategy random, seed 4\) without a violation; 800 steps, 13 distinct states seen, longest run 4 steps; a simulation cannot prove a pass$/,
  );
  const p = simulate(sys, { strategy: 'pct', executions: 100, seed: 4 });
  assert.match(detail(p), /strategy pct, bug depth 3, seed 4/);
  assert.match(
    detail(p),
    /PCT bound: .*1\/\(2·4\^2\) = 0\.031, by these runs with probability ≥ 95\.8% \(n = 2 threads, k = 4/,
  );
  const cut = simulate(sys, { executions: 10, maxDepth: 3 });
  assert.match(detail(cut), /10 runs cut at --depth 3/);
  const stopped = simulate(sys, { shouldStop: () => true });
  assert.equal(stopped.verdict.kind === 'incomplete' && stopped.verdict.bound, 'interrupted');
  assert.match(detail(stopped), /^interrupted; simulation: 0 runs/);
});

test('pctBound: 1/(n·k^(d-1)) per run, 1-(1-p)^N over N runs', () => {
  const b = pctBound(9, 20, 3, 1000);
  assert.equal(b.perRun, 1 / 3600);
  assert.ok(Math.abs(b.overall - (1 - (1 - 1 / 3600) ** 1000)) < 1e-12);
  assert.equal(pctBound(1, 1, 1, 1).overall, 1);
});

test('PctScheduler: runs the highest priority enabled thread; a change point demotes it', () => {
  let i = 0;
  const draws = [0.9, 0.1, 0.5]; // Fisher–Yates for 3 threads (2 draws), then the change point
  const s = new PctScheduler(3, 2, () => draws[i++ % draws.length]!);
  s.startRun(4); // priorities: a permutation of 2, 3, 4; change point at step 1 + floor(0.5·4) = 3
  const all = new Int32Array([1, 1, 1]);
  const first = s.pick(all, 1);
  assert.equal(s.pick(all, 2), first);
  const third = s.pick(all, 3);
  assert.notEqual(third, first, 'the change point at step 3 demotes the running thread');
  assert.equal(s.pick(all, 4), third);
  // A blocked thread is skipped; a demoted (spinning) one runs only when nothing else can.
  s.demote(third);
  const others = s.pick(all, 5);
  assert.notEqual(others, third);
  assert.equal(
    s.pick(
      new Int32Array(3).fill(0).map((_, t) => (t === third ? 1 : 0)),
      6,
    ),
    third,
  );
});

test('pct: a spinning thread drops below the others, so the thread it waits for runs (no run cut)', () => {
  // Thread 0 spins until x0 == 1 (its step leaves the state as it was); thread 1 sets x0.
  const sys = new ToySystem({
    vars: 1,
    locks: 0,
    regs: 0,
    threads: [[{ op: 'jne', x: 0, c: 1, to: 0 }], [{ op: 'write', x: 0, v: 1 }]],
  });
  const r = simulate(sys, { strategy: 'pct', pctDepth: 1, executions: 40, maxDepth: 50, seed: 2 });
  assert.equal(r.simulation?.cutRuns, 0, detail(r));
  assert.equal(r.stats.executions, 40);
  // Half the runs start with the spinner on top: it spins once, then yields to thread 1.
  assert.ok(r.simulation !== undefined && r.simulation.longestRun === 3, detail(r));
});
