// The CI gate's data: what `mmcheck check` found for every spec, scenario and trace. Plain
// JSON on purpose: a scenario runs on a worker thread and posts its GateCase back by
// structured clone (no ModelSystem crosses threads), and every reporter (table, JSON, JUnit,
// SARIF, GitHub annotations) renders the same GateReport without computing anything.
import type { Span } from '../model/lang/ast.js';
import type { ScenarioInfo } from '../model/lang/checked.js';
import { lineCol, type SourceSet } from '../model/lang/diagnostics.js';
import type { ObjectNote, ViolationKind } from '../model/system.js';
import type { Bound, Mode, Verdict } from './result.js';

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
  /** Set when the run itself failed (an explorer bug, a mode not implemented): the message. */
  error?: string;
}

export interface GateDiagnostic {
  at: SourcePoint;
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
  mode: Mode;
  jobs: number;
  startedAt: string; // ISO 8601
  seconds: number;
}

/** Which explorer bound each `budget(...)` key sets (runScenario's budgetOptions). */
const BOUND_OF_BUDGET: Record<keyof ScenarioInfo['budget'], Bound> = {
  states: 'max-states',
  seconds: 'max-seconds',
  depth: 'max-depth',
  executions: 'executions',
};

export function declaredBounds(budget: ScenarioInfo['budget']): Bound[] {
  return (Object.keys(BOUND_OF_BUDGET) as (keyof ScenarioInfo['budget'])[])
    .filter((k) => budget[k] !== undefined)
    .map((k) => BOUND_OF_BUDGET[k]);
}

/**
 * Whether a run meets its scenario's expectation. The verdict must equal `expect`, with one
 * exception: a run that stopped at a bound its scenario *declares* in `budget(...)`
 * ("incomplete within budget") is as expected when the scenario expects `pass`. Such a
 * scenario says "no violation within this much search" and got exactly that. An
 * `expect violation(K)` scenario must find K: a search that ran out of budget first has
 * not shown the bug, so it fails. A run stopped by a bound the scenario did not declare (the
 * default depth limit, a command-line --max-* flag, Ctrl-C) fails: the gate never passes a
 * search that was cut short without the spec saying so.
 */
export function judgeVerdict(
  scenario: Pick<ScenarioInfo, 'expect' | 'budget'>,
  verdict: Verdict,
  got: string,
  expected: string,
): { asExpected: boolean; why: string } {
  if (got === expected) return { asExpected: true, why: 'as expected' };
  if (verdict.kind !== 'incomplete') return { asExpected: false, why: `expected ${expected}, got ${got}` };
  const declared = declaredBounds(scenario.budget);
  if (declared.length === 0) {
    return {
      asExpected: false,
      why: `incomplete (${verdict.bound}) and the scenario declares no budget: declare budget(states: N, …) to accept a bounded search, or make the model finite`,
    };
  }
  if (!declared.includes(verdict.bound)) {
    return {
      asExpected: false,
      why: `incomplete at ${verdict.bound}, which is not in its budget(…) (${declared.join(', ')})`,
    };
  }
  if (scenario.expect.kind !== 'pass') {
    return {
      asExpected: false,
      why: `incomplete within budget (${verdict.bound}) before finding the expected ${expected}`,
    };
  }
  return { asExpected: true, why: `incomplete within budget (${verdict.bound})` };
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
  return c.specErrors === 0 && c.notAsExpected === 0 && c.tracesReproducing === c.traces;
}
