// `mmcheck check [paths…]`: the CI gate (checker/gate/gate.ts runGate) with its scenarios on
// a pool of worker threads; prints one table and a summary line, and writes the
// JUnit/SARIF/JSON reports and GitHub annotations. Exit: 0 every spec compiles, every
// scenario is as expected (gate/judge.ts: the budget rule) and every trace reproduces; 2
// some spec does not compile; 3 interrupted (Ctrl-C) with every finished scenario as
// expected; 1 otherwise.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { GateInputError } from '../checker/gate/discover.js';
import { runGate } from '../checker/gate/gate.js';
import { type GateCase, type GateReport, gateCounts, gatePassed } from '../checker/gate/report.js';
import { crashedCase, type GateTask, interruptedCase } from '../checker/gate/run-case.js';
import type { Mode } from '../checker/result.js';
import { TRACES_DIR } from '../checker/trace/file.js';
import { usableCores } from '../io/cores.js';
import { assertWritablePath, writeFileAtomic } from '../io/write-atomic.js';
import {
  githubAnnotations,
  renderGateFailures,
  renderGateNotApplied,
  renderGateSummary,
  renderGateTable,
} from '../report/gate-text.js';
import { renderJunit } from '../report/junit.js';
import { renderSarif } from '../report/sarif.js';
import { DEFAULT_WIDTH } from '../report/swimlane.js';
import { fitLine } from '../report/text-fit.js';
import { gateCaseRunner, gateWorkerData } from './check-worker.js';
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, EXIT_VIOLATION, type Io, UsageError } from './exit.js';
import { isStopped, newStopFlag, onStopSignals } from './interrupt.js';
import { searchFlagsProblem, typedOptions } from './search-flags.js';
import { addSearchOptions, type SearchFlags, threadCount } from './search-options.js';
import { runOnWorkers } from './worker-pool.js';
import { workerUrl } from './worker-url.js';

export interface CheckFlags extends Partial<SearchFlags> {
  mode: Mode;
  jobs?: number;
  /** Folder of trace files to replay, or one trace file (default traces/; a missing folder has none). */
  traces: string;
  /** Set by the command: --traces was not given, so replay only the traces of the specs checked. */
  tracesOfCheckedSpecs?: boolean;
  junit?: string;
  sarif?: string;
  json?: boolean;
  verbose?: boolean;
  dataRace?: boolean;
  /** The options typed on the command line, not defaults (search-flags.ts typedOptions). */
  typed?: string[];
}

export function registerCheck(program: Command, io: Io, setCode: (code: number) => void): void {
  addSearchOptions(
    program
      .command('check')
      .description('the CI gate: every scenario under the paths meets its expect, every trace reproduces')
      .argument('[paths...]', '.mmspec files or folders searched recursively (default: specs)'),
    {
      defaultMode: 'auto',
      modeHelp: 'search mode (auto: BFS, or DPOR where a bounded DPOR run finishes first; docs/search.md)',
      bounds: 'for scenarios that declare no budget(...): ',
      workersDefault: '1 (the jobs use the CPUs)',
    },
  )
    .option(
      '-j, --jobs <n>',
      'scenarios run in parallel on worker threads, 1 to 256 (default: available CPUs, within the cgroup CPU quota)',
      threadCount,
    )
    .option('--traces <path>', 'replay every trace file under this folder (or this one trace file)', TRACES_DIR)
    .option('--data-race', 'check every scenario for data races (KCSAN semantics; docs/language.md)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--sarif <file>', 'write a SARIF 2.1.0 report')
    .option('--json', 'machine-readable output instead of the table')
    .option('-v, --verbose', 'also list library specs (no scenarios to run)')
    .action(async (paths: string[], o: CheckFlags, cmd: Command) => {
      // The default folder holds every spec's traces: replay those of the specs checked.
      o.tracesOfCheckedSpecs = cmd.getOptionValueSource('traces') === 'default';
      // --por has a default: only one typed is refused where no DPOR runs.
      o.typed = typedOptions(cmd);
      setCode(await cmdCheck(paths, o, io, program.version() ?? '0.0.0'));
    });
}

export async function cmdCheck(
  paths: string[],
  o: CheckFlags,
  io: Io,
  toolVersion: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // A flag the chosen search does not read (--por with --mode bfs, --workers with dfs) is refused, not ignored.
  const flagProblem = searchFlagsProblem(o);
  if (flagProblem !== null) throw new UsageError(flagProblem);
  for (const out of [o.junit, o.sarif]) if (out !== undefined) assertWritablePath(out);
  if (o.junit !== undefined && o.sarif !== undefined && resolve(o.junit) === resolve(o.sarif))
    throw new UsageError('--junit and --sarif name the same file; the second report would replace the first');
  const report = await runCheck(paths.length > 0 ? paths : ['specs'], o, io);
  // With --json the reports are written first: a write that fails is then the one JSON
  // document on stdout ({"error": …}, main), not a second one after the report's.
  if (o.json === true) writeReports(report, o, toolVersion);
  if (o.json === true) {
    io.out(JSON.stringify({ summary: gateCounts(report), ...report }, null, 2));
  } else {
    io.out(renderGateTable(report, o.verbose === true, io.width ?? DEFAULT_WIDTH));
    const failures = renderGateFailures(report, io.width ?? DEFAULT_WIDTH);
    if (failures !== '') io.out(`\n${failures}\n`);
    for (const line of renderGateNotApplied(report))
      for (const l of fitLine(line, io.width ?? DEFAULT_WIDTH)) io.out(l);
    io.out(renderGateSummary(report));
  }
  if (o.json !== true) writeReports(report, o, toolVersion);
  if (env.GITHUB_ACTIONS === 'true') {
    // Workflow commands are read from stdout and stderr; with --json stdout stays pure JSON.
    for (const line of githubAnnotations(report)) (o.json === true ? io.err : io.out)(line);
  }
  return exitCode(report);
}

/** Atomic; a failure is FileWriteError, printed by main as `error: cannot write PATH: why` (exit 2). */
function writeReports(report: GateReport, o: CheckFlags, toolVersion: string): void {
  if (o.junit !== undefined) writeFileAtomic(o.junit, renderJunit(report));
  if (o.sarif !== undefined)
    writeFileAtomic(o.sarif, `${JSON.stringify(renderSarif(report, { toolVersion }), null, 2)}\n`);
}

/**
 * 2 some spec does not compile; 3 interrupted (Ctrl-C) with every scenario that finished as
 * expected; else 0 if the gate passed, 1 if not.
 */
export function exitCode(r: GateReport): number {
  if (gateCounts(r).specErrors > 0) return EXIT_USAGE;
  if (gatePassed(r)) return EXIT_OK;
  const interrupted = (c: GateCase): boolean => c.incomplete?.bound === 'interrupted';
  const stopped = r.cases.some(interrupted) || (r.tracesNotReplayed ?? 0) > 0;
  if (stopped && r.cases.every((c) => c.asExpected || interrupted(c))) return EXIT_INCOMPLETE;
  return EXIT_VIOLATION;
}

/**
 * With one job, run the scenarios in the calling thread instead of on a worker thread: set by
 * the in-process gate tests (test/support/gate-cli.ts), whose commands each paid the ~0.2 s
 * of CPU a worker takes to load the checker. test/cli/check-inline.test.ts holds the two to
 * the same output; tests with more than one job, and `mmcheck check` itself, use the pool.
 */
export const checkThread = { inline: false };

/** The pool's work in this thread, one task after another in `order` (checkThread.inline). */
async function runCasesHere(
  tasks: readonly GateTask[],
  order: readonly number[],
  width: number,
  stop: Int32Array,
  onProgress: (done: number, total: number) => void,
): Promise<GateCase[]> {
  const cases = new Array<GateCase>(tasks.length);
  const run = gateCaseRunner(stop, width);
  let done = 0;
  for (let next = 0; next < tasks.length; next++) {
    const index = order[next] ?? next;
    const task = tasks[index]!;
    if (isStopped(stop)) cases[index] = interruptedCase(task);
    else
      try {
        cases[index] = await run(task);
      } catch (e) {
        cases[index] = crashedCase(task, e as Error);
      }
    onProgress(++done, tasks.length);
  }
  return cases;
}

/** Runs the gate with the scenarios on a pool of worker threads. */
export async function runCheck(paths: string[], o: CheckFlags, io: Io): Promise<GateReport> {
  const jobs = o.jobs ?? usableCores();
  if (jobs < 1) throw new UsageError('--jobs must be at least 1');
  const stop = newStopFlag();
  const runCases = async (tasks: readonly GateTask[], order: readonly number[]): Promise<GateCase[]> => {
    // On a terminal, say at once that the scenarios run (and that Ctrl-C now stops them).
    progressLine(0, tasks.length);
    // A failure's report is printed indented by 4 under its FAIL line.
    const width = (io.width ?? DEFAULT_WIDTH) - 4;
    if (checkThread.inline && jobs === 1) {
      const cases = await runCasesHere(tasks, order, width, stop, progressLine);
      clearProgress();
      return cases;
    }
    const cases = await runOnWorkers<GateTask, GateCase>(tasks, {
      url: workerUrl('check-worker.js'),
      workerData: gateWorkerData(stop, width),
      jobs,
      order,
      onCrash: crashedCase,
      stopped: () => isStopped(stop),
      onSkipped: interruptedCase,
      onProgress: progressLine,
    });
    clearProgress();
    return cases;
  };
  const { mode, por, reduce, maxStates, maxSeconds, maxDepth, maxMemory, traces, tracesOfCheckedSpecs, dataRace } = o;
  // One thread per job unless --workers asks for more: the jobs already use the CPUs.
  const workers = o.workers ?? 1;
  // From the start, not only while scenarios run: a Ctrl-C while the specs compile (or the
  // traces replay) is taken after that step, and the reports are still written.
  const off = onStopSignals(stop, () => {
    clearProgress();
    io.err('mmcheck: interrupted: stopping the scenarios that run; the reports cover what finished');
  });
  try {
    return await runGate(
      paths,
      {
        mode,
        por,
        reduce,
        // Typed, not the default: each case reports the reductions of it its search did not apply.
        reduceAsked: o.typed?.includes('reduce') === true,
        maxStates,
        maxSeconds,
        maxDepth,
        maxMemory,
        traces,
        tracesOfCheckedSpecs,
        jobs,
        dataRace,
        workers,
        outputs: [o.junit, o.sarif].filter((f) => f !== undefined),
      },
      { runCases, onDiagnostics: io.err, stopped: () => isStopped(stop) },
    );
  } catch (e) {
    if (e instanceof GateInputError) throw new UsageError(e.message);
    throw e;
  } finally {
    off();
  }
}

function progressLine(done: number, total: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Kcheck: ${done}/${total} scenarios`);
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}
