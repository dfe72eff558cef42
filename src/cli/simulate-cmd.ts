// `mmcheck simulate`: seeded random or PCT runs over a scenario's transition system
// (checker/search/simulate.ts), through explore's pipeline: the same worker thread and Ctrl-C
// handling (explore-thread.ts), the same minimisation, trace files and report. Without a
// violation the verdict is `incomplete (simulation: no violation found)`, exit 3, with what
// the runs covered; a simulation never reports a pass.
import { type Command, Option } from 'commander';
import { DEFAULT_OPTIONS, type Strategy } from '../checker/result.js';
import { DEFAULT_REDUCTIONS, reductionsText } from '../model/reductions.js';
import type { Io } from './exit.js';
import type { ExploreFlags } from './explore-cmd.js';
import { exploreOnWorker } from './explore-thread.js';
import { typedOptions } from './search-flags.js';
import {
  addReportOptions,
  float,
  int,
  memorySize,
  pctDepth,
  reductions,
  scenarioNames,
  seed,
} from './search-options.js';

/** Minimisation's budget under simulate: a long random run has many preemptions to take out. */
export const SIMULATE_MINIMIZE_SECONDS = 10;

interface SimulateFlags {
  scenario?: string[];
  strategy: Strategy;
  seed: number;
  runs: number;
  depth: number;
  pctDepth: number;
  reduce: ExploreFlags['reduce'];
  maxSeconds?: number;
  maxMemory?: number;
  leak?: boolean;
  dataRace?: boolean;
  target: boolean;
  json?: boolean;
  save?: boolean;
  traceOut?: string;
  minimize?: boolean;
  minimizeSeconds: number;
}

export function registerSimulate(program: Command, io: Io, setCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('simulate')
      .description('hunt for violations by seeded random or PCT runs; never reports a pass (docs/simulate.md)')
      .argument('<spec>', 'a .mmspec file')
      .option('-s, --scenario <name>', 'run only this scenario (repeat it for several)', scenarioNames)
      .addOption(
        new Option('--strategy <s>', 'random: uniform over enabled moves; pct: random priorities, d-1 change points')
          .choices(['random', 'pct'])
          .default('pct'),
      )
      .option('--seed <n>', 'seed of the runs (the same seed, the same runs)', seed, DEFAULT_OPTIONS.seed)
      .option('--runs <n>', 'runs per scenario', int, DEFAULT_OPTIONS.executions)
      .option('--depth <n>', 'longest run: steps before a run is cut', int, DEFAULT_OPTIONS.maxDepth)
      .option('--pct-depth <d>', "PCT's bug depth d, 1 to 100 (d-1 priority change points per run)", pctDepth, 3)
      .addOption(
        new Option('--reduce <list>', 'reductions for counting distinct states: all, none, or a list')
          .argParser(reductions)
          .default(DEFAULT_REDUCTIONS, reductionsText(DEFAULT_REDUCTIONS)),
      )
      .option('--max-seconds <s>', 'wall-clock budget of each scenario', float)
      .option('--max-memory <size>', 'resident memory at which the runs stop (MiB, or 6G, 512M)', memorySize),
  )
    .option('--no-minimize', 'print and save counterexamples as the runs found them')
    .option('--minimize-seconds <s>', 'budget of the minimisation', float, SIMULATE_MINIMIZE_SECONDS)
    .action(async (spec: string, o: SimulateFlags, cmd: Command) => {
      // --pct-depth and --minimize-seconds have defaults: only typed ones are refused (search-flags.ts).
      setCode(await exploreOnWorker(spec, { ...exploreFlags(o), typed: typedOptions(cmd) }, io));
    });
}

/** The simulate flags as explore's: mode simulate, runs as executions, --depth as --max-depth. */
function exploreFlags(o: SimulateFlags): ExploreFlags {
  const flags: ExploreFlags = {
    mode: 'simulate',
    por: DEFAULT_OPTIONS.por,
    reduce: o.reduce,
    maxDepth: o.depth,
    strategy: o.strategy,
    pctDepth: o.pctDepth,
    seed: o.seed,
    executions: o.runs,
    target: o.target,
    minimizeSeconds: o.minimizeSeconds,
  };
  const optional = ['scenario', 'maxSeconds', 'maxMemory', 'leak', 'dataRace', 'json', 'save', 'traceOut', 'minimize'];
  for (const k of optional as (keyof SimulateFlags & keyof ExploreFlags)[]) {
    if (o[k] !== undefined) Object.assign(flags, { [k]: o[k] });
  }
  return flags;
}
