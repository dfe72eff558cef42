// The shared tail of a level of the parallel BFS (level.ts): each thread expands the units
// whose blocks it holds (records.ts), which divides a level evenly by states but not by time —
// a thread slowed by anything (a garbage collection, a JIT compilation, another process on
// its core) keeps the other waiting at the level's end. So as a level starts, each thread
// shares its last units (TAIL_SHARE of its states): their record blocks, which are
// SharedArrayBuffers (records.ts), go to every thread, and those units are claimed one by one
// from a shared counter by whichever thread has finished its own, which reads their records
// where they lie: the level ends with the threads at most one unit apart, as when every unit
// was claimed so. The holder keeps those blocks until the level is over (Records.pin). (The
// states were copied into a buffer of their own before the blocks were shared: 0.3 s of a
// two-thread fixed_k6, the threads waiting for it at every level.)
import { DROPPED, type Records } from './records.js';
import { UNIT } from './units.js';

/**
 * The share of its states each thread puts in the shared tail, as a divisor. An eighth while
 * sharing meant copying; since it is free, half: on a busy host whose vCPUs ran at different
 * speeds, fixed_k6's coordinator waited 1.37–1.56 s at levels' ends with an eighth shared,
 * 0.02–0.03 s with half (same peak memory: 471–492 against 489–526 MiB). A thread keeps its
 * first units: shareTail shares none when that would take them all.
 */
const TAIL_SHARE = 2;
/** The control word counting the shared units claimed (level.ts: word 16, its own cache line). */
export const NEXT_SHARED = 16;

/** A level's shared tail: each thread's shared blocks (null: none), and the shared units' first words. */
export interface Tail {
  blocks: (SharedArrayBuffer[] | null)[];
  units: Int32Array;
}

/**
 * Shares thread `me`'s last units of `units` (at least 1/TAIL_SHARE of the `held` states it
 * holds): pins their blocks in `records` until the level is over and returns them (null:
 * nothing shared) with (unit's first word, index of its block in them) pairs.
 */
export function shareTail(
  records: Records,
  units: Int32Array,
  me: number,
  size: number,
): { blocks: SharedArrayBuffer[] | null; pairs: number[] } {
  let held = 0;
  const mine: number[] = [];
  for (let u = 0; u < units.length; u += UNIT) if (units[u] === me) mine.push(u);
  const count = (u: number): number => (u + UNIT < units.length ? units[u + UNIT + 4]! : size) - units[u + 4]!;
  for (const u of mine) held += count(u);
  let from = mine.length;
  for (let states = 0; from > 0 && states * TAIL_SHARE < held; ) states += count(mine[--from]!);
  if (from === mine.length || from === 0) return { blocks: null, pairs: [] };
  const blocks: SharedArrayBuffer[] = [];
  const index = new Map<number, number>();
  const pairs: number[] = [];
  for (let i = from; i < mine.length; i++) {
    const u = mine[i]!;
    const id = units[u + 1]!;
    let at = index.get(id);
    if (at === undefined) {
      at = blocks.length;
      index.set(id, at);
      blocks.push(records.pin(id));
    }
    pairs.push(u, at);
  }
  return { blocks, pairs };
}

/**
 * Marks the units of `shared` (each thread's pairs, shareTail) as in the tail: holder -1 - k
 * (k: the thread whose blocks hold its records), word 1 its block's index among them; its
 * first and end words and first position stay. Returns the shared units' first words, in
 * level order.
 */
export function markTail(units: Int32Array, shared: readonly number[][]): Int32Array {
  const list: number[] = [];
  for (const [k, pairs] of shared.entries()) {
    for (let i = 0; i < pairs.length; i += 2) {
      const u = pairs[i]!;
      units[u] = -1 - k;
      units[u + 1] = pairs[i + 1]!;
      list.push(u);
    }
  }
  list.sort((a, b) => a - b);
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, list.length) * 4));
  out.set(list);
  return out.subarray(0, list.length);
}

/** A level's shared blocks as each thread reads them: per thread, per block, its words and bytes. */
export type TailViews = ({ words: Int32Array; bytes: Int8Array }[] | null)[];

export function tailViews(tail: Tail | undefined): TailViews {
  return (tail?.blocks ?? []).map((b) =>
    b === null ? null : b.map((buffer) => ({ words: new Int32Array(buffer), bytes: new Int8Array(buffer) })),
  );
}

/**
 * A copy of the state at `pos` of a level whose unit at `u` is in the tail `tail`; `records`
 * (any thread's: they read records alike) reads it.
 */
export function tailStateAt(tail: Tail, units: Int32Array, u: number, pos: number, records: Records): Int32Array {
  const block = tailViews(tail)[-1 - units[u]!]![units[u + 1]!]!;
  const r = block.words;
  let o = units[u + 4]!;
  for (let at = units[u + 2]!; at < units[u + 3]!; at = records.next(r, at)) {
    if (r[at + 2] === DROPPED || o++ !== pos) continue;
    const state = new Int32Array(records.stateWords);
    records.unpackFrom(r, block.bytes, at, state);
    return state;
  }
  throw new Error(`[mmcheck internal bug] no state at position ${pos} of the level's shared tail`);
}
