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
// The bound and the goal are a TransitionSystem wrapper, so the project's BFS explorer and
// fingerprint store do the work. Each round gets a fresh system (lock-order edges are
// remembered across one search), and every candidate is re-checked by replaying it on a
// fresh system before it is accepted.
import type { ModelSystem } from '../../model/model-system.js';
import { STEP_OK, STEP_VIOLATION, type Footprint, type TransitionSystem, type Violation } from '../../model/system.js';
import { WrappedSystem } from '../systems/wrapped.js';
import { exploreBfs } from '../search/bfs.js';
import { loadHasher } from '../search/fingerprint-store.js';
import { isPreemption, preemptionPoints } from './preemptions.js';
import { DEFAULT_OPTIONS, type ScheduleEntry } from '../result.js';
import { replaySchedule } from './record.js';

export interface MinimizeOptions {
  /** States each bounded search may store before it gives up (incomplete). */
  maxStates: number;
  /** Wall-clock budget for the whole minimisation. */
  maxSeconds: number;
}

export const DEFAULT_MINIMIZE: MinimizeOptions = { maxStates: 2_000_000, maxSeconds: 60 };

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

/** Same kind at the same source position: what "the same violation" means for minimising and replay. */
export function sameViolation(a: Violation, b: Violation): boolean {
  const at = (v: Violation): string => (v.span === undefined ? '-' : `${v.span.file}:${v.span.start}`);
  return a.kind === b.kind && at(a) === at(b);
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
  const hasher = await loadHasher();
  const before = scheduleSize(makeSystem(), schedule);
  const original: Minimized = { schedule: [...schedule], violation, before, after: before, proved: false, rounds: [] };
  const deadline = performance.now() + opts.maxSeconds * 1000;
  let allComplete = true;
  for (let k = 0; k <= before.preemptions; k++) {
    const seconds = (deadline - performance.now()) / 1000;
    if (seconds <= 0) break;
    const bounded = new BoundedGoalSystem(makeSystem(), violation, k);
    const r = exploreBfs(
      bounded,
      { ...DEFAULT_OPTIONS, mode: 'bfs', maxStates: opts.maxStates, maxSeconds: seconds },
      hasher,
    );
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
    if (replay.diverged !== undefined || replay.violation === null || !sameViolation(replay.violation, violation)) {
      // Only possible when the violation depends on history outside the state (lock-order
      // edges seen on other paths): keep the original.
      allComplete = false;
      continue;
    }
    const after = { steps: v.schedule.length, preemptions: preemptionPoints(check, v.schedule, replay.states).length };
    if (
      after.preemptions > before.preemptions ||
      (after.preemptions === before.preemptions && after.steps > before.steps)
    )
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

/** The minimisation summary a person reads: "minimised: 23 → 18 steps, 4 → 1 preemptions". */
export function describeMinimized(m: Minimized): string {
  const s = `minimised: ${m.before.steps} → ${m.after.steps} steps, ${m.before.preemptions} → ${m.after.preemptions} preemptions`;
  const searched = m.rounds.filter((r) => r.bound < m.after.preemptions);
  if (m.proved && searched.length > 0) {
    const states = searched.reduce((n, r) => n + r.states, 0).toLocaleString('en-US');
    return `${s} (minimal: the complete search with at most ${m.after.preemptions - 1} preemptions, ${states} states, does not reach it)`;
  }
  if (m.proved) return `${s} (minimal: no schedule has fewer preemptions than 0)`;
  return `${s} (not proved minimal: a bounded search hit its budget)`;
}

const SINK = 0;
const LAST = 1;
const USED = 2;

/**
 * The system restricted to schedules with at most `bound` preemptions, in which only `goal`
 * counts as a violation: a step raising any other violation leads to a sink state with no
 * successors (as in systems/target.ts). Three words ride at the end of the state: the sink flag,
 * the last thread that stepped (-1 once it can no longer continue, so equal states merge)
 * and the preemptions used so far.
 */
export class BoundedGoalSystem extends WrappedSystem {
  private violation: Violation | null = null;

  constructor(
    inner: TransitionSystem,
    readonly goal: Violation,
    readonly bound: number,
  ) {
    super(inner, 3);
  }

  override initial(): { state: Int32Array } | { violation: Violation } {
    const init = super.initial();
    if ('state' in init) init.state[this.base + LAST] = -1;
    return init;
  }
  override choices(s: Int32Array, t: number): number {
    if (s[this.base + SINK] === 1) return 0;
    const n = this.inner.choices(s, t);
    if (n === 0) return 0;
    if (s[this.base + USED]! >= this.bound && isPreemption(this.inner, s, s[this.base + LAST]!, t)) return 0;
    return n;
  }
  override step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    const b = this.base;
    const preempts = isPreemption(this.inner, s, s[b + LAST]!, t);
    const r = this.inner.step(s, t, choice, out, fp);
    out[b + SINK] = 0;
    out[b + USED] = s[b + USED]! + (preempts ? 1 : 0);
    if (r === STEP_VIOLATION) {
      const v = this.inner.lastViolation();
      if (sameViolation(v, this.goal)) {
        this.violation = v;
        return STEP_VIOLATION;
      }
      out[b + SINK] = 1;
      out[b + LAST] = -1;
      return STEP_OK;
    }
    out[b + LAST] = this.inner.choices(out, t) > 0 ? t : -1;
    return STEP_OK;
  }
  override lastViolation(): Violation {
    return this.violation ?? this.inner.lastViolation();
  }
  override isFinished(s: Int32Array, t: number): boolean {
    return s[this.base + SINK] === 1 || this.inner.isFinished(s, t);
  }
  override terminal(s: Int32Array): Violation | null {
    if (s[this.base + SINK] === 1) return null;
    const v = this.inner.terminal(s);
    return v !== null && sameViolation(v, this.goal) ? v : null;
  }
}
