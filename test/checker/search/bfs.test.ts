import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_OPTIONS, type ExploreOptions, type ExploreResult } from '../../../src/checker/result.js';
import { exploreBfs } from '../../../src/checker/search/bfs.js';
import { STEP_OK, STEP_VIOLATION, type TransitionSystem, type Violation } from '../../../src/model/system.js';
import { GraphSystem, logTerminals, referenceCounts, replay, ToyCounter, ToyLocks } from '../../support/toy-counter.js';

const bfs = (sys: TransitionSystem, o: Partial<ExploreOptions> = {}): ExploreResult =>
  exploreBfs(sys, { ...DEFAULT_OPTIONS, mode: 'bfs', ...o });

/** A complete search: fails loudly on incomplete, so an incomplete run can never pass a count. */
function complete(r: ExploreResult): ExploreResult['stats'] {
  assert.equal(r.verdict.kind, 'pass', JSON.stringify(r.verdict));
  return r.stats;
}

// Two threads, one non-atomic increment each. A thread is at pc 0 (not started), 1 (read
// value v into local) or 2 (wrote local = v + 1). States by (pc0, pc1):
//   (0,0) 1 | (1,0) 1 | (0,1) 1 | (1,1) 1 (both read 0)
//   (2,0) 1 | (0,2) 1 (counter 1)
//   (2,1) 2: the other read 0 before the write, or 1 after it; (1,2) likewise 2
//   (2,2) 3: sequential either way (locals 1,2 or 2,1, counter 2), or both read 0 (counter 1)
// = 13 states. Transitions = enabled threads summed over states:
//   (0,0),(1,0),(0,1),(1,1): 2 each; (2,0),(0,2): 1; (2,1),(1,2): 1 per state, 4 states = 14.
// Terminal states: the three (2,2) states, final counters {1, 2}; the longest path is 4.
test('bfs: two non-atomic increments have 13 states, 14 transitions, 3 terminal states', () => {
  const seen: Int32Array[] = [];
  const s = complete(bfs(logTerminals(new ToyCounter({ threads: 2 }), seen)));
  assert.deepEqual([s.states, s.transitions, s.executions, s.maxDepth], [13, 14, 3, 4]);
  assert.deepEqual(new Set(seen.map((st) => st[0])), new Set([1, 2]));
  assert.equal(s.queue, 0);
  assert.ok(s.storedBytes > 0 && s.peakMemoryBytes > 0);
});

// With two increment choices (+1 or +2) per write, by (pc0, pc1):
//   (0,0),(1,0),(0,1),(1,1): 1 each; (2,0),(0,2): 2 each (counter 1 or 2)
//   (2,1),(1,2): 4 each (written w in {1,2}; the other read 0 or w)
//   (2,2): sequential T0;T1 gives (l0,l1) = (1,2),(1,3),(2,3),(2,4) with counter l1; T1;T0 the
//   mirror; both read 0: l0,l1 in {1,2} and counter = the last writer's, 6 states; (1,2,c2)
//   and (2,1,c2) appear twice -> 4 + 4 + 6 - 2 = 12.
// = 28 states; transitions 2+3+3+2+2+4+8+8 = 32 (a thread about to write has 2 moves).
test('bfs: nondeterministic increments: 28 states, 32 transitions, counters 1..4', () => {
  const seen: Int32Array[] = [];
  const s = complete(bfs(logTerminals(new ToyCounter({ threads: 2, increments: 2 }), seen)));
  assert.deepEqual([s.states, s.transitions, s.executions], [28, 32, 12]);
  assert.deepEqual(new Set(seen.map((st) => st[0])), new Set([1, 2, 3, 4]));
});

test('bfs: three increments reach every final counter 1..3 (counts match the reference)', () => {
  const seen: Int32Array[] = [];
  const sys = new ToyCounter({ threads: 3 });
  const s = complete(bfs(logTerminals(sys, seen)));
  const ref = referenceCounts(sys);
  assert.deepEqual([s.states, s.transitions, s.executions], [84, 111, 16]);
  assert.deepEqual([ref.states, ref.transitions, ref.terminals.size], [84, 111, 16]);
  assert.deepEqual(new Set(seen.map((st) => st[0])), new Set([1, 2, 3]));
});

// Locks taken in the same order: a state is (pc0, pc1), pcs 0..4; pcs 1..3 hold A, so both
// in 1..3 is impossible and everything else is reachable: 25 - 9 = 16 states. Thread 0 can
// move in (0,0),(0,4) and (p,0),(p,4) for p in 1..3 = 8 states, thread 1 likewise: 16
// transitions; one terminal state (4,4).
test('bfs: ordered locks: 16 states, 16 transitions, no deadlock', () => {
  const s = complete(bfs(new ToyLocks({ ordered: true })));
  assert.deepEqual([s.states, s.transitions, s.executions], [16, 16, 1]);
});

// Opposite order, deadlock not reported: walking the graph from (0,0) gives 19 states,
// (0,0) (1,0) (0,1) (2,0) (1,1) (0,2) (3,0) (0,3) (4,0) (3,1) (1,3) (0,4) (4,1) (1,4) (4,2)
// (2,4) (4,3) (3,4) (4,4), with 22 edges; (1,1) and (4,4) are terminal.
test('bfs: opposite-order locks without the deadlock check: 19 states, 22 transitions', () => {
  const s = complete(bfs(new ToyLocks({ ordered: false, deadlockIsViolation: false })));
  assert.deepEqual([s.states, s.transitions, s.executions], [19, 22, 2]);
});

test('bfs: the lock-order deadlock is found after 2 steps', () => {
  const r = bfs(new ToyLocks({ ordered: false }));
  assert.equal(r.verdict.kind, 'violation');
  if (r.verdict.kind !== 'violation') return;
  assert.equal(r.verdict.violation.kind, 'deadlock');
  assert.deepEqual(new Set(r.verdict.schedule.map((e) => e.thread)), new Set([0, 1]));
  assert.equal(r.verdict.schedule.length, 2);
});

// assert(counter == local) after each write fails only when another thread wrote in between
// with a different value, so it read after our write: read, write, other read, other
// write, assert = 5 steps, and no shorter schedule exists.
test('bfs: the assertion counterexample is the shortest (5 steps) and replays', () => {
  for (const threads of [2, 3]) {
    const sys = new ToyCounter({ threads, check: 'assert' });
    const r = bfs(sys);
    assert.equal(r.verdict.kind, 'violation');
    if (r.verdict.kind !== 'violation') return;
    assert.equal(r.verdict.violation.kind, 'assertion');
    assert.equal(r.verdict.schedule.length, 5);
    const { results } = replay(sys, r.verdict.schedule);
    assert.deepEqual(results, [STEP_OK, STEP_OK, STEP_OK, STEP_OK, STEP_VIOLATION]);
  }
});

// The lost update needs both reads before both writes: 4 steps, then a terminal state.
test('bfs: the lost-update final violation is the shortest (4 steps) and replays', () => {
  const sys = new ToyCounter({ threads: 2, check: 'final' });
  const r = bfs(sys);
  assert.equal(r.verdict.kind, 'violation');
  if (r.verdict.kind !== 'violation') return;
  assert.equal(r.verdict.violation.kind, 'final');
  assert.equal(r.verdict.schedule.length, 4);
  assert.equal(sys.terminal(replay(sys, r.verdict.schedule).state)?.kind, 'final');
});

// Node 0 -> 1, 2. From 1 (queued first) a step fails: 2 steps. Node 2 is a terminal
// deadlock: 1 step, and must win although it is met later in the same level.
test('bfs: a terminal violation beats a longer step violation found earlier in its level', () => {
  const r = bfs(new GraphSystem([[1, 2], [-1], []], new Set([2])));
  assert.equal(r.verdict.kind, 'violation');
  if (r.verdict.kind !== 'violation') return;
  assert.equal(r.verdict.violation.kind, 'deadlock');
  assert.deepEqual(r.verdict.schedule, [{ thread: 0, choice: 1 }]);
});

/** Shortest number of steps to a failing edge or a stuck node, by plain BFS; -1 if none. */
function shortestBad(edges: number[][], stuck: Set<number>): number {
  const dist = new Map<number, number>([[0, 0]]);
  const order = [0];
  let best = -1;
  for (let i = 0; i < order.length; i++) {
    const n = order[i]!;
    const d = dist.get(n)!;
    if (edges[n]!.length === 0 && stuck.has(n) && (best < 0 || d < best)) best = d;
    for (const m of edges[n]!) {
      if (m < 0 && (best < 0 || d + 1 < best)) best = d + 1;
      if (m >= 0 && !dist.has(m)) {
        dist.set(m, d + 1);
        order.push(m);
      }
    }
  }
  return best;
}

/**
 * The livelock BFS reports when nothing else is reachable (search/livelock.ts): the first node
 * in BFS order (`order`: discovery order, choices in order) that lies on a bottom cycle, i.e.
 * the least-index state of the bottom SCC with the least such index; -1 if none.
 */
function bottomCycleNode(edges: number[][], order: number[]): number {
  const reach = (from: number): Set<number> => {
    const seen = new Set<number>();
    const todo = [...edges[from]!.filter((m) => m >= 0)];
    while (todo.length > 0) {
      const m = todo.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      for (const k of edges[m]!) if (k >= 0) todo.push(k);
    }
    return seen;
  };
  for (const n of order) {
    const r = reach(n);
    if (r.has(n) && [...r].every((m) => reach(m).has(n))) return n;
  }
  return -1;
}

function bfsOrder(edges: number[][]): number[] {
  const order = [0];
  const seen = new Set([0]);
  for (let i = 0; i < order.length; i++)
    for (const m of edges[order[i]!]!)
      if (m >= 0 && !seen.has(m)) {
        seen.add(m);
        order.push(m);
      }
  return order;
}

// With no failing edge or stuck terminal node reachable, BFS reports the bottom cycle of least
// index as a livelock when the system's terminal check fails there (GraphSystem: a stuck node).
test('bfs: on random graphs the counterexample length is the shortest distance', () => {
  const graph = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.record({
      edges: fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 3 }), {
        minLength: n,
        maxLength: n,
      }),
      stuck: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 })),
    }),
  );
  fc.assert(
    fc.property(graph, ({ edges, stuck }) => {
      const bad = new Set(stuck);
      const r = bfs(new GraphSystem(edges, bad));
      const want = shortestBad(edges, bad);
      if (want >= 0) return r.verdict.kind === 'violation' && r.verdict.schedule.length === want;
      const loopNode = bottomCycleNode(edges, bfsOrder(edges));
      if (loopNode < 0 || !bad.has(loopNode)) return r.verdict.kind === 'pass';
      if (r.verdict.kind !== 'violation' || r.verdict.loop === undefined) return false;
      // Path to the loop's node, then one turn of the loop back to it.
      const sys = new GraphSystem(edges, bad);
      const at = replay(sys, r.verdict.schedule.slice(0, r.verdict.loop)).state[0];
      return at === loopNode && replay(sys, r.verdict.schedule).state[0] === loopNode;
    }),
  );
});

test('bfs: an initial-state violation has an empty schedule', () => {
  const sys = new ToyCounter({ threads: 2 });
  const violation: Violation = { kind: 'assertion', message: 'init', thread: -1, objects: [] };
  sys.initial = () => ({ violation });
  assert.deepEqual(bfs(sys).verdict, { kind: 'violation', violation, schedule: [] });
});

// maxDepth 2 stores depths 0..2: (0,0); (1,0),(0,1); (2,0),(1,1),(0,2) = 6 states, and
// the 3 at depth 2 still have moves. At maxDepth 4 the depth-4 states are all terminal, so
// nothing is cut and the run is a pass.
test('bfs: max-depth cuts give incomplete and say what was covered', () => {
  const r = bfs(new ToyCounter({ threads: 2 }), { maxDepth: 2 });
  assert.equal(r.verdict.kind, 'incomplete');
  if (r.verdict.kind !== 'incomplete') return;
  assert.equal(r.verdict.bound, 'max-depth');
  assert.equal(r.stats.states, 6);
  assert.match(r.verdict.detail, /explored 6 states to depth 2; 3 states at depth 2 not expanded/);
  complete(bfs(new ToyCounter({ threads: 2 }), { maxDepth: 4 }));
});

test('bfs: max-states stops at exactly that many stored states', () => {
  const r = bfs(new ToyCounter({ threads: 2 }), { maxStates: 5 });
  assert.equal(r.verdict.kind === 'incomplete' && r.verdict.bound, 'max-states');
  assert.equal(r.stats.states, 5);
  assert.equal(complete(bfs(new ToyCounter({ threads: 2 }), { maxStates: 13 })).states, 13);
});

test('bfs: shouldStop and max-seconds end the search as incomplete', () => {
  const stopped = bfs(new ToyCounter({ threads: 2 }), { shouldStop: () => true });
  assert.equal(stopped.verdict.kind === 'incomplete' && stopped.verdict.bound, 'interrupted');
  const timed = bfs(new ToyCounter({ threads: 2 }), { maxSeconds: 0 });
  assert.equal(timed.verdict.kind === 'incomplete' && timed.verdict.bound, 'max-seconds');
  assert.match(timed.verdict.kind === 'incomplete' ? timed.verdict.detail : '', /1 state queued not expanded/);
});

test('bfs: a frontier larger than the initial ring grows without losing states', () => {
  // 4 threads x 2 rounds over 2 counters: thousands of states, levels far wider than 1024.
  const sys = new ToyCounter({ threads: 4, rounds: 2, counters: 2 });
  const s = complete(bfs(sys));
  const ref = referenceCounts(sys);
  assert.deepEqual([s.states, s.transitions, s.executions], [ref.states, ref.transitions, ref.terminals.size]);
});
