// Exact reachable-state counts of small specs, derived by hand below and asserted for BFS
// and DFS (stored states: both must find exactly the reachable set). These pin the
// semantics of the compiled model: what a step is, what is in a state, when a thread blocks.
//
// The rules the derivations use (docs/language.md, docs/adr/001):
// - A step is one statement that touches shared state (or blocks, or chooses) plus the
//   thread-local statements after it. A thread's pc always rests on such a statement;
//   `local r: int;` without an initialiser is no statement at all.
// - The state is every global, every pool slot (allocation word + fields), the sync words,
//   and per thread its pc, its locals and hidden bookkeeping (locks held, read-side depth,
//   SRCU index per section, grace-period snapshot, lockdep edges).
// - A finished thread's pc is END and its frame (parameters and locals) is zeroed, so
//   threads that finished with different local values do not split states.
// - stats.states counts the initial state; stats.transitions counts every step taken from
//   every stored state (one per enabled thread and choice); stats.executions counts
//   terminal states (no thread enabled).
// - No reduction (`--reduce none`): A and B are distinct threads here, so a state and its
//   mirror image are two states (symmetry's counts: test/model/symmetry.test.ts).
//
// Notation: a state is written by the threads' positions, A/B for two instances of one
// thread. Position k = "about to run step k" (0-based), E = finished.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import type { Stats } from '../../src/checker/result.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { NO_REDUCTIONS } from '../../src/model/reductions.js';

async function counts(name: string, text: string): Promise<Record<'bfs' | 'dfs', [number, number, number]>> {
  const r = compileText(text, `${name}.mmspec`);
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join('\n'));
  const out = {} as Record<'bfs' | 'dfs', [number, number, number]>;
  for (const mode of ['bfs', 'dfs'] as const) {
    const res = await explore(buildSystem(r.spec, r.spec.scenarios[0]!), { mode, reduce: NO_REDUCTIONS });
    assert.equal(res.verdict.kind, 'pass', `${name} (${mode}) must be a complete search without violation`);
    const s: Stats = res.stats;
    out[mode] = [s.states, s.transitions, s.executions];
  }
  return out;
}

async function expectCounts(name: string, text: string, want: [number, number, number]): Promise<void> {
  const got = await counts(name, text);
  assert.deepEqual(got.bfs, want, `${name} bfs [states, transitions, executions]`);
  assert.deepEqual(got.dfs, want, `${name} dfs [states, transitions, executions]`);
}

// Two non-atomic increments. Each thread has two steps: 0 = `r = x` (the read), 1 =
// `x = r + 1` (holding r); after step 1 the thread is E with r zeroed.
//   (0,0) x=0                                              1
//   (1,0), (0,1)  r=0, x=0                                 2
//   (1,1)  both read 0                                     1
//   (E,0), (0,E)  x=1                                      2
//   (E,1)  B read x before A wrote (r=0) or after (r=1); x=1     2, and (1,E) mirrored: 2
//   (E,E)  x=2 (one after the other) or x=1 (both read 0); the
//          locals are zeroed, so the paths that differ only in r merge     2
//   states = 1+2+1+2+4+2 = 12
//   transitions: (0,0),(1,0),(0,1),(1,1) have 2 each = 8; (E,0),(0,E) 1 each = 2;
//   the four (E,1)/(1,E) states 1 each = 4; (E,E) none: 14
//   executions: the two (E,E) states = 2
// (A checker that kept finished threads' locals would find 13 states: (E,E) would split 3 ways.)
test('state counts: two non-atomic increments: 12 states, 14 transitions, 2 terminal', async () => {
  await expectCounts(
    'increments',
    `spec "non-atomic increments"
shared x: int;
thread inc() { local r: int; r = x; x = r + 1; }
scenario s expect pass { inc(); inc(); }
`,
    [12, 14, 2],
  );
});

// The same increments inside a spinlock. Steps: 0 spin_lock (blocks while held), 1 `r = x`,
// 2 `x = r + 1`, 3 spin_unlock. Positions 1..3 hold the lock, so at most one thread is in
// {1,2,3}; x, r and the lock word are determined by the positions (x = number of finished
// increments plus one if the holder is at 3; r = x when at 2 or 3).
//   both in {0,E}: (0,0) x=0, (E,0), (0,E) x=1, (E,E) x=2     4
//   A in {1,2,3}, B in {0,E}: 3 x 2 = 6, and mirrored 6        12
//   states = 16
//   transitions: A moves in (0,0), (0,E) (lock free) and in all 6 states where it holds the
//   lock = 8; B the same = 8: 16. (A at 0 while B holds the lock is blocked: 0 moves.)
//   executions: (E,E) = 1. No lockdep edge is ever recorded (one lock), so no state splits.
test('state counts: locked increments: 16 states, 16 transitions, 1 terminal', async () => {
  await expectCounts(
    'locked',
    `spec "locked increments"
shared x: int;
shared l: spinlock;
thread inc() { local r: int; spin_lock(l); r = x; x = r + 1; spin_unlock(l); }
scenario s expect pass { inc(); inc(); }
`,
    [16, 16, 1],
  );
});

// A producer publishes data behind a flag and then changes it; the consumer awaits the flag.
// producer steps: 0 `data = 1`, 1 `flag = true`, 2 `data = 2`, then E.
// consumer steps: 0 `await flag` (enabled only when flag holds), 1 `r = data`,
// 2 `seen = r` (holding r), then E (r zeroed).
//   P0: data=0, flag=false: the consumer is blocked at 0                    1
//   P1: data=1, flag=false: consumer at 0                                   1
//   P2: data=1, flag=true: consumer at 0, 1, 2 (r=1), E (seen=1)            4
//   PE: data=2, flag=true: consumer at 0, 1; at 2 with r=1 (read before
//       `data = 2`) or r=2; at E with seen=1 or seen=2                      6
//   states = 12
//   transitions: P0 1 (producer only), P1 1; P2: 2+2+2+1 = 7 (the producer is enabled in
//   all four, the consumer in three); PE: 1+1+1+1 (consumer at 0, 1, 2, 2) + 0 + 0 = 4: 13
//   executions: (PE, E) with seen = 1 and seen = 2 = 2
test('state counts: await on a flag: 12 states, 13 transitions, 2 terminal', async () => {
  await expectCounts(
    'await',
    `spec "message passing with await"
shared flag: bool;
shared data: int;
shared seen: int;
thread producer() { data = 1; flag = true; data = 2; }
thread consumer() { local r: int; await flag; r = data; seen = r; }
scenario s expect pass { producer(); consumer(); }
`,
    [12, 13, 2],
  );
});

// Two threads allocate from a 2-slot pool and free. Steps: 0 `n = alloc node {val: 1}`,
// 1 `free(n)` (holding n), then E. A slot is unallocated (U), live (L, val=1) or freed (F,
// fields poisoned to 0); alloc takes the lowest slot that is not live, so a freed slot is
// reused. Writing slots as (slot0, slot1):
//   (0,0): (U,U)                                                           1
//   (1,0), (0,1): the allocator got #0: (L,U)                              2
//   (1,1): both live (L,L), A holding #0 and B #1, or the reverse          2
//   (E,0), (0,E): (F,U)                                                    2
//   (E,1): B allocated while A held #0, so B has #1: (F,L); or B allocated first (#0) and
//          A took #1 and freed it: (L,F); or A allocated and freed #0 before B allocated,
//          and B reused #0: (L,U)                                          3, mirrored 3
//   (E,E): (F,U) when one ran after the other (both used #0), (F,F) when they overlapped  2
//   states = 1+2+2+2+6+2 = 15
//   transitions: (0,0) 2, (1,0),(0,1) 2 each, the two (1,1) 2 each, (E,0),(0,E) 1 each,
//   the six (E,1)/(1,E) 1 each, (E,E) 0: 2+4+4+2+6 = 18
//   executions: the two (E,E) states = 2
test('state counts: alloc and free in a 2-slot pool: 15 states, 18 transitions, 2 terminal', async () => {
  await expectCounts(
    'alloc',
    `spec "alloc and free"
struct node { val: int; }
pool node[2];
thread user() { local n: ref node; n = alloc node { val: 1 }; free(n); }
scenario s expect pass { user(); user(); }
`,
    [15, 18, 2],
  );
});

// synchronize_srcu is two steps: `begin` (snapshot the readers inside, flip the SRCU
// index) and `wait` (enabled once the snapshot is empty; a reader leaving clears its bit).
// reader steps: 0 `idx = srcu_read_lock(ss)` (returns the current index), 1 unlock, E.
// writer steps: 0 begin, 1 wait, E. Hidden words: the readers mask, the index, the reader's
// section word (depth and the index it got), the writer's snapshot and waited-on domain.
//   (R0,W0): index 0                                                       1
//   (R1,W0): reader inside with idx 0                                      1
//   (R0,W1): begin saw no reader: snapshot {}, index 1                     1
//   (R1,W1): reader first (idx 0, snapshot {reader}) or begin first (idx 1, snapshot {})  2
//   (RE,W0): index 0                                                       1
//   (R0,WE): index 1                                                       1
//   (RE,W1): every order leaves index 1 and an empty snapshot (the reader cleared its
//            bit when it left): lock/unlock/begin, lock/begin/unlock, begin/lock/unlock  1
//   (R1,WE): the wait finished while the reader is inside, so the reader was not in the
//            snapshot: it entered after begin (idx 1)                      1
//   (RE,WE)                                                                1
//   states = 10
//   transitions: (R0,W0) 2, (R1,W0) 2, (R0,W1) 2, (R1,W1) with the reader in the snapshot 1
//   (the wait is blocked) and without 2, (RE,W0) 1, (R0,WE) 1, (RE,W1) 1, (R1,WE) 1: 13
//   executions: (RE,WE) = 1
test('state counts: an SRCU reader and synchronize_srcu: 10 states, 13 transitions, 1 terminal', async () => {
  await expectCounts(
    'srcu',
    `spec "srcu grace period"
shared ss: srcu;
thread reader() { local idx: int; idx = srcu_read_lock(ss); srcu_read_unlock(ss, idx); }
thread writer() { synchronize_srcu(ss); }
scenario s expect pass { reader(); writer(); }
`,
    [10, 13, 1],
  );
});
