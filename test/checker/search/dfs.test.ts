// Stored-state DFS must find exactly the states BFS finds (the counts are derived by hand in
// bfs.test.ts); its counterexamples need not be shortest but must replay.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_OPTIONS, type ExploreOptions, type ExploreResult } from '../../../src/checker/result.js';
import { exploreBfs } from '../../../src/checker/search/bfs.js';
import { exploreDfs } from '../../../src/checker/search/dfs.js';
import { STEP_VIOLATION, type TransitionSystem } from '../../../src/model/system.js';
import { GraphSystem, logTerminals, referenceCounts, replay, ToyCounter, ToyLocks } from '../../support/toy-counter.js';

const dfs = (sys: TransitionSystem, o: Partial<ExploreOptions> = {}): ExploreResult =>
  exploreDfs(sys, { ...DEFAULT_OPTIONS, mode: 'dfs', ...o });

function complete(r: ExploreResult): ExploreResult['stats'] {
  assert.equal(r.verdict.kind, 'pass', JSON.stringify(r.verdict));
  return r.stats;
}

test('dfs: pinned counts equal the hand-derived BFS counts', () => {
  const cases: [TransitionSystem, number[]][] = [
    [new ToyCounter({ threads: 2 }), [13, 14, 3, 4]],
    [new ToyCounter({ threads: 2, increments: 2 }), [28, 32, 12, 4]],
    [new ToyCounter({ threads: 3 }), [84, 111, 16, 6]],
    [new ToyLocks({ ordered: true }), [16, 16, 1, 8]],
    [new ToyLocks({ ordered: false, deadlockIsViolation: false }), [19, 22, 2, 8]],
  ];
  for (const [sys, want] of cases) {
    const s = complete(dfs(sys));
    assert.deepEqual([s.states, s.transitions, s.executions, s.maxDepth], want);
    assert.equal(s.queue, 0);
  }
});

test('dfs: reaches the same final counters as BFS', () => {
  const seen: Int32Array[] = [];
  complete(dfs(logTerminals(new ToyCounter({ threads: 3 }), seen)));
  assert.deepEqual(new Set(seen.map((s) => s[0])), new Set([1, 2, 3]));
  assert.equal(seen.length, 16);
});

test('dfs: a cycle in the state graph is explored once', () => {
  const s = complete(dfs(new GraphSystem([[1], [0, 2], [2, 1]])));
  assert.deepEqual([s.states, s.transitions, s.executions], [3, 5, 0]);
});

test('dfs: paths deeper than the initial stack (400 steps) are explored', () => {
  const sys = new ToyCounter({ threads: 1, rounds: 200 });
  const s = complete(dfs(sys));
  assert.deepEqual([s.states, s.maxDepth], [401, 400]);
});

test('dfs, bfs and the reference agree on random counter systems', () => {
  const params = fc.record({
    threads: fc.integer({ min: 1, max: 3 }),
    rounds: fc.integer({ min: 1, max: 2 }),
    counters: fc.integer({ min: 1, max: 2 }),
    increments: fc.integer({ min: 1, max: 2 }),
  });
  fc.assert(
    fc.property(params, (o) => {
      const sys = new ToyCounter(o);
      const ref = referenceCounts(sys);
      const terminalsOf = (explore: typeof exploreDfs): [number[], Set<string>] => {
        const seen: Int32Array[] = [];
        const r = explore(logTerminals(sys, seen), { ...DEFAULT_OPTIONS });
        const s = complete(r);
        return [[s.states, s.transitions, s.executions], new Set(seen.map((st) => st.join(',')))];
      };
      const want = [ref.states, ref.transitions, ref.terminals.size];
      for (const explore of [exploreDfs, exploreBfs]) {
        const [counts, terminals] = terminalsOf(explore);
        assert.deepEqual(counts, want);
        assert.deepEqual(terminals, ref.terminals);
      }
    }),
    { numRuns: 40 },
  );
});

test('dfs: violations carry a schedule that replays to them', () => {
  const asserting = new ToyCounter({ threads: 3, check: 'assert' });
  const a = dfs(asserting);
  assert.equal(a.verdict.kind, 'violation');
  if (a.verdict.kind !== 'violation') return;
  assert.equal(a.verdict.violation.kind, 'assertion');
  assert.ok(a.verdict.schedule.length >= 5);
  const { results } = replay(asserting, a.verdict.schedule);
  assert.equal(results.indexOf(STEP_VIOLATION), results.length - 1);

  const lost = new ToyCounter({ threads: 2, check: 'final' });
  const f = dfs(lost);
  assert.equal(f.verdict.kind, 'violation');
  if (f.verdict.kind !== 'violation') return;
  assert.equal(lost.terminal(replay(lost, f.verdict.schedule).state)?.kind, 'final');

  const locks = new ToyLocks({ ordered: false });
  const d = dfs(locks);
  assert.equal(d.verdict.kind === 'violation' && d.verdict.violation.kind, 'deadlock');
  if (d.verdict.kind !== 'violation') return;
  assert.equal(locks.terminal(replay(locks, d.verdict.schedule).state)?.kind, 'deadlock');
});

// DFS at maxDepth 2 stores the same 6 states as BFS ((1,1) is met at depth 2 both ways)
// and cuts the 3 at depth 2.
test('dfs: bounds give incomplete with the right bound', () => {
  const deep = dfs(new ToyCounter({ threads: 2 }), { maxDepth: 2 });
  assert.equal(deep.verdict.kind === 'incomplete' && deep.verdict.bound, 'max-depth');
  assert.equal(deep.stats.states, 6);
  assert.match(deep.verdict.kind === 'incomplete' ? deep.verdict.detail : '', /3 states at depth 2 not expanded/);
  complete(dfs(new ToyCounter({ threads: 2 }), { maxDepth: 4 }));

  const many = dfs(new ToyCounter({ threads: 2 }), { maxStates: 5 });
  assert.equal(many.verdict.kind === 'incomplete' && many.verdict.bound, 'max-states');
  assert.equal(many.stats.states, 5);
  complete(dfs(new ToyCounter({ threads: 2 }), { maxStates: 13 }));

  const stopped = dfs(new ToyCounter({ threads: 2 }), { shouldStop: () => true });
  assert.equal(stopped.verdict.kind === 'incomplete' && stopped.verdict.bound, 'interrupted');
  const timed = dfs(new ToyCounter({ threads: 2 }), { maxSeconds: 0 });
  assert.equal(timed.verdict.kind === 'incomplete' && timed.verdict.bound, 'max-seconds');
});

test('dfs: an initial-state violation has an empty schedule', () => {
  const sys = new ToyCounter({ threads: 1 });
  sys.initial = () => ({ violation: { kind: 'invariant', message: 'init', thread: -1, objects: [] } });
  const r = dfs(sys);
  assert.equal(r.verdict.kind === 'violation' && r.verdict.schedule.length, 0);
});
