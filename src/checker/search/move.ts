// The stored-state and random explorers keep a move as one int, so that a path or a parent
// link costs one word per transition.
import type { ScheduleEntry } from '../result.js';

/** A move is stored as one int: choice * threadCount + thread. */
export function decodeMove(move: number, threadCount: number): ScheduleEntry {
  return { thread: move % threadCount, choice: Math.floor(move / threadCount) };
}
