// BFS makes the successors of a state (up to BATCH at a time) before it looks any of them up
// in the table of visited states, then reads all their buckets, then looks them up in order:
// a lookup is one cache miss in a table far larger than the cache, and misses issued back
// to back overlap where one per successor, between two steps, did not. A synthetic probe of
// a 13 MiB indexed table with 60 ns of other work between lookups: 340 ns per lookup one by
// one, 250 ns in batches of four. Nothing changes in what the search does: the lookups,
// queue pushes and edges happen in the order of the moves, as one by one.
import { grouped } from '../../io/grouped.js';
import type { Bound, Stats } from '../result.js';
import type { ParentTree, StateQueue } from './bfs-frontier.js';
import type { BitstateTable } from './bitstate.js';
import type { CandidateLog } from './candidates.js';
import type { Fingerprinter, StateBuffer } from './fingerprint.js';
import { FingerprintStore } from './fingerprint-store.js';
import type { SearchMeter } from './meter.js';

/** Where flush() puts the successors: BFS's table, tree, queue, counts and the livelock check's row. */
export interface BatchTarget {
  store: FingerprintStore | BitstateTable;
  tree: ParentTree;
  queue: StateQueue;
  stats: Stats;
  meter: SearchMeter;
  /** The livelock check's rows: the successors of the state being expanded go into its open row. */
  rows: CandidateLog | null;
  maxStates: number;
  /** A partitioned run's BfsHook.requeue: queue (again) this successor of this store index. */
  requeue: ((index: number, state: Int32Array) => boolean) | null;
}

/** Successors made before their lookups; a state's moves beyond it are done in more batches. */
export const BATCH = 8;

/**
 * Up to BATCH successors made and fingerprinted, not yet looked up: the one-thread BFS's batch
 * (below) and the parallel BFS's (parallel/level.ts) hold them so.
 */
export class Successors {
  /** Successors held: states[0..count) with their fingerprints and moves. */
  count = 0;
  /** Buffers in the hash's memory (hashed in place), each a successor's state. */
  readonly states: Int32Array[];
  readonly bytes: Uint8Array[];
  readonly lo = new Int32Array(BATCH);
  readonly hi = new Int32Array(BATCH);
  /** The move from the parent, as the parent tree stores it (choice * threads + thread). */
  readonly move = new Int32Array(BATCH);

  constructor(fingerprint: Fingerprinter, words: number) {
    const buffers: StateBuffer[] = fingerprint.buffers(words, BATCH);
    this.states = buffers.map((b) => b.words);
    this.bytes = buffers.map((b) => b.bytes);
  }

  /** Keeps states[count], just fingerprinted, with its move. */
  keep(fingerprint: Fingerprinter, move: number): void {
    const k = this.count++;
    this.lo[k] = fingerprint.lo;
    this.hi[k] = fingerprint.hi;
    this.move[k] = move;
  }
}

export class SuccessorBatch extends Successors {
  /** 1: the move may lie on a cycle (the livelock check keeps its target). */
  readonly cycles = new Uint8Array(BATCH);

  /** States flush() queued as new since the caller last set it to 0 (BFS: in this level). */
  added = 0;
  private readonly prefetch: FingerprintStore | null;

  constructor(
    fingerprint: Fingerprinter,
    words: number,
    private readonly to: BatchTarget,
  ) {
    super(fingerprint, words);
    this.prefetch = to.store instanceof FingerprintStore ? to.store : null;
  }

  /** Keeps states[count], just fingerprinted, with its move and whether it may lie on a cycle. */
  add(fingerprint: Fingerprinter, move: number, mayCycle: boolean): void {
    this.cycles[this.count] = mayCycle ? 1 : 0;
    this.keep(fingerprint, move);
  }

  /**
   * The successors of state `index` (of depth `depth`) held, in the order they were made, as
   * if each had been looked up when made: new ones stored and queued (`added` says how
   * many), targets added to the open candidate row. A bound (the table is full, max-states) ends it as it would have
   * ended the search there, the moves after it not taken: the batch's, and `counted` more
   * the caller has already counted in stats.transitions (the move it is about to make).
   */
  flush(index: number, depth: number, counted = 0): Bound | null {
    const m = this.count;
    const { store, stats, rows, requeue } = this.to;
    this.count = 0;
    if (this.prefetch !== null) for (let k = 0; k < m; k++) this.prefetch.prefetch(this.hi[k]!);
    for (let k = 0; k < m; k++) {
      const lo = this.lo[k]!;
      const hi = this.hi[k]!;
      const state = this.states[k]!;
      if (store.size >= this.to.maxStates) {
        if (!store.has(lo, hi)) {
          stats.transitions -= m - 1 - k + counted;
          return 'max-states';
        }
      } else if (store.add(lo, hi)) {
        if (store.full) {
          stats.transitions -= m - 1 - k + counted;
          return this.to.meter.memoryFull(`the table of visited states holds ${grouped(store.size)}`);
        }
        this.to.tree.add(index, this.move[k]!);
        this.to.queue.push(state, this.to.tree.size - 1);
        this.added++;
        stats.states++;
        stats.maxDepth = depth + 1;
      }
      if (requeue?.(store.index, state) === true) this.to.queue.push(state, store.index);
      if (rows !== null) {
        if (this.cycles[k] === 1) rows.target(lo, hi);
        else rows.exit();
      }
    }
    return null;
  }
}
