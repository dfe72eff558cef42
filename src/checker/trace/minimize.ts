// Counterexample minimisation: the schedule with the fewest preemptions, then the fewest
// steps, that ends in the same violation (same kind, same source position).
//
// Iterative preemption bounding (Musuvathi & Qadeer, PLDI 2007) over the same system: for
// k = 0, 1, 2, … a breadth-first search of the schedules with at most k preemptions, until
// one reaches the violation. BFS returns a shortest such schedule, and a bound k that was
// searched completely without finding it proves that no schedule with k preemptions exists;
// so when every smaller bound completed, the result is minimal in both measures. A round
// that hits the state or time budget is recorded as incomplete and the result is then only
// "no worse than the original", never claimed minimal.
//
// The bound and the goal are a TransitionSystem wrapper (systems/bounded-goal.ts), so the
// project's BFS explorer and fingerprint store do the work. Each round gets a fresh system
// (makeSystem: explore and check hand a compile-once factory, model/compile.ts
// systemFactory), and every candidate is re-checked by replaying it on a fresh system
// before it is accepted.
import { grouped } from '../../io/grouped.js';
import type { ModelSystem } from '../../model/model-system.js';
import { threadSymmetry } from '../../model/symmetry.js';
import type { Violation } from '../../model/system.js';
import { DEFAULT_OPTIONS, type ScheduleEntry } from '../result.js';
import { exploreBfs } from '../search/bfs.js';
import { BoundedGoalSystem, sameViolation } from '../systems/bounded-goal.js';
import { preemptionPoints } from './preemptions.js';
import { type Replay, replaySchedule } from './record.js';
import { simplifySchedule } from './simplify.js';

export interface MinimizeOptions {
  /** States each bounded search may store before it gives up (incomplete). */
  maxStates: number;
  /** Wall-clock budget for the whole minimisation. */
  maxSeconds: number;
  /** Ctrl-C: true stops the minimisation (the schedule found so far is kept). */
  interrupted?: (() => boolean) | undefined;
  /** The bounded searches store one state per orbit of identical threads (the default). */
  symmetry: boolean;
  /**
   * The schedule is a shortest one to its violation: a breadth-first search found it, level by
   * level, with no partial-order reduction or bit array (shortestFound). Then once every bound
   * below its preemptions was searched without the violation, it is minimal in both measures,
   * and the search of its own bound, the largest of them, is not needed.
   */
  shortest?: boolean;
}

export const DEFAULT_MINIMIZE: MinimizeOptions = { maxStates: 2_000_000, maxSeconds: 60, symmetry: true };

export interface ScheduleSize {
  steps: number;
  preemptions: number;
}

export interface MinimizeRound {
  bound: number;
  states: number;
  outcome: 'none' | 'found' | 'incomplete';
}

export interface Minimized {
  schedule: ScheduleEntry[];
  violation: Violation;
  before: ScheduleSize;
  after: ScheduleSize;
  /** Every bound below `after.preemptions` was searched completely without the violation. */
  proved: boolean;
  rounds: MinimizeRound[];
}

/** Steps and preemptions of a schedule, by replaying it. */
export function scheduleSize(sys: ModelSystem, schedule: readonly ScheduleEntry[]): ScheduleSize {
  const r = replaySchedule(sys, schedule);
  return { steps: schedule.length, preemptions: preemptionPoints(sys, schedule, r.states).length };
}

export async function minimizeSchedule(
  makeSystem: () => ModelSystem,
  schedule: readonly ScheduleEntry[],
  violation: Violation,
  options: Partial<MinimizeOptions> = {},
): Promise<Minimized> {
  const opts = { ...DEFAULT_MINIMIZE, ...options };
  const first = makeSystem();
  const before = scheduleSize(first, schedule);
  // Whatever reductions the caller's system has, the bounded searches store one state per
  // orbit of identical threads: the schedules they find are concrete, and replayed below.
  const symmetry = opts.symmetry ? threadSymmetry(first.program) : null;
  const deadline = performance.now() + opts.maxSeconds * 1000;
  // The reordering pass first (simplify.ts), within a third of the budget: the bounded
  // searches below then have fewer bounds to go through, and a better schedule to fall back on.
  const original: Minimized = simplified(makeSystem, schedule, violation, before, opts.maxSeconds / 3);
  const base = original.after;
  let allComplete = true;
  for (let k = 0; k <= base.preemptions; k++) {
    const seconds = (deadline - performance.now()) / 1000;
    if (seconds <= 0 || opts.interrupted?.() === true) break;
    // No schedule is shorter than a shortest one, so this bound's search could only find one
    // as long (and as preempted) as `base`: keep it, when it reproduces the violation alone.
    if (
      k === base.preemptions &&
      opts.shortest === true &&
      base.steps <= before.steps &&
      endsIn(replaySchedule(makeSystem(), original.schedule), original.violation)
    )
      return { ...original, proved: allComplete };
    const bounded = new BoundedGoalSystem(makeSystem(), violation, k, symmetry);
    const search = {
      ...DEFAULT_OPTIONS,
      mode: 'bfs' as const,
      livelock: false,
      maxStates: opts.maxStates,
      maxSeconds: seconds,
    };
    if (opts.interrupted !== undefined) search.interrupted = opts.interrupted;
    const r = exploreBfs(bounded, search);
    const v = r.verdict;
    if (v.kind === 'pass') {
      original.rounds.push({ bound: k, states: r.stats.states, outcome: 'none' });
      continue;
    }
    if (v.kind === 'incomplete') {
      original.rounds.push({ bound: k, states: r.stats.states, outcome: 'incomplete' });
      allComplete = false;
      continue;
    }
    original.rounds.push({ bound: k, states: r.stats.states, outcome: 'found' });
    const check = makeSystem();
    const replay = replaySchedule(check, v.schedule);
    if (!endsIn(replay, violation)) {
      // A guard: a step depends only on the state (lock-order edges and RCU/SRCU history are
      // state words), so a schedule the bounded search found replays; if one ever did not,
      // the original is kept.
      allComplete = false;
      continue;
    }
    const after = { steps: v.schedule.length, preemptions: preemptionPoints(check, v.schedule, replay.states).length };
    if (after.preemptions > base.preemptions || (after.preemptions === base.preemptions && after.steps > base.steps))
      break;
    return {
      schedule: v.schedule,
      violation: replay.violation,
      before,
      after,
      proved: allComplete,
      rounds: original.rounds,
    };
  }
  return original;
}

/** Whether a replay ran its whole schedule and ended in `violation` (the same kind at the same place). */
export function endsIn(replay: Replay, violation: Violation): replay is Replay & { violation: Violation } {
  return replay.diverged === undefined && replay.violation !== null && sameViolation(replay.violation, violation);
}

/**
 * Whether a search's counterexample is a shortest schedule to its violation: a breadth-first
 * search expands the states of depth d before any of depth d + 1 and stops at the first
 * violation, so none is reachable in fewer steps — on one thread or several (the parallel BFS
 * reports the one-thread BFS's), with symmetry (identical threads' states are as deep) and
 * dead-local resets (they change no path's length). Not with ample sets (a reduced graph's
 * paths may be longer), a bit array (a collision drops a state, and the paths through it), a
 * partition (a part explores some paths only) or a livelock (a stem and a loop).
 */
export function shortestFound(
  mode: string,
  options: { reduce?: ReadonlySet<string> | undefined; bitstate?: number | undefined; partition?: unknown },
  loop: number | undefined,
): boolean {
  if (mode !== 'bfs' || loop !== undefined || (options.bitstate ?? 0) > 0 || options.partition !== undefined)
    return false;
  return options.reduce?.has('por') !== true;
}

/** The schedule as given, or as simplify.ts reorders it when that replays to the violation on a fresh system. */
function simplified(
  makeSystem: () => ModelSystem,
  schedule: readonly ScheduleEntry[],
  violation: Violation,
  before: ScheduleSize,
  seconds: number,
): Minimized {
  const original: Minimized = { schedule: [...schedule], violation, before, after: before, proved: false, rounds: [] };
  if (before.preemptions === 0) return original;
  const shorter = simplifySchedule(makeSystem(), schedule, violation, performance.now() + seconds * 1000);
  if (shorter === null) return original;
  const check = makeSystem();
  const replay = replaySchedule(check, shorter);
  if (!endsIn(replay, violation)) return original;
  const after = { steps: shorter.length, preemptions: preemptionPoints(check, shorter, replay.states).length };
  return { ...original, schedule: shorter, violation: replay.violation, after };
}

/** The minimisation summary a person reads: "minimised: 23 → 18 steps, 4 → 1 preemptions". */
export function describeMinimized(m: Minimized): string {
  const s = `minimised: ${m.before.steps} → ${m.after.steps} steps, ${m.before.preemptions} → ${m.after.preemptions} preemptions`;
  const searched = m.rounds.filter((r) => r.bound < m.after.preemptions);
  if (m.proved && searched.length > 0) {
    const states = grouped(searched.reduce((n, r) => n + r.states, 0));
    return `${s} (minimal: the complete search with at most ${m.after.preemptions - 1} preemptions, ${states} states, does not reach it)`;
  }
  if (m.proved) return `${s} (minimal: no schedule has fewer preemptions than 0)`;
  return `${s} (not proved minimal: a bounded search hit its budget)`;
}
