// The stored-state BFS on as many threads as asked: the parallel search when more than one
// thread is asked for and the system is one a worker thread can rebuild (recipe.ts), else
// the one-thread BFS. Both give the same results (bfs-parallel.ts says why).
import type { TransitionSystem } from '../../model/system.js';
import type { ExploreOptions, ExploreResult } from '../result.js';
import { exploreBfs } from '../search/bfs.js';
import { exploreBfsParallel } from './bfs-parallel.js';
import { recipeFits } from './recipe.js';
import { reportThreadTimes, threadCpuMs } from './thread-time.js';

export function searchBfs(sys: TransitionSystem, opts: ExploreOptions): ExploreResult | Promise<ExploreResult> {
  const workers = opts.workers ?? 1;
  if (workers > 1 && recipeFits(sys, opts.recipe)) return exploreBfsParallel(sys, opts, opts.recipe, workers);
  const start = threadCpuMs();
  const result = exploreBfs(sys, opts);
  reportThreadTimes([{ cpuMs: threadCpuMs() - start, busyMs: result.stats.seconds * 1000 }]);
  return result;
}
