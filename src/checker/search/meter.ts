// Bounds, progress and statistics, written once for every explorer mode: each mode polls
// one SearchMeter between transitions and ends with it, so the clock, Ctrl-C, the progress
// line, memory sampling and the wording of an incomplete verdict are the same everywhere.
import { getHeapStatistics } from 'node:v8';
import { grouped, plural } from '../../io/grouped.js';
import type { Violation } from '../../model/system.js';
import { HEAP_SHARE, mib } from '../memory.js';
import {
  type Bound,
  type BudgetBound,
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
/** check() aims at one call every 4 to 40 ms: it widens its mask when calls come faster, narrows it when slower. */
const CHECK_MIN_MS = 4;
const CHECK_MAX_MS = 40;

/**
 * Resident memory for the peak figure at a search's start and end, read again only when the
 * last reading is older than RSS_CACHE_MS. Reading it is a read of /proc (44 us on a quiet
 * machine, but 9 ms on average on the loaded 2-core CI machine): symmetry.test.ts, which runs
 * 1,500 small searches, spent 27 s of its 79 s in its 3,006 readings. The --max-memory check
 * (sampleMemory) always reads afresh.
 */
const RSS_CACHE_MS = 100;
let rssValue = 0;
let rssAt = Number.NEGATIVE_INFINITY;

/** Where every reading of resident memory comes from; a test pins it to a value (bounds.test.ts). */
export const memoryProbe = { rss: (): number => process.memoryUsage.rss() };

function recentRss(): number {
  const now = performance.now();
  if (now - rssAt >= RSS_CACHE_MS) freshRss();
  return rssValue;
}

function freshRss(): number {
  rssValue = memoryProbe.rss();
  rssAt = performance.now();
  return rssValue;
}

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
  private lastCheckMs = this.startMs;
  /** Call check() when `(counter & mask) === 0`: between 0 and POLL_MASK, adapted by check(). */
  mask = 0;
  /** What stopped a search at 'max-memory': the resident memory, or the JS heap, and its limit. */
  private memoryNote = '';
  /** 'max-memory' when the process held more than --max-memory as the search started: check() returns it. */
  private pastAtStart: Bound | null = null;

  constructor(private readonly opts: ExploreOptions) {
    this.stats.peakMemoryBytes = recentRss();
    // Memory is sampled every RSS_MS, so a search shorter than that was never held to a bound
    // the process had already passed (node alone holds ~40 MiB) and could pass under it: such a
    // search stops at its first check instead. The reading is the cached one (at most
    // RSS_CACHE_MS old, no system call); one over the bound is read afresh before it stops anything.
    if (this.stats.peakMemoryBytes >= opts.maxMemory) this.checkStart();
  }

  private checkStart(): void {
    const rss = freshRss();
    this.stats.peakMemoryBytes = rss;
    if (rss < this.opts.maxMemory) return;
    this.memoryNote = `the process already held ${mib(rss)} when the search started, more than --max-memory ${mib(this.opts.maxMemory)}`;
    this.pastAtStart = 'max-memory';
  }

  /**
   * check() plus shouldStop: call every POLL_MASK + 1 expansions (a fixed count, so that a
   * shouldStop that counts its calls sees the same search on every run, auto.ts).
   */
  poll(queue: number): Bound | null {
    const bound = this.check(queue);
    if (bound !== null) return bound;
    return this.opts.shouldStop?.() === true ? 'interrupted' : null;
  }

  /**
   * The clock, the interrupt flag, memory and progress: the bound that stops the search now,
   * or null. Call when `(counter & meter.mask) === 0`, in inner loops too: the mask adapts so
   * that calls come every few milliseconds, however long one step of the search takes.
   */
  check(queue: number): Bound | null {
    const now = performance.now();
    const gap = now - this.lastCheckMs;
    this.lastCheckMs = now;
    if (gap < CHECK_MIN_MS) this.mask = Math.min(this.mask * 2 + 1, POLL_MASK);
    else if (gap > CHECK_MAX_MS) this.mask >>= 1;
    if (this.pastAtStart !== null) return this.pastAtStart;
    if (now - this.startMs >= this.opts.maxSeconds * 1000) return 'max-seconds';
    if (this.opts.interrupted?.() === true) return 'interrupted';
    if (now - this.lastRssMs >= RSS_MS) {
      this.lastRssMs = now;
      if (this.sampleMemory()) return 'max-memory';
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
    const rss = recentRss();
    if (rss > this.stats.peakMemoryBytes) this.stats.peakMemoryBytes = rss;
  }

  /** Samples memory; true when it is over --max-memory or the JS heap nears V8's limit. */
  private sampleMemory(): boolean {
    const rss = freshRss();
    if (rss > this.stats.peakMemoryBytes) this.stats.peakMemoryBytes = rss;
    if (rss >= this.opts.maxMemory) {
      this.memoryNote = `stopped at --max-memory ${mib(this.opts.maxMemory)} (resident memory ${mib(rss)})`;
      return true;
    }
    // process.memoryUsage().heapUsed is this figure; reading it there would read RSS a second time.
    const { used_heap_size: heapUsed, heap_size_limit: heap } = getHeapStatistics();
    if (heapUsed >= heap * HEAP_SHARE) {
      this.memoryNote = `stopped with the JS heap at ${mib(heapUsed)} of V8's limit ${mib(heap)}`;
      return true;
    }
    return false;
  }

  /**
   * Whether `bytes` more (a table about to double) would take resident memory past
   * --max-memory: RSS is sampled every 250 ms, and a table of 64 MiB doubled between two
   * samples went 72 MiB past a bound of 400. True (the bound's note set) when it would.
   */
  noRoomFor(bytes: number, what: string): boolean {
    const rss = freshRss();
    if (rss + bytes < this.opts.maxMemory) return false;
    this.memoryNote = `stopped at --max-memory ${mib(this.opts.maxMemory)} (resident memory ${mib(rss)}; ${what} would take ${mib(bytes)} more)`;
    return true;
  }

  /** A FingerprintStore's roomFor: its growth must fit under --max-memory (noRoomFor). */
  readonly tableRoom = (bytes: number): boolean => !this.noRoomFor(bytes, 'growing the table of visited states');

  /**
   * Ends a search at the memory bound from outside check() (a table that cannot grow). A note
   * already set says why more precisely (noRoomFor refused the growth) and is kept: the note
   * is set only where the search stops.
   */
  memoryFull(what: string): Bound {
    this.memoryNote ||= `stopped at the memory bound: ${what}`;
    return 'max-memory';
  }

  /**
   * The incomplete verdict for `bound`: what was covered, what was left. `cut` counts states
   * at maxDepth that had enabled moves; `pending` the states queued/stacked unexpanded.
   */
  incomplete(bound: Bound, cut: number, pending: number, pendingWhere: string): Verdict {
    const why = bound === 'max-memory' && this.memoryNote !== '' ? this.memoryNote : boundWhy(bound, this.opts);
    return incompleteVerdict(bound, why, this.opts, this.stats, { cut, pending, pendingWhere });
  }
}

/**
 * What stopped a search at `bound`, in the words of its flag ("stopped after --max-seconds 3"),
 * or of the scenario's budget where that set it ("stopped at the scenario's budget(states: 40)").
 */
export function boundWhy(bound: Bound, o: ExploreOptions): string {
  const by = (key: BudgetBound, flag: string, budget: string): string =>
    o.budgeted?.includes(key) === true ? `the scenario's budget(${budget})` : flag;
  const why: Record<Bound, string> = {
    'max-depth': `reached ${by('maxDepth', `--max-depth ${o.maxDepth}`, `depth: ${o.maxDepth}`)}`,
    'max-states': `stopped at ${by('maxStates', `--max-states ${grouped(o.maxStates)}`, `states: ${o.maxStates}`)}`,
    'max-seconds': `stopped after ${by('maxSeconds', `--max-seconds ${o.maxSeconds}`, `seconds: ${o.maxSeconds}`)}`,
    'max-memory': `stopped at --max-memory ${mib(o.maxMemory)}`,
    interrupted: 'interrupted',
    'preemption-bound': `stopped by --preemption-bound ${o.preemptionBound}`,
    executions: `sampled ${grouped(o.executions)} executions`,
    simulation: `simulated ${grouped(o.executions)} runs`,
    bitstate: 'bitstate search ended',
  };
  return why[bound];
}

/**
 * `why: explored S states to depth D`, then the states left unexpanded: `left.pending` in
 * `left.pendingWhere`, `left.cut` at --max-depth.
 */
export function incompleteVerdict(
  bound: Bound,
  why: string,
  o: ExploreOptions,
  s: { states: number; maxDepth: number },
  left: { cut: number; pending: number; pendingWhere: string },
): Verdict {
  const parts = [`${why}: explored ${plural(s.states, 'state')} to depth ${s.maxDepth}`];
  if (left.pending > 0) parts.push(`${plural(left.pending, 'state')} ${left.pendingWhere} not expanded`);
  if (left.cut > 0) parts.push(`${plural(left.cut, 'state')} at depth ${o.maxDepth} not expanded`);
  return { kind: 'incomplete', bound, detail: parts.join('; ') };
}
