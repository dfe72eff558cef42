// The golden terminal renderings of the trace fixtures: for every trace in GOLDEN_TRACES,
// test/fixtures/traces/<trace name>.txt holds what `mmcheck replay <trace>` prints (no colour).
// The test (test/report/swimlane.test.ts) and the regeneration (scripts/update-golden.ts,
// `npm run golden`) both render through renderTraceGolden, so they can never disagree.
import { basename, join } from 'node:path';
import { cmdReplay } from '../../src/cli/replay.js';

export const GOLDEN_DIR = 'test/fixtures/traces';

export const GOLDEN_TRACES = [
  'traces/rfc-2008-example.fault_vs_munmap.premature_free.json',
  'test/fixtures/traces/uaf.reader_vs_release.use_after_free.json',
  'test/fixtures/traces/lost-update.three_incs.final.json',
  'test/fixtures/traces/abba.abba.deadlock.json',
  'test/fixtures/traces/goto-spin.flag.deadlock.json',
];

export function goldenPath(trace: string): string {
  return join(GOLDEN_DIR, basename(trace).replace(/\.json$/, '.txt'));
}

/** What `mmcheck replay` prints for a trace (stdout then stderr), and its exit code. */
export async function renderTraceGolden(trace: string): Promise<{ text: string; code: number }> {
  const out: string[] = [];
  const code = await cmdReplay(trace, {}, { out: (s) => out.push(s), err: (s) => out.push(s), color: false });
  return { text: `${out.join('\n')}\n`, code };
}
