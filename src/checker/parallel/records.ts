// The candidates of the parallel BFS (level.ts), which are also the next level's frontier:
// each thread appends the states it records to blocks of its own, and once the level is
// filtered, each thread expands the kept records it holds, where they lie.
//
// Before, the candidates were a thread-local array, compacted in place when some were dropped,
// then copied into one shared array for the next level: three copies of every new state (the
// record, the compaction, the write), a level's worth of memory twice over and 5–7% of each
// thread's time in the write alone. Now a state is written once (one memcpy), a dropped record
// is only marked, and the next level is a list of units — runs of records in one block, each
// run from one parent unit, in parent unit order — with the position of each unit's first
// kept state. The blocks are SharedArrayBuffers, so that handing one to another thread posts a
// reference: no copy, and nothing detached (give() says why that matters). They were plain
// ArrayBuffers, on a microbenchmark that had V8 load and store a shared buffer's elements
// several times slower; a loop over one kind of array runs as fast on either (docs/performance.md,
// 2026-12-04 evening), and so does the search: 4.83–4.89 µs of CPU a state on two threads of
// fixed_k6 with either kind. (set() into a shared buffer does copy word by word, so a state is
// written by packState's loop; only the rare state that does not pack goes through set().)
// A unit is expanded by the thread holding its block, and the threads are balanced between
// levels by handing whole blocks over (balance(), give()).
//
// A record is HEAD words then the state: fingerprint (lo, hi), the parent's position in its
// level (DROPPED once filtered out) and the move. The state is packed a signed byte a word when every word fits, as
// the one-thread BFS's queue packs it (search/bfs-frontier.ts); a full state's record has
// ~move (negative) for its move, so a record's length is known from its head. A thread's blocks serve alternate levels: the blocks written while a
// level is expanded hold the next level, and are reused once that next level has been expanded.
import { packState, unpackState } from '../search/pack.js';
import type { Superseded } from './superseded.js';
import { UNIT, unitOf } from './units.js';

/** Record words before the state: lo, hi, parent position, move. */
export const HEAD = 4;
/** A filtered-out record's parent position. */
export const DROPPED = -1;
/**
 * Words per block (128 KiB: about 270 of fixed_k6's states), or one record's if larger: the
 * unit of balance between threads, so the threads start a level at most a block apart.
 */
const BLOCK_WORDS = 1 << 15;

/** One thread's records: its blocks, the run it writes and the segments recorded this level. */
export class Records {
  /** This thread's blocks by id (null: handed to another thread); a block is reused under its id. */
  private readonly own: (Int32Array<SharedArrayBuffer> | null)[] = [];
  private writing: number[] = [];
  private reading: number[] = [];
  private readonly spare: number[] = [];
  /** Per block being read: this thread's units in it not yet expanded (expecting, unitDone). */
  private readonly unitsLeft: number[] = [];
  /** Blocks being read that were handed to spare before the end of their level (unitDone). */
  private readonly early = new Set<number>();
  /** Blocks of the level about to be expanded that hold units of its shared tail (pin). */
  private pinned: number[] = [];
  private block = -1;
  private end = 0;
  private view: Int32Array = new Int32Array(0);
  /** The level's segments: (unit, block, first word, end word), four numbers each. */
  private segs: number[] = [];
  /** Records made this level. */
  count = 0;
  /** Words of a record whose state is packed, and of one whose state is not. */
  readonly packed: number;
  readonly full: number;
  private readonly packs: boolean;
  private readonly blockWords: number;
  /** Each block's bytes, for packed states (null: handed to another thread). */
  private readonly bytes: (Int8Array | null)[] = [];

  constructor(readonly stateWords: number) {
    this.full = HEAD + stateWords;
    // (a one-word state is never packed: its packed record would be as long)
    this.packs = stateWords > 1;
    this.packed = this.packs ? HEAD + ((stateWords + 3) >>> 2) : this.full;
    this.blockWords = Math.max(BLOCK_WORDS, this.full);
  }

  /** The word after the record at word `at` of `r`, a block of these records. */
  next(r: Int32Array, at: number): number {
    return at + (r[at + 3]! >= 0 ? this.packed : this.full);
  }

  /** The move of the record at word `at` of `r`. */
  static move(r: Int32Array, at: number): number {
    const m = r[at + 3]!;
    return m >= 0 ? m : ~m;
  }

  /** A new level is being expanded: the blocks of the level before it are free again. */
  rotate(): void {
    // (a block spared early may be written again already: it is in `writing` then)
    for (const id of this.reading) if (!this.early.has(id)) this.spare.push(id);
    this.early.clear();
    this.reading = this.writing;
    this.writing = [];
    this.block = -1;
    this.end = 0;
    this.segs = [];
    this.count = 0;
  }

  /** Appends a record of `unit` (the parent unit being expanded); throws RangeError without memory. */
  add(unit: number, lo: number, hi: number, pos: number, move: number, state: Int32Array): void {
    if (this.block < 0 || this.end + this.full > this.blockWords) this.nextBlock();
    const segs = this.segs;
    const n = segs.length;
    if (n === 0 || segs[n - 4] !== unit || segs[n - 3] !== this.block) segs.push(unit, this.block, this.end, this.end);
    const r = this.view;
    const at = this.end;
    r[at] = lo;
    r[at + 1] = hi;
    r[at + 2] = pos;
    if (this.packs && packState(state, this.stateWords, this.bytes[this.block]!, 4 * (at + HEAD))) {
      r[at + 3] = move;
      this.end = at + this.packed;
    } else {
      r[at + 3] = ~move;
      r.set(state, at + HEAD);
      this.end = at + this.full;
    }
    segs[segs.length - 1] = this.end;
    this.count++;
  }

  private nextBlock(): void {
    let id = this.spare.pop();
    if (id === undefined) {
      id = this.own.length;
      const block = new Int32Array(new SharedArrayBuffer(this.blockWords * 4));
      this.own.push(block);
      this.bytes.push(new Int8Array(block.buffer));
    }
    this.writing.push(id);
    this.block = id;
    this.view = this.own[id]!;
    this.end = 0;
  }

  /**
   * The level of `units` begins, and this thread, `me`, expands the units it holds in it: it
   * counts them per block (unitDone gives a block back once they are all expanded).
   */
  expecting(units: Int32Array, me: number): void {
    for (let u = 0; u < units.length; u += UNIT) if (units[u] === me) this.unitsLeft[units[u + 1]!] = 0;
    for (const id of this.pinned) this.unitsLeft[id] = 0;
    for (let u = 0; u < units.length; u += UNIT) if (units[u] === me) this.unitsLeft[units[u + 1]!]!++;
    // One more unit that never ends: any thread may read a pinned block to the level's end.
    for (const id of this.pinned) this.unitsLeft[id]!++;
    this.pinned = [];
  }

  /**
   * Block `id` holds units of the shared tail of the level about to be expanded (tail.ts):
   * other threads read it, so it is not spare before the level is over. Its buffer.
   */
  pin(id: number): SharedArrayBuffer {
    this.pinned.push(id);
    return this.own[id]!.buffer;
  }

  /**
   * One of this thread's units in block `id` of the level being expanded is done. Once they all
   * are, and `keep` is false, the block is spare at once: the level's successors are written
   * into it, as the one-thread BFS reuses a chunk of its queue, instead of into fresh memory (a
   * level and the next one both whole, each page of the second one faulted in). `keep`: a
   * violation is known in this level, whose state the coordinator may read from its block
   * (coordination.ts violation); a block of expanded states has none of it otherwise, since
   * its violations were noted by this thread as it expanded them (a block holding units of
   * the shared tail is pinned: it stays to the level's end).
   */
  unitDone(id: number, keep: boolean): void {
    if (--this.unitsLeft[id]! > 0 || keep) return;
    this.early.add(id);
    this.spare.push(id);
  }

  /** The records of block `id` (one this thread holds). */
  blockAt(id: number): Int32Array {
    return this.own[id]!;
  }

  /** Unpacks the state of the record at word `at` of block `id` into `into`. */
  unpack(id: number, at: number, into: Int32Array): void {
    this.unpackFrom(this.own[id]!, this.bytes[id]!, at, into);
  }

  /** Unpacks the record at word `at` of a block of such records (words `r`, bytes `bytes`: any thread's). */
  unpackFrom(r: Int32Array, bytes: Int8Array, at: number, into: Int32Array): void {
    const w = this.stateWords;
    if (r[at + 3]! < 0) {
      for (let i = 0, f = at + HEAD; i < w; i++, f++) into[i] = r[f]!;
      return;
    }
    unpackState(bytes, 4 * (at + HEAD), w, into);
  }

  /**
   * Hands blocks `ids` of the next level over: their shared buffers, to post (by reference);
   * this thread drops them. Never a plain ArrayBuffer: transferred, it would be detached, and
   * V8 then gives up its ArrayBufferDetaching protector for good in this thread: every
   * typed-array access of code optimised since checks for a detached buffer (and the code
   * optimised before is thrown away), which cost the seed twin's two threads 46% more CPU a
   * state; copied instead (structured clone), a block of 128 KiB took about 1 ms, 0.2 s of a
   * two-thread fixed_k6.
   */
  give(ids: readonly number[]): SharedArrayBuffer[] {
    const out: SharedArrayBuffer[] = [];
    for (const id of ids) {
      out.push(this.own[id]!.buffer);
      this.own[id] = null;
      this.bytes[id] = null;
      this.writing.splice(this.writing.indexOf(id), 1);
    }
    return out;
  }

  /** Takes blocks of the next level handed over by another thread; their ids here. */
  take(buffers: readonly SharedArrayBuffer[]): number[] {
    return buffers.map((b) => {
      const id = this.own.length;
      this.own.push(new Int32Array(b));
      this.bytes.push(new Int8Array(b));
      this.writing.push(id);
      return id;
    });
  }

  /**
   * Marks DROPPED the records whose position is not their state's final value — those in
   * `superseded`, every thread's replaced values of the level — and returns the segments of
   * kept records, (unit, block, first word, end word, kept) five numbers each, in recording
   * order, at most `split` kept records per segment.
   */
  filter(superseded: Superseded, split: number): number[] {
    const out: number[] = [];
    const s = this.segs;
    const any = superseded.size > 0;
    for (let i = 0; i < s.length; i += 4) {
      const unit = s[i]!;
      const block = s[i + 1]!;
      const r = this.own[block]!;
      let from = s[i + 2]!;
      let kept = 0;
      const end = s[i + 3]!;
      for (let at = from, to = 0; at < end; at = to) {
        to = this.next(r, at);
        if (any && superseded.has(r[at]!, r[at + 1]!, r[at + 2]!)) {
          r[at + 2] = DROPPED;
          continue;
        }
        if (++kept === split) {
          out.push(unit, block, from, to, kept);
          from = to;
          kept = 0;
        }
      }
      if (kept > 0) out.push(unit, block, from, end, kept);
    }
    return out;
  }

  /**
   * Gives this thread's kept records of the next level (`units`, of which this is thread `me`)
   * their dense indices from `start` on in the table, and their (parent index, move) in `parents`.
   */
  index(units: Int32Array, me: number, parents: Int32Array, parentStart: number): void {
    for (let u = 0; u < units.length; u += UNIT) {
      if (units[u] !== me) continue;
      const r = this.own[units[u + 1]!]!;
      let o = units[u + 4]!;
      for (let at = units[u + 2]!, end = units[u + 3]!; at < end; at = this.next(r, at)) {
        const pos = r[at + 2]!;
        if (pos === DROPPED) continue;
        parents[2 * o] = parentStart + pos;
        parents[2 * o + 1] = Records.move(r, at);
        o++;
      }
    }
  }

  /** A copy of the state at `pos` of a level of units `units`, whose unit this thread holds. */
  stateAt(units: Int32Array, pos: number): Int32Array {
    const u = unitOf(units, pos);
    const r = this.own[units[u + 1]!]!;
    let o = units[u + 4]!;
    for (let at = units[u + 2]!; at < units[u + 3]!; at = this.next(r, at)) {
      if (r[at + 2] === DROPPED || o++ !== pos) continue;
      const state = new Int32Array(this.stateWords);
      this.unpack(units[u + 1]!, at, state);
      return state;
    }
    throw new Error(`[mmcheck internal bug] no state at position ${pos} of the level`);
  }
}
