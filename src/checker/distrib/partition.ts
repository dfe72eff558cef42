// One part of a partitioned breadth-first search (`explore --partition k/n`), run with no
// messages between the parts (docs/distributed.md has the argument):
//
// 1. Every part runs the same BFS from the initial state, level by level, until a whole level
//    (the frontier, depth d) holds at least FRONTIER_PER_PART * n states. BFS is
//    deterministic, so every part stores the same prefix (depths < d) and the same frontier.
// 2. Part k then expands only the frontier states whose fingerprint is k mod n, and
//    everything reachable from them, in its own visited table (which keeps the prefix and the
//    whole frontier, so it never re-expands them).
//
// Every state of depth >= d has a shortest path through exactly one frontier state, whose
// part reaches it: parts may overlap below the frontier, they never leave a gap.
// A part's region is everything reachable from the frontier states it owns. When one of its
// states leads back to a shared state (a prefix state, another part's frontier state), that
// state joins the region and is expanded (again) here, so the region is closed under
// successors: the livelock check (a bottom cycle, livelock.ts) then sees every edge of every
// state it could report, and any bottom cycle of the whole graph lies in some part's region
// or in the prefix, which every part expands.
import { storeKey } from '../../model/symmetry.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, PartInfo } from '../result.js';
import { stepViolation, terminalViolation } from '../search/bfs.js';
import { ParentTree, StateQueue } from '../search/bfs-frontier.js';
import { Fingerprinter } from '../search/fingerprint.js';
import { FingerprintStore } from '../search/fingerprint-store.js';
import { EdgeLog, findLivelock } from '../search/livelock.js';
import { type Found, POLL_MASK, SearchMeter } from '../search/meter.js';

/** The frontier holds at least this many states per part (so that each part owns some). */
export const FRONTIER_PER_PART = 16;

/** The part a frontier state with fingerprint (lo, hi) belongs to, of n. */
export function partOf(lo: number, hi: number, n: number): number {
  // Both words, so that a hash weak in its low bits still spreads.
  return ((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) % n;
}

const UNDECIDED = 0;
const IN_REGION = 1;
const OUTSIDE = 2;

/** Where a store index lies: the prefix, the frontier, or below it. */
class Split {
  /** Store indices < prefixEnd are the prefix; prefixEnd..frontierEnd-1 the frontier. */
  prefixEnd = Infinity;
  frontierEnd = Infinity;
  depth = -1;
  /** region[i] for a shared state i (< frontierEnd): UNDECIDED, IN_REGION or OUTSIDE. */
  region = new Uint8Array(0);
  ownedCount = 0;
  reentries = 0;

  get made(): boolean {
    return this.depth >= 0;
  }

  /** Whether this part expands shared state `index` now that the split is made; decides frontier ownership. */
  expands(index: number, own: () => boolean): boolean {
    if (this.region[index] === UNDECIDED) {
      const mine = own();
      this.region[index] = mine ? IN_REGION : OUTSIDE;
      if (mine) this.ownedCount++;
    }
    return this.region[index] === IN_REGION;
  }

  /** A shared state reached from the region: true the first time (queue it to expand it here). */
  enters(index: number, own: () => boolean): boolean {
    if (index >= this.frontierEnd || this.region[index] === IN_REGION) return false;
    // A frontier state not yet decided: decide now, so that every frontier state is counted once.
    if (this.region[index] === UNDECIDED && own()) this.ownedCount++;
    this.region[index] = IN_REGION;
    this.reentries++;
    return true;
  }

  info(k: number, n: number): PartInfo {
    const made = this.made;
    return {
      k,
      n,
      frontierDepth: made ? this.depth : -1,
      prefixStates: made ? this.prefixEnd : 0,
      frontierStates: made ? this.frontierEnd - this.prefixEnd : 0,
      ownedStates: this.ownedCount,
      reentries: this.reentries,
    };
  }
}

export function explorePartition(sys: TransitionSystem, opts: ExploreOptions, k: number, n: number): ExploreResult {
  const meter = new SearchMeter(opts);
  const stats = meter.stats;
  const split = new Split();
  const init = sys.initial();
  if ('violation' in init) {
    const r = meter.finish('bfs', 0, { kind: 'violation', violation: init.violation, schedule: [] });
    return { ...r, part: split.info(k, n) };
  }
  const T = sys.threadCount;
  // By source would need sources in order; a shared state re-entered is expanded out of order.
  const edges = opts.livelock === false ? null : new EdgeLog(false);
  const store = new FingerprintStore(undefined, true);
  const fingerprint = new Fingerprinter();
  const tree = new ParentTree();
  const queue = new StateQueue(sys.stateWords);
  const next = new Int32Array(sys.stateWords);
  const nextBytes = new Uint8Array(next.buffer);
  const key = storeKey(sys, opts.reduce);
  start(init.state, { store, fingerprint, tree, queue, key });
  stats.states = 1;
  let depth = 0;
  let levelLeft = 1;
  let nextLevel = 0;
  let cut = 0;
  let expansions = 0;
  let bound: Bound | null = null;
  let found: Found | null = null;
  search: while (queue.length > 0) {
    if (levelLeft === 0) {
      depth++;
      levelLeft = nextLevel;
      nextLevel = 0;
      if (!split.made && levelLeft >= FRONTIER_PER_PART * n) makeSplit(split, depth, store.size, levelLeft);
    }
    if ((expansions++ & POLL_MASK) === 0) {
      bound = meter.poll(queue.length);
      if (bound !== null) break;
    }
    const index = queue.shift();
    const cur = queue.front;
    levelLeft--;
    if (split.made && index < split.frontierEnd && !split.expands(index, () => owns(cur, key, fingerprint, k, n)))
      continue;
    const mine = split.made;
    let enabled = false;
    for (let t = 0; t < T; t++) {
      const choices = sys.choices(cur, t);
      if (choices === 0) continue;
      enabled = true;
      if (depth >= opts.maxDepth) {
        cut++;
        break;
      }
      for (let c = 0; c < choices; c++) {
        if ((++stats.transitions & meter.mask) === 0) {
          bound = meter.check(queue.length);
          if (bound !== null) break search;
        }
        if (sys.step(cur, t, c, next, Footprint.NONE) === STEP_VIOLATION) {
          found = stepViolation(sys, { thread: t, choice: c }, index, tree, queue, levelLeft, stats);
          break search;
        }
        fingerprint.ofState(key(next, nextBytes));
        if (store.size >= opts.maxStates) {
          if (!store.has(fingerprint.lo, fingerprint.hi)) {
            bound = 'max-states';
            break search;
          }
        } else if (store.add(fingerprint.lo, fingerprint.hi)) {
          if (store.full) {
            bound = meter.memoryFull(`the table of visited states holds ${store.size.toLocaleString('en-US')}`);
            break search;
          }
          tree.add(index, c * T + t);
          queue.push(next, tree.size - 1);
          nextLevel++;
          stats.states++;
          stats.maxDepth = depth + 1;
        }
        if (mine && split.enters(store.index, () => owns(next, key, fingerprint, k, n))) queue.push(next, store.index);
        edges?.add(index, store.index);
      }
    }
    if (!enabled) {
      found = terminalViolation(sys, cur, tree, index, stats);
      if (found !== null) break;
    }
  }
  if (found === null && bound === null && cut === 0 && edges !== null) found = livelock(sys, opts, edges, store, tree);
  stats.storedBytes = store.storedBytes + (edges?.bytes ?? 0);
  const r = meter.conclude('bfs', found, { bound, cut, pending: queue.length, pendingWhere: 'queued' });
  return { ...r, part: split.info(k, n) };
}

/** Stores and queues the initial state. */
function start(
  init: Int32Array,
  o: {
    store: FingerprintStore;
    fingerprint: Fingerprinter;
    tree: ParentTree;
    queue: StateQueue;
    key: ReturnType<typeof storeKey>;
  },
): void {
  const s = init.slice();
  o.fingerprint.ofState(o.key(s, new Uint8Array(s.buffer)));
  o.store.add(o.fingerprint.lo, o.fingerprint.hi);
  o.tree.add(-1, 0);
  o.queue.push(s, 0);
}

/** The split at the start of level `depth`: `levelSize` states, the last ones of the `stored`. */
function makeSplit(split: Split, depth: number, stored: number, levelSize: number): void {
  split.depth = depth;
  split.prefixEnd = stored - levelSize;
  split.frontierEnd = stored;
  // Prefix states are in the region only once re-entered (they were expanded before the split).
  split.region = new Uint8Array(stored).fill(OUTSIDE, 0, stored - levelSize);
}

/** Whether the state `cur` is part k's (of n), by its fingerprint. */
function owns(
  cur: Int32Array,
  key: ReturnType<typeof storeKey>,
  fingerprint: Fingerprinter,
  k: number,
  n: number,
): boolean {
  fingerprint.ofState(key(cur, new Uint8Array(cur.buffer, cur.byteOffset, cur.byteLength)));
  return partOf(fingerprint.lo, fingerprint.hi, n) === k;
}

function livelock(
  sys: TransitionSystem,
  opts: ExploreOptions,
  edges: EdgeLog,
  store: FingerprintStore,
  tree: ParentTree,
): Found | null {
  const key = storeKey(sys, opts.reduce);
  const fingerprint = new Fingerprinter();
  const indexOf = (s: Int32Array): number => {
    fingerprint.ofState(key(s, new Uint8Array(s.buffer, s.byteOffset, s.byteLength)));
    return store.has(fingerprint.lo, fingerprint.hi) ? store.index : -1;
  };
  return findLivelock(sys, edges, store.size, (i) => tree.path(i, sys.threadCount), indexOf);
}
