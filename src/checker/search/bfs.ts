// Breadth-first search over stored states: every reachable state is expanded once, and the
// first violation found is one with the fewest transitions (a shortest counterexample).
//
// Memory per stored state: its fingerprint (fingerprint-store.ts, 8 bytes / load) plus a
// parent link (4 bytes) and the move taken from the parent (4 bytes), so the schedule is
// rebuilt by walking parents rather than by re-running the search. The frontier holds full
// states in chunks of Int32Array words (bfs-frontier.ts); no per-state objects exist anywhere.
// The livelock check adds the rows of the candidates (candidates.ts): states whose every step
// may lie on a cycle, with their fingerprints and their targets'.
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry, Stats, Verdict } from '../result.js';
import { BATCH, SuccessorBatch } from './bfs-batch.js';
import { ParentTree, StateQueue } from './bfs-frontier.js';
import { BITSTATE_HASHES, BitstateTable, bitstateCoverage, bitstateText } from './bitstate.js';
import { CandidateLog, candidateLivelock, rowCloser } from './candidates.js';
import { bytesOf, Fingerprinter, type StateBuffer, type StoreKey } from './fingerprint.js';
import { FingerprintStore } from './fingerprint-store.js';
import { cycleFilter } from './livelock.js';
import { type Found, POLL_MASK, SearchMeter } from './meter.js';
import { PorExpansion } from './por-expansion.js';

/**
 * What a caller may change in the BFS: a partitioned run (distrib/partition.ts) skips the
 * queued states it does not own and queues again shared states its own states lead back to.
 */
export interface BfsHook {
  /** At the start of level `depth`: `stored` states, the last `levelSize` of them in this level. */
  level(depth: number, stored: number, levelSize: number): void;
  /** Whether to expand the state `cur`, of store index `index`, just taken from the queue. */
  expands(index: number, cur: Int32Array): boolean;
  /** Whether to queue (again) the successor `next`, of store index `index`, of an expanded state. */
  requeue(index: number, next: Int32Array): boolean;
}

/**
 * A search with more threads (parallel/search.ts) starts as this one-thread BFS and takes over
 * at the first level of `at` states or more that starts after `after` expansions: the BFS stops
 * there and leaves its state in `snapshot`, so a search whose levels stay small runs exactly as
 * on one thread.
 */
export interface BfsHandover {
  at: number;
  after: number;
  snapshot?: BfsSnapshot;
}

/** The one-thread BFS at the start of level `depth`, whose `size` states are all `queue` holds. */
export interface BfsSnapshot {
  store: FingerprintStore;
  tree: ParentTree;
  queue: StateQueue;
  depth: number;
  size: number;
  meter: SearchMeter;
  rows: CandidateLog | null;
  /** States expanded so far (the polls of the bounds and of auto go on from there). */
  expanded: number;
}

export function exploreBfs(
  sys: TransitionSystem,
  opts: ExploreOptions,
  hook?: BfsHook,
  handover?: BfsHandover,
): ExploreResult {
  const meter = new SearchMeter(opts);
  const stats = meter.stats;
  const init = sys.initial();
  if ('violation' in init)
    return meter.finish('bfs', 0, { kind: 'violation', violation: init.violation, schedule: [] });
  const T = sys.threadCount;
  const visited = visitedSet(opts, hook, sys, meter);
  if (visited === null) return meter.conclude('bfs', null, NOTHING_AT_MEMORY_BOUND);
  const { store, rows, bitstate } = visited;
  const fingerprint = new Fingerprinter();
  const tree = new ParentTree();
  const queue = new StateQueue(sys.stateWords);
  // next's bytes, or its canonical form's (symmetry), written beside it (before any buffer is made)
  const key = fingerprint.storeKey(sys, opts.reduce);
  const { words: next, bytes: nextBytes } = fingerprint.buffer(sys.stateWords); // hashed in place
  const mayCycle = cycleFilter(sys);
  const keepRow = rows === null ? null : rowCloser(rows, fingerprint, key, fingerprint.buffer(sys.stateWords));
  const por = PorExpansion.of(sys, opts, hook, store, () => fingerprint.ofState(key(next, nextBytes)), fingerprint);
  stats.states = seed(init.state, { words: next, bytes: nextBytes }, key, fingerprint, { store, tree, queue });
  let depth = 0; // of the states being expanded
  let levelLeft = 1; // states of this depth still in the queue
  let cut = 0;
  let expansions = 0;
  let bound: Bound | null = null;
  let found: Found | null = null;
  let index = 0; // of the state being expanded
  const batch = new SuccessorBatch(fingerprint, sys.stateWords, {
    ...{ store, tree, queue, stats, meter, rows, maxStates: opts.maxStates },
    requeue: hook === undefined ? null : (i, state) => hook.requeue(i, state),
  });
  search: while (queue.length > 0) {
    if (levelLeft === 0) {
      depth++;
      levelLeft = batch.added; // states of this depth, queued while expanding the last
      batch.added = 0;
      hook?.level(depth, store.size, levelLeft);
      const snapshot = { store, tree, queue, depth, size: levelLeft, meter, rows, expanded: expansions };
      if (handover !== undefined && handOver(handover, snapshot, cut, fingerprint))
        return meter.finish('bfs', 0, HANDED);
    }
    if ((expansions++ & POLL_MASK) === 0) {
      bound = meter.poll(queue.length);
      if (bound !== null) break;
    }
    index = queue.shift();
    const cur = queue.front;
    levelLeft--;
    if (hook !== undefined && !hook.expands(index, cur)) continue;
    rows?.open();
    let enabled = false;
    for (let only = por?.thread(cur, index, next) ?? -1, t = Math.max(only, 0); t < (only < 0 ? T : only + 1); t++) {
      const n = sys.choices(cur, t);
      if (n === 0) continue;
      enabled = true;
      if (depth >= opts.maxDepth) {
        cut++;
        break;
      }
      for (let c = 0; c < n; c++) {
        // Also within one state's moves: `choose x in 0..2147483647` is one state's moves.
        if ((++stats.transitions & meter.mask) === 0) {
          bound = batch.flush(index, depth, 1) ?? meter.check(queue.length);
          if (bound !== null) break search;
        }
        const k = batch.count;
        const out = batch.states[k]!;
        if (sys.step(cur, t, c, out, Footprint.NONE) === STEP_VIOLATION) {
          bound = batch.flush(index, depth, 1); // the moves before it come first
          if (bound === null)
            found = stepViolation(sys, { thread: t, choice: c }, index, tree, queue, levelLeft, stats);
          break search;
        }
        // The one place a successor is fingerprinted.
        fingerprint.ofState(key(out, batch.bytes[k]!));
        batch.add(fingerprint, c * T + t, rows !== null && mayCycle(cur, t, out));
        if (batch.count === BATCH) {
          bound = batch.flush(index, depth);
          if (bound !== null) break search;
        }
      }
    }
    bound = batch.flush(index, depth);
    if (bound !== null) break;
    if (rows?.candidate === true) keepRow!(index, cur);
    if (!enabled) {
      found = terminalViolation(sys, cur, tree, index, stats);
      if (found !== null) break;
    }
  }
  const end = { found, bound, cut, pending: queue.length };
  return concludeBfs(sys, meter, end, { store, rows, bitstate }, fingerprint, key, tree);
}

/** Stores and queues the initial state `init` (written to `next`, fingerprinted by key); 1, the states stored. */
function seed(
  init: Int32Array,
  next: StateBuffer,
  key: StoreKey,
  fingerprint: Fingerprinter,
  to: { store: FingerprintStore | BitstateTable; tree: ParentTree; queue: StateQueue },
): number {
  next.words.set(init);
  fingerprint.ofState(key(next.words, next.bytes));
  to.store.add(fingerprint.lo, fingerprint.hi);
  to.tree.add(-1, 0);
  to.queue.push(next.words, 0);
  return 1;
}

/** The result exploreBfs returns once it has handed the search over (its caller discards it). */
const HANDED: Verdict = { kind: 'incomplete', bound: 'interrupted', detail: 'handed over to the parallel BFS' };

/** Hands the search over at this level if it is large enough (BfsHandover): true when it did. */
function handOver(
  handover: BfsHandover,
  snapshot: Omit<BfsSnapshot, 'store'> & { store: FingerprintStore | BitstateTable },
  cut: number,
  fingerprint: Fingerprinter,
): boolean {
  const { store } = snapshot;
  if (snapshot.size < handover.at || snapshot.expanded <= handover.after) return false;
  if (!(store instanceof FingerprintStore) || cut > 0) return false;
  handover.snapshot = { ...snapshot, store };
  fingerprint.release();
  return true;
}

/** A search stopped at --max-memory before its first state (visitedSet refused the bit array). */
const NOTHING_AT_MEMORY_BOUND = { bound: 'max-memory', cut: 0, pending: 0, pendingWhere: '' } as const;

/** After the loop: the livelock check (a complete search without a violation), then the verdict. */
function concludeBfs(
  sys: TransitionSystem,
  meter: SearchMeter,
  end: { found: Found | null; bound: Bound | null; cut: number; pending: number },
  visited: NonNullable<ReturnType<typeof visitedSet>>,
  fingerprint: Fingerprinter,
  key: StoreKey,
  tree: ParentTree,
): ExploreResult {
  const { store, rows, bitstate } = visited;
  let found = end.found;
  if (found === null && end.bound === null && end.cut === 0 && rows !== null && bitstate === null)
    found = livelock(sys, (st) => key(st, bytesOf(st)), fingerprint, rows, tree);
  meter.stats.storedBytes = store.storedBytes + (rows?.bytes ?? 0);
  fingerprint.release(); // next and key's buffer are not used again
  const result = meter.conclude('bfs', found, {
    bound: end.bound,
    cut: end.cut,
    pending: end.pending,
    pendingWhere: 'queued',
  });
  return bitstate === null ? result : bitstateResult(result, bitstate);
}

/**
 * The table of visited states: fingerprints (with the livelock check's rows), or bits
 * (--bitstate); null when a bit array, allocated whole at once, would take resident memory
 * past --max-memory (2^32 bits are 512 MiB): the search then stops before it. A fingerprint
 * table asks the meter before each growth (FingerprintStore.roomFor).
 */
function visitedSet(
  opts: ExploreOptions,
  hook: BfsHook | undefined,
  sys: TransitionSystem,
  meter: SearchMeter,
): {
  store: FingerprintStore | BitstateTable;
  rows: CandidateLog | null;
  bitstate: BitstateTable | null;
} | null {
  // A bitstate table cannot tell which states it holds: no livelock check with it.
  if (opts.bitstate > 0) {
    if (meter.noRoomFor(2 ** (opts.bitstate - 3), `a bit array of 2^${opts.bitstate} bits`)) return null;
    const bitstate = new BitstateTable(opts.bitstate, BITSTATE_HASHES, opts.seed);
    return { store: bitstate, rows: null, bitstate };
  }
  const rows = opts.livelock === false ? null : new CandidateLog();
  // A partition's hook and the POR proviso read each state's index in the store.
  const indexed = hook !== undefined || PorExpansion.applies(sys, opts, hook);
  const store = new FingerprintStore(undefined, indexed);
  store.roomFor = meter.tableRoom;
  return { store, rows, bitstate: null };
}

/** A bitstate search's pass is incomplete, and any incomplete verdict says what it may have missed. */
function bitstateResult(result: ExploreResult, table: BitstateTable): ExploreResult {
  const v = result.verdict;
  const bitstate = bitstateCoverage(table);
  if (v.kind === 'violation') return { ...result, bitstate };
  const text = bitstateText(bitstate);
  const verdict: Verdict =
    v.kind === 'pass'
      ? { kind: 'incomplete', bound: 'bitstate', detail: text }
      : { ...v, detail: `${v.detail}; ${text}` };
  return { ...result, verdict, bitstate };
}

/** After a complete search without a violation: a reachable bottom cycle (candidates.ts), or null. */
function livelock(
  sys: TransitionSystem,
  bytesOf: (s: Int32Array) => Uint8Array,
  fingerprint: Fingerprinter,
  rows: CandidateLog,
  tree: ParentTree,
): Found | null {
  const hash = (s: Int32Array): Fingerprinter => {
    fingerprint.ofState(bytesOf(s));
    return fingerprint;
  };
  return candidateLivelock(sys, [rows.data()], (i) => tree.path(i, sys.threadCount), hash);
}

/**
 * The violation that `move` from state `index` raised, with its schedule; or, since its
 * schedule is one step shorter, a terminal violation among the `left` states of this level.
 */
export function stepViolation(
  sys: TransitionSystem,
  move: ScheduleEntry,
  index: number,
  tree: ParentTree,
  queue: StateQueue,
  left: number,
  stats: Stats,
): Found {
  const schedule = tree.path(index, sys.threadCount);
  schedule.push(move);
  const found = { violation: sys.lastViolation(), schedule };
  return terminalInLevel(sys, queue, left, tree, stats) ?? found;
}

/** The first terminal violation among the next `left` queued states (all of one depth). */
function terminalInLevel(
  sys: TransitionSystem,
  queue: StateQueue,
  left: number,
  tree: ParentTree,
  stats: Stats,
): Found | null {
  for (; left > 0; left--) {
    const index = queue.shift();
    const state = queue.front;
    let enabled = false;
    for (let t = 0; t < sys.threadCount && !enabled; t++) enabled = sys.choices(state, t) > 0;
    if (enabled) continue;
    const found = terminalViolation(sys, state, tree, index, stats);
    if (found !== null) return found;
  }
  return null;
}

/** Checks the terminal state `s` (store index `index`); its violation with the schedule to it. */
export function terminalViolation(
  sys: TransitionSystem,
  s: Int32Array,
  tree: ParentTree,
  index: number,
  stats: Stats,
): Found | null {
  stats.executions++;
  const violation = sys.terminal(s);
  return violation === null ? null : { violation, schedule: tree.path(index, sys.threadCount) };
}
