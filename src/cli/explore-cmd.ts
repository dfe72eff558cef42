// The `explore` command's work: load the spec, explore its scenarios (checker/explore-spec.ts),
// print each as it finishes and return the exit code. It runs on a worker thread
// (explore-worker.ts), so that the main thread stays free to take Ctrl-C (interrupt.ts).
import { resolve } from 'node:path';
import { type ExploredScenario, type ExploreSpecHooks, exploreSpec } from '../checker/explore-spec.js';
import type { RunReport, Stats, Strategy } from '../checker/result.js';
import type { ScenarioOptions } from '../checker/scenario.js';
import { DEFAULT_BITSTATE_LOG2 } from '../checker/search/bitstate.js';
import { type TraceFlags, traceFlagsProblem, traceFolder } from '../checker/trace/save.js';
import { usableCores } from '../io/cores.js';
import { grouped } from '../io/grouped.js';
import { phase } from '../io/phases.js';
import { assertFolderWritable, assertNotAnInput, assertWritablePath, FileWriteError } from '../io/write-atomic.js';
import { DEFAULT_WIDTH } from '../report/swimlane.js';
import { renderRun } from '../report/text.js';
import { fitLine } from '../report/text-fit.js';
import { EXIT_USAGE, type Io, UsageError, verdictExitCode } from './exit.js';
import { loadSpec, selectScenarios, specInputs } from './load.js';
import { writePartFile } from './partition.js';
import { resolveSearchFlags } from './search-flags.js';
import type { SearchFlags } from './search-options.js';

export interface ExploreFlags extends TraceFlags, SearchFlags {
  scenario?: string[];
  preemptionBound?: number;
  /** The options typed on the command line, not defaults (search-flags.ts typedOptions). */
  typed?: string[];
  seed?: number;
  executions?: number;
  leak?: boolean;
  dataRace?: boolean;
  target: boolean;
  json?: boolean;
  /** `k/n`: run part k of n (docs/distributed.md). */
  partition?: string;
  /** n, the part's index read from the environment (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID). */
  partitions?: number;
  /** The part's result file, for `mmcheck merge`. */
  resultOut?: string;
  /** simulate: the strategy and PCT's bug depth (simulate-cmd.ts). */
  strategy?: Strategy;
  pctDepth?: number;
  /** `--bitstate`: a bitstate BFS of 2^bitstateBits bits (default DEFAULT_BITSTATE_LOG2). */
  bitstate?: boolean;
  bitstateBits?: number;
}

/** What the explore command needs from the thread that runs it. */
export interface ExploreIo extends Io {
  /** True once the user asked to stop (Ctrl-C, SIGTERM). */
  interrupted: () => boolean;
  /** The progress line (stderr is a terminal), or none. */
  progress?: (line: string) => void;
}

/** Explores the spec at `path`; `warned`: its warnings were printed already (loadSpec). */
export async function runExplore(path: string, o: ExploreFlags, io: ExploreIo, warned = false): Promise<number> {
  // A flag the search that will run does not read is refused, not ignored; the main thread
  // refused it already (explore-thread.ts), before reading the spec: this gives the part.
  const part = resolveSearchFlags(o);
  const spec = loadSpec(path, io, o.json === true, warned);
  phase('spec compiled');
  if (spec === null) return EXIT_USAGE;
  const scenarios = selectScenarios(spec, o.scenario, path);
  const traceProblem = traceFlagsProblem(o, scenarios.length);
  if (traceProblem !== null) throw new UsageError(traceProblem);
  if (o.resultOut !== undefined && part === undefined)
    throw new UsageError('--result-out writes a part of a partitioned run: give --partition k/n or --partitions n');
  if (o.resultOut !== undefined) assertWritablePath(o.resultOut);
  if (o.resultOut !== undefined && o.traceOut !== undefined && resolve(o.resultOut) === resolve(o.traceOut))
    throw new UsageError('--result-out and --trace-out name the same file; the part file would replace the trace');
  warnUnwritableTraceFolder(o, io);
  for (const out of [o.resultOut, o.save === false ? undefined : o.traceOut])
    if (out !== undefined) assertNotAnInput(out, specInputs(spec.sources));
  const progress = io.progress;
  const print = (e: ExploredScenario): void => {
    progress?.('');
    if (o.json !== true) io.out(renderRun(e.run, e.trace, { color: io.color === true, width: io.width }));
    phase('rendered');
    // With --json the notes go to stderr (stdout is one JSON document), fitted all the same.
    const to = o.json === true ? io.err : io.out;
    for (const n of e.notes) for (const l of fitLine(`  ${n}`, io.width ?? DEFAULT_WIDTH)) to(l);
  };
  const hooks: ExploreSpecHooks = { shouldStop: io.interrupted, onScenario: print };
  if (progress !== undefined) hooks.onProgress = (name, s) => progress(progressLine(name, s));
  const explored = await exploreSpec(path, spec, scenarios, { ...scenarioOptions(o), partition: part }, o, hooks);
  if (part !== undefined && o.resultOut !== undefined)
    writePartFile(o.resultOut, path, spec.sources, part, o, explored, scenarios);
  if (part !== undefined && o.json !== true)
    for (const l of fitLine(partNote(part, o.resultOut !== undefined), io.width ?? DEFAULT_WIDTH)) io.out(l);
  if (o.json === true) io.out(JSON.stringify(explored.map(runJson), null, 2));
  return exitCode(
    explored.map((e) => e.run),
    part !== undefined,
  );
}

/**
 * A folder a counterexample could not be saved into is said at once, not after hours of
 * search; a warning, not an error: a search that finds no violation saves nothing (and the
 * save itself still fails with exit 2).
 */
function warnUnwritableTraceFolder(o: ExploreFlags, io: Io): void {
  const folder = traceFolder(o);
  if (folder === undefined) return;
  try {
    assertFolderWritable(o.traceOut ?? folder, folder);
  } catch (e) {
    if (!(e instanceof FileWriteError)) throw e;
    io.err(`mmcheck: warning: ${e.message}; a counterexample found will not be saved`);
  }
}

/** A part's "pass" is its region's: say so, lest a CI log read one part's pass as the run's. */
function partNote(part: { k: number; n: number }, saved: boolean): string {
  const note = `part ${part.k} of ${part.n}: these verdicts cover this part's region only; \`mmcheck merge\` of all ${part.n} part files gives the run's verdict`;
  return saved ? note : `${note} (no --result-out: this part's result is not saved for merge)`;
}

/** The explore flags as scenario options, in the order a saved trace records them. */
function scenarioOptions(o: ExploreFlags): ScenarioOptions {
  return {
    mode: o.mode,
    por: o.por,
    reduce: o.reduce,
    // Typed, not the default: the reductions of it a search does not apply are reported.
    reduceAsked: o.typed?.includes('reduce') === true,
    maxDepth: o.maxDepth,
    maxStates: o.maxStates,
    maxSeconds: o.maxSeconds,
    maxMemory: o.maxMemory,
    preemptionBound: o.preemptionBound,
    seed: o.seed,
    executions: o.executions,
    strategy: o.strategy,
    pctDepth: o.pctDepth,
    bitstate:
      o.bitstate === true || o.bitstateBits !== undefined ? (o.bitstateBits ?? DEFAULT_BITSTATE_LOG2) : undefined,
    leak: o.leak,
    dataRace: o.dataRace,
    target: o.target,
    // Not asked: every core for a BFS with no state or memory bound, from its first level of 16,384
    // states, after auto's first DPOR attempt (checker/parallel/search.ts defaultThreads, docs/search.md).
    workers: o.workers,
    defaultWorkers: usableCores(),
  };
}

/**
 * explore: exit.ts verdictExitCode. A part of a partitioned run exits 0 for a pass where the
 * spec expects a violation: it covers its region only, and `mmcheck merge` decides.
 */
export function exitCode(runs: readonly RunReport[], part = false): number {
  return verdictExitCode(runs.map((r) => ({ verdict: r.result.verdict.kind, asExpected: part || r.asExpected })));
}

function runJson(e: ExploredScenario): object {
  const r = e.run;
  const v = r.result.verdict;
  const base = {
    scenario: r.scenario.name,
    expected: r.expected,
    got: r.got,
    asExpected: r.asExpected,
    mode: r.result.mode,
    stats: r.result.stats,
    ...(r.result.simulation === undefined ? {} : { simulation: r.result.simulation }),
    ...(r.result.bitstate === undefined ? {} : { bitstate: r.result.bitstate }),
    ...(r.result.split === undefined ? {} : { split: r.result.split }),
    ...(r.result.threads === undefined ? {} : { threads: r.result.threads }),
    ...(r.reductionsNotApplied === undefined ? {} : { reductionsNotApplied: r.reductionsNotApplied }),
  };
  if (v.kind === 'violation') {
    const trace = e.steps.map(({ span: _span, ...step }) => step);
    // A livelock: the 1-based step where the loop the trace ends with starts (0: not shown).
    const loop = e.trace?.livelock;
    return { ...base, violation: v.violation, trace, ...(loop === undefined ? {} : { loop: loop.from }) };
  }
  return v.kind === 'incomplete' ? { ...base, bound: v.bound, detail: v.detail } : base;
}

function progressLine(name: string, s: Stats): string {
  return `${name}: ${grouped(s.states)} states, ${grouped(Math.round(s.statesPerSecond))}/s, depth ${s.maxDepth}, queue ${grouped(s.queue)}`;
}
