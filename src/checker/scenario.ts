// Running one scenario against its declared expectation: the library function behind
// `explore` and `check`. An `expect violation(K)` scenario searches for K (systems/target.ts); if
// the search only met other kinds, it is re-run plainly so the report shows what it met. A
// lock-order inversion that can also deadlock is reported as the deadlock in every mode.
// The caller builds the scenario's system (with needsLeakCheck's answer) and passes it in:
// the checker runs a system, it does not compile one.
import type { ScenarioInfo } from '../model/lang/checked.js';
import { isViolationKind } from '../model/lang/violation-kinds.js';
import type { ModelSystem } from '../model/model-system.js';
import { DEFAULT_REDUCTIONS } from '../model/reductions.js';
import type { TransitionSystem } from '../model/system.js';
import { explore } from './explore.js';
import { withTarget } from './parallel/recipe.js';
import { defaultThreads } from './parallel/search.js';
import { reductionsNotApplied } from './reductions-applied.js';
import type { BudgetBound, ExploreOptions, ExploreResult, RunReport } from './result.js';
import { TargetSystem } from './systems/target.js';

/** Explorer options as a command line gives them (a flag not given is undefined), and two of the scenario's own. */
export type ScenarioOptions = { [K in keyof ExploreOptions]?: ExploreOptions[K] | undefined } & {
  leak?: boolean | undefined;
  /** The data_race check (`--data-race`). */
  dataRace?: boolean | undefined;
  /** Search for the expected kind past other violations (default true). */
  target?: boolean | undefined;
  /** The cores a search may use when `workers` is not given (parallel/search.ts defaultThreads; default 1). */
  defaultWorkers?: number | undefined;
  /**
   * `reduce` was named on the command line (`--reduce` typed, not its default): the run reports
   * those of it the search did not apply (reductions-applied.ts).
   */
  reduceAsked?: boolean | undefined;
};

/** A RunReport with the system it ran, to replay its counterexample on. */
export interface ScenarioRun extends RunReport {
  system: ModelSystem;
}

export function expectedText(s: ScenarioInfo): string {
  if (s.expect.kind === 'pass') return 'pass';
  return `violation(${s.expect.violation}${s.expect.condition === undefined ? '' : ` ${s.expect.condition}`})`;
}

/** The verdict in words; with `named`, an invariant or final violation names its condition. */
export function verdictText(r: ExploreResult, named = false): string {
  const v = r.verdict;
  if (v.kind === 'incomplete' && v.bound === 'interrupted') return 'incomplete (interrupted)';
  if (v.kind === 'incomplete' && v.bound === 'max-memory') return 'incomplete (memory bound)';
  if (v.kind === 'incomplete' && v.bound === 'simulation') return 'incomplete (simulation: no violation found)';
  if (v.kind === 'incomplete' && v.bound === 'bitstate') return 'incomplete (bitstate: coverage probabilistic)';
  if (v.kind !== 'violation') return v.kind;
  const c = named ? v.violation.condition : undefined;
  return `violation(${v.violation.kind}${c === undefined ? '' : ` ${c}`})`;
}

/** Whether the scenario's system must check for leaks: asked for (`--leak`), or expected. */
export function needsLeakCheck(scenario: ScenarioInfo, leak?: boolean): boolean {
  return leak === true || (scenario.expect.kind === 'violation' && scenario.expect.violation === 'leak');
}

/** Whether the scenario's system must check for data races: asked for (`--data-race`), or expected. */
export function needsDataRaceCheck(scenario: ScenarioInfo, dataRace?: boolean): boolean {
  return dataRace === true || (scenario.expect.kind === 'violation' && scenario.expect.violation === 'data_race');
}

/** The checks a scenario's system is built with: leak and data_race, asked for or expected. */
export function checksFor(
  scenario: ScenarioInfo,
  o: { leak?: boolean | undefined; dataRace?: boolean | undefined },
): { leak: boolean; dataRace: boolean } {
  return { leak: needsLeakCheck(scenario, o.leak), dataRace: needsDataRaceCheck(scenario, o.dataRace) };
}

/** Explores `system`, built for `scenario` (with the leak check needsLeakCheck asks for). */
export async function runScenario(
  system: ModelSystem,
  scenario: ScenarioInfo,
  options: ScenarioOptions = {},
): Promise<ScenarioRun> {
  const expectKind =
    scenario.expect.kind === 'violation' && isViolationKind(scenario.expect.violation)
      ? scenario.expect.violation
      : null;
  const expectCondition = scenario.expect.kind === 'violation' ? (scenario.expect.condition ?? null) : null;
  const budget = budgetOptions(scenario);
  const given = stripUndefined(options);
  const opts: Partial<ExploreOptions> = { ...budget, ...given };
  const budgeted = (Object.keys(budget) as BudgetBound[]).filter((k) => given[k] === undefined);
  if (budgeted.length > 0) opts.budgeted = budgeted;
  if (opts.workers === undefined) Object.assign(opts, defaultThreads(opts, options.defaultWorkers ?? 1));
  let result: ExploreResult;
  let other: ScenarioRun['other'];
  let targetIncomplete: string | undefined;
  if (expectKind !== null && options.target !== false) {
    const wrapped = new TargetSystem(system, expectKind, expectCondition);
    result = await explore(wrapped, withTarget(opts, expectKind, expectCondition));
    if (wrapped.other !== null) other = { first: wrapped.other, count: wrapped.otherCount };
    if (result.verdict.kind !== 'violation' && wrapped.other !== null) {
      const plain = await explore(system, opts);
      if (plain.verdict.kind === 'violation') {
        if (result.verdict.kind === 'incomplete') targetIncomplete = result.verdict.detail;
        result = { ...plain, stats: result.stats };
      }
    }
  } else {
    result = await explore(system, opts);
  }
  if (expectKind !== 'lock_order') result = await deadlockOverLockOrder(system, result, opts);
  const got = verdictText(result, expectCondition !== null);
  const expected = expectedText(scenario);
  const run: ScenarioRun = { scenario, system, result, got, expected, asExpected: got === expected };
  if (other !== undefined) run.other = other;
  if (targetIncomplete !== undefined) run.targetIncomplete = targetIncomplete;
  const skipped = options.reduceAsked === true ? askedNotApplied(system, options, result) : [];
  if (skipped.length > 0) run.reductionsNotApplied = skipped;
  return run;
}

/**
 * One kind per situation, whatever the search: a lock-order inversion that can also deadlock
 * is reported as the deadlock. BFS meets the deadlock of an ABBA pair first (2 steps), DFS
 * and DPOR the inversion (the first execution runs one thread to its end, then the other
 * closes the cycle); so when a search ends at lock_order, a search for a deadlock of the same
 * system and bounds decides: the deadlock if it finds one, else the inversion stands (a gate
 * that keeps the threads apart makes the cycle harmless: lockdep's report, not a hang).
 */
async function deadlockOverLockOrder(
  system: ModelSystem,
  result: ExploreResult,
  opts: Partial<ExploreOptions>,
): Promise<ExploreResult> {
  if (result.verdict.kind !== 'violation' || result.verdict.violation.kind !== 'lock_order') return result;
  const hang = await explore(new TargetSystem(system, 'deadlock', null), withTarget(opts, 'deadlock', null));
  return hang.verdict.kind === 'violation' && hang.verdict.violation.kind === 'deadlock' ? hang : result;
}

/** The reductions of `--reduce` (typed) that the search of `result` on `system` did not apply. */
function askedNotApplied(system: ModelSystem, options: ScenarioOptions, result: ExploreResult) {
  const sys = {
    leak: system.options.leak === true,
    dataRace: system.program.dataRace,
    ample: (system as TransitionSystem).ample !== undefined,
  };
  return reductionsNotApplied(options.reduce ?? DEFAULT_REDUCTIONS, result, options.partition !== undefined, sys);
}

/** A scenario's declared budget, as explorer bounds. */
function budgetOptions(s: ScenarioInfo): Partial<ExploreOptions> {
  const o: Partial<ExploreOptions> = {};
  if (s.budget.states !== undefined) o.maxStates = s.budget.states;
  if (s.budget.seconds !== undefined) o.maxSeconds = s.budget.seconds;
  if (s.budget.depth !== undefined) o.maxDepth = s.budget.depth;
  if (s.budget.executions !== undefined) o.executions = s.budget.executions;
  return o;
}

/** The explorer's options among `o`: those given, without the scenario's own. */
function stripUndefined(o: ScenarioOptions): Partial<ExploreOptions> {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([k, v]) => v !== undefined && !['leak', 'dataRace', 'target', 'defaultWorkers', 'reduceAsked'].includes(k),
    ),
  ) as Partial<ExploreOptions>;
}
