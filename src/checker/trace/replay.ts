// Replaying a saved trace: compile the spec it names, re-execute its schedule, and decide
// whether the recorded violation still happens — same kind, same step, same source position.
// When it does not, say where and why, and whether the spec changed since the trace was
// recorded (the sha256 of each file) or did not (then mmcheck's semantics did).
import { basename } from 'node:path';
import { buildSystem, type CompileResult, compileFile, findScenario } from '../../model/compile.js';
import type { Diagnostic, SourceSet } from '../../model/lang/diagnostics.js';
import type { ModelSystem } from '../../model/model-system.js';
import { itfState } from '../../model/state-view.js';
import { checksFor } from '../scenario.js';
import { readTrace, specFiles, specPosition, traceSpecPath } from './file.js';
import { type Replay, replaySchedule } from './record.js';
import type { TraceFile } from './schema.js';
import { type TraceView, viewTrace } from './trace-view.js';

export type TraceReplay =
  | { kind: 'spec-unreadable'; message: string }
  | { kind: 'spec-invalid'; sources: SourceSet; diagnostics: Diagnostic[] }
  | { kind: 'no-scenario'; reason: string; changed: string[] }
  | {
      kind: 'replayed';
      sys: ModelSystem;
      replay: Replay;
      /** The replay as the reporters render it (computed on first read). */
      readonly view: TraceView;
      reproduced: boolean;
      /** Why it did not reproduce, with where; '' when it did. */
      reason: string;
      /** Spec files whose hash differs from the recorded one. */
      changed: string[];
      /** Things that differ but do not decide the verdict (statement text, states; computed on first read). */
      readonly notes: string[];
    };

export function replayTrace(trace: TraceFile, tracePath: string, specOverride?: string): TraceReplay {
  const specPath = specOverride ?? traceSpecPath(tracePath, trace);
  let compiled: CompileResult;
  try {
    compiled = compileFile(specPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    const hint =
      specOverride === undefined
        ? ` (the trace names "${trace.spec.path}", relative to its folder; \`mmcheck replay --spec S\` replays it on another spec)`
        : '';
    return { kind: 'spec-unreadable', message: `cannot read spec '${specPath}': ${why}${hint}` };
  }
  if (!compiled.ok) return { kind: 'spec-invalid', sources: compiled.sources, diagnostics: compiled.diagnostics };
  const spec = compiled.spec;
  const changed = changedFiles(trace, spec.sources);
  const why =
    changed.length > 0
      ? `the spec changed since the trace was recorded (${changed.join(', ')}: hash differs)`
      : `the spec is unchanged (same sha256): the trace file was edited, or mmcheck's semantics changed since ${trace.mmcheck} recorded it`;
  const scenario = findScenario(spec, trace.scenario);
  if (scenario === undefined) {
    const names = spec.scenarios.map((s) => s.name).join(', ') || '(none)';
    return {
      kind: 'no-scenario',
      reason: `the spec has no scenario '${trace.scenario}' (its scenarios: ${names}); ${why}`,
      changed,
    };
  }
  const o = trace.options;
  const sys = buildSystem(
    spec,
    scenario,
    checksFor(scenario, { leak: o['leak'] === true, dataRace: o['dataRace'] === true }),
  );
  const replay = replaySchedule(sys, trace.schedule);
  const failure = compareOutcome(trace, sys, replay);
  // The view and the notes decode every state for people: built on first use, since the gate
  // and the tests (checkTraceFile) ask only whether the trace reproduces, and decoding was
  // most of the time of replaying the 62 committed traces.
  let view: TraceView | undefined;
  let notes: string[] | undefined;
  return {
    kind: 'replayed',
    sys,
    replay,
    get view(): TraceView {
      view ??= viewTrace(sys, replay);
      return view;
    },
    reproduced: failure === null,
    reason: failure === null ? '' : `${failure}; ${why}`,
    changed,
    get notes(): string[] {
      notes ??= differences(trace, sys, replay);
      return notes;
    },
  };
}

function changedFiles(trace: TraceFile, sources: SourceSet): string[] {
  const now = specFiles(sources);
  const out: string[] = [];
  if (now[0]!.sha256 !== trace.spec.sha256) out.push(now[0]!.path);
  const recorded = new Map(trace.spec.imports.map((i) => [i.path, i.sha256]));
  for (const f of now.slice(1)) if (recorded.get(f.path) !== f.sha256) out.push(f.path);
  for (const p of recorded.keys()) if (!now.some((f) => f.path === p)) out.push(`${p} (no longer imported)`);
  return out;
}

/** null when the recorded violation reproduces; otherwise where and why not. */
function compareOutcome(trace: TraceFile, sys: ModelSystem, replay: Replay): string | null {
  const want = trace.violation;
  const got = replay.violation;
  const n = trace.schedule.length;
  if (replay.diverged !== undefined) {
    const { index, reason } = replay.diverged;
    if (got !== null && index < n)
      return `step ${index}: ${got.kind} happens before the recorded ${want.kind} at step ${n} (${got.message})`;
    return reason;
  }
  if (got === null) return `the violation no longer occurs: all ${n} steps ran, and ${want.kind} did not happen`;
  const terminal = replay.states.length > replay.steps.length;
  const at = (t: boolean): string => (t ? `in the state after step ${n}` : `at step ${n}`);
  if (got.kind !== want.kind)
    return `${at(terminal)}: the trace recorded ${want.kind}, the spec now gives ${got.kind}: ${got.message}`;
  if (terminal !== want.terminal)
    return `${want.kind} now happens ${at(terminal)}, the trace recorded it ${at(want.terminal)}`;
  const pos = specPosition(sys.program.spec.sources, got.span);
  const key = (p: string, main: string): string => (p.startsWith(`${main}:`) ? `@${p.slice(main.length)}` : p);
  if (key(pos, specFiles(sys.program.spec.sources)[0]!.path) !== key(want.position, basename(trace.spec.path))) {
    return `${at(terminal)}: ${want.kind} is now at ${pos || '(no position)'}, the trace recorded ${want.position || '(no position)'}`;
  }
  return null;
}

/** The first statement and the first state that differ from what the trace recorded. */
function differences(trace: TraceFile, sys: ModelSystem, replay: Replay): string[] {
  const notes: string[] = [];
  for (let i = 0; i < replay.steps.length && i < trace.schedule.length; i++) {
    const a = trace.schedule[i]!;
    const b = replay.steps[i]!;
    const pos = specPosition(sys.program.spec.sources, b.span);
    if (a.threadName !== b.threadName || a.text !== b.text) {
      notes.push(
        `step ${i + 1}: the trace recorded ${a.threadName} at \`${a.text}\` (${a.position}); the spec now has ${b.threadName} at \`${b.text}\` (${pos})`,
      );
      break;
    }
  }
  const where = (span: Parameters<typeof specPosition>[1]): string => specPosition(sys.program.spec.sources, span);
  // Positions in a state (each thread's `at`) name the main file: a renamed copy (--spec) is
  // the same state, so both names read as one, as compareOutcome reads the violation's.
  const json = (v: unknown, main: string): string => JSON.stringify(v)?.replaceAll(`"${main}:`, '"@:') ?? '';
  const nowMain = specFiles(sys.program.spec.sources)[0]!.path;
  const wasMain = basename(trace.spec.path);
  for (let i = 0; i < replay.states.length && i < trace.states.length; i++) {
    const now = itfState(sys.viewState(replay.states[i]!, where));
    const was = trace.states[i]!;
    const v = trace.vars.find((k) => json(was[k], wasMain) !== json(now[k], nowMain));
    if (v !== undefined) {
      const label = i === 0 ? 'the initial state' : `the state after step ${i}`;
      notes.push(`${label} differs from the recorded one in ${v}`);
      break;
    }
  }
  return notes;
}

export interface TraceCheck {
  path: string;
  scenario: string;
  /** What the trace claims, e.g. violation(premature_free). */
  expected: string;
  reproduces: boolean;
  /** "reproduces", or why not: unreadable, spec changed, diverged at step 7, … */
  detail: string;
}

/** Replay one trace file for a gate or a test: never throws, every failure is a detail. */
export function checkTraceFile(path: string, specOverride?: string): TraceCheck {
  const loaded = readTrace(path);
  if (!loaded.ok) return { path, scenario: '', expected: '', reproduces: false, detail: loaded.error };
  const t = loaded.trace;
  const base = { path, scenario: t.scenario, expected: `violation(${t.violation.kind})` };
  const r = replayTrace(t, path, specOverride);
  switch (r.kind) {
    case 'spec-unreadable':
      return { ...base, reproduces: false, detail: r.message };
    case 'spec-invalid':
      return { ...base, reproduces: false, detail: `the spec no longer compiles: ${r.diagnostics[0]?.message ?? ''}` };
    case 'no-scenario':
      return { ...base, reproduces: false, detail: r.reason };
    case 'replayed':
      return { ...base, reproduces: r.reproduced, detail: r.reproduced ? 'reproduces' : r.reason };
  }
}
