// One thread's share of a level of the parallel BFS (bfs-parallel.ts): the coordinating
// thread and every worker thread run a LevelExpander over the same shared frontier and table.
//
// A level's frontier is a list of units, runs of states in the order the one-thread BFS
// (search/bfs.ts) would queue them, each in a record block of the thread that expands it
// (records.ts: the threads are balanced between levels by handing blocks over). The next level must
// come out in that order too, so that results (the counterexample found, its trace) are the
// one-thread BFS's whatever the number of threads and however they interleave. The one-thread
// BFS queues a new state from the first parent (in frontier order) that reaches it, with that
// parent's first move to it. So each new state's table value is the least frontier position
// of a parent that reached it (SharedTable.lower), and a thread records a candidate — the
// position, the move, the concrete state — each time it lowers it (or inserts the state). A
// thread expands a parent's moves in order, so its first move to a state is the one it
// records. After the level, a candidate is kept when its position is the state's final value:
// one per state, and the kept candidates, read unit by unit, are in the one-thread order: they
// are the next level, read where they were recorded.

import type { ReductionSet } from '../../model/reductions.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import { BATCH, Successors } from '../search/bfs-batch.js';
import { CandidateLog, type CandidateRows, rowCloser } from '../search/candidates.js';
import { Fingerprinter } from '../search/fingerprint.js';
import { cycleFilter } from '../search/livelock.js';
import { TargetSystem } from '../systems/target.js';
import {
  EXPANDED,
  FIRST_TERMINAL,
  FIRST_VIOLATION,
  type Level,
  type LevelCounts,
  type LevelSettings,
  NO_POSITION,
  type RoundEnd,
  STOP,
  STOP_MAX_STATES,
  STOP_NO_MEMORY,
  STOP_TABLE_FULL,
} from './control.js';
import { DROPPED, Records } from './records.js';
import { COUNT, overLoaded, type SharedTable } from './shared-table.js';
import type { Superseded } from './superseded.js';
import { NEXT_SHARED, type TailViews, tailViews } from './tail.js';
import { UNIT } from './units.js';

export * from './control.js';

/** Moves between two polls of the bounds within a unit, less one. */
const POLL_MOVES = 0xffff;
/**
 * New states a thread counts before it adds them to ctl[COUNT]: the table-full check sees the
 * others' states this late, a small part of the quarter of the table kept free.
 */
const FLUSH_EVERY = 1024;
/** States per unit of a level: at most this many. */
const MAX_UNIT = 256;

export class LevelExpander {
  readonly counts: LevelCounts = { transitions: 0, executions: 0, cut: 0, step: null };
  /** Milliseconds spent expanding, rehashing, filtering and writing (not waiting): the thread's busy time. */
  busyMs = 0;
  /** States this thread expanded; how many of them it has added to ctl[EXPANDED]. */
  expanded = 0;
  private expandedAdded = 0;
  private readonly W: number;
  private readonly T: number;
  /** Successors made before their lookups, BATCH at a time (search/bfs-batch.ts says why). */
  private readonly batch: Successors;
  private readonly key: (s: Int32Array, b: Uint8Array) => Uint8Array;
  private readonly mayCycle: (s: Int32Array, t: number, out: Int32Array) => boolean;
  private readonly fp = new Fingerprinter();
  private level: Level | null = null;
  /** This thread's candidates, the next level once filtered. */
  readonly records: Records;
  /** The unit being expanded; the first word of the next unit to look at in the level's units. */
  private unit = 0;
  private cursor = 0;
  private tailViews: TailViews = []; // the level's shared tail's blocks
  private readonly cur: Int32Array;
  /** The livelock check's rows: the candidates this thread expanded (search/candidates.ts). */
  private readonly log = new CandidateLog();
  /** Closes the open row as a candidate's, fingerprinting it (search/candidates.ts). */
  private readonly keepRow: (id: number, cur: Int32Array) => void;
  private unflushed = 0;
  private superseded: number[] = [];
  /** ctl[COUNT] as this thread last read it: the bounds' checks read no shared word per move. */
  private shared = 0;
  /** True when the search must stop: the coordinator's bounds, or a worker's look at STOP. */
  private poll: () => boolean = () => false;
  /** The expected-kind wrapper searched, told which state its cuts come from (target.ts addCuts); else null. */
  private readonly target: TargetSystem | null;

  constructor(
    private readonly sys: TransitionSystem,
    reduce: ReductionSet,
    private readonly ctl: Int32Array,
    private table: SharedTable,
    readonly settings: LevelSettings,
    /** This thread's number: 0 the coordinating thread, 1… the worker threads. */
    readonly thread: number,
  ) {
    this.W = sys.stateWords;
    this.T = sys.threadCount;
    this.target = sys instanceof TargetSystem ? sys : null;
    // Successors (and their canonical forms, beside them) are hashed where they are written (fingerprint.ts).
    this.key = this.fp.storeKey(sys, reduce);
    this.batch = new Successors(this.fp, this.W);
    this.mayCycle = cycleFilter(sys);
    this.records = new Records(this.W);
    this.cur = new Int32Array(this.W);
    this.keepRow = rowCloser(this.log, this.fp, this.key, this.fp.buffer(this.W));
  }

  /** A grown table (records name states by fingerprint, so nothing of theirs changes). */
  setTable(table: SharedTable): void {
    if (table.capacity === this.table.capacity) return; // the same table (it only grows), posted anew
    this.table = table;
  }

  /** Copies this thread's part of the table into a larger one (SharedTable.rehashInto). */
  rehash(to: SharedArrayBuffer, part: number, parts: number): void {
    const t0 = performance.now();
    this.table.rehashInto(to, part, parts);
    this.busyMs += performance.now() - t0;
  }

  /** Starts a level. */
  begin(level: Level): void {
    this.level = level;
    this.counts.step = null;
    this.records.rotate();
    this.records.expecting(level.units, this.thread);
    this.superseded = [];
    this.cursor = 0;
    this.tailViews = tailViews(level.tail);
  }

  /** The state at `pos` of `level`, which this thread has begun and whose unit it holds (a copy). */
  stateAt(level: Level, pos: number): Int32Array {
    return this.records.stateAt(level.units, pos);
  }

  /** The state at `pos` of the level being expanded, whose unit this thread holds (a copy). */
  currentStateAt(pos: number): Int32Array {
    return this.stateAt(this.level!, pos);
  }

  /** Expands units until the level is done, the table 3/4 full or a stop set; `between` may stop it. */
  expandRound(between?: () => boolean): RoundEnd {
    const t0 = performance.now();
    const end = this.expandUnits(between);
    this.busyMs += performance.now() - t0;
    return end;
  }

  private expandUnits(between?: () => boolean): RoundEnd {
    const level = this.level!;
    const ctl = this.ctl;
    this.poll = between ?? (() => Atomics.load(ctl, STOP) !== 0);
    for (;;) {
      if (Atomics.load(ctl, STOP) !== 0) return 'stopped';
      this.shared = Atomics.load(ctl, COUNT);
      if (overLoaded(this.shared, this.table.capacity)) return 'paused';
      if (between?.() === true) return 'stopped';
      // This thread's next unit, else one of the shared tail.
      const w = level.units;
      let u = this.cursor;
      while (u < w.length && w[u] !== this.thread) u += UNIT;
      this.cursor = u + UNIT;
      if (u >= w.length) {
        if (!this.expandShared(level)) return 'done';
        this.flushCount();
        continue;
      }
      this.unit = u / UNIT;
      const block = w[u + 1]!;
      const records = this.records;
      const r = records.blockAt(block);
      const cur = this.cur;
      let stopped = false;
      for (let at = w[u + 2]!, end = w[u + 3]!, pos = w[u + 4]!; at < end && !stopped; at = records.next(r, at)) {
        if (r[at + 2] === DROPPED) continue;
        records.unpack(block, at, cur);
        stopped = !this.expand(level, pos++, cur);
      }
      // (a terminal violation lowers FIRST_VIOLATION too)
      if (!stopped) this.records.unitDone(block, Atomics.load(ctl, FIRST_VIOLATION) !== NO_POSITION);
      this.flushCount();
    }
  }

  /** Claims and expands a unit of the shared tail; false when none is left. */
  private expandShared(level: Level): boolean {
    const shared = level.tail?.units;
    if (shared === undefined) return false;
    const i = Atomics.add(this.ctl, NEXT_SHARED, 1);
    if (i >= shared.length) return false;
    const w = level.units;
    const u = shared[i]!;
    this.unit = u / UNIT;
    const { words: r, bytes } = this.tailViews[-1 - w[u]!]![w[u + 1]!]!;
    const { cur, records } = this;
    for (let at = w[u + 2]!, end = w[u + 3]!, pos = w[u + 4]!; at < end; at = records.next(r, at)) {
      if (r[at + 2] === DROPPED) continue;
      records.unpackFrom(r, bytes, at, cur);
      if (!this.expand(level, pos++, cur)) break;
    }
    return true;
  }

  /** Expands `cur`, the state at `pos`; false when the search must stop. */
  private expand(level: Level, pos: number, cur: Int32Array): boolean {
    const ctl = this.ctl;
    // Plain loads of words that only decrease: a stale one is higher, and costs only work that
    // another thread's violation made useless (Atomics.load is a runtime call: shared-table.ts).
    if (pos > ctl[FIRST_TERMINAL]!) return true; // a terminal violation before it decides
    this.expanded++;
    const { batch, T, sys } = this;
    // Past a violation of this level only terminal states matter (search/bfs.ts stepViolation).
    const terminalOnly = pos > ctl[FIRST_VIOLATION]!;
    const id = level.start + pos;
    if (this.target !== null) this.target.at = id;
    const livelock = this.settings.livelock;
    if (livelock) this.log.open();
    let enabled = false;
    for (let t = 0; t < T; t++) {
      const n = sys.choices(cur, t);
      if (n === 0) continue;
      enabled = true;
      if (terminalOnly) break;
      if (level.depth >= this.settings.maxDepth) {
        this.counts.cut++;
        break;
      }
      for (let c = 0; c < n; c++) {
        // Also within one state's moves: `choose x in 0..2147483647` is one state's moves.
        // (the moves before it, held in the batch, are looked up first, as they were made first)
        if ((++this.counts.transitions & POLL_MOVES) === 0 && this.poll()) {
          this.flush(level, pos);
          return false;
        }
        const k = batch.count;
        const next = batch.states[k]!;
        if (sys.step(cur, t, c, next, Footprint.NONE) === STEP_VIOLATION) {
          if (!this.flush(level, pos)) return false;
          this.noteStep(pos, t, c);
          return true;
        }
        const { fp } = this;
        fp.ofState(this.key(next, batch.bytes[k]!));
        // The livelock check's row: a target when the step may lie on a cycle, else no candidate.
        if (livelock) {
          if (this.mayCycle(cur, t, next)) this.log.target(fp.lo, fp.hi);
          else this.log.exit();
        }
        batch.keep(fp, c * T + t);
        if (batch.count === BATCH && !this.flush(level, pos)) return false;
      }
    }
    if (!this.flush(level, pos)) return false;
    if (livelock && this.log.candidate) this.keepRow(id, cur);
    if (!enabled) {
      this.counts.executions++;
      if (sys.terminal(cur) !== null) {
        lowerWord(ctl, FIRST_TERMINAL, pos);
        lowerWord(ctl, FIRST_VIOLATION, pos);
      }
    }
    return true;
  }

  /** Looks up the batch's successors of the state at `pos`, in the order they were made; false to stop. */
  private flush(level: Level, pos: number): boolean {
    const { lo, hi, move, states, count: m } = this.batch;
    this.batch.count = 0;
    for (let k = 0; k < m; k++) this.table.prefetch(lo[k]!, hi[k]!);
    for (let k = 0; k < m; k++) if (!this.successor(level, pos, move[k]!, lo[k]!, hi[k]!, states[k]!)) return false;
    return true;
  }

  /** The successor `next`, of fingerprint (lo, hi), of the state at `pos` by `move`; false to stop. */
  private successor(level: Level, pos: number, move: number, lo: number, hi: number, next: Int32Array): boolean {
    const table = this.table;
    const stored = this.shared + this.unflushed;
    if (stored >= this.settings.maxStates && table.find(lo, hi) < 0) {
      Atomics.store(this.ctl, STOP, STOP_MAX_STATES);
      return false;
    }
    if (stored * 16 >= table.capacity * 15) {
      Atomics.store(this.ctl, STOP, STOP_TABLE_FULL);
      return false;
    }
    const inserted = table.insert(lo, hi, level.depth + 1, pos);
    if (table.slot < 0) {
      Atomics.store(this.ctl, STOP, STOP_TABLE_FULL); // the table is full (SharedTable.insert)
      return false;
    }
    if (inserted) {
      if (++this.unflushed >= FLUSH_EVERY) this.flushCount();
      return this.record(pos, move, lo, hi, next);
    }
    if (table.found === level.depth + 1 && table.lower(table.slot, pos)) {
      this.superseded.push(lo, hi, table.replaced);
      return this.record(pos, move, lo, hi, next);
    }
    return true;
  }

  private noteStep(pos: number, thread: number, choice: number): void {
    lowerWord(this.ctl, FIRST_VIOLATION, pos);
    const s = this.counts.step;
    // Moves of one state are tried in order, so the first violation of a position is its least.
    if (s === null || pos < s.pos) this.counts.step = { pos, thread, choice };
  }

  /** Records the successor `next`, of fingerprint (lo, hi), as a candidate; false (STOP set) without memory for it. */
  private record(pos: number, move: number, lo: number, hi: number, next: Int32Array): boolean {
    try {
      this.records.add(this.unit, lo, hi, pos, move, next);
      return true;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // No memory for a block of records: the search ends incomplete, saying so.
      Atomics.store(this.ctl, STOP, STOP_NO_MEMORY);
      return false;
    }
  }

  private flushCount(): void {
    if (this.unflushed > 0) this.shared = Atomics.add(this.ctl, COUNT, this.unflushed) + this.unflushed;
    this.unflushed = 0;
    if (this.expanded > this.expandedAdded) Atomics.add(this.ctl, EXPANDED, this.expanded - this.expandedAdded);
    this.expandedAdded = this.expanded;
  }

  /** The states the one-thread BFS expanded before it handed the search over (this thread's, counted once). */
  expandedBefore(n: number): void {
    this.expanded = this.expandedAdded = n;
    Atomics.store(this.ctl, EXPANDED, n);
  }

  /** (lo, hi, position) of each value this thread's lowers replaced this level (superseded.ts). */
  replacedValues(): Int32Array {
    return Int32Array.from(this.superseded);
  }

  /**
   * After every thread's rounds: marks the candidates whose position is not their state's
   * final value dropped — `superseded`, every thread's replacedValues. Returns the kept ones'
   * segments (Records.filter), a level's units.
   */
  filter(superseded: Superseded): number[] {
    const t0 = performance.now();
    this.flushCount();
    // At least 8 units per thread, at most MAX_UNIT states each (Records.filter).
    const split = Math.max(1, Math.min(MAX_UNIT, Math.ceil(this.records.count / 8)));
    const out = this.records.filter(superseded, split);
    this.busyMs += performance.now() - t0;
    return out;
  }

  /** Writes the (parent index, move) of the kept candidates of the next level (`units`) in `parents`. */
  index(units: Int32Array, parents: Int32Array): void {
    const t0 = performance.now();
    this.records.index(units, this.thread, parents, this.level!.start);
    this.busyMs += performance.now() - t0;
  }

  /** The candidates' rows recorded so far, and an empty log in their place; call after the last level. */
  takeEdges(): CandidateRows {
    return this.log.take();
  }
}

/** Lowers control word `at` to `value` if it is higher. */
export function lowerWord(ctl: Int32Array, at: number, value: number): void {
  for (let cur = Atomics.load(ctl, at); cur > value; ) {
    const seen = Atomics.compareExchange(ctl, at, cur, value);
    if (seen === cur) return;
    cur = seen;
  }
}
