// The livelock check's graph in the stored-state searches (bfs.ts, dfs.ts, and each thread of
// the parallel BFS): rows for the candidates only, states identified by their 64-bit
// fingerprints, so the one-thread table of visited states keeps no index
// (fingerprint-store.ts, two words a slot).
//
// A candidate is a state with at least one step, every one of which may lie on a cycle (the
// system's mayCycle, model/cycles.ts). Only a candidate can be in a bottom strongly connected
// component with a cycle: in such a component every state has a step (the cycle), every step
// stays inside (it is bottom), and a step between two states of one component lies on a
// cycle, so mayCycle holds for it. Whether a state is one is known once it is expanded. Its
// row is its BFS (or DFS) index, its fingerprint and its targets' fingerprints; any other
// state's steps are not kept at all. After a complete search, CandidateGraph numbers the
// candidates (a hash map from fingerprint to row, over the candidates only) and a target that
// is not a candidate becomes its source's exit bit: no bottom component of the candidates'
// graph without an exit is then anything but a bottom component of the whole graph, and every
// cyclic bottom component of the whole graph is one of them (docs/search.md, "Livelock").
import type { TransitionSystem } from '../../model/system.js';
import type { ScheduleEntry } from '../result.js';
import { chunkAt, chunkBytes } from './chunks.js';
import type { Fingerprinter, StateBuffer } from './fingerprint.js';
import { type BottomLoop, bottomLoop, CHUNK_BITS, type EdgeRows, livelockTrace } from './livelock.js';
import type { Found } from './meter.js';

/** Words per chunk of a CandidateLog, as a shift. */
const WORD_BITS = 16;
const WORD_CHUNK = 1 << WORD_BITS;
/** A row's header: index, fingerprint low and high words, target count. */
const HEADER = 4;
/** Plain (not shared) memory: a parallel BFS thread posts its rows' chunks, transferred. */
const wordChunk = (entries: number): Int32Array<ArrayBuffer> => new Int32Array(entries);

/**
 * Closes `rows`' open row as the row of state `cur` (search index `index`): fingerprints it as
 * the search does (`key`: itself or its canonical form) from a copy in `own`, a buffer in the
 * hash's memory. Only a candidate's row is closed, so the state is hashed again only then.
 */
export function rowCloser(
  rows: CandidateLog,
  fp: Fingerprinter,
  key: (state: Int32Array, bytes: Uint8Array) => Uint8Array,
  own: StateBuffer,
): (index: number, cur: Int32Array) => void {
  return (index, cur) => {
    own.words.set(cur);
    fp.ofState(key(own.words, own.bytes));
    rows.close(index, fp.lo, fp.hi);
  };
}

/** A log's closed rows as plain data (a thread of the parallel BFS posts them). */
export interface CandidateRows {
  words: Int32Array<ArrayBuffer>[];
  rows: number;
}

/**
 * The candidates' rows, as the search expands them: [index, lo, hi, n, then n targets (lo, hi)],
 * back to back in chunks. BFS writes a state's row while it expands it (open, target / exit,
 * close); DFS, whose states' steps interleave, adds whole rows (row) from its own stack.
 */
export class CandidateLog {
  rows = 0;
  edges = 0;
  private words: Int32Array<ArrayBuffer>[] = [];
  /** Words of the rows closed so far. */
  private size = 0;
  /** Words written for the open row (header included). */
  private end = 0;
  /** The open row is still a candidate: no step of it was acyclic. */
  private alive = false;

  /** Starts the row of the state about to be expanded. */
  open(): void {
    this.end = this.size + HEADER;
    this.alive = true;
  }

  /** A step of the open row's state that may lie on a cycle, to the state of fingerprint (lo, hi). */
  target(lo: number, hi: number): void {
    if (!this.alive) return;
    this.put(this.end++, lo);
    this.put(this.end++, hi);
  }

  /** A step of the open row's state on no cycle: the state is not a candidate. */
  exit(): void {
    this.alive = false;
  }

  /** Whether the open row's state is a candidate so far: no acyclic step, at least one step. */
  get candidate(): boolean {
    return this.alive && this.end > this.size + HEADER;
  }

  /** Keeps the open row (a candidate: see `candidate`) as the row of state `index`, fingerprint (lo, hi). */
  close(index: number, lo: number, hi: number): void {
    const at = this.size;
    const n = (this.end - at - HEADER) >> 1;
    this.put(at, index);
    this.put(at + 1, lo);
    this.put(at + 2, hi);
    this.put(at + 3, n);
    this.size = this.end;
    this.alive = false;
    this.rows++;
    this.edges += n;
  }

  /** Adds the row of state `index`, fingerprint (lo, hi), whose targets are words from..to - 1 of `targets`. */
  row(index: number, lo: number, hi: number, targets: Int32Array, from: number, to: number): void {
    this.open();
    for (let i = from; i < to; i += 2) this.target(targets[i]!, targets[i + 1]!);
    this.close(index, lo, hi);
  }

  get bytes(): number {
    return chunkBytes(this.words);
  }

  /** The closed rows (not copied: the log must not be written to while they are read). */
  data(): CandidateRows {
    return { words: this.words, rows: this.rows };
  }

  /** The closed rows, and an empty log in their place. */
  take(): CandidateRows {
    const data = this.data();
    this.words = [];
    this.rows = this.edges = this.size = this.end = 0;
    this.alive = false;
    return data;
  }

  private put(i: number, value: number): void {
    const offset = i & (WORD_CHUNK - 1);
    chunkAt(this.words, i >>> WORD_BITS, offset, WORD_CHUNK, wordChunk)[offset] = value;
  }
}

/** Word i of a log's rows. */
function at(words: readonly Int32Array[], i: number): number {
  return words[i >>> WORD_BITS]![i & (WORD_CHUNK - 1)]!;
}

/**
 * The candidates as a graph for bottomLoop: node v is the v-th distinct candidate, `order[v]`
 * its search index; a target that is no candidate is its source's exit. A state expanded
 * twice (a partitioned run re-enters shared states, with the same steps) keeps its first row.
 */
export class CandidateGraph implements EdgeRows {
  /** Nodes: distinct candidates. */
  readonly nodes: number;
  /** The search index (BFS or DFS order) of each node. */
  readonly order: Int32Array;
  private readonly first: Int32Array;
  private readonly next: Int32Array[] = [];
  private readonly exits: Uint8Array;
  /** Open addressing over the nodes by fingerprint: node + 1, or 0 for an empty entry. */
  private readonly table: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly shift: number;

  /** The rows of one log, or of several (the parallel BFS's threads: no state is in two). */
  constructor(logs: readonly CandidateRows[]) {
    let total = 0;
    for (const l of logs) total += l.rows;
    let bits = 1;
    while (1 << bits < 2 * total) bits++;
    this.shift = 32 - bits;
    this.table = new Int32Array(1 << bits);
    this.lo = new Int32Array(total);
    this.hi = new Int32Array(total);
    // Node v's row: word rowAt[v] of log rowLog[v].
    const rowLog = new Int32Array(total);
    const rowAt = new Int32Array(total);
    let nodes = 0;
    for (let g = 0; g < logs.length; g++) {
      const w = logs[g]!.words;
      for (let r = 0, i = 0; r < logs[g]!.rows; r++, i += HEADER + 2 * at(w, i + 3)) {
        const lo = at(w, i + 1);
        const hi = at(w, i + 2);
        if (this.nodeOf(lo, hi) >= 0) continue;
        this.lo[nodes] = lo;
        this.hi[nodes] = hi;
        this.table[this.free(lo, hi)] = nodes + 1;
        rowLog[nodes] = g;
        rowAt[nodes++] = i;
      }
    }
    this.nodes = nodes;
    this.order = new Int32Array(nodes);
    this.first = new Int32Array(nodes + 1);
    this.exits = new Uint8Array(nodes);
    let e = 0;
    for (let v = 0; v < nodes; v++) {
      const w = logs[rowLog[v]!]!.words;
      const i = rowAt[v]!;
      this.order[v] = at(w, i);
      this.first[v] = e;
      for (let k = 0, n = at(w, i + 3); k < n; k++) {
        const t = this.nodeOf(at(w, i + HEADER + 2 * k), at(w, i + HEADER + 2 * k + 1));
        if (t < 0) this.exits[v] = 1;
        else this.push(e++, t);
      }
    }
    this.first[nodes] = e;
  }

  /** The node of the candidate of fingerprint (lo, hi), or -1 when that state is no candidate. */
  nodeOf(lo: number, hi: number): number {
    const mask = this.table.length - 1;
    for (let j = this.home(lo, hi); ; j = (j + 1) & mask) {
      const v = this.table[j]! - 1;
      if (v < 0) return -1;
      if (this.lo[v] === lo && this.hi[v] === hi) return v;
    }
  }

  rows(): { first: Int32Array; next: Int32Array[] } {
    return { first: this.first, next: this.next };
  }

  hasExit(v: number): boolean {
    return this.exits[v] === 1;
  }

  /** The cyclic bottom component whose least search index is least (its state: a node), or null. */
  bottomLoop(): BottomLoop | null {
    return bottomLoop(this, this.nodes, this.order);
  }

  private home(lo: number, hi: number): number {
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> this.shift;
  }

  private free(lo: number, hi: number): number {
    const mask = this.table.length - 1;
    let j = this.home(lo, hi);
    while (this.table[j] !== 0) j = (j + 1) & mask;
    return j;
  }

  private push(e: number, w: number): void {
    const c = e >>> CHUNK_BITS;
    if (c === this.next.length) this.next.push(new Int32Array(1 << CHUNK_BITS));
    this.next[c]![e & ((1 << CHUNK_BITS) - 1)] = w;
  }
}

/**
 * The livelock of a complete search over the candidates' `rows`, if it has one (livelock.ts's
 * rule): the path to the component's state of least search index (`pathTo`), then one turn
 * of the loop. `hash` fingerprints a state as the search's table does (canonical form under
 * symmetry) and leaves the result in the returned object's lo and hi.
 */
export function candidateLivelock(
  sys: TransitionSystem,
  rows: readonly CandidateRows[],
  pathTo: (index: number) => ScheduleEntry[],
  hash: (s: Int32Array) => { lo: number; hi: number },
): Found | null {
  const graph = new CandidateGraph(rows);
  const loop = graph.bottomLoop();
  if (loop === null) return null;
  const inLoop = (s: Int32Array): boolean => {
    const fp = hash(s);
    const v = graph.nodeOf(fp.lo, fp.hi);
    return v >= 0 && loop.low[v] === loop.mark;
  };
  return livelockTrace(sys, pathTo(graph.order[loop.state]!), inLoop);
}
