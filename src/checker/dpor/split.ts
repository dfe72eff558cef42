// A DPOR search split into tasks (docs/distributed.md): each task is a subtree of the
// exploration tree handed over by the worker that owned it (handover.ts), explored with the
// branches its own races add above it. parallel/dpor-parallel.ts runs the tasks on worker
// threads; exploreDporSplit runs them one after another on this thread, handing over as if
// `workers` workers were there, which makes every split reproducible (the tests use it).
//
// Tally adds the tasks' results up: a violation in any task wins; else the first bound that
// stopped a task makes the whole incomplete; else pass. The counts are sums over the tasks:
// the replayed paths and the executions two tasks both explored are counted each time.
import type { TransitionSystem } from '../../model/system.js';
import type { ExploreOptions, ExploreResult, Stats, Verdict } from '../result.js';
import { emptyStats } from '../result.js';
import { boundWhy, incompleteVerdict, SearchMeter } from '../search/meter.js';
import { type DporTask, rootTask } from './handover.js';
import { type DporHooks, exploreDporTask } from './search.js';

export class Tally {
  readonly stats: Stats = emptyStats();
  violation: Verdict | null = null;
  incomplete: Verdict | null = null;
  /** The first task that finished with executions cut by --max-depth or the preemption bound. */
  cut: Verdict | null = null;
  tasks = 0;
  /** Transitions spent replaying the paths of handed-over tasks. */
  replayed = 0;
  /** Executions the tasks cut at --max-depth with threads still able to move. */
  depthCuts = 0;

  add(task: DporTask, r: ExploreResult): void {
    const s = this.stats;
    this.tasks++;
    this.replayed += task.prefix.length;
    s.states += r.stats.states;
    s.transitions += r.stats.transitions;
    s.executions += r.stats.executions;
    s.sleepBlocked += r.stats.sleepBlocked;
    s.maxDepth = Math.max(s.maxDepth, r.stats.maxDepth);
    s.peakMemoryBytes = Math.max(s.peakMemoryBytes, r.stats.peakMemoryBytes);
    this.depthCuts += r.depthCuts ?? 0;
    const v = r.verdict;
    if (v.kind === 'violation') this.violation ??= v;
    else if (v.kind === 'incomplete' && (v.bound === 'max-depth' || v.bound === 'preemption-bound')) this.cut ??= v;
    else if (v.kind === 'incomplete') this.incomplete ??= v;
  }

  /**
   * Whether the search is over: a task found a violation or stopped at a bound. A task that
   * cut executions at --max-depth or the preemption bound has finished its subtree: the
   * others go on (a violation may still be found), and the whole is incomplete at the end.
   */
  get stopped(): boolean {
    return this.violation !== null || this.incomplete !== null;
  }

  /** The whole search's result; `meter` supplies the time and memory figures. */
  result(meter: SearchMeter, opts: ExploreOptions): ExploreResult {
    const verdict = this.violation ?? this.incomplete ?? this.cut ?? { kind: 'pass' };
    const r = meter.finish('dpor', 0, verdict.kind === 'incomplete' ? this.whole(verdict, opts) : verdict, opts.por);
    const seconds = r.stats.seconds;
    Object.assign(r.stats, this.stats, {
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(this.stats.states / seconds) : 0,
      peakMemoryBytes: Math.max(this.stats.peakMemoryBytes, r.stats.peakMemoryBytes),
    });
    return { ...r, split: { tasks: this.tasks, replayed: this.replayed } };
  }

  /**
   * One task's incomplete verdict said for the whole search: a task counts its own states and
   * was given what was left of the bounds (the seconds left, the states left), so its line
   * would name that bound and its own counts. What stopped it at the memory bound (resident
   * memory or V8's heap) is the task's own reading.
   */
  private whole(v: Verdict & { kind: 'incomplete' }, opts: ExploreOptions): Verdict {
    const why = v.bound === 'max-memory' ? v.detail.replace(/: explored .*$/, '') : boundWhy(v.bound, opts);
    return incompleteVerdict(v.bound, why, opts, this.stats, { cut: this.depthCuts, pending: 0, pendingWhere: '' });
  }
}

/** How exploreDporSplit hands over: as if `workers` workers were idle, at most every `every` nodes. */
export interface SplitPolicy {
  workers: number;
  every: number;
}

/**
 * The split search on this thread: the tasks run one after another, each handing over a
 * branch every `every` nodes while fewer than workers - 1 tasks wait. With `hooks.onViolation`
 * a violation does not stop the search (the oracle tests).
 */
export function exploreDporSplit(
  sys: TransitionSystem,
  opts: ExploreOptions,
  policy: SplitPolicy,
  hooks: DporHooks = {},
): ExploreResult {
  const meter = new SearchMeter(opts);
  const tally = new Tally();
  const queue: DporTask[] = [rootTask()];
  let nodes = 0;
  while (queue.length > 0 && !tally.stopped) {
    const task = queue.shift()!;
    const split = {
      task,
      wants: (): boolean => ++nodes % policy.every === 0 && queue.length < policy.workers - 1,
      give: (t: DporTask): void => {
        queue.push(t);
      },
      stop: (): null => null,
    };
    const left = opts.maxStates - tally.stats.states;
    tally.add(task, exploreDporTask(sys, { ...opts, maxStates: left }, split, hooks));
  }
  return tally.result(meter, opts);
}
