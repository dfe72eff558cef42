// Bounds, progress and statistics, written once for every explorer mode: each mode polls
// one SearchMeter between transitions and ends with it, so the clock, Ctrl-C, the progress
// line, memory sampling and the wording of an incomplete verdict are the same everywhere.
import type { Violation } from '../../model/system.js';
import {
  type Bound,
  type ExploreOptions,
  type ExploreResult,
  emptyStats,
  type Mode,
  type PorVariant,
  type ScheduleEntry,
  type Stats,
  type Verdict,
} from '../result.js';

/** Expansions between two polls of the clock, shouldStop and RSS (stored-state and random modes). */
export const POLL_MASK = 1023;
const PROGRESS_MS = 1000;
const RSS_MS = 250;

/** A violation a search found, and the schedule that reaches it. */
export interface Found {
  violation: Violation;
  schedule: ScheduleEntry[];
  /** A livelock: the schedule's entries from this index on are a loop that returns to the state before it. */
  loop?: number;
}

/** Bounds, progress and statistics common to every explorer mode. */
export class SearchMeter {
  readonly stats: Stats = emptyStats();
  private readonly startMs = performance.now();
  private lastProgressMs = this.startMs;
  private lastRssMs = this.startMs;

  constructor(private readonly opts: ExploreOptions) {
    this.stats.peakMemoryBytes = process.memoryUsage.rss();
  }

  /** Call every POLL_MASK + 1 expansions: the bound that stops the search now, or null. */
  poll(queue: number): Bound | null {
    const now = performance.now();
    if (now - this.startMs >= this.opts.maxSeconds * 1000) return 'max-seconds';
    if (this.opts.shouldStop?.()) return 'interrupted';
    if (now - this.lastRssMs >= RSS_MS) {
      this.lastRssMs = now;
      this.sampleRss();
    }
    if (this.opts.onProgress && now - this.lastProgressMs >= PROGRESS_MS) {
      this.lastProgressMs = now;
      this.update(now, queue);
      this.opts.onProgress({ ...this.stats });
    }
    return null;
  }

  /** Final figures; the meter's stats object is complete afterwards. */
  finish(mode: Mode, queue: number, verdict: Verdict, por?: PorVariant): ExploreResult {
    this.sampleRss();
    this.update(performance.now(), queue);
    return por === undefined ? { verdict, stats: this.stats, mode } : { verdict, stats: this.stats, mode, por };
  }

  /**
   * The end of a search: its violation if it found one; else incomplete if a bound stopped it
   * or `cut` states were cut at maxDepth (`pending` still unexpanded, `pendingWhere`); else pass.
   */
  conclude(
    mode: Mode,
    found: Found | null,
    stop: { bound: Bound | null; cut: number; pending: number; pendingWhere: string },
  ): ExploreResult {
    if (found !== null) return this.finish(mode, stop.pending, { kind: 'violation', ...found });
    const bound = stop.bound ?? (stop.cut > 0 ? 'max-depth' : null);
    const verdict: Verdict =
      bound === null ? { kind: 'pass' } : this.incomplete(bound, stop.cut, stop.pending, stop.pendingWhere);
    return this.finish(mode, stop.pending, verdict);
  }

  private update(now: number, queue: number): void {
    const s = this.stats;
    s.queue = queue;
    s.seconds = (now - this.startMs) / 1000;
    s.statesPerSecond = s.seconds > 0 ? Math.round(s.states / s.seconds) : 0;
  }

  private sampleRss(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.stats.peakMemoryBytes) this.stats.peakMemoryBytes = rss;
  }

  /**
   * The incomplete verdict for `bound`: what was covered, what was left. `cut` counts states
   * at maxDepth that had enabled moves; `pending` the states queued/stacked unexpanded.
   */
  incomplete(bound: Bound, cut: number, pending: number, pendingWhere: string): Verdict {
    const o = this.opts;
    const s = this.stats;
    const why: Record<Bound, string> = {
      'max-depth': `reached --max-depth ${o.maxDepth}`,
      'max-states': `stopped at --max-states ${count(o.maxStates)}`,
      'max-seconds': `stopped after --max-seconds ${o.maxSeconds}`,
      interrupted: 'interrupted',
      'preemption-bound': `stopped by --preemption-bound ${o.preemptionBound}`,
      executions: `sampled ${count(o.executions)} executions`,
    };
    const parts = [`${why[bound]}: explored ${count(s.states)} states to depth ${s.maxDepth}`];
    if (pending > 0) parts.push(`${count(pending)} states ${pendingWhere} not expanded`);
    if (cut > 0) parts.push(`${count(cut)} states at depth ${o.maxDepth} not expanded`);
    return { kind: 'incomplete', bound, detail: parts.join('; ') };
  }
}

/** 1234567 -> "1,234,567". */
export function count(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
}
