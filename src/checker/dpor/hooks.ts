// The hooks of the stateless DPOR search (search.ts): for tests and tooling, and for one
// worker's part of a split search (split.ts).
import type { Violation } from '../../model/system.js';
import type { Bound, ScheduleEntry } from '../result.js';
import type { DporTask } from './handover.js';

/** Test and tooling hooks, and the default search's budget (auto.ts); the CLI passes none. */
export interface DporHooks {
  /**
   * Stop (incomplete, bound 'executions') once this many executions have ended (terminal,
   * sleep-set blocked or cut at maxDepth). auto.ts's attempts: an execution costs its race
   * analysis, so a budget in transitions alone lets long executions that share most of
   * their steps cost far more than the transitions they add.
   */
  maxExecutions?: number;
  /**
   * Called for every violation, which then does not stop the search: the execution goes on
   * from the violating step's successor state (so the model must leave it valid). For the
   * oracle tests, which compare the violation kinds of all executions.
   */
  onViolation?: (v: Violation, schedule: ScheduleEntry[]) => void;
  /** Called with each terminal state (no thread can move) before it is checked. */
  onTerminal?: (s: Int32Array) => void;
  /** Called at the end of every execution with its schedule and how it ended. */
  onExecution?: (schedule: ScheduleEntry[], end: 'terminal' | 'sleep-blocked' | 'max-depth') => void;
  /**
   * Fail on a wakeup-tree event that is not enabled where it is taken. Without it such a
   * branch is dropped: that happens only when the model (or a wrapper) stops a thread
   * through state that no footprint shows. For tests on exact models.
   */
  strict?: boolean;
}

/**
 * One worker's part of a split search (docs/distributed.md): the task it starts from, and
 * how it hands branches over to idle workers.
 */
export interface DporSplit {
  task: DporTask;
  /** Polled at every new node: true asks for a branch to hand over now (give). */
  wants(): boolean;
  give(task: DporTask): void;
  /**
   * Polled at every new node, before wants, with the states this task has visited: a bound
   * from outside (another worker's violation, a budget shared by all), or null.
   */
  stop(visited: number): Bound | null;
}
