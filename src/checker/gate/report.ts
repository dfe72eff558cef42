// The CI gate's data: what `mmcheck check` found for every spec, scenario and trace. Plain
// JSON on purpose: a scenario runs on a worker thread and posts its GateCase back by
// structured clone (no ModelSystem crosses threads), and every reporter (table, JSON, JUnit,
// SARIF, GitHub annotations) renders the same GateReport without computing anything.
import type { Span } from '../../model/lang/ast.js';
import type { ScenarioInfo } from '../../model/lang/checked.js';
import type { DiagnosticCode } from '../../model/lang/diagnostic-codes.js';
import { type Diagnostic, lineCol, renderDiagnostic, type SourceSet } from '../../model/lang/diagnostics.js';
import type { ViolationKind } from '../../model/lang/violation-kinds.js';
import type { ObjectNote } from '../../model/system.js';
import type { Bound, Mode, ReductionNotApplied } from '../result.js';

/** A position as users see it: path relative to the working directory, 1-based line and column. */
export interface SourcePoint {
  path: string;
  line: number;
  col: number;
}

export function sourcePoint(sources: SourceSet, span: Span): SourcePoint {
  const f = sources.files[span.file];
  if (f === undefined) return { path: '<unknown>', line: 1, col: 1 };
  return { path: f.path, ...lineCol(f.text, span.start) };
}

/** A front-end diagnostic as machine output carries it: where, its code, its message, and as printed. */
export function gateDiagnostic(sources: SourceSet, d: Diagnostic): GateDiagnostic {
  return { at: sourcePoint(sources, d.span), code: d.code, message: d.message, rendered: renderDiagnostic(sources, d) };
}

/** One step of a counterexample, as the SARIF code flow and the failure text show it. */
export interface GateStep {
  index: number; // 1-based
  thread: string;
  text: string;
  at?: SourcePoint;
  /** The shared values the step changed, rendered: "pmd: null → pte_page#0". */
  changes: string[];
}

export interface GateCase {
  spec: string;
  scenario: string;
  /** Where the scenario is declared (annotations for verdicts without a violating statement). */
  declaredAt: SourcePoint;
  expected: string; // pass | violation(kind)
  got: string; // pass | violation(kind) | incomplete | error
  asExpected: boolean;
  /** One line saying why the case counts as it does ("incomplete within budget (max-states)"). */
  why: string;
  budget: ScenarioInfo['budget'];
  mode: Mode;
  stats: { states: number; transitions: number; executions: number; seconds: number };
  violation?: { kind: ViolationKind; message: string; at?: SourcePoint; objects: ObjectNote[] };
  steps?: GateStep[];
  incomplete?: { bound: Bound; detail: string };
  /** The run as `explore` prints it (verdict, stats, path): the JUnit failure text. */
  report: string;
  /** The reductions `check --reduce` named that the scenario's search did not apply (absent: none). */
  reductionsNotApplied?: ReductionNotApplied[];
  /** Set when the run itself failed (an explorer bug, a mode not implemented): the message. */
  error?: string;
}

export interface GateDiagnostic {
  at: SourcePoint;
  /** The diagnostic's stable code (docs/diagnostics.md); absent when the spec could not be read. */
  code?: DiagnosticCode;
  message: string;
  /** `path:line:col: error: message`, source line and caret, as every command prints it. */
  rendered: string;
}

export interface GateSpec {
  path: string;
  /**
   * checked: has scenarios; error: does not compile; library: nothing to run of its own:
   * declares no scenario, or is imported by another spec of the run (then it is checked as
   * part of its importers, and need not compile alone: it may call hooks they declare).
   */
  status: 'checked' | 'library' | 'error';
  scenarios: number;
  errors: GateDiagnostic[];
  /** For a library: the first spec of the run that imports it. */
  importedBy?: string;
}

export interface GateTrace {
  path: string;
  scenario: string;
  /** What the trace claims, e.g. violation(premature_free). */
  expected: string;
  reproduces: boolean;
  /** "reproduces" or why not (the spec changed, the schedule diverged at step 7, …). */
  detail: string;
  seconds: number;
}

export interface GateReport {
  specs: GateSpec[];
  /** In spec order, then scenario order within a spec, whatever order the workers finished in. */
  cases: GateCase[];
  traces: GateTrace[];
  /** Trace files of specs that exist but were not checked in this run, so not replayed (absent: none). */
  tracesSkipped?: number;
  /** Trace files not replayed because the gate was interrupted (Ctrl-C) first (absent: none). */
  tracesNotReplayed?: number;
  mode: Mode;
  jobs: number;
  startedAt: string; // ISO 8601
  seconds: number;
}

export interface GateCounts {
  scenarios: number;
  asExpected: number;
  notAsExpected: number;
  specErrors: number;
  libraries: number;
  traces: number;
  tracesReproducing: number;
}

export function gateCounts(r: GateReport): GateCounts {
  const asExpected = r.cases.filter((c) => c.asExpected).length;
  const tracesReproducing = r.traces.filter((t) => t.reproduces).length;
  return {
    scenarios: r.cases.length,
    asExpected,
    notAsExpected: r.cases.length - asExpected,
    specErrors: r.specs.filter((s) => s.status === 'error').length,
    libraries: r.specs.filter((s) => s.status === 'library').length,
    traces: r.traces.length,
    tracesReproducing,
  };
}

/** The gate passes when every spec compiles, every scenario is as expected and every trace reproduces. */
export function gatePassed(r: GateReport): boolean {
  const c = gateCounts(r);
  return (
    c.specErrors === 0 && c.notAsExpected === 0 && c.tracesReproducing === c.traces && (r.tracesNotReplayed ?? 0) === 0
  );
}
