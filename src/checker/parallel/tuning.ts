// The parallel BFS's thresholds, read by coordination.ts and search.ts and lowered by tests.

/**
 * A level of spawnAt states starts the worker threads; the table starts with initialSlots
 * slots (a power of two). A worker starts cold: it loads the bundle, builds the system and
 * runs its first tens of thousands of states in V8's slower tiers while its compiler threads
 * compete with the search for the cores. Started at a level of 1,024 states, it doubled the
 * CPU of fixed_k4 (163,406 states, largest level 14,345) for no gain in time; at 16,384 it
 * starts where a level is ~0.1 s of work (fixed_k5: level 17, after 42,154 of 837,210
 * states). Tests lower both, so that small specs run on every thread and make the table
 * grow, and may have the search wait for its threads to start (awaitWorkers) instead of
 * going on without them meanwhile.
 */
export const tuning = {
  spawnAt: 16_384,
  /**
   * spawnAt of a search whose threads were not asked for (search.ts defaultThreads): a level
   * of 100,000 states is ~0.3 s of work on one thread. The seed twin's fixed_k5 (largest
   * level 70,227, a 3 s search that two threads made slower) stays on one thread; fixed_k6
   * (largest level 351,048) starts them at level 20, after 5% of its states.
   */
  defaultSpawnAt: 100_000,
  initialSlots: 1 << 16,
  awaitWorkers: false,
};
