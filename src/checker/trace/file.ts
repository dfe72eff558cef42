// Trace files (traces/*.json): a counterexample that can be saved, shared, replayed and read
// by other tools. The file is an ITF document (Apalache ADR-015: "#meta", "vars", "states")
// with mmcheck's own fields beside them: the spec and the sha256 of its source and of each
// import, the scenario, the options, the schedule (one entry per transition) and the
// violation. The schedule is the trace; the states are there for people and other tools,
// and are rebuilt by replaying it. docs/traces.md documents every field.
//
// Paths: `spec.path` is relative to the trace file's directory (a trace and its spec move
// together in a repository, and replay works from any working directory); import paths and
// every `position` are relative to the spec's directory, so positions do not depend on the
// working directory either.
import { createHash } from 'node:crypto';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { inputLimits, LIMIT_ENV } from '../../io/limits.js';
import { type FileReadError, readTextBounded, withoutBom } from '../../io/read-bounded.js';
import { VERSION } from '../../io/version.js';
import { writeFileAtomic } from '../../io/write-atomic.js';
import type { Span } from '../../model/lang/ast.js';
import { lineCol, type SourceSet } from '../../model/lang/diagnostics.js';
import type { ModelSystem } from '../../model/model-system.js';
import { itfState, itfVars } from '../../model/state-view.js';
import type { Replay } from './record.js';
import {
  parseTraceText,
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEntry,
  type TraceFile,
  type TraceLoad,
  type TraceState,
} from './schema.js';

export const TRACES_DIR = 'traces';

export interface TraceInput {
  sys: ModelSystem;
  /** The replay of the schedule on a fresh system; it must end in a violation. */
  replay: Replay;
  /** Where the trace will be written (spec.path is made relative to its directory). */
  tracePath: string;
  options: Record<string, string | number | boolean>;
  minimized?: TraceFile['minimized'];
}

/** The mmcheck version a trace file records. */
export function mmcheckVersion(): string {
  return VERSION;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** `traces/<spec-basename>.<scenario>.<kind>.json` without the directory. */
export function defaultTraceName(specPath: string, scenario: string, kind: string): string {
  return `${basename(specPath).replace(/\.mmspec$/, '')}.${scenario}.${kind}.json`;
}

const slash = (p: string): string => p.split(sep).join('/');

/** The spec's main file and imports, with paths relative to the spec's directory. */
export function specFiles(sources: SourceSet): { path: string; sha256: string }[] {
  const dir = dirname(resolve(sources.files[0]?.path ?? '.'));
  return sources.files.map((f) => ({ path: slash(relative(dir, resolve(f.path))), sha256: sha256(f.text) }));
}

/** `file:line`, the file relative to the spec's directory. */
export function specPosition(sources: SourceSet, span: Span | undefined): string {
  if (span === undefined) return '';
  const f = sources.files[span.file];
  if (f === undefined) return '';
  const dir = dirname(resolve(sources.files[0]!.path));
  return `${slash(relative(dir, resolve(f.path)))}:${lineCol(f.text, span.start).line}`;
}

export function buildTrace(input: TraceInput): TraceFile {
  const { sys, replay } = input;
  const sources = sys.program.spec.sources;
  const v = replay.violation;
  if (v === null) throw new Error('[mmcheck internal bug] buildTrace needs a replay that ends in a violation');
  const where = (span: Span): string => specPosition(sources, span);
  const files = specFiles(sources);
  const specAbs = resolve(sources.files[0]!.path);
  const schedule: TraceEntry[] = replay.steps.map((s) => ({
    thread: s.thread,
    threadName: s.threadName,
    choice: s.choice,
    step: s.step,
    position: specPosition(sources, s.span),
    text: s.text,
  }));
  const states = replay.states.map((s, i): TraceState => {
    const step = replay.steps[i - 1];
    const meta = { index: i, step: step === undefined ? 'initial state' : `${step.threadName}: ${step.text}` };
    return { '#meta': meta, ...itfState(sys.viewState(s, where)) } as TraceState;
  });
  const trace: TraceFile = {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: files[0]!.path,
      description: `mmcheck counterexample: ${v.kind} in scenario ${sys.scenario.name} (docs/traces.md)`,
    },
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    mmcheck: mmcheckVersion(),
    spec: {
      path: slash(relative(dirname(resolve(input.tracePath)), specAbs)),
      sha256: files[0]!.sha256,
      imports: files.slice(1),
    },
    scenario: sys.scenario.name,
    options: input.options,
    ...(input.minimized === undefined ? {} : { minimized: input.minimized }),
    schedule,
    violation: {
      kind: v.kind,
      message: v.message,
      step: schedule.length,
      terminal: replay.states.length > replay.steps.length,
      thread: v.thread,
      threadName: v.thread >= 0 ? sys.threadName(v.thread) : '',
      position: specPosition(sources, v.span),
      // The trace format (docs/traces.md) keeps object and event only, until its schema has `ref`.
      objects: v.objects.map(({ object, event }) => ({ object, event })),
    },
    vars: itfVars(sys),
    states,
  };
  return trace;
}

/**
 * Write a trace as readable JSON (short values on one line), creating its directory; atomic
 * (io/write-atomic.ts): a failure throws FileWriteError and leaves any previous file whole.
 */
export function writeTrace(path: string, trace: TraceFile): void {
  writeFileAtomic(path, `${formatJson(trace, '')}\n`);
}

export function readTrace(path: string): TraceLoad {
  let text: string;
  try {
    text = readTextBounded(path, { bytes: inputLimits().traceBytes, what: 'a trace file', env: LIMIT_ENV.traceBytes });
  } catch (e) {
    const code = (e as FileReadError).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    return { ok: false, error: `cannot read trace '${path}': ${why}` };
  }
  return parseTraceText(withoutBom(text), path);
}

/** The spec a trace names, resolved against the trace file's directory. */
export function traceSpecPath(tracePath: string, trace: TraceFile): string {
  return resolve(dirname(resolve(tracePath)), trace.spec.path);
}

/**
 * JSON that diffs well: a value whose one-line form fits in 160 columns stays on one line
 * (a schedule entry, a pool slot), anything longer is broken up with two-space indentation.
 */
export function formatJson(v: unknown, indent: string): string {
  const flat = JSON.stringify(v);
  if (flat === undefined) return 'null';
  if (v === null || typeof v !== 'object' || indent.length + flat.length <= 160) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${formatJson(x, inner)}`).join(',\n')}\n${indent}}`;
}
