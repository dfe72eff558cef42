// The control words every thread of the parallel BFS shares (an Int32Array over a
// SharedArrayBuffer; level.ts re-exports them): word 0 is shared-table.ts's COUNT, word 16
// tail.ts's NEXT_SHARED, each in a cache line of its own, so that a thread adding to a counter
// does not evict the words every expansion reads (FIRST_*). And the shapes every thread
// shares: a level, its settings and the counts each thread keeps.
import type { Tail } from './tail.js';

/**
 * The states every thread has expanded, each thread's added after each unit (beside COUNT,
 * written about as rarely): what is stored and not expanded is the search's queue.
 */
export const EXPANDED = 1;
/** Set to a STOP_* value: every thread stops taking units. */
export const STOP = 32;
/** The least frontier position of a state that raised a violation (step or terminal). */
export const FIRST_VIOLATION = 33;
/** The least frontier position of a terminal state with a violation. */
export const FIRST_TERMINAL = 34;
export const CONTROL_WORDS = 48;
export const STOP_BOUND = 1;
export const STOP_TABLE_FULL = 2;
export const STOP_MAX_STATES = 3;
export const STOP_NO_MEMORY = 4;
export const NO_POSITION = 0x7fffffff;

/** What a level's search settings are, for every thread alike. */
export interface LevelSettings {
  maxDepth: number;
  maxStates: number;
  livelock: boolean;
}

/** The level being expanded: its frontier, size, depth and the index of its first state. */
export interface Level {
  /** UNIT words per unit (records.ts): holding thread, block id, first word, end word, first position. */
  units: Int32Array;
  /** The units any thread may claim (tail.ts), once each has expanded the units it holds. */
  tail?: Tail;
  size: number;
  depth: number;
  start: number;
}

/** Why a thread stopped expanding: the level is done, the table is 3/4 full, or a stop flag. */
export type RoundEnd = 'done' | 'paused' | 'stopped';

/** Counters a thread keeps, summed over the threads at the end. */
export interface LevelCounts {
  transitions: number;
  executions: number;
  cut: number;
  /** The least move (thread, choice) of the step violation from the least position, or null. */
  step: { pos: number; thread: number; choice: number } | null;
}
