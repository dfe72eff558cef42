// `mmcheck check` wall time by --jobs: the same gate run with 1 worker thread and with N.
// Run directly: `npx tsc -p tsconfig.json && node dist/bench/check-jobs.js [--mode M] [paths…]`
// (default: specs/ in bfs mode, 1 and 2 jobs). Nothing is asserted; the figures go into the
// closing note and docs/ci.md.
//
// Measured on the 2-vCPU dev VM (node 20, bfs, no other load), specs/ (100 scenarios, 9
// traces): 1 job 64.3-66.3 s, 2 jobs 32.0-33.6 s: 1.92-2.07x with the heaviest scenarios
// dispatched first (1.54x in file order, where the 23 s stress scenario started last).
// The small RFC/protocol specs alone (41 scenarios): 1.6-2.4 s either way (0.8-1.1x):
// worker start-up and per-worker compilation cost as much as the scenarios.

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gateCounts } from '../src/checker/gate/report.js';
import type { Mode } from '../src/checker/result.js';
import { runCheck } from '../src/cli/check.js';

export interface CheckJobsBench {
  jobs: number;
  seconds: number;
  scenarios: number;
  asExpected: number;
  /** The longest single scenario: the floor no number of jobs can go under. */
  longestScenarioSeconds: number;
}

const silent = { out: (): void => {}, err: (): void => {} };

export async function benchCheckJobs(
  paths: string[] = ['specs'],
  jobCounts: number[] = [1, 2],
  mode: Mode = 'bfs',
): Promise<CheckJobsBench[]> {
  const rows: CheckJobsBench[] = [];
  for (const jobs of jobCounts) {
    const t0 = performance.now();
    const r = await runCheck(paths, { mode, jobs, traces: 'traces' }, silent);
    const seconds = (performance.now() - t0) / 1000;
    const c = gateCounts(r);
    rows.push({
      jobs,
      seconds: Math.round(seconds * 100) / 100,
      scenarios: c.scenarios,
      asExpected: c.asExpected,
      longestScenarioSeconds: Math.round(Math.max(0, ...r.cases.map((x) => x.stats.seconds)) * 100) / 100,
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const m = args.indexOf('--mode');
  const mode = (m >= 0 ? args.splice(m, 2)[1] : 'bfs') as Mode;
  const rows = await benchCheckJobs(args.length > 0 ? args : undefined, [1, 2], mode);
  console.table(rows);
  const [one, two] = [rows[0]!, rows[1]!];
  console.log(
    `speed-up with 2 jobs: ${(one.seconds / two.seconds).toFixed(2)}x (${one.seconds} s -> ${two.seconds} s)`,
  );
}
