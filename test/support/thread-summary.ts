// What a search's result must not owe to the number of threads it ran on (the parallel BFS
// against one thread: test/checker/parallel/bfs-parallel.test.ts, test/support/parallel-fuzz.ts).
import type { ExploreResult } from '../../src/checker/result.js';

/**
 * The verdict, a violation's kind, message and schedule (and loop), and the counts of a
 * search that ran to its end (a violation's level is cut short at different points by
 * different threads, so its counts may include more of that level). With `boundCounts`
 * false, an incomplete search gives its bound only: a state bound stops the threads within a
 * block of it, the same verdict but not the same counts.
 */
export function threadSummary(r: ExploreResult, boundCounts = true): object {
  const v = r.verdict;
  const { states, transitions, executions, maxDepth } = r.stats;
  if (v.kind === 'violation' && v.loop === undefined)
    return { kind: v.violation.kind, message: v.violation.message, schedule: v.schedule, mode: r.mode };
  if (v.kind === 'incomplete' && !boundCounts) return { incomplete: v.bound, mode: r.mode };
  const verdict =
    v.kind === 'violation'
      ? { kind: v.violation.kind, message: v.violation.message, schedule: v.schedule, loop: v.loop }
      : v.kind;
  return { verdict, mode: r.mode, states, transitions, executions, maxDepth };
}
