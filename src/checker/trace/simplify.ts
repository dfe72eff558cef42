// A cheap first pass of counterexample minimisation (minimize.ts): fewer preemptions by
// reordering the schedule, each candidate checked by re-running it. A random walk's
// counterexample switches threads at almost every step (40 preemptions in 57 steps on the seed
// benchmark at K = 8), far beyond what the bounded searches of minimize.ts reach in their
// budget; this pass brings it down to a few, and those searches start from there.
//
// The move (in the spirit of Jalbert & Sen, "A trace simplification technique for effective
// debugging of concurrent programs", FSE 2010): at a preemption, where thread p could have
// gone on but u ran, let p go on: move p's next m steps (m = all it has left, then fewer) to
// just before u's step; or let u wait: move u's run of steps to a later place. Each thread keeps the order of its own steps and choices, so the
// candidate is one more interleaving of the same steps; it is kept when it still ends in the
// same violation (kind and source position) with fewer preemptions, or as many and fewer
// steps. Greedy, repeated until no move helps or the time is up.

import type { ModelSystem } from '../../model/model-system.js';
import type { Violation } from '../../model/system.js';
import {
  Footprint,
  STEP_OK,
  STEP_VIOLATION,
  STEP_WARNING,
  type TransitionSystem,
  WARNING_KINDS,
} from '../../model/system.js';
import type { ScheduleEntry } from '../result.js';
import { sameViolation } from '../systems/bounded-goal.js';
import { isPreemption } from './preemptions.js';

/** A schedule that ends in the goal violation, with its preemption points (0-based step indices). */
interface Candidate {
  schedule: ScheduleEntry[];
  preemptions: number[];
}

/**
 * The schedule simplified: fewer preemptions (or as many and fewer steps) than `schedule`,
 * ending in the same violation on `sys`; or null when no move helped before `deadline`
 * (performance.now() milliseconds).
 */
export function simplifySchedule(
  sys: ModelSystem,
  schedule: readonly ScheduleEntry[],
  goal: Violation,
  deadline: number,
): ScheduleEntry[] | null {
  sys.continuePast(WARNING_KINDS);
  try {
    const start = run(sys, schedule, goal);
    if (start === null) return null;
    let best: Candidate = start;
    for (let better = true; better && performance.now() < deadline; ) {
      better = false;
      for (const i of best.preemptions) {
        const next: Candidate | null =
          letItGoOn(sys, best, i, goal, deadline) ?? postpone(sys, best, i, goal, deadline);
        if (next !== null) {
          best = next;
          better = true;
          break;
        }
      }
    }
    return best === start ? null : best.schedule;
  } finally {
    sys.continuePast(null);
  }
}

/** At preemption i, the previous thread's next steps moved before step i: the first candidate that is better. */
function letItGoOn(
  sys: TransitionSystem,
  cur: Candidate,
  i: number,
  goal: Violation,
  deadline: number,
): Candidate | null {
  const s = cur.schedule;
  const p = s[i - 1]!.thread;
  const later: number[] = [];
  for (let j = i + 1; j < s.length; j++) if (s[j]!.thread === p) later.push(j);
  for (let m = later.length; m >= 1 && performance.now() < deadline; m--) {
    const moved = new Set(later.slice(0, m));
    const candidate = [...s.slice(0, i), ...later.slice(0, m).map((j) => s[j]!)];
    for (let j = i; j < s.length; j++) if (!moved.has(j)) candidate.push(s[j]!);
    const c = run(sys, candidate, goal);
    if (c !== null && better(c, cur)) return c;
  }
  return null;
}

/** At preemption i, the preempting thread's run of steps moved later, to each later place in turn: the first better candidate. */
function postpone(
  sys: TransitionSystem,
  cur: Candidate,
  i: number,
  goal: Violation,
  deadline: number,
): Candidate | null {
  const s = cur.schedule;
  const u = s[i]!.thread;
  let end = i + 1;
  while (end < s.length && s[end]!.thread === u) end++;
  const block = s.slice(i, end);
  const rest = [...s.slice(0, i), ...s.slice(end)];
  for (let q = i + 1; q <= rest.length && performance.now() < deadline; q++) {
    const c = run(sys, [...rest.slice(0, q), ...block, ...rest.slice(q)], goal);
    if (c !== null && better(c, cur)) return c;
  }
  return null;
}

/** Fewer preemptions, or as many and fewer steps. */
function better(c: Candidate, than: Candidate): boolean {
  const a = c.preemptions.length;
  const b = than.preemptions.length;
  return a < b || (a === b && c.schedule.length < than.schedule.length);
}

/**
 * Runs `schedule` on `sys` from its initial state: the candidate (cut where the goal occurs)
 * when it ends in the goal violation, else null (a step not enabled, another violation, none).
 */
function run(sys: TransitionSystem, schedule: readonly ScheduleEntry[], goal: Violation): Candidate | null {
  const init = sys.initial();
  if (!('state' in init)) return null;
  let s: Int32Array = init.state;
  let out: Int32Array = new Int32Array(s.length);
  const fp = new Footprint();
  const preemptions: number[] = [];
  for (let i = 0; i < schedule.length; i++) {
    const { thread, choice } = schedule[i]!;
    if (choice >= sys.choices(s, thread)) return null;
    if (i > 0 && isPreemption(sys, s, schedule[i - 1]!.thread, thread)) preemptions.push(i);
    const r = sys.step(s, thread, choice, out, fp);
    if (r === STEP_VIOLATION || (r === STEP_WARNING && i === schedule.length - 1)) {
      const ok = sameViolation(sys.lastViolation(), goal);
      return ok ? { schedule: schedule.slice(0, i + 1), preemptions } : null;
    }
    if (r !== STEP_OK && r !== STEP_WARNING) return null;
    [s, out] = [out, s === init.state ? new Int32Array(s.length) : s];
  }
  for (let t = 0; t < sys.threadCount; t++) if (sys.choices(s, t) > 0) return null;
  const v = sys.terminal(s);
  return v !== null && sameViolation(v, goal) ? { schedule: [...schedule], preemptions } : null;
}
