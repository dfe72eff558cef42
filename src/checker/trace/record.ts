// Re-running a schedule on the model: the counterexample as steps a person can read
// (thread, statement, source position, the shared values it changed), and the check that a
// schedule still applies to the spec (replay). Stateright's lesson: store the schedule,
// rebuild everything else by re-running it.
import type { Span } from '../../model/lang/ast.js';
import { formatLine } from '../../model/lang/diagnostics.js';
import type { ModelSystem } from '../../model/model-system.js';
import { Footprint, STEP_OK, STEP_VIOLATION, STEP_WARNING, type Violation, WARNING_KINDS } from '../../model/system.js';
import type { ScheduleEntry } from '../result.js';
import { changeName, type StateChange } from './state-change.js';

export interface Change {
  name: string;
  before: string;
  after: string;
}

export interface TraceStep {
  index: number; // 1-based
  thread: number;
  threadName: string;
  choice: number;
  step: number; // pc of the statement in its thread
  span?: Span;
  position: string; // file:line or ''
  text: string;
  changes: Change[];
}

export interface Replay {
  steps: TraceStep[];
  /** The violation the schedule ends in (a step's, or the terminal check's), if any. */
  violation: Violation | null;
  /** Set when the schedule no longer applies: which entry and why. */
  diverged?: { index: number; reason: string };
  states: Int32Array[];
}

const ALLOC_STATES = ['unallocated', 'allocated', 'freed'];

/**
 * Re-runs `schedule` on `sys`. A warning (WARNING_KINDS) raised before the last step is passed
 * over, as the expected-kind search passes it (docs/adr/005); one raised by the last step is
 * the violation the schedule ends in.
 */
export function replaySchedule(sys: ModelSystem, schedule: readonly ScheduleEntry[]): Replay {
  sys.continuePast(WARNING_KINDS);
  try {
    return replayOn(sys, schedule);
  } finally {
    sys.continuePast(null);
  }
}

function replayOn(sys: ModelSystem, schedule: readonly ScheduleEntry[]): Replay {
  const init = sys.initial();
  if (!('state' in init)) return { steps: [], violation: init.violation, states: [] };
  let s = init.state;
  const states = [s];
  const steps: TraceStep[] = [];
  const fp = new Footprint();
  for (let i = 0; i < schedule.length; i++) {
    const { thread, choice } = schedule[i]!;
    if (thread < 0 || thread >= sys.threadCount) {
      return {
        steps,
        violation: null,
        diverged: { index: i + 1, reason: `step ${i + 1}: the scenario has no thread #${thread}` },
        states,
      };
    }
    const info = sys.nextStepInfo(s, thread);
    const n = sys.choices(s, thread);
    if (choice >= n) {
      const name = sys.threadName(thread);
      const where = info.span === undefined ? '' : ` (${formatLine(sys.program.spec.sources, info.span)})`;
      const reason = sys.isFinished(s, thread)
        ? `step ${i + 1}: ${name} has already finished`
        : n === 0
          ? `step ${i + 1}: ${name} is blocked at \`${info.text}\`${where}`
          : `step ${i + 1}: ${name} has ${n} choice(s) at \`${info.text}\`${where}, the trace takes choice ${choice}`;
      return { steps, violation: null, diverged: { index: i + 1, reason }, states };
    }
    const out = new Int32Array(s.length);
    let r = sys.step(s, thread, choice, out, fp);
    if (r === STEP_WARNING) r = i === schedule.length - 1 ? STEP_VIOLATION : STEP_OK;
    const step: TraceStep = {
      index: i + 1,
      thread,
      threadName: sys.threadName(thread),
      choice,
      step: info.step,
      position: info.span === undefined ? '' : formatLine(sys.program.spec.sources, info.span),
      text: info.text,
      changes: r === STEP_VIOLATION ? [] : sharedChanges(sys, s, out, thread),
    };
    if (info.span !== undefined) step.span = info.span;
    steps.push(step);
    if (r === STEP_VIOLATION) {
      if (i !== schedule.length - 1)
        return {
          steps,
          violation: sys.lastViolation(),
          diverged: { index: i + 1, reason: `step ${i + 1}: a violation occurs before the end of the trace` },
          states,
        };
      return { steps, violation: sys.lastViolation(), states };
    }
    s = out;
    states.push(s);
  }
  for (let t = 0; t < sys.threadCount; t++)
    if (sys.choices(s, t) > 0) return { steps, violation: neverEnds(sys, s) ? sys.terminal(s) : null, states };
  return { steps, violation: sys.terminal(s), states };
}

/** States a replay explores from its last state to tell a livelock (docs/search.md). */
const LIVELOCK_REPLAY_STATES = 100_000;

/**
 * True when no execution from `s` ever ends: every state reachable from it has a move (a
 * livelock: the schedule ends in a loop nothing can leave, as stored-state searches and
 * DPOR's parked spinners report it). False when some state without moves is reachable, or
 * when the states reachable from `s` exceed LIVELOCK_REPLAY_STATES (then the replay does not
 * claim a violation).
 */
export function neverEnds(sys: ModelSystem, s: Int32Array): boolean {
  const seen = new Set<string>([s.join(',')]);
  const fp = new Footprint();
  let level = [s];
  while (level.length > 0) {
    const next: Int32Array[] = [];
    for (const u of level) {
      let moves = 0;
      for (let t = 0; t < sys.threadCount; t++) {
        const n = sys.choices(u, t);
        moves += n;
        for (let c = 0; c < n; c++) {
          const out = new Int32Array(u.length);
          if (sys.step(u, t, c, out, fp) === STEP_VIOLATION) return false;
          const key = out.join(',');
          if (seen.has(key)) continue;
          if (seen.size >= LIVELOCK_REPLAY_STATES) return false;
          seen.add(key);
          next.push(out);
        }
      }
      if (moves === 0) return false;
    }
    level = next;
  }
  return true;
}

function sharedChanges(sys: ModelSystem, before: Int32Array, after: Int32Array, thread: number): Change[] {
  return stateChanges(sys, before, after, thread).map((c) => ({
    name: changeName(c),
    before: c.before,
    after: c.after,
  }));
}

/** Shared words a step changed, and the stepping thread's own locals. */
export function stateChanges(sys: ModelSystem, before: Int32Array, after: Int32Array, thread: number): StateChange[] {
  const out: StateChange[] = [];
  const own = sys.localWords(thread);
  for (let a = 0; a < sys.stateWords; a++) {
    if (before[a] === after[a]) continue;
    // Parameter bindings and cleared frames of inlined fns would bury the shared changes.
    const inOwnFrame = a >= own.start && a < own.end;
    if (a >= sys.sharedWords && !inOwnFrame) continue;
    const name = sys.wordName(a);
    if (name.endsWith('.<alloc>')) {
      const now = ALLOC_STATES[after[a]!] ?? '?';
      out.push({
        object: name.slice(0, -'.<alloc>'.length),
        kind: now === 'allocated' ? 'alloc' : 'free',
        before: ALLOC_STATES[before[a]!] ?? '?',
        after: now,
      });
    } else if (!name.includes('<') && !name.startsWith('word ')) {
      const dot = name.indexOf('.');
      const change: StateChange = {
        object: dot < 0 ? name : name.slice(0, dot),
        kind: 'value',
        before: sys.formatWord(a, before[a]!),
        after: sys.formatWord(a, after[a]!),
      };
      if (dot >= 0) change.field = name.slice(dot + 1);
      out.push(change);
    }
  }
  return out;
}
