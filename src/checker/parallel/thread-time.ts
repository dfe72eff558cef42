// The CPU time of the calling thread, for the parallel BFS's per-thread figures
// (MMCHECK_THREAD_TIMES): user + system time from /proc/thread-self/stat on Linux, else NaN.
import { readFileSync } from 'node:fs';
import { grouped } from '../../io/grouped.js';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * Only MMCHECK_THREAD_TIMES prints the figures, so only then is /proc read: two reads per
 * search were 4% of the soundness property's CPU (thousands of small searches).
 */
const WANTED = process.env.MMCHECK_THREAD_TIMES !== undefined;

/** Milliseconds of CPU this thread has used, or NaN where /proc is not there or nobody asked. */
export function threadCpuMs(): number {
  if (!WANTED) return Number.NaN;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/** A thread's share of a search: CPU milliseconds, and milliseconds busy (not waiting for the others). */
export interface ThreadTimes {
  cpuMs: number;
  busyMs: number;
  /** A worker thread's CPU milliseconds building its system before it could join. */
  buildMs?: number;
  /** The states the thread expanded (the parallel BFS): how evenly the work was divided. */
  states?: number;
  /** The coordinating thread's wall time making next levels, while the others filter, index or wait. */
  betweenMs?: number;
  /** The coordinating thread's wall time waiting at the end of levels for the others to finish theirs. */
  levelEndMs?: number;
  /** The coordinating thread's wall time evening out levels (blocks handed over, the shared tail). */
  balanceMs?: number;
}

/**
 * With MMCHECK_THREAD_TIMES set, writes each thread's times to stderr: the figures behind
 * docs/search.md's parallel efficiency and balance.
 */
export function reportThreadTimes(times: ThreadTimes[]): void {
  if (process.env.MMCHECK_THREAD_TIMES === undefined) return;
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const each = times.map(
    (t, i) =>
      `thread ${i}: ${s(t.cpuMs)} CPU, ${s(t.busyMs)} busy${t.buildMs === undefined ? '' : `, ${s(t.buildMs)} building`}` +
      (t.states === undefined ? '' : `, ${grouped(t.states)} states`) +
      (t.betweenMs === undefined ? '' : `, ${s(t.betweenMs)} between levels`) +
      (t.balanceMs === undefined ? '' : `, ${s(t.balanceMs)} balancing`) +
      (t.levelEndMs === undefined ? '' : `, ${s(t.levelEndMs)} waiting at levels' ends`),
  );
  process.stderr.write(`BFS threads: ${each.join('; ')}\n`);
}
