// The shared tail of a level of the parallel BFS (level.ts): each thread expands the units
// whose blocks it holds (records.ts), which divides a level evenly by states but not by time —
// a thread slowed by anything (a garbage collection, a JIT compilation, another process on
// its core) keeps the other waiting at the level's end. So as a level starts, each thread
// copies the states of its last units (TAIL_SHARE of its states) into a SharedArrayBuffer,
// and those units are claimed one by one from a shared counter by whichever thread has
// finished its own: the level ends with the threads at most one unit apart, as when every
// unit was claimed so.
import { DROPPED, HEAD, type Records, UNIT } from './records.js';

/** The share of its states each thread puts in the shared tail, as a divisor. */
const TAIL_SHARE = 8;
/** The control word counting the shared units claimed (level.ts: word 16, its own cache line). */
export const NEXT_SHARED = 16;

/**
 * Each thread's tail buffer, reused from level to level (a level's tail is read only while
 * that level is expanded): a new one per level left them to the garbage collector, which does
 * not count SharedArrayBuffers as heap, and fixed_k5's peak RSS rose by 50 MiB.
 */
const spare = new WeakMap<Records, SharedArrayBuffer>();

/** A level's shared tail: each thread's copied states (null: none), and the shared units' first words. */
export interface Tail {
  buffers: (SharedArrayBuffer | null)[];
  units: Int32Array;
}

/**
 * Copies thread `me`'s last units of `units` (at least 1/TAIL_SHARE of the `held` states it
 * holds) into a new shared buffer, W words per kept state. Returns it (null: nothing shared)
 * and (unit's first word, first state in the buffer) pairs.
 */
export function shareTail(
  records: Records,
  units: Int32Array,
  me: number,
  size: number,
): { buffer: SharedArrayBuffer | null; pairs: number[] } {
  let held = 0;
  const mine: number[] = [];
  for (let u = 0; u < units.length; u += UNIT) if (units[u] === me) mine.push(u);
  const count = (u: number): number => (u + UNIT < units.length ? units[u + UNIT + 4]! : size) - units[u + 4]!;
  for (const u of mine) held += count(u);
  let from = mine.length;
  for (let states = 0; from > 0 && states * TAIL_SHARE < held; ) states += count(mine[--from]!);
  if (from === mine.length || from === 0) return { buffer: null, pairs: [] };
  const W = records.full - HEAD;
  let total = 0;
  for (let i = from; i < mine.length; i++) total += count(mine[i]!);
  let buffer = spare.get(records);
  if (buffer === undefined || buffer.byteLength < total * W * 4) {
    buffer = new SharedArrayBuffer(Math.ceil(total * 1.5) * W * 4);
    spare.set(records, buffer);
  }
  const out = new Int32Array(buffer);
  const pairs: number[] = [];
  let o = 0;
  for (let i = from; i < mine.length; i++) {
    const u = mine[i]!;
    pairs.push(u, o);
    const r = records.blockAt(units[u + 1]!);
    for (let at = units[u + 2]!; at < units[u + 3]!; at = records.next(r, at)) {
      if (r[at + 2] === DROPPED) continue;
      // Straight into the shared buffer: through a copy and set() (a shared buffer's words
      // moved one by one, V8's relaxed memmove) it took 178 ns a 152-word state, 110 direct.
      records.unpack(units[u + 1]!, at, out, o * W);
      o++;
    }
  }
  return { buffer, pairs };
}

/**
 * Marks the units of `shared` (each thread's pairs, shareTail) as in the tail: holder -1 - k
 * (k: the thread whose buffer holds its states), word 2 its first state there, word 3 its
 * count. Returns the shared units' first words, in level order.
 */
export function markTail(units: Int32Array, size: number, shared: readonly number[][]): Int32Array {
  const list: number[] = [];
  for (const [k, pairs] of shared.entries()) {
    for (let i = 0; i < pairs.length; i += 2) {
      const u = pairs[i]!;
      units[u + 3] = (u + UNIT < units.length ? units[u + UNIT + 4]! : size) - units[u + 4]!;
      units[u] = -1 - k;
      units[u + 1] = 0;
      units[u + 2] = pairs[i + 1]!;
      list.push(u);
    }
  }
  list.sort((a, b) => a - b);
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, list.length) * 4));
  out.set(list);
  return out.subarray(0, list.length);
}

/** A copy of the state at `pos` of a level whose unit at `u` is in the tail `tail`. */
export function tailStateAt(tail: Tail, units: Int32Array, u: number, pos: number, W: number): Int32Array {
  const states = new Int32Array(tail.buffers[-1 - units[u]!]!);
  const i = units[u + 2]! + pos - units[u + 4]!;
  return states.slice(i * W, (i + 1) * W);
}
