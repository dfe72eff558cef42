// SARIF 2.1.0 for `mmcheck check` (GitHub code scanning, GitLab, IDE viewers): one result per
// violation a scenario did not expect, ruleId = the violation kind, located at the violating
// statement, with a code flow whose one thread flow has a location per step of the trace (in
// schedule order; each step's message names its thread). Spec errors become tool execution
// notifications whose descriptor is the diagnostic's code (MM307: docs/diagnostics.md), and so
// does every other failure of the gate, which has no violation to show (GATE_FAILURES): a
// search cut short is never a clean log. A reduction --reduce named and the search did not
// apply is a notification of level `note`, which fails nothing. Paths are relative URIs, resolved against the
// repository root by GitHub.
// Validated in the tests against the SARIF 2.1.0 JSON schema.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GateCase, GateDiagnostic, GateReport, SourcePoint } from '../checker/gate/report.js';
import { DIAGNOSTIC_CODES } from '../model/lang/diagnostic-codes.js';
import { VIOLATION_KINDS, type ViolationKind } from '../model/lang/violation-kinds.js';

/** One line per check, after the violation kinds of docs/language.md. */
const RULE_TEXT: Record<ViolationKind, string> = {
  assertion: 'An assert failed or a BUG_ON condition held.',
  use_after_free: 'A field of a freed or never-allocated pool object was accessed, or an object was freed twice.',
  null_deref: 'A field of null was accessed.',
  premature_free:
    'An RCU/SRCU-protected object was freed while a reader that obtained it in its current read-side section was still inside it.',
  invariant: 'A declared invariant is false in a reachable state.',
  final: 'A declared final condition is false in a terminal state.',
  deadlock: 'Some thread has not finished and no step is enabled.',
  lock_misuse:
    'A lock was released while not held or held by another thread, a thread exited holding a lock or inside a read-side section, or an SRCU index did not match.',
  sleep_in_atomic: 'A call that may sleep ran while holding a spinlock or inside an RCU read-side section.',
  lock_order: 'Lock acquisition order forms a cycle across threads.',
  data_race:
    'Two threads access one shared location concurrently, one writes, and a read is plain (KCSAN: not READ_ONCE, rcu_dereference or atomic).',
  pool_exhausted: "An alloc found every slot of its pool in use: the spec's bound is too small for the behaviour.",
  leak: 'At termination an allocated object is unreachable from shared state.',
};

/** The gate's failures that are no violation result: the notification descriptors' ids and texts. */
const GATE_FAILURES = {
  incomplete:
    'A search stopped before it was complete, at a bound its scenario does not declare, or before finding the violation it expects: it shows nothing.',
  violation_not_found: 'A scenario that expects a violation searched to the end and did not find it.',
  scenario_error: 'The search of a scenario failed: an internal error of mmcheck.',
  trace_not_reproduced: 'A trace file no longer reproduces its recorded violation, or cannot be read.',
  traces_not_replayed: 'The run was interrupted before the trace files were replayed.',
  reduction_not_applied:
    'A reduction --reduce named was not applied by the search that decided the scenario (the verdict stands; the search was larger).',
} as const;
type GateFailure = keyof typeof GATE_FAILURES;

interface Note {
  id: string;
  text: string;
  at?: SourcePoint;
  /** A note's level: everything but a reduction not applied fails the run (`error`). */
  level?: 'note';
}

/** Spec errors, then every scenario and trace that failed the gate without a violation result. */
function notes(r: GateReport): Note[] {
  const out: Note[] = r.specs.flatMap((s) => s.errors.map((d) => ({ id: descriptorId(d), text: d.message, at: d.at })));
  for (const c of r.cases) {
    if (c.asExpected || c.violation !== undefined) continue;
    const id: GateFailure =
      c.got === 'incomplete' ? 'incomplete' : c.got === 'pass' ? 'violation_not_found' : 'scenario_error';
    out.push({ id, text: `scenario ${c.scenario} (expected ${c.expected}): ${c.why}`, at: c.declaredAt });
  }
  for (const t of r.traces)
    if (!t.reproduces) out.push({ id: 'trace_not_reproduced', text: t.detail, at: { path: t.path, line: 1, col: 1 } });
  if ((r.tracesNotReplayed ?? 0) > 0)
    out.push({ id: 'traces_not_replayed', text: `${r.tracesNotReplayed} trace files not replayed: interrupted` });
  // Every scenario's, a pass's too (a violation result also carries them in its properties).
  for (const c of r.cases)
    for (const n of c.reductionsNotApplied ?? [])
      out.push({
        id: 'reduction_not_applied',
        text: `scenario ${c.scenario}: ${n.reduction}: not applied: ${n.detail}`,
        at: c.declaredAt,
        level: 'note',
      });
  return out;
}

export interface SarifOptions {
  toolVersion: string;
}

export function renderSarif(r: GateReport, o: SarifOptions): object {
  const rules = VIOLATION_KINDS.map((id) => ({
    id,
    shortDescription: { text: RULE_TEXT[id] },
    defaultConfiguration: { level: 'error' },
  }));
  const results = r.cases.filter((c) => !c.asExpected && c.violation !== undefined).map(result);
  const all = notes(r);
  const codes = [...new Set(all.map((n) => n.id))];
  const notifications = all.map((n) => ({
    level: n.level ?? 'error',
    message: { text: n.text },
    ...(n.at === undefined ? {} : { locations: [location(n.at)] }),
    descriptor: { id: n.id, index: codes.indexOf(n.id) },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mmcheck',
            version: o.toolVersion,
            semanticVersion: o.toolVersion,
            rules,
            notifications: codes.map(notificationDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: all.every((n) => n.level === 'note'),
            toolExecutionNotifications: notifications,
          },
        ],
        results,
      },
    ],
  };
}

/** A spec error's code, or `spec_error` for a spec that could not be read (it has none). */
const descriptorId = (d: GateDiagnostic): string => d.code ?? 'spec_error';

function notificationDescriptor(id: string): object {
  const text =
    id in DIAGNOSTIC_CODES
      ? DIAGNOSTIC_CODES[id as keyof typeof DIAGNOSTIC_CODES]
      : id in GATE_FAILURES
        ? GATE_FAILURES[id as GateFailure]
        : 'The spec cannot be read.';
  return { id, shortDescription: { text }, defaultConfiguration: { level: 'error' } };
}

function result(c: GateCase): object {
  const v = c.violation!;
  const at = v.at ?? c.declaredAt;
  const out: Record<string, unknown> = {
    ruleId: v.kind,
    ruleIndex: VIOLATION_KINDS.indexOf(v.kind),
    level: 'error',
    message: { text: `scenario ${c.scenario} (expected ${c.expected}): ${v.message}` },
    locations: [location(at)],
    properties: {
      spec: c.spec,
      scenario: c.scenario,
      expected: c.expected,
      got: c.got,
      ...(c.reductionsNotApplied === undefined ? {} : { reductionsNotApplied: c.reductionsNotApplied }),
    },
  };
  const steps = c.steps ?? [];
  if (steps.length > 0) {
    const locations = steps.map((st) => {
      const text = `${st.thread}: ${st.text}${st.changes.length > 0 ? `  [${st.changes.join(', ')}]` : ''}`;
      const loc = st.at === undefined ? { message: { text } } : { ...location(st.at), message: { text } };
      return { location: loc, executionOrder: st.index };
    });
    out.codeFlows = [
      { message: { text: `${c.scenario}: ${steps.length} steps to ${v.kind}` }, threadFlows: [{ locations }] },
    ];
  }
  return out;
}

function location(at: SourcePoint): { physicalLocation: object } {
  return {
    physicalLocation: {
      artifactLocation: { uri: uriOf(at.path) },
      region: { startLine: at.line, startColumn: at.col },
    },
  };
}

/** A relative URI reference for a path under the working directory, a file: URI otherwise. */
export function uriOf(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}
