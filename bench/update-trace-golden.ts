// Regenerates the golden terminal renderings of the trace fixtures: for every trace in
// GOLDEN_TRACES, writes what `mmcheck replay <trace>` prints (no colour) to
// test/fixtures/traces/<trace name>.txt. Run from the repository root with
// `npm run golden:traces` (paths in the output are relative to the working directory), and
// review the diff before committing: a golden file is a promise about what a user sees.
//
// The test (test/report/swimlane.test.ts) imports renderTraceGolden from here, so the test
// and the regeneration can never disagree about how a trace is rendered.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cmdReplay } from '../src/cli/replay.js';

export const GOLDEN_DIR = 'test/fixtures/traces';

export const GOLDEN_TRACES = [
  'traces/rfc-2008-example.fault_vs_munmap.premature_free.json',
  'test/fixtures/traces/uaf.reader_vs_release.use_after_free.json',
  'test/fixtures/traces/lost-update.three_incs.final.json',
  'test/fixtures/traces/abba.abba.deadlock.json',
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const trace of GOLDEN_TRACES) {
    const { text, code } = await renderTraceGolden(trace);
    writeFileSync(goldenPath(trace), text);
    console.log(`${goldenPath(trace)}: replay exit ${code}`);
  }
}
