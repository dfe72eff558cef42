// `explore` as a library: run each scenario of a checked spec against its `expect`, minimise
// and save its counterexample as the trace flags ask (trace/save.ts), and replay it once for
// the reporters. The CLI only parses options and renders what comes back; tests call this in
// process.
import { phase } from '../io/phases.js';
import { buildSystem, systemFactory } from '../model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../model/lang/checked.js';
import type { ModelSystem } from '../model/model-system.js';
import { NO_REDUCTIONS } from '../model/reductions.js';
import type { RunReport, Stats, SystemRecipe } from './result.js';
import { checksFor, runScenario, type ScenarioOptions } from './scenario.js';
import type { TraceStep } from './trace/record.js';
import { recordViolation, type TraceFlags } from './trace/save.js';
import { type TraceView, viewCounterexample } from './trace/trace-view.js';

export interface ExploreSpecHooks {
  /** Polled by the search and between scenarios: true stops both (Ctrl-C). */
  shouldStop?: () => boolean;
  /** About once a second while a scenario runs. */
  onProgress?: (scenario: string, stats: Stats) => void;
  /** As each scenario finishes, before the next one starts. */
  onScenario?: (explored: ExploredScenario) => void;
}

/** One scenario explored: the run (its counterexample minimised when asked) and its replay. */
export interface ExploredScenario {
  run: RunReport;
  /** The counterexample as the reporters render it; null without a violation. */
  trace: TraceView | null;
  /** The counterexample's steps; empty without a violation. */
  steps: TraceStep[];
  /** One line per thing done besides exploring: minimised, trace saved or not. */
  notes: string[];
}

/**
 * Explores `scenarios` of `spec` (read from `specPath`, which names its saved traces) in
 * order, stopping early when hooks.shouldStop says so.
 */
export async function exploreSpec(
  specPath: string,
  spec: CheckedSpec,
  scenarios: readonly ScenarioInfo[],
  options: ScenarioOptions,
  flags: TraceFlags,
  hooks: ExploreSpecHooks = {},
): Promise<ExploredScenario[]> {
  const out: ExploredScenario[] = [];
  for (const sc of scenarios) {
    const opts = scenarioOptions(sc, options, hooks);
    opts.recipe = recipeOf(specPath, spec, sc, options);
    const system = (): ModelSystem => buildSystem(spec, sc, systemOptions(sc, options));
    // Minimised, saved and printed traces run the program as written (buildSystem without reductions).
    const plain = systemFactory(spec, sc, { ...systemOptions(sc, options), reduce: NO_REDUCTIONS });
    const built = system();
    phase('system built');
    const ran = await runScenario(built, sc, opts);
    phase('searched');
    const { run, notes, saveError } = await recordViolation(specPath, ran, opts, flags, plain);
    phase('minimised');
    const shown = viewCounterexample(run.result.verdict, plain);
    phase('viewed');
    const { system: _system, ...report } = run;
    const explored: ExploredScenario = {
      run: report,
      trace: shown?.view ?? null,
      steps: shown?.replay.steps ?? [],
      notes,
    };
    out.push(explored);
    hooks.onScenario?.(explored);
    // The counterexample is printed; the trace that could not be saved is then the error (exit 2).
    if (saveError !== undefined) throw saveError;
    // Stop after a scenario the stop cut short, never after one that ended: its search may
    // have ended before it looked at the flag (a pass, or a violation being minimised), and
    // skipping the rest then would report a complete run of fewer scenarios, every one as it
    // ended. The next scenario then stops at its first poll, reported incomplete (interrupted).
    if (hooks.shouldStop?.() === true && report.result.verdict.kind === 'incomplete') break;
  }
  return out;
}

function scenarioOptions(sc: ScenarioInfo, options: ScenarioOptions, hooks: ExploreSpecHooks): ScenarioOptions {
  const opts: ScenarioOptions = { ...options };
  const { shouldStop, onProgress } = hooks;
  // Checked wherever a search spends its time, inner loops included (SearchMeter.check).
  if (shouldStop !== undefined) opts.interrupted = shouldStop;
  if (onProgress !== undefined) opts.onProgress = (s) => onProgress(sc.name, s);
  return opts;
}

/** How a worker thread of a parallel search builds this scenario's system (parallel/recipe.ts). */
function recipeOf(specPath: string, spec: CheckedSpec, sc: ScenarioInfo, options: ScenarioOptions): SystemRecipe {
  const recipe = { path: specPath, files: spec.sources.files, scenario: sc.name, ...checksFor(sc, options) };
  return options.reduce === undefined ? recipe : { ...recipe, reduce: [...options.reduce] };
}

function systemOptions(sc: ScenarioInfo, options: ScenarioOptions): Parameters<typeof buildSystem>[2] {
  const checks = checksFor(sc, options);
  return options.reduce === undefined ? checks : { ...checks, reduce: options.reduce };
}
