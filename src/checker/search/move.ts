// The stored-state and random explorers keep a move as one int, so that a path or a parent
// link costs one word per transition.
import type { ScheduleEntry } from '../result.js';

/**
 * A move is stored as one int: choice * threadCount + thread, read back as unsigned so that
 * a move past 2^31 (a choice among two billion values, `choose x in 0..2147483647`, of the
 * second thread) that an Int32Array wrapped decodes right: moves up to 2^32 - 1 are exact.
 */
export function decodeMove(move: number, threadCount: number): ScheduleEntry {
  const m = move >>> 0;
  return { thread: m % threadCount, choice: Math.floor(m / threadCount) };
}
