// The livelock check's edges in the parallel BFS (bfs-parallel.ts): each thread logs the
// edges of the states it expands, row by row in the order it expands them, in its own
// chunked arrays; the coordinating thread merges the threads' rows into source order once,
// after a complete search. Before, every thread's (source, target) pairs were posted to the
// coordinator, which added them one by one to an unordered edge log (8 bytes per edge) and
// sorted them by source: three copies of every edge, made on one thread while the others
// waited. Now an edge costs 4 bytes in its thread's log and 4 in the merged rows. As in the
// one-thread BFS, an edge on no cycle (the system's mayCycle) is not logged: its source gets
// an exit bit instead (search/livelock.ts says why that changes no bottom component).
import { chunkAt, uint8Chunk } from '../search/chunks.js';
import { CHUNK_BITS, type EdgeRows } from '../search/livelock.js';

const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** A thread's log as plain data, posted to the coordinating thread (its arrays transferred). */
export interface RowData {
  edges: number;
  rows: number;
  targets: Int32Array<ArrayBuffer>[];
  starts: Int32Array<ArrayBuffer>[];
  /** Runs of consecutive sources: (first source, count, first row), three numbers each. */
  segments: number[];
  /** Bit v (chunks of CHUNK bytes, the first maybe shorter): source v has an edge on no cycle. */
  exits: Uint8Array<ArrayBuffer>[];
}

/** One thread's edges: the targets of each source it expanded, one row per source. */
export class RowLog implements RowData {
  edges = 0;
  rows = 0;
  targets: Int32Array<ArrayBuffer>[] = [];
  /** Row r's first edge. */
  starts: Int32Array<ArrayBuffer>[] = [];
  segments: number[] = [];
  exits: Uint8Array<ArrayBuffer>[] = [];

  /** Starts the row of `source` (a state's dense index): the edges added next are its. */
  row(source: number): void {
    const r = this.rows++;
    if ((r & MASK) === 0) this.starts.push(new Int32Array(CHUNK));
    this.starts[r >>> CHUNK_BITS]![r & MASK] = this.edges;
    const s = this.segments;
    const n = s.length;
    if (n > 0 && s[n - 3]! + s[n - 2]! === source) s[n - 2]!++;
    else s.push(source, 1, r);
  }

  /** Adds an edge to the current row; its number, for set(). */
  add(target: number): number {
    const e = this.edges++;
    if ((e & MASK) === 0) this.targets.push(new Int32Array(CHUNK));
    this.targets[e >>> CHUNK_BITS]![e & MASK] = target;
    return e;
  }

  /** Source (a dense index) has an edge that lies on no cycle: one bit, not an edge. */
  exit(source: number): void {
    const c = source >>> (CHUNK_BITS + 3);
    while (this.exits.length < c) this.exits.push(new Uint8Array(CHUNK));
    const byte = (source >>> 3) & MASK;
    chunkAt(this.exits, c, byte, CHUNK, uint8Chunk as (n: number) => Uint8Array<ArrayBuffer>)[byte]! |=
      1 << (source & 7);
  }

  /** Sets edge `e`'s target (added before its target had its index). */
  set(e: number, target: number): void {
    this.targets[e >>> CHUNK_BITS]![e & MASK] = target;
  }

  /** Its data, and an empty log in its place. */
  take(): RowData {
    const data = {
      edges: this.edges,
      rows: this.rows,
      targets: this.targets,
      starts: this.starts,
      segments: this.segments,
      exits: this.exits,
    };
    this.edges = 0;
    this.rows = 0;
    this.targets = [];
    this.starts = [];
    this.segments = [];
    return data;
  }
}

/** The threads' logs as one graph by source; each source's row comes from the thread that expanded it. */
export class MergedRows implements EdgeRows {
  constructor(private readonly logs: RowData[]) {}

  get bytes(): number {
    let bytes = 0;
    for (const l of this.logs) {
      bytes += (l.targets.length + l.starts.length) * CHUNK * 4;
      for (const e of l.exits) bytes += e.byteLength;
    }
    return bytes;
  }

  /** Whether any thread gave v an exit bit (only the thread that expanded v can have). */
  hasExit(v: number): boolean {
    const c = v >>> (CHUNK_BITS + 3);
    const byte = (v >>> 3) & MASK;
    for (const log of this.logs) {
      const chunk = log.exits[c];
      if (chunk !== undefined && ((chunk[byte]! >>> (v & 7)) & 1) === 1) return true;
    }
    return false;
  }

  rows(states: number): { first: Int32Array; next: Int32Array[] } {
    type Run = { log: RowData; source: number; count: number; row: number };
    const runs: Run[] = [];
    for (const log of this.logs) {
      const s = log.segments;
      for (let i = 0; i < s.length; i += 3) runs.push({ log, source: s[i]!, count: s[i + 1]!, row: s[i + 2]! });
    }
    runs.sort((a, b) => a.source - b.source);
    const first = new Int32Array(states + 1);
    const next: Int32Array[] = [];
    let e = 0;
    let v = 0;
    for (const run of runs) {
      for (; v < run.source; v++) first[v] = e; // not expanded: no edges
      // A run's rows are consecutive in its log: its edges are copied in one piece.
      const log = run.log;
      const end = run.row + run.count;
      const from = at(log.starts, run.row);
      const to = end < log.rows ? at(log.starts, end) : log.edges;
      for (let r = run.row; r < end; r++, v++) first[v] = e + at(log.starts, r) - from;
      copy(log.targets, from, to, next, e);
      e += to - from;
    }
    for (; v <= states; v++) first[v] = e;
    return { first, next };
  }
}

function at(chunks: Int32Array[], i: number): number {
  return chunks[i >>> CHUNK_BITS]![i & MASK]!;
}

/** Copies edges from..to - 1 of `src` to `dst` from edge `into` on, a chunk's piece at a time. */
function copy(src: Int32Array[], from: number, to: number, dst: Int32Array[], into: number): void {
  while (from < to) {
    const f = from & MASK;
    const d = into & MASK;
    const n = Math.min(to - from, CHUNK - f, CHUNK - d);
    while (dst.length <= into >>> CHUNK_BITS) dst.push(new Int32Array(CHUNK));
    dst[into >>> CHUNK_BITS]!.set(src[from >>> CHUNK_BITS]!.subarray(f, f + n), d);
    from += n;
    into += n;
  }
}
