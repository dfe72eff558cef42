// The mmcheck command line: a thin shell that parses options and calls one library
// function per command. Exit codes: 0 ok, 1 violation / not as expected, 2 usage or spec
// error, 3 incomplete.
import { Command, CommanderError } from 'commander';
import { type ExploredScenario, type ExploreSpecHooks, exploreSpec } from '../checker/explore-spec.js';
import { gateDiagnostic } from '../checker/gate/report.js';
import { viewProgram } from '../checker/program-view.js';
import type { RunReport, Stats } from '../checker/result.js';
import type { ScenarioOptions } from '../checker/scenario.js';
import { type TraceFlags, traceFlagsProblem } from '../checker/trace/save.js';
import { type CompileResult, compileFile, findScenario } from '../model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../model/lang/checked.js';
import { renderDiagnostics } from '../model/lang/diagnostics.js';
import { compileProgram } from '../model/program.js';
import { renderProgram } from '../report/program.js';
import { colorFor } from '../report/swimlane.js';
import { renderRun } from '../report/text.js';
import { registerCheck } from './check.js';
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, EXIT_VIOLATION, type Io, UsageError } from './exit.js';
import { registerReplay } from './replay.js';
import { addSearchOptions, int, type SearchFlags } from './search-options.js';

const stdio: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  color: colorFor(process.stdout),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('mmcheck')
    .description('model checker for memory-manager concurrency protocols')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('show')
    .description('print the compiled program of a scenario: steps and state layout')
    .argument('<spec>', 'a .mmspec file')
    .option('-s, --scenario <name>', 'scenario to show (default: every scenario)')
    .option('--json', 'machine-readable output')
    .action((spec: string, o: { scenario?: string; json?: boolean }) => {
      code = cmdShow(spec, o, io);
    });

  addSearchOptions(
    program
      .command('explore')
      .description("explore every interleaving of a spec's scenarios and report violations")
      .argument('<spec>', 'a .mmspec file')
      .option('-s, --scenario <name>', 'run only this scenario'),
    {
      defaultMode: 'auto',
      modeHelp: 'search mode (auto: BFS, or DPOR where a bounded DPOR run finishes first; docs/search.md)',
      bounds: '',
    },
  )
    .option('--preemption-bound <k>', 'DPOR: explore only schedules with at most k preemptions (incomplete)', int)
    .option('--seed <n>', 'random mode: seed', int)
    .option('--executions <n>', 'random mode: executions to sample', int)
    .option('--leak', 'report objects unreachable at termination')
    .option('--no-target', 'stop at the first violation of any kind, even when the scenario expects another')
    .option('--json', 'machine-readable output')
    .option('--save', 'save each counterexample as traces/<spec>.<scenario>.<kind>.json (docs/traces.md)')
    .option('--no-save', 'write no trace file, even with --trace-out')
    .option('--trace-out <path>', 'save the counterexample to this file (or into this directory/)')
    .option('--minimize', 'minimise counterexamples: fewest preemptions, then fewest steps (default when saving)')
    .option('--no-minimize', 'keep counterexamples as the search found them')
    .action(async (spec: string, o: ExploreFlags) => {
      code = await cmdExplore(spec, o, io);
    });

  registerCheck(program, io, (c) => {
    code = c;
  });
  registerReplay(program, io, (c) => {
    code = c;
  });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      io.err(`mmcheck: ${e.message}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return code;
}

/**
 * Compile a spec or report why not (exit 2). With `json`, a spec that does not compile is also
 * reported on stdout: `{ spec, errors: [{ at, code, message, rendered }] }`.
 */
export function loadSpec(path: string, io: Io, json = false): CheckedSpec | null {
  let r: CompileResult;
  try {
    r = compileFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UsageError(`cannot read spec '${path}': ${why}`);
  }
  if (r.diagnostics.length > 0) io.err(renderDiagnostics(r.sources, r.diagnostics));
  if (r.ok) return r.spec;
  if (json) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => gateDiagnostic(r.sources, d));
    io.out(JSON.stringify({ spec: path, errors }, null, 2));
  }
  return null;
}

export function selectScenarios(spec: CheckedSpec, name: string | undefined, path: string): ScenarioInfo[] {
  if (name === undefined) {
    if (spec.scenarios.length === 0)
      throw new UsageError(`${path} declares no scenario; add one: scenario NAME expect pass { thread(args); }`);
    return spec.scenarios;
  }
  const s = findScenario(spec, name);
  if (s === undefined)
    throw new UsageError(
      `unknown scenario '${name}' in ${path}; its scenarios: ${spec.scenarios.map((x) => x.name).join(', ') || '(none)'}`,
    );
  return [s];
}

function cmdShow(path: string, o: { scenario?: string; json?: boolean }, io: Io): number {
  const spec = loadSpec(path, io, o.json === true);
  if (spec === null) return EXIT_USAGE;
  const views = selectScenarios(spec, o.scenario, path).map((s) => viewProgram(compileProgram(spec, s)));
  io.out(o.json === true ? JSON.stringify(views, null, 2) : views.map(renderProgram).join('\n\n'));
  return EXIT_OK;
}

interface ExploreFlags extends TraceFlags, SearchFlags {
  scenario?: string;
  preemptionBound?: number;
  seed?: number;
  executions?: number;
  leak?: boolean;
  target: boolean;
  json?: boolean;
}

async function cmdExplore(path: string, o: ExploreFlags, io: Io): Promise<number> {
  const spec = loadSpec(path, io, o.json === true);
  if (spec === null) return EXIT_USAGE;
  const scenarios = selectScenarios(spec, o.scenario, path);
  const traceProblem = traceFlagsProblem(o, scenarios.length);
  if (traceProblem !== null) throw new UsageError(traceProblem);
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  const print = (e: ExploredScenario): void => {
    clearProgress();
    if (o.json !== true) io.out(renderRun(e.run, e.trace, { color: io.color === true }));
    for (const n of e.notes) (o.json === true ? io.err : io.out)(`  ${n}`);
  };
  let explored: ExploredScenario[];
  try {
    const hooks: ExploreSpecHooks = { shouldStop: () => interrupted, onScenario: print };
    if (process.stderr.isTTY) hooks.onProgress = progressLine;
    explored = await exploreSpec(path, spec, scenarios, scenarioOptions(o), o, hooks);
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (o.json === true) io.out(JSON.stringify(explored.map(runJson), null, 2));
  return exitCode(explored.map((e) => e.run));
}

/** The explore flags as scenario options, in the order a saved trace records them. */
function scenarioOptions(o: ExploreFlags): ScenarioOptions {
  return {
    mode: o.mode,
    por: o.por,
    reduce: o.reduce,
    maxDepth: o.maxDepth,
    maxStates: o.maxStates,
    maxSeconds: o.maxSeconds,
    maxMemory: o.maxMemory,
    preemptionBound: o.preemptionBound,
    seed: o.seed,
    executions: o.executions,
    leak: o.leak,
    target: o.target,
  };
}

/** explore: a violation → 1; else any incomplete → 3; else 0. */
export function exitCode(runs: readonly RunReport[]): number {
  if (runs.some((r) => r.result.verdict.kind === 'violation')) return EXIT_VIOLATION;
  if (runs.some((r) => r.result.verdict.kind === 'incomplete')) return EXIT_INCOMPLETE;
  return EXIT_OK;
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
  };
  if (v.kind === 'violation') {
    return { ...base, violation: v.violation, trace: e.steps.map(({ span: _span, ...step }) => step) };
  }
  return v.kind === 'incomplete' ? { ...base, bound: v.bound, detail: v.detail } : base;
}

function progressLine(name: string, s: Stats): void {
  process.stderr.write(
    `\r\x1b[K${name}: ${s.states.toLocaleString('en-US')} states, ${Math.round(s.statesPerSecond).toLocaleString('en-US')}/s, depth ${s.maxDepth}, queue ${s.queue}`,
  );
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}
