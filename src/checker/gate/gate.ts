// The CI gate as a library: discover the specs under some paths, compile and classify them,
// plan one task per scenario (heaviest first), run the tasks, replay the committed traces,
// and return one GateReport that every reporter renders. `mmcheck check` is this function
// plus flags, a worker pool and the renderers; tests call it in process.
import { performance } from 'node:perf_hooks';
import { assertNotAnInput, type CommandInput } from '../../io/write-atomic.js';
import { classifySpec, compileSpec, findSpecs, GateInputError, importersOf, realPath } from './discover.js';
import { planTasks } from './plan.js';
import type { GateCase, GateReport } from './report.js';
import { type GateRunOptions, type GateTask, type RenderRun, runGateCase } from './run-case.js';
import { findTraceFiles, replayTraceFiles, tracesOfSpecs } from './traces.js';

/** The search options every case runs with (run-case.ts), plus what the gate itself needs. */
export interface GateOptions extends GateRunOptions {
  /** Folder of trace files to replay, or one trace file (a missing folder has none). */
  traces: string;
  /** Replay only the traces of the specs checked (the default folder); false replays all (an explicit --traces). */
  tracesOfCheckedSpecs?: boolean | undefined;
  /** Scenarios run in parallel; the report says how many ran. */
  jobs: number;
  /** The report files the run will write (--junit, --sarif): none may be a spec, import or trace it reads. */
  outputs?: readonly string[] | undefined;
}

export interface GateHooks {
  /** Runs the tasks, taking them in `order`; returns their cases in task order. */
  runCases: (tasks: readonly GateTask[], order: readonly number[]) => Promise<GateCase[]>;
  /** Diagnostics of the specs, rendered as every command prints them (stderr). */
  onDiagnostics: (text: string) => void;
  /** True once the gate was interrupted (Ctrl-C): the traces are not replayed then. */
  stopped?: () => boolean;
}

/** Discover, compile, run and replay: everything `check` reports, as one GateReport. */
export async function runGate(paths: readonly string[], o: GateOptions, hooks: GateHooks): Promise<GateReport> {
  const startedAt = new Date().toISOString().slice(0, 19);
  const t0 = performance.now();
  const files = findSpecs(paths);
  if (files.length === 0) throw new GateInputError(`no .mmspec files under ${paths.join(', ')}`);
  const found = findTraceFiles(o.traces);
  const { kept: traceFiles, skipped: tracesSkipped } =
    o.tracesOfCheckedSpecs === true ? tracesOfSpecs(found, files) : { kept: found, skipped: 0 };
  const compiled = files.map(compileSpec);
  const importers = importersOf(compiled);
  const inputs: CommandInput[] = [
    ...files.map((path) => ({ path, is: 'a spec being checked' })),
    ...[...importers.keys()].map((path) => ({ path, is: 'a file a spec imports' })),
    ...found.map((path) => ({ path, is: 'a trace file' })),
  ];
  for (const out of o.outputs ?? []) assertNotAnInput(out, inputs);
  const classified = compiled.map((c) => ({
    compiled: c,
    ...classifySpec(c, importers.get(realPath(c.path)), hooks.onDiagnostics),
  }));
  const options = {
    mode: o.mode,
    por: o.por,
    reduce: o.reduce,
    reduceAsked: o.reduceAsked,
    maxStates: o.maxStates,
    maxSeconds: o.maxSeconds,
    maxDepth: o.maxDepth,
    dataRace: o.dataRace,
    maxMemory: o.maxMemory,
    workers: o.workers,
  };
  const { tasks, order } = planTasks(classified, options);
  const cases = await hooks.runCases(tasks, order);
  const stopped = hooks.stopped?.() === true;
  return {
    specs: classified.map((c) => c.spec),
    cases,
    traces: stopped ? [] : replayTraceFiles(traceFiles),
    tracesSkipped,
    // Counted, so that a gate stopped after its last scenario does not pass unreplayed traces.
    ...(stopped && traceFiles.length > 0 ? { tracesNotReplayed: traceFiles.length } : {}),
    mode: o.mode,
    jobs: Math.min(o.jobs, Math.max(1, tasks.length)),
    startedAt,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** A GateHooks.runCases that runs every task in this thread, one after another (in task order). */
export function runCasesInProcess(renderRun: RenderRun): GateHooks['runCases'] {
  return async (tasks) => {
    const cache = new Map();
    const cases: GateCase[] = [];
    for (const task of tasks) cases.push(await runGateCase(task, renderRun, cache));
    return cases;
  };
}
