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
import type { TransitionSystem } from '../../model/system.js';
import type { ExploreOptions, ExploreResult, PartInfo } from '../result.js';
import { type BfsHook, exploreBfs } from '../search/bfs.js';
import { bytesOf, Fingerprinter } from '../search/fingerprint.js';

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
  const split = new Split();
  const key = storeKey(sys, opts.reduce);
  const fingerprint = new Fingerprinter();
  const own = (s: Int32Array) => (): boolean => owns(s, key, fingerprint, k, n);
  // The plain BFS with two changes, once the split is made: frontier states another part owns
  // are not expanded, and shared states the region leads back to are queued again.
  const hook: BfsHook = {
    level: (depth, stored, size) => {
      if (!split.made && size >= FRONTIER_PER_PART * n) makeSplit(split, depth, stored, size);
    },
    expands: (index, cur) => !split.made || index >= split.frontierEnd || split.expands(index, own(cur)),
    requeue: (index, next) => split.made && split.enters(index, own(next)),
  };
  return { ...exploreBfs(sys, opts, hook), part: split.info(k, n) };
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
  fingerprint.ofState(key(cur, bytesOf(cur)));
  return partOf(fingerprint.lo, fingerprint.hi, n) === k;
}
