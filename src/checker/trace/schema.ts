// Reading a trace file back: JSON text in, a TraceFile or one clear message out. Traces are
// hand-edited, truncated by a full disk, or not traces at all; every such file gets
// `field "schedule[3].thread" must be an integer`, never a stack trace. The shape checked
// here is the one docs/traces.md documents and file.ts writes.
import { VIOLATION_KINDS, type ViolationKind } from '../../model/lang/violation-kinds.js';
import type { ItfValue } from '../../model/state-view.js';
import type { ObjectNote } from '../../model/system.js';
import type { ScheduleSize } from './minimize.js';

export const TRACE_FORMAT = 'mmcheck-trace';
/** Bumped when a field changes meaning; older versions stay readable. */
export const TRACE_VERSION = 1;

export interface TraceEntry {
  thread: number;
  threadName: string;
  choice: number;
  /** The statement's step id in its thread (its pc; `mmcheck show` lists them). */
  step: number;
  position: string;
  text: string;
}

export interface TraceViolation {
  kind: ViolationKind;
  message: string;
  /** The step that raised it (1-based), or the step after which the terminal check failed. */
  step: number;
  /** Raised by a check of the final state (deadlock, final, leak), not by a step. */
  terminal: boolean;
  thread: number;
  threadName: string;
  position: string;
  objects: ObjectNote[];
}

export type TraceState = { '#meta': { index: number; step?: string } } & Record<string, ItfValue>;

export interface TraceFile {
  '#meta': { format: 'ITF'; 'format-description': string; source: string; description: string };
  format: typeof TRACE_FORMAT;
  version: number;
  mmcheck: string;
  spec: { path: string; sha256: string; imports: { path: string; sha256: string }[] };
  scenario: string;
  options: Record<string, string | number | boolean>;
  minimized?: { before: ScheduleSize; after: ScheduleSize; proved: boolean };
  schedule: TraceEntry[];
  violation: TraceViolation;
  vars: string[];
  states: TraceState[];
}

export type TraceLoad = { ok: true; trace: TraceFile } | { ok: false; error: string };

/** A schema violation, thrown only inside this module and turned into a TraceLoad. */
class Bad extends Error {}

const MAX_DEPTH = 64;

export function parseTraceText(text: string, name: string): TraceLoad {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    const atEnd =
      /end of (JSON )?input|unterminated/i.test(msg) || (at !== null && Number(at[1]) >= text.trimEnd().length - 1);
    const hint =
      text.trim().length === 0
        ? 'the file is empty'
        : atEnd
          ? 'the file looks truncated: it is not valid JSON'
          : 'it is not valid JSON';
    return { ok: false, error: `${name}: ${hint} (${msg}); re-create it with mmcheck explore --save` };
  }
  try {
    return { ok: true, trace: checkTrace(json) };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: `${name}: ${e.message}` };
    if (e instanceof RangeError) return { ok: false, error: `${name}: the JSON is nested too deeply to be a trace` };
    throw e;
  }
}

const bad = (path: string, what: string): never => {
  throw new Bad(`field "${path}" ${what}`);
};

function record(v: unknown, path: string): Record<string, unknown> {
  if (v === undefined) bad(path, 'is missing');
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(path, 'must be an object');
  return v as Record<string, unknown>;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined) bad(path, 'is missing');
  if (!Array.isArray(v)) bad(path, 'must be an array');
  return v as unknown[];
}

function str(v: unknown, path: string, nonEmpty = false): string {
  if (v === undefined) bad(path, 'is missing');
  if (typeof v !== 'string') bad(path, 'must be a string');
  if (nonEmpty && v === '') bad(path, 'must not be empty');
  return v as string;
}

function int(v: unknown, path: string, min: number): number {
  if (v === undefined) bad(path, 'is missing');
  if (typeof v !== 'number' || !Number.isInteger(v)) bad(path, 'must be an integer');
  if ((v as number) < min) bad(path, `must be at least ${min}`);
  return v as number;
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined) bad(path, 'is missing');
  if (typeof v !== 'boolean') bad(path, 'must be true or false');
  return v as boolean;
}

function checkTrace(json: unknown): TraceFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Bad(
      `is not an mmcheck trace: expected a JSON object, found ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`,
    );
  const o = json as Record<string, unknown>;
  if (o['format'] !== TRACE_FORMAT) throw new Bad(`is not an mmcheck trace: field "format" must be "${TRACE_FORMAT}"`);
  const version = int(o['version'], 'version', 1);
  if (version > TRACE_VERSION)
    throw new Bad(
      `field "version" is ${version}, but this mmcheck reads trace version ${TRACE_VERSION}; upgrade mmcheck`,
    );
  const meta = record(o['#meta'], '#meta');
  if (meta['format'] !== 'ITF') bad('#meta.format', 'must be "ITF"');
  const specO = record(o['spec'], 'spec');
  const sha = (v: unknown, path: string): string => {
    const h = str(v, path);
    if (!/^[0-9a-f]{64}$/.test(h)) bad(path, 'must be a sha256 hash (64 hex digits)');
    return h;
  };
  const spec: TraceFile['spec'] = {
    path: str(specO['path'], 'spec.path', true),
    sha256: sha(specO['sha256'], 'spec.sha256'),
    imports: list(specO['imports'], 'spec.imports').map((x, i) => {
      const r = record(x, `spec.imports[${i}]`);
      return {
        path: str(r['path'], `spec.imports[${i}].path`, true),
        sha256: sha(r['sha256'], `spec.imports[${i}].sha256`),
      };
    }),
  };
  const optionsO = record(o['options'], 'options');
  // Object.fromEntries keeps a key named __proto__ as data (assignment would set the prototype).
  const options: TraceFile['options'] = Object.fromEntries(
    Object.entries(optionsO).map(([k, v]) => {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
        bad(`options.${k}`, 'must be a string, number or boolean');
      return [k, v as string | number | boolean];
    }),
  );
  const schedule = list(o['schedule'], 'schedule').map((x, i) => checkEntry(x, `schedule[${i}]`));
  const violation = checkViolation(o['violation'], schedule.length);
  const vars = list(o['vars'], 'vars').map((v, i) => str(v, `vars[${i}]`, true));
  const states = list(o['states'], 'states').map((x, i) => checkState(x, i, vars));
  const want = violation.terminal ? schedule.length + 1 : schedule.length;
  if (states.length !== want)
    bad(
      'states',
      `has ${states.length} entries; a trace of ${schedule.length} steps ending in a ${violation.terminal ? 'terminal-state' : 'step'} violation has ${want}`,
    );
  const trace: TraceFile = {
    '#meta': {
      format: 'ITF',
      'format-description': typeof meta['format-description'] === 'string' ? meta['format-description'] : '',
      source: typeof meta['source'] === 'string' ? meta['source'] : '',
      description: typeof meta['description'] === 'string' ? meta['description'] : '',
    },
    format: TRACE_FORMAT,
    version,
    mmcheck: str(o['mmcheck'], 'mmcheck'),
    spec,
    scenario: str(o['scenario'], 'scenario', true),
    options,
    schedule,
    violation,
    vars,
    states,
  };
  if (o['minimized'] !== undefined) trace.minimized = checkMinimized(o['minimized']);
  return trace;
}

function checkEntry(x: unknown, path: string): TraceEntry {
  const r = record(x, path);
  return {
    thread: int(r['thread'], `${path}.thread`, 0),
    threadName: str(r['threadName'], `${path}.threadName`, true),
    choice: int(r['choice'], `${path}.choice`, 0),
    step: int(r['step'], `${path}.step`, -1),
    position: str(r['position'], `${path}.position`),
    text: str(r['text'], `${path}.text`),
  };
}

function checkViolation(x: unknown, steps: number): TraceViolation {
  const r = record(x, 'violation');
  const kind = str(r['kind'], 'violation.kind');
  if (!(VIOLATION_KINDS as readonly string[]).includes(kind))
    bad('violation.kind', `must be one of ${VIOLATION_KINDS.join(', ')}`);
  const step = int(r['step'], 'violation.step', 0);
  if (step !== steps)
    bad('violation.step', `must be ${steps}, the number of steps in "schedule" (the violation ends the trace)`);
  const terminal = bool(r['terminal'], 'violation.terminal');
  return {
    kind: kind as ViolationKind,
    message: str(r['message'], 'violation.message'),
    step,
    terminal,
    thread: int(r['thread'], 'violation.thread', -1),
    threadName: str(r['threadName'], 'violation.threadName'),
    position: str(r['position'], 'violation.position'),
    objects: list(r['objects'], 'violation.objects').map((y, i) => {
      const n = record(y, `violation.objects[${i}]`);
      return {
        object: str(n['object'], `violation.objects[${i}].object`),
        event: str(n['event'], `violation.objects[${i}].event`),
      };
    }),
  };
}

function checkMinimized(x: unknown): NonNullable<TraceFile['minimized']> {
  const r = record(x, 'minimized');
  const size = (y: unknown, path: string): { steps: number; preemptions: number } => {
    const s = record(y, path);
    return { steps: int(s['steps'], `${path}.steps`, 0), preemptions: int(s['preemptions'], `${path}.preemptions`, 0) };
  };
  return {
    before: size(r['before'], 'minimized.before'),
    after: size(r['after'], 'minimized.after'),
    proved: bool(r['proved'], 'minimized.proved'),
  };
}

function checkState(x: unknown, index: number, vars: string[]): TraceState {
  const path = `states[${index}]`;
  const r = record(x, path);
  const meta = record(r['#meta'], `${path}.#meta`);
  if (int(meta['index'], `${path}.#meta.index`, 0) !== index) bad(`${path}.#meta.index`, `must be ${index}`);
  for (const v of vars) if (!(v in r)) bad(`${path}.${v}`, 'is missing (every state has every variable in "vars")');
  for (const [k, v] of Object.entries(r)) if (k !== '#meta') checkItf(v, `${path}.${k}`, 0);
  return r as TraceState;
}

/** An ITF value: booleans, strings, lists, records, and the #bigint/#set/#map/#tup forms. */
function checkItf(v: unknown, path: string, depth: number): ItfValue {
  if (depth > MAX_DEPTH) bad(path, 'is nested too deeply');
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) bad(path, 'must be an integer ({"#bigint": "…"})');
    return v as unknown as ItfValue;
  }
  if (Array.isArray(v)) return v.map((x, i) => checkItf(x, `${path}[${i}]`, depth + 1));
  const r = record(v, path);
  if ('#bigint' in r) {
    if (typeof r['#bigint'] !== 'string' || !/^-?\d+$/.test(r['#bigint']))
      bad(`${path}.#bigint`, 'must be a string of decimal digits');
    return r as ItfValue;
  }
  for (const form of ['#set', '#tup'] as const)
    if (form in r)
      list(r[form], `${path}.${form}`).forEach((x, i) => {
        checkItf(x, `${path}.${form}[${i}]`, depth + 1);
      });
  if ('#map' in r) {
    list(r['#map'], `${path}.#map`).forEach((pair, i) => {
      const p = list(pair, `${path}.#map[${i}]`);
      if (p.length !== 2) bad(`${path}.#map[${i}]`, 'must be a [key, value] pair');
      checkItf(p[0], `${path}.#map[${i}][0]`, depth + 1);
      checkItf(p[1], `${path}.#map[${i}][1]`, depth + 1);
    });
  }
  if (!('#set' in r || '#tup' in r || '#map' in r))
    for (const [k, x] of Object.entries(r)) checkItf(x, `${path}.${k}`, depth + 1);
  return r as ItfValue;
}
