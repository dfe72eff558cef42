// The stored-state BFS and the stateless DPOR on as many threads as asked. BFS: the
// parallel search when more than one thread is asked for, the system is one a worker
// thread can rebuild (recipe.ts) and no partial-order reduction applies (the parallel BFS
// expands every state in full: with `--reduce …,por` it gave more transitions than one
// thread), else the one-thread BFS, whose result then says that the threads asked for went
// unused. Both give the same results (bfs-parallel.ts says why).
import type { TransitionSystem } from '../../model/system.js';
import { exploreDpor } from '../dpor/search.js';
import type { ExploreOptions, ExploreResult } from '../result.js';
import { type BfsHandover, exploreBfs } from '../search/bfs.js';
import { PorExpansion } from '../search/por-expansion.js';
import { exploreBfsParallel } from './bfs-parallel.js';
import { exploreDporParallel } from './dpor-parallel.js';
import { recipeFits } from './recipe.js';
import { reportThreadTimes, threadCpuMs } from './thread-time.js';
import { tuning } from './tuning.js';

export function searchBfs(sys: TransitionSystem, opts: ExploreOptions): ExploreResult | Promise<ExploreResult> {
  const workers = opts.workers ?? 1;
  const start = threadCpuMs();
  const por = PorExpansion.applies(sys, opts, undefined);
  if (workers > 1 && recipeFits(sys, opts.recipe) && !por) {
    // One thread until a level is large enough for more (coordination.ts tuning.spawnAt).
    const handover: BfsHandover = { at: opts.spawnAt ?? tuning.spawnAt, after: opts.spawnAfter ?? 0 };
    const result = exploreBfs(sys, opts, undefined, handover);
    if (handover.snapshot !== undefined)
      return exploreBfsParallel(sys, opts, opts.recipe, workers, handover.snapshot, start);
    reportThreadTimes([{ cpuMs: threadCpuMs() - start, busyMs: result.stats.seconds * 1000 }]);
    return result;
  }
  const result = exploreBfs(sys, opts);
  reportThreadTimes([{ cpuMs: threadCpuMs() - start, busyMs: result.stats.seconds * 1000 }]);
  // Threads asked for and not used: the result says why (defaultThreads asks for none with por).
  if (workers > 1 && por) result.threads = { count: 1, asked: workers, reason: 'por' };
  return result;
}

/**
 * Stateless DPOR on as many threads as asked: the search split into subtrees on worker
 * threads (dpor-parallel.ts) when more than one is asked for and the system is one a worker
 * thread can rebuild, else the one-thread search.
 */
export function searchDpor(sys: TransitionSystem, opts: ExploreOptions): ExploreResult | Promise<ExploreResult> {
  const workers = opts.workers ?? 1;
  if (workers > 1 && recipeFits(sys, opts.recipe)) return exploreDporParallel(sys, opts, opts.recipe, workers);
  return exploreDpor(sys, opts);
}

/**
 * The threads a search uses when no `--workers` asked for them, given `cores`: all of them for
 * a whole BFS (`auto` or `bfs`, not partitioned, no bit array) with no state or memory bound,
 * whose threads start at a level of tuning.defaultSpawnAt states (under auto, after its first DPOR
 * attempt: `threadsByDefault`, auto.ts); else one. A state bound stops
 * one thread at exactly that many states, the parallel BFS within a block of them; two threads
 * hold about twice the memory of one, so within a memory bound one covers more (fixed_k6
 * --max-memory 400: one thread passed, 4.38 M states in 245 MiB; two stopped incomplete at
 * 3.1 M, resident 472 MiB); a DPOR search split between threads counts the executions two
 * threads both ran (result.ts), so it differs from one thread's counts: all are for the user
 * to ask for.
 */
export function defaultThreads(opts: Partial<ExploreOptions>, cores: number): Partial<ExploreOptions> {
  const mode = opts.mode ?? 'auto';
  const whole = opts.partition === undefined && (opts.bitstate ?? 0) === 0;
  const unbounded =
    (opts.maxStates === undefined || opts.maxStates === Number.POSITIVE_INFINITY) && opts.maxMemory === undefined;
  // The partial-order reduction runs on one thread only (searchBfs).
  const por = opts.reduce?.has('por') === true;
  if (cores <= 1 || (mode !== 'auto' && mode !== 'bfs') || !whole || !unbounded || por) return { workers: 1 };
  return { workers: cores, spawnAt: tuning.defaultSpawnAt, threadsByDefault: true };
}
