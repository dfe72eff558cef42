// A replayed counterexample as plain data for the reporters (swimlanes, HTML, text), built
// once per replay: per step whether it preempts, whether its thread finished, the typed
// changes and the decoded state. Everything a reporter would otherwise ask the model is
// asked here, so the reporters only render.
import type { Span } from '../../model/lang/ast.js';
import type { ViolationKind } from '../../model/lang/violation-kinds.js';
import type { ModelSystem } from '../../model/model-system.js';
import type { StateView } from '../../model/state-view.js';
import type { ObjectNote } from '../../model/system.js';
import type { Verdict } from '../result.js';
import { preemptionPoints } from './preemptions.js';
import { type Replay, replaySchedule, stateChanges } from './record.js';
import type { StateChange } from './state-change.js';

export interface StepView {
  index: number; // 1-based
  thread: number;
  threadName: string;
  text: string;
  /** file:line of the statement, or ''. */
  position: string;
  /** The step switches away from the previous step's thread while that thread could go on. */
  preempted: boolean;
  /** A user thread that is finished after this step. */
  finished: boolean;
  changes: StateChange[];
}

/** An object a violation names, with whether it was allocated before step 1 and its notes. */
export interface InvolvedObject {
  object: string;
  allocatedByInit: boolean;
  /** The notes on the object itself, then those on its fields (prefixed ".field: "). */
  notes: string[];
}

export interface ViolationView {
  kind: ViolationKind;
  message: string;
  /** file:line of the violating statement or condition, when it has one. */
  at?: string;
  objects: ObjectNote[];
  involved: InvolvedObject[];
}

export interface TraceView {
  scenario: string;
  /** The spec's main file, as the positions name it. */
  mainFile: string;
  steps: StepView[];
  /** Decoded states: [0] the initial one, [i] after step i (no state after a violating step). */
  states: StateView[];
  /** 1-based indices of the steps that preempt, in order. */
  preemptions: number[];
  violation: ViolationView | null;
  /** The last step raised the violation (rather than a check of the final state). */
  stepViolation: boolean;
  /**
   * Present for a livelock (docs/search.md): the schedule ends where threads can still move
   * but no execution ever ends. `from` is the 1-based first step of the loop the last steps
   * go round (the state before it is the final state), 0 when the trace does not show the loop
   * (DPOR parks a spinner after one iteration, which may lie earlier in the schedule).
   */
  livelock?: { from: number };
}

type Where = (span: Span) => string;

/** `where` places the statements of the decoded states (default: path:line as the steps show it). */
/**
 * A violation's schedule replayed and viewed on `plain()`, the program as written (no reduced
 * system: a reset dead local must not show in a trace); null, and nothing built, otherwise.
 */
export function viewCounterexample(
  verdict: Verdict,
  plain: () => ModelSystem,
): { replay: Replay; view: TraceView } | null {
  if (verdict.kind !== 'violation') return null;
  const sys = plain();
  const replay = replaySchedule(sys, verdict.schedule);
  return { replay, view: viewTrace(sys, replay) };
}

export function viewTrace(sys: ModelSystem, replay: Replay, where: Where = (span) => sys.where(span)): TraceView {
  const preemptions = preemptionPoints(sys, replay.steps, replay.states);
  const preempted = new Set(preemptions);
  const steps = replay.steps.map((s): StepView => {
    const before = replay.states[s.index - 1];
    const after = replay.states[s.index];
    const finished = after !== undefined && s.thread < sys.userThreads && sys.isFinished(after, s.thread);
    return {
      index: s.index,
      thread: s.thread,
      threadName: s.threadName,
      text: s.text,
      position: s.position,
      preempted: preempted.has(s.index),
      finished,
      changes: before !== undefined && after !== undefined ? stateChanges(sys, before, after, s.thread) : [],
    };
  });
  return {
    scenario: sys.scenario.name,
    mainFile: sys.program.spec.sources.files[0]?.path ?? '',
    steps,
    states: replay.states.map((s) => sys.viewState(s, where)),
    preemptions,
    violation: violationView(sys, replay),
    stepViolation:
      replay.violation !== null && replay.diverged === undefined && replay.states.length <= replay.steps.length,
    ...livelockOf(sys, replay),
  };
}

/** The loop a livelock's schedule ends with: the last earlier state equal to the final one. */
function livelockOf(sys: ModelSystem, replay: Replay): { livelock?: { from: number } } {
  const states = replay.states;
  const last = states[states.length - 1];
  if (replay.violation === null || replay.diverged !== undefined || last === undefined) return {};
  if (states.length <= replay.steps.length) return {}; // a step raised it
  let moves = false;
  for (let t = 0; t < sys.threadCount && !moves; t++) moves = sys.choices(last, t) > 0;
  if (!moves) return {};
  for (let i = states.length - 2; i >= 0; i--) {
    const s = states[i]!;
    if (s.every((w, k) => w === last[k])) return { livelock: { from: i + 1 } };
  }
  return { livelock: { from: 0 } };
}

function violationView(sys: ModelSystem, replay: Replay): ViolationView | null {
  const v = replay.violation;
  if (v === null) return null;
  const view: ViolationView = { kind: v.kind, message: v.message, objects: v.objects, involved: involved(sys, replay) };
  if (v.span !== undefined) view.at = sys.where(v.span);
  return view;
}

/**
 * The objects the violation's notes name, in order of first mention: a note on a pool
 * object's field or lock (its `ref`) belongs to the object (`vma#0`), under the note's own
 * name less the object's ("vma#0.refcnt" → ".refcnt").
 */
function involved(sys: ModelSystem, replay: Replay): InvolvedObject[] {
  const byObject = new Map<string, InvolvedObject>();
  const initial = replay.states[0];
  for (const o of replay.violation?.objects ?? []) {
    const ref = o.ref;
    const base = ref === undefined ? o.object : `${ref.pool}#${ref.slot}`;
    let entry = byObject.get(base);
    if (entry === undefined) {
      const allocatedByInit = ref !== undefined && initial !== undefined && sys.isAllocated(initial, ref);
      entry = { object: base, allocatedByInit, notes: [] };
      byObject.set(base, entry);
    }
    const within = o.object.startsWith(base) ? o.object.slice(base.length) : ` ${o.object}`;
    entry.notes.push(within === '' ? o.event : `${within}: ${o.event}`);
  }
  return [...byObject.values()];
}
