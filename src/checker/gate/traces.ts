// The committed trace files of a gate run, each replayed as `mmcheck replay` does.
import { statSync } from 'node:fs';
import { normalize } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkTraceFile } from '../trace/replay.js';
import { findFiles } from './discover.js';
import type { GateTrace } from './report.js';

/** Replays every trace file (*.json) under `path` (recursively, in name order), or the one file it names; none if it does not exist. */
export function replayTraces(path: string): GateTrace[] {
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
