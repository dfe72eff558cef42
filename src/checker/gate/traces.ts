// The committed trace files of a gate run, each replayed as `mmcheck replay` does.
import { existsSync, statSync } from 'node:fs';
import { normalize } from 'node:path';
import { performance } from 'node:perf_hooks';
import { errnoReason } from '../../io/errors.js';
import { readTrace, traceSpecPath } from '../trace/file.js';
import { checkTraceFile } from '../trace/replay.js';
import { findFiles, GateInputError, realPath } from './discover.js';
import type { GateTrace } from './report.js';

/**
 * The trace files (*.json) under `path` (recursively, in name order, following links), or
 * the one file it names; none if it does not exist. An entry that cannot be read is an input
 * error (GateInputError), found before any scenario runs.
 */
export function findTraceFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new GateInputError(`cannot read ${path}: ${errnoReason(e)}`);
  }
  return isDir ? findFiles(path, '.json') : [normalize(path)];
}

/**
 * The trace files that belong to the specs being checked: a trace whose spec is one of
 * `specs` is kept, and so is one whose spec does not exist or that cannot be read (its
 * replay then says why, so a renamed spec or a broken trace still fails the gate). Only a
 * trace of another spec that exists is left out: `check specs/one.mmspec` replays one's traces.
 */
export function tracesOfSpecs(files: readonly string[], specs: readonly string[]): { kept: string[]; skipped: number } {
  // By real path: a spec checked through a link (or a trace naming it through one) is the
  // same file, and its traces were skipped as another spec's.
  const checked = new Set(specs.map(realPath));
  const kept = files.filter((file) => {
    const t = readTrace(file);
    if (!t.ok) return true;
    const spec = traceSpecPath(file, t.trace);
    return checked.has(realPath(spec)) || !existsSync(spec);
  });
  return { kept, skipped: files.length - kept.length };
}

/** Replays every trace file of findTraceFiles(path). */
export function replayTraces(path: string): GateTrace[] {
  return findTraceFiles(path).map(replayTraceFile);
}

/** Replays each of these trace files. */
export function replayTraceFiles(files: readonly string[]): GateTrace[] {
  return files.map(replayTraceFile);
}

/** One trace, replayed as `mmcheck replay` does (checkTraceFile never throws), as a gate row. */
function replayTraceFile(path: string): GateTrace {
  const t0 = performance.now();
  const r = checkTraceFile(path);
  return { ...r, scenario: r.scenario || '?', expected: r.expected || '?', seconds: (performance.now() - t0) / 1000 };
}
