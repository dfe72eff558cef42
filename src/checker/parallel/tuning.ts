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
   * spawnAt of a search whose threads were not asked for (search.ts defaultThreads); under
   * `--mode auto` they also wait for its first DPOR attempt (ExploreOptions.spawnAfter), so that
   * the specs DPOR decides at once (the classic programs of specs/bench/) never start them:
   * started at 16,384 regardless, filesystem n6 took 0.63–0.67 s against 0.48 s. It was
   * 100,000 (about 0.3 s of work on one thread), when two threads made fixed_k5 slower; with
   * the worker's step code generated from its first step and the WebAssembly canonicaliser,
   * two threads from 16,384 were faster on every large search measured (2026-12-04, night:
   * fixed_k5 2.46 against 2.71 s, fixed_k6 9.27–9.31 against 10.02–10.06 s, the stress spec,
   * whose levels stay under 100,000, 10.93–11.16 against 13.64–13.75 s).
   */
  defaultSpawnAt: 16_384,
  initialSlots: 1 << 16,
  awaitWorkers: false,
};
