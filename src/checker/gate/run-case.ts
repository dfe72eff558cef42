// One scenario of the gate: compile its spec (once per spec, cached), build its system, run
// it and judge the result. What comes out is a plain GateCase, never a ModelSystem, so a
// worker thread can post it back; the gate runs cases on workers (cli/check-worker.ts) or
// in process alike.
import { performance } from 'node:perf_hooks';
import { buildSystem, type CompileResult, compileFile, findScenario, systemFactory } from '../../model/compile.js';
import type { ScenarioInfo } from '../../model/lang/checked.js';
import type { ModelSystem } from '../../model/model-system.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS, type ReductionSet } from '../../model/reductions.js';
import type { Mode, PorVariant, RunReport } from '../result.js';
import { checksFor, expectedText, runScenario, type ScenarioOptions, type ScenarioRun } from '../scenario.js';
import { type TraceView, viewCounterexample } from '../trace/trace-view.js';
import { declaredBounds, judgeVerdict } from './judge.js';
import { type GateCase, sourcePoint } from './report.js';

export interface GateRunOptions {
  mode: Mode;
  /** The DPOR variant (--mode dpor); default optimal. */
  por?: PorVariant | undefined;
  /** The reductions (default: DEFAULT_REDUCTIONS). */
  reduce?: ReductionSet | undefined;
  /** `reduce` was typed (`check --reduce`): each case reports those of it its search did not apply. */
  reduceAsked?: boolean | undefined;
  /** Bounds from the command line; they apply only to scenarios that declare no budget(…). */
  maxStates?: number | undefined;
  maxSeconds?: number | undefined;
  maxDepth?: number | undefined;
  /** The data_race check in every scenario (`check --data-race`). */
  dataRace?: boolean | undefined;
  /** Resident memory at which a search stops (every scenario: not a budget). */
  maxMemory?: number | undefined;
  /** Threads for each breadth-first search (parallel/bfs-parallel.ts; default 1). */
  workers?: number | undefined;
}

export interface GateTask {
  spec: string;
  scenario: string;
  options: GateRunOptions;
}

/**
 * The run as `explore` prints it, for GateCase.report. Passed in by the caller (the report
 * layer renders it), so the checker does not import its reporters.
 */
export type RenderRun = (run: RunReport, trace: TraceView | null) => string;

export async function runGateCase(
  task: GateTask,
  renderRun: RenderRun,
  cache: Map<string, CompileResult> = new Map(),
  interrupted?: () => boolean,
): Promise<GateCase> {
  const t0 = performance.now();
  let scenario: ScenarioInfo | undefined;
  let compiled: CompileResult | undefined;
  try {
    compiled = cache.get(task.spec);
    if (compiled === undefined) {
      compiled = compileFile(task.spec);
      cache.set(task.spec, compiled);
    }
    if (!compiled.ok) return failedCase(task, undefined, 'the spec no longer compiles (was it edited during the run?)');
    scenario = findScenario(compiled.spec, task.scenario);
    if (scenario === undefined) return failedCase(task, undefined, `no scenario '${task.scenario}' in ${task.spec}`);
    const system = buildSystem(compiled.spec, scenario, {
      ...checksFor(scenario, { dataRace: task.options.dataRace }),
      reduce: task.options.reduce ?? DEFAULT_REDUCTIONS,
    });
    const opts = scenarioOptions(scenario, task.options);
    if ((task.options.workers ?? 1) > 1) {
      opts.workers = task.options.workers;
      const reduce = [...(task.options.reduce ?? DEFAULT_REDUCTIONS)];
      const files = compiled.spec.sources.files;
      opts.recipe = { path: task.spec, files, scenario: scenario.name, ...checksFor(scenario, task.options), reduce };
    }
    if (interrupted !== undefined) opts.interrupted = interrupted;
    const run = await runScenario(system, scenario, opts);
    // A counterexample is shown on the program as written, as explore shows it.
    const [spec, sc] = [compiled.spec, scenario];
    const plain = systemFactory(spec, sc, {
      ...checksFor(sc, { dataRace: task.options.dataRace }),
      reduce: NO_REDUCTIONS,
    });
    return caseOfRun(task.spec, run, (performance.now() - t0) / 1000, renderRun, plain);
  } catch (e) {
    const err = e as Error;
    const at = scenario !== undefined && compiled?.ok === true ? { compiled, scenario } : undefined;
    return failedCase(task, at, err.message, err.stack ?? err.message);
  }
}

function scenarioOptions(scenario: ScenarioInfo, o: GateRunOptions): ScenarioOptions {
  const reduce = o.reduce ?? DEFAULT_REDUCTIONS;
  const search: ScenarioOptions = o.por === undefined ? { mode: o.mode, reduce } : { mode: o.mode, por: o.por, reduce };
  if (o.reduceAsked === true) search.reduceAsked = true;
  if (o.maxMemory !== undefined) search.maxMemory = o.maxMemory;
  if (declaredBounds(scenario.budget).length > 0) return search;
  return { ...search, maxStates: o.maxStates, maxSeconds: o.maxSeconds, maxDepth: o.maxDepth };
}

function caseOfRun(
  spec: string,
  run: ScenarioRun,
  seconds: number,
  renderRun: RenderRun,
  plain: () => ModelSystem,
): GateCase {
  const sources = run.system.program.spec.sources;
  const v = run.result.verdict;
  const shown = viewCounterexample(v, plain);
  const judged = judgeVerdict(run.scenario, v, run.got, run.expected);
  const s = run.result.stats;
  const c: GateCase = {
    spec,
    scenario: run.scenario.name,
    declaredAt: sourcePoint(sources, run.scenario.decl.nameSpan),
    expected: run.expected,
    got: run.got,
    asExpected: judged.asExpected,
    why: judged.why,
    budget: { ...run.scenario.budget },
    mode: run.result.mode,
    stats: { states: s.states, transitions: s.transitions, executions: s.executions, seconds },
    report: renderRun(run, shown?.view ?? null),
  };
  if (run.reductionsNotApplied !== undefined) c.reductionsNotApplied = run.reductionsNotApplied;
  if (v.kind === 'violation') {
    const { kind, message, span, objects } = v.violation;
    c.violation =
      span === undefined ? { kind, message, objects } : { kind, message, at: sourcePoint(sources, span), objects };
    c.steps = (shown?.replay.steps ?? []).map((st) => ({
      index: st.index,
      thread: st.threadName,
      text: st.text,
      ...(st.span === undefined ? {} : { at: sourcePoint(sources, st.span) }),
      changes: st.changes.map((ch) => `${ch.name}: ${ch.before} → ${ch.after}`),
    }));
  }
  if (v.kind === 'incomplete') c.incomplete = { bound: v.bound, detail: v.detail };
  return c;
}

function failedCase(
  task: GateTask,
  at: { compiled: CompileResult & { ok: true }; scenario: ScenarioInfo } | undefined,
  message: string,
  detail = message,
): GateCase {
  const sc = at?.scenario;
  return {
    spec: task.spec,
    scenario: task.scenario,
    declaredAt:
      sc !== undefined && at !== undefined
        ? sourcePoint(at.compiled.sources, sc.decl.nameSpan)
        : { path: task.spec, line: 1, col: 1 },
    expected: sc !== undefined ? expectedText(sc) : '?',
    got: 'error',
    asExpected: false,
    why: `the run failed: ${message}`,
    budget: sc !== undefined ? { ...sc.budget } : {},
    mode: task.options.mode,
    stats: { states: 0, transitions: 0, executions: 0, seconds: 0 },
    report: `scenario ${task.scenario}: error\n  ${detail.split('\n').join('\n  ')}`,
    error: message,
  };
}

/** A case with no run behind it: its worker thread died, or it never started. */
function caseWithoutRun(task: GateTask, got: string, why: string, detail: string): GateCase {
  return {
    spec: task.spec,
    scenario: task.scenario,
    declaredAt: { path: task.spec, line: 1, col: 1 },
    expected: '?',
    got,
    asExpected: false,
    why,
    budget: {},
    mode: task.options.mode,
    stats: { states: 0, transitions: 0, executions: 0, seconds: 0 },
    report: `scenario ${task.scenario}: ${got}\n  ${detail}`,
  };
}

/** The case of a task whose worker thread died. */
export function crashedCase(task: GateTask, e: Error): GateCase {
  const why = `the worker thread running it died: ${e.message}`;
  // An internal bug: its message and what to report; the stack only with MMCHECK_DEBUG=1.
  const what =
    process.env['MMCHECK_DEBUG'] === '1'
      ? (e.stack ?? '').split('\n').join('\n  ')
      : 'please report it with the mmcheck and node versions, the command and the spec (MMCHECK_DEBUG=1 shows the stack)';
  return { ...caseWithoutRun(task, 'error', why, `[mmcheck internal bug] ${why}\n  ${what}`), error: e.message };
}

/** The case of a task that never ran: the gate was interrupted (Ctrl-C) first. */
export function interruptedCase(task: GateTask): GateCase {
  const why = 'interrupted before it ran';
  return {
    ...caseWithoutRun(task, 'incomplete (interrupted)', why, why),
    incomplete: { bound: 'interrupted', detail: why },
  };
}
