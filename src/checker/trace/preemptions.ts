// Preemptions of a schedule: a context switch away from a thread that could have continued
// (Musuvathi & Qadeer, "Iterative context bounding", PLDI 2007). Switching away from a
// thread that is blocked or finished is free; so is the first step. Environment entities
// (deferred RCU callbacks) count like threads: running a callback while a thread could go on
// preempts that thread.
import type { TransitionSystem } from '../../model/system.js';
import type { ScheduleEntry } from '../result.js';

/**
 * The 1-based indices of the steps that preempt another thread, given the states the
 * schedule passes through (`states[i]` is the state before step i + 1, as in Replay).
 */
export function preemptionPoints(
  sys: TransitionSystem,
  schedule: readonly ScheduleEntry[],
  states: readonly Int32Array[],
): number[] {
  const out: number[] = [];
  for (let i = 1; i < schedule.length && i < states.length; i++) {
    const prev = schedule[i - 1]!.thread;
    const cur = schedule[i]!.thread;
    if (cur !== prev && prev >= 0 && prev < sys.threadCount && sys.choices(states[i]!, prev) > 0) out.push(i + 1);
  }
  return out;
}

/** Whether thread `next` stepping in state `s` right after `last` is a preemption. */
export function isPreemption(sys: TransitionSystem, s: Int32Array, last: number, next: number): boolean {
  return last >= 0 && next !== last && sys.choices(s, last) > 0;
}
