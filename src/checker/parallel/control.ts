// The control words every thread of the parallel BFS shares (an Int32Array over a
// SharedArrayBuffer; level.ts re-exports them): word 0 is shared-table.ts's COUNT, word 16
// tail.ts's NEXT_SHARED, each in a cache line of its own, so that a thread adding to a counter
// does not evict the words every expansion reads (FIRST_*).
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
