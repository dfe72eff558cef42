// `mmcheck check [paths…]`: the CI gate. Finds every .mmspec under the paths, compiles each
// on the main thread (printing diagnostics as every command does; a library that other specs
// of the run import is checked through them, as it may call hooks they declare), runs every
// scenario against its `expect` on a pool of worker threads, replays the trace files, prints
// one table and a summary line, and writes the JUnit/SARIF/JSON reports and GitHub
// annotations. Exit: 0 every spec compiles, every scenario is as expected (gate.ts
// judgeVerdict: the budget rule) and every trace reproduces; 2 some spec does not compile;
// 1 otherwise.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { buildSystem, compileFile, findScenario, type CompileResult } from '../model/compile.js';
import { renderDiagnostic, renderDiagnostics } from '../model/lang/diagnostics.js';
import {
  gateCounts,
  gatePassed,
  sourcePoint,
  type GateCase,
  type GateReport,
  type GateSpec,
  type GateTrace,
} from '../checker/gate.js';
import type { Mode } from '../checker/result.js';
import { githubAnnotations, renderGateFailures, renderGateSummary, renderGateTable } from '../report/gate-text.js';
import { renderJunit } from '../report/junit.js';
import { renderSarif } from '../report/sarif.js';
import { GATE_WORKER_DATA, type GateTask } from './check-worker.js';
import { TRACES_DIR } from '../checker/trace/file.js';
import { checkTraceFile } from '../checker/trace/replay.js';
import { runOnWorkers } from './worker-pool.js';
import { EXIT_OK, EXIT_USAGE, EXIT_VIOLATION, UsageError, type Io } from './exit.js';
import { addSearchOptions, int, type SearchFlags } from './search-options.js';

export interface CheckFlags extends Partial<SearchFlags> {
  mode: Mode;
  jobs?: number;
  /** Folder of trace files to replay, or one trace file (default traces/; a missing folder has none). */
  traces: string;
  junit?: string;
  sarif?: string;
  json?: boolean;
  verbose?: boolean;
}

export function registerCheck(program: Command, io: Io, setCode: (code: number) => void): void {
  addSearchOptions(
    program
      .command('check')
      .description('the CI gate: every scenario under the paths meets its expect, every trace reproduces')
      .argument('[paths...]', '.mmspec files or folders searched recursively (default: specs)'),
    {
      defaultMode: 'bfs',
      modeHelp: 'search mode (default bfs: stored states, see docs/ci.md)',
      bounds: 'for scenarios that declare no budget(...): ',
    },
  )
    .option('-j, --jobs <n>', 'scenarios run in parallel on worker threads (default: available CPUs)', int)
    .option('--traces <path>', 'replay every trace file under this folder (or this one trace file)', TRACES_DIR)
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--sarif <file>', 'write a SARIF 2.1.0 report')
    .option('--json', 'machine-readable output instead of the table')
    .option('-v, --verbose', 'also list library specs (no scenarios to run)')
    .action(async (paths: string[], o: CheckFlags) => {
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
  const report = await runCheck(paths.length > 0 ? paths : ['specs'], o, io);
  if (o.json === true) {
    io.out(JSON.stringify({ summary: gateCounts(report), ...report }, null, 2));
  } else {
    io.out(renderGateTable(report, o.verbose === true));
    const failures = renderGateFailures(report);
    if (failures !== '') io.out(`\n${failures}\n`);
    io.out(renderGateSummary(report));
  }
  if (o.junit !== undefined) writeReport(o.junit, '--junit', renderJunit(report));
  if (o.sarif !== undefined)
    writeReport(o.sarif, '--sarif', `${JSON.stringify(renderSarif(report, { toolVersion }), null, 2)}\n`);
  if (env.GITHUB_ACTIONS === 'true') {
    // Workflow commands are read from stdout and stderr; with --json stdout stays pure JSON.
    for (const line of githubAnnotations(report)) (o.json === true ? io.err : io.out)(line);
  }
  return exitCode(report);
}

export function exitCode(r: GateReport): number {
  if (gateCounts(r).specErrors > 0) return EXIT_USAGE;
  return gatePassed(r) ? EXIT_OK : EXIT_VIOLATION;
}

/**
 * How long a scenario is likely to run, for the dispatch order: the workers take the heaviest
 * first (longest-processing-time-first scheduling), so that a long scenario does not start
 * last and leave the other workers idle at the end. The estimate is log10 of the product over
 * threads of (steps + 1): the number of combinations of the threads' positions, which ranks
 * the project's own specs as their run times do (docs/ci.md). A scenario whose system cannot
 * be built weighs 0; its worker reports the error.
 */
export function scenarioWeight(c: CompileResult, scenario: string): number {
  if (!c.ok) return 0;
  const info = findScenario(c.spec, scenario);
  if (info === undefined) return 0;
  try {
    let w = 0;
    for (const t of buildSystem(c.spec, info).threads) w += Math.log10(t.ops.length + 1);
    return w;
  } catch {
    return 0;
  }
}

/** Discover, compile, run and replay: everything `check` reports, as one GateReport. */
export async function runCheck(paths: string[], o: CheckFlags, io: Io): Promise<GateReport> {
  const jobs = o.jobs ?? availableParallelism();
  if (jobs < 1) throw new UsageError('--jobs must be at least 1');
  const startedAt = new Date().toISOString().slice(0, 19);
  const t0 = performance.now();
  const files = findSpecs(paths);
  if (files.length === 0) throw new UsageError(`no .mmspec files under ${paths.join(', ')}`);
  const compiled = files.map(compileSpec);
  const importers = importersOf(compiled);
  const specs: GateSpec[] = [];
  const tasks: GateTask[] = [];
  const weights: number[] = [];
  for (const c of compiled) {
    const { spec, scenarios } = gateSpec(c, importers.get(resolve(c.path)), io);
    specs.push(spec);
    for (const scenario of scenarios) {
      tasks.push({
        spec: c.path,
        scenario,
        options: { mode: o.mode, por: o.por, maxStates: o.maxStates, maxSeconds: o.maxSeconds, maxDepth: o.maxDepth },
      });
      weights.push('result' in c ? scenarioWeight(c.result, scenario) : 0);
    }
  }
  const cases = await runOnWorkers<GateTask, GateCase>(tasks, {
    url: new URL('./check-worker.js', import.meta.url),
    workerData: GATE_WORKER_DATA,
    jobs,
    order: tasks.map((_t, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b),
    onCrash: crashedCase,
    onProgress: progressLine,
  });
  clearProgress();
  const traces = replayTraces(o.traces);
  return {
    specs,
    cases,
    traces,
    mode: o.mode,
    jobs: Math.min(jobs, Math.max(1, tasks.length)),
    startedAt,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Every .mmspec under the paths: a file is taken as named, a folder is searched recursively
 * (skipping dot-folders and node_modules) in name order, so the table's order is stable.
 */
export function findSpecs(paths: string[]): string[] {
  const found = new Set<string>();
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: '${p}'`);
    }
    if (isDir) for (const f of findFiles(p, '.mmspec')) found.add(f);
    else found.add(normalize(p));
  }
  return [...found];
}

/** Files under `dir` whose name ends in `ext`, recursively in name order, skipping dot-folders and node_modules. */
function findFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, ext));
    else if (e.isFile() && e.name.endsWith(ext)) out.push(p);
  }
  return out;
}

type CompiledSpec = { path: string; result: CompileResult } | { path: string; unreadable: string };

function compileSpec(path: string): CompiledSpec {
  try {
    return { path, result: compileFile(path) };
  } catch (e) {
    return { path, unreadable: (e as Error).message };
  }
}

/** Every file some spec of the run imports (absolute path) → the first spec importing it. */
function importersOf(all: CompiledSpec[]): Map<string, string> {
  const importers = new Map<string, string>();
  for (const c of all) {
    if (!('result' in c)) continue;
    for (const f of c.result.sources.files.slice(1)) {
      const abs = resolve(f.path);
      if (!importers.has(abs)) importers.set(abs, c.path);
    }
  }
  return importers;
}

/** Classify a compiled spec; print its diagnostics as every command does (not a library's). */
function gateSpec(c: CompiledSpec, importedBy: string | undefined, io: Io): { spec: GateSpec; scenarios: string[] } {
  const path = c.path;
  if (!('result' in c)) {
    const message = `cannot read spec: ${c.unreadable}`;
    io.err(`${path}: error: ${message}`);
    return {
      spec: {
        path,
        status: 'error',
        scenarios: 0,
        errors: [{ at: { path, line: 1, col: 1 }, message, rendered: `${path}: error: ${message}` }],
      },
      scenarios: [],
    };
  }
  const r = c.result;
  const names = r.ok ? r.spec.scenarios.map((s) => s.name) : [];
  // Imported and nothing of its own to run: its importers' runs check it, in their context.
  if (importedBy !== undefined && names.length === 0)
    return { spec: { path, status: 'library', scenarios: 0, errors: [], importedBy }, scenarios: [] };
  if (r.diagnostics.length > 0) io.err(renderDiagnostics(r.sources, r.diagnostics));
  if (!r.ok) {
    const errors = r.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({
        at: sourcePoint(r.sources, d.span),
        message: d.message,
        rendered: renderDiagnostic(r.sources, d),
      }));
    return { spec: { path, status: 'error', scenarios: 0, errors }, scenarios: [] };
  }
  return {
    spec: { path, status: names.length === 0 ? 'library' : 'checked', scenarios: names.length, errors: [] },
    scenarios: names,
  };
}

function crashedCase(task: GateTask, e: Error): GateCase {
  return {
    spec: task.spec,
    scenario: task.scenario,
    declaredAt: { path: task.spec, line: 1, col: 1 },
    expected: '?',
    got: 'error',
    asExpected: false,
    why: `the worker thread running it died: ${e.message}`,
    budget: {},
    mode: task.options.mode,
    stats: { states: 0, transitions: 0, executions: 0, seconds: 0 },
    report: `scenario ${task.scenario}: error\n  ${(e.stack ?? e.message).split('\n').join('\n  ')}`,
    error: e.message,
  };
}

/** Replays every trace file (*.json) under `path` (recursively, in name order), or the one file it names; none if it does not exist. */
function replayTraces(path: string): GateTrace[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return [];
  }
  return (isDir ? findFiles(path, '.json') : [normalize(path)]).map(replayTraceFile);
}

/** One trace, replayed as `mmcheck replay` does (checkTraceFile never throws), as a gate row. */
function replayTraceFile(path: string): GateTrace {
  const t0 = performance.now();
  const r = checkTraceFile(path);
  return { ...r, scenario: r.scenario || '?', expected: r.expected || '?', seconds: (performance.now() - t0) / 1000 };
}

function writeReport(path: string, flag: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write the ${flag} report '${path}': ${(e as Error).message}`);
  }
}

function progressLine(done: number, total: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Kcheck: ${done}/${total} scenarios`);
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}
