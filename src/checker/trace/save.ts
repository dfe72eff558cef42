// What `explore` does with a counterexample besides printing it: minimise it (the default;
// --no-minimize keeps it as the search found it) and save it as a trace file (--save,
// --trace-out). What is saved is what is printed: the same schedule, minimised or not.
//
// By default explore writes nothing: CI and the test suite run explore constantly, and a
// command that silently rewrites files under traces/ would dirty every checkout. `--save`
// writes traces/<spec>.<scenario>.<kind>.json (relative to the working directory),
// `--trace-out` writes where it says, `--no-save` overrides both (docs/traces.md).
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileWriteError } from '../../io/write-atomic.js';
import type { ModelSystem } from '../../model/model-system.js';
import type { ScenarioOptions, ScenarioRun } from '../scenario.js';
import { buildTrace, defaultTraceName, TRACES_DIR, writeTrace } from './file.js';
import { describeMinimized, endsIn, minimizeSchedule, shortestFound } from './minimize.js';
import { replaySchedule } from './record.js';
import type { TraceFile } from './schema.js';

export interface TraceFlags {
  save?: boolean;
  traceOut?: string;
  minimize?: boolean;
  /** Wall-clock budget of the minimisation (default DEFAULT_MINIMIZE's). */
  minimizeSeconds?: number;
}

const isDirectoryPath = (p: string): boolean => p.endsWith('/') || (existsSync(p) && statSync(p).isDirectory());

/** The folder a counterexample would be saved into, or undefined when none would be. */
export function traceFolder(flags: TraceFlags): string | undefined {
  if (flags.save === false) return undefined;
  if (flags.traceOut !== undefined) return isDirectoryPath(flags.traceOut) ? flags.traceOut : dirname(flags.traceOut);
  return flags.save === true ? TRACES_DIR : undefined;
}

/** A usage problem with the trace flags, or null. */
export function traceFlagsProblem(flags: TraceFlags, scenarios: number): string | null {
  if (flags.save === false || flags.traceOut === undefined || scenarios <= 1 || isDirectoryPath(flags.traceOut))
    return null;
  return `--trace-out ${flags.traceOut} names one file, but ${scenarios} scenarios are explored; pick one with --scenario, or give a directory (ending in /)`;
}

/** The options worth recording in a trace: plain values only, not the machine's cores nor how `--reduce` was given. */
export function recordedOptions(options: ScenarioOptions): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === 'defaultWorkers' || k === 'reduceAsked' || k === 'threadsByDefault') continue;
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

/**
 * Minimise and save a run's counterexample as the flags ask. Returns the run to report (its
 * schedule replaced by the minimised one) and one line per thing done, for the user.
 * `freshSystem` builds the system the run explored afresh, for the minimiser's searches and
 * the replay that checks the schedule before it is saved.
 */
export async function recordViolation(
  specPath: string,
  run: ScenarioRun,
  options: ScenarioOptions,
  flags: TraceFlags,
  freshSystem: () => ModelSystem,
): Promise<{ run: ScenarioRun; notes: string[]; saveError?: FileWriteError }> {
  const v = run.result.verdict;
  if (v.kind !== 'violation') return { run, notes: [] };
  const save = flags.save !== false && (flags.save === true || flags.traceOut !== undefined);
  const notes: string[] = [];
  let schedule = v.schedule;
  let violation = v.violation;
  let minimized: TraceFile['minimized'];
  if (flags.minimize !== false) {
    const budget = flags.minimizeSeconds === undefined ? {} : { maxSeconds: flags.minimizeSeconds };
    const shortest = shortestFound(run.result.mode, options, v.loop);
    const m = await minimizeSchedule(freshSystem, schedule, violation, {
      ...budget,
      interrupted: options.interrupted,
      shortest,
    });
    notes.push(describeMinimized(m));
    schedule = m.schedule;
    violation = m.violation;
    minimized = { before: m.before, after: m.after, proved: m.proved };
    run = { ...run, result: { ...run.result, verdict: { kind: 'violation', violation, schedule } } };
  }
  if (!save) return { run, notes };
  const name = defaultTraceName(specPath, run.scenario.name, violation.kind);
  const path =
    flags.traceOut === undefined
      ? join(TRACES_DIR, name)
      : isDirectoryPath(flags.traceOut)
        ? join(flags.traceOut, name)
        : flags.traceOut;
  const sys = freshSystem();
  const replay = replaySchedule(sys, schedule);
  if (!endsIn(replay, violation)) {
    notes.push(
      `trace not saved: the ${violation.kind} does not reproduce when the schedule is replayed alone (an internal error: please report it with the spec)`,
    );
    return { run, notes };
  }
  const input: Parameters<typeof buildTrace>[0] = { sys, replay, tracePath: path, options: recordedOptions(options) };
  if (minimized !== undefined) input.minimized = minimized;
  try {
    writeTrace(path, buildTrace(input));
  } catch (e) {
    // Returned, not thrown: the counterexample is printed first, then the save's failure.
    if (e instanceof FileWriteError) return { run, notes, saveError: e };
    throw e;
  }
  notes.push(`trace saved: ${path} (replay it with: mmcheck replay ${path})`);
  return { run, notes };
}
