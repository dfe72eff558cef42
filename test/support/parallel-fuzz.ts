// The parallel BFS against the one-thread BFS on random specs, long: for each spec and each
// of `--reduce none` and the default reductions, and for the scenario as generated (expect
// pass) and rewritten to expect each kind one thread found, 2 threads must give one thread's
// verdict, kind, message, schedule (and loop), and, for a search that ran to its end, its
// states and transitions. The threads are started at a small level (spawnAt) and waited for,
// so that they take part in most searches; the run counts those where they did.
//
//   node dist/test/support/parallel-fuzz.js [cases] [seed] [spawnAt] [bfs|auto] [initialSlots]
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { tuning } from '../../src/checker/parallel/tuning.js';
import type { ExploreResult, SystemRecipe } from '../../src/checker/result.js';
import { runScenario } from '../../src/checker/scenario.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS, type ReductionSet } from '../../src/model/reductions.js';
import { loopSpec, randomSpec, spinSpec } from './random-spec.js';
import { threadSummary } from './thread-summary.js';

export interface ParallelCounts {
  runs: number;
  /** Runs where a second thread expanded at least one level. */
  joined: number;
  violations: number;
  incomplete: number;
}

async function run(
  text: string,
  workers: number,
  reduce: ReductionSet,
  mode: 'bfs' | 'auto',
): Promise<{ got: object; result: ExploreResult }> {
  const c = compileText(text, 'random.mmspec');
  assert.ok(c.ok, text);
  const sc = c.spec.scenarios[0]!;
  const recipe: SystemRecipe = {
    path: 'random.mmspec',
    files: c.sources.files,
    scenario: sc.name,
    leak: false,
    dataRace: false,
    reduce: [...reduce],
  };
  const sys = buildSystem(c.spec, sc, { reduce });
  // Under auto, a DPOR attempt at every poll: the threads must make them at the same counts.
  const autoFirstCheckpoint = mode === 'auto' ? 0 : undefined;
  const o = { mode, workers, recipe, reduce, maxStates: 400_000, maxDepth: 500, autoFirstCheckpoint };
  const r = await runScenario(sys, sc, o);
  return { got: { got: r.got, ...threadSummary(r.result, false) }, result: r.result };
}

export async function checkParallel(text: string, counts: ParallelCounts, mode: 'bfs' | 'auto'): Promise<void> {
  for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
    const one = await run(text, 1, reduce, mode);
    const variants = [text];
    const v = one.result.verdict;
    if (v.kind === 'violation') variants.push(text.replace('expect pass', `expect violation(${v.violation.kind})`));
    for (const t of variants) {
      const ref = t === text ? one : await run(t, 1, reduce, mode);
      const two = await run(t, 2, reduce, mode);
      counts.runs++;
      if (two.result.threads !== undefined) counts.joined++;
      if (ref.result.verdict.kind === 'violation') counts.violations++;
      if (ref.result.verdict.kind === 'incomplete') counts.incomplete++;
      assert.deepEqual(
        two.got,
        ref.got,
        `2 threads against 1, ${mode}, --reduce ${[...reduce].join(',') || 'none'}:\n${t}`,
      );
    }
  }
}

async function main(): Promise<number> {
  const cases = Number(process.argv[2] ?? 1000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  tuning.spawnAt = Number(process.argv[4] ?? 2);
  const mode = (process.argv[5] ?? 'bfs') as 'bfs' | 'auto';
  // A small first table grows in the middle of levels, every thread rehashing its share.
  if (process.argv[6] !== undefined) tuning.initialSlots = Number(process.argv[6]);
  tuning.awaitWorkers = true;
  console.log(
    `parallel BFS: ${cases} random specs, seed ${seed}, spawnAt ${tuning.spawnAt}, ${mode}, ${tuning.initialSlots} slots`,
  );
  const start = performance.now();
  const counts: ParallelCounts = { runs: 0, joined: 0, violations: 0, incomplete: 0 };
  const spec = fc.oneof({ weight: 4, arbitrary: randomSpec }, spinSpec, loopSpec);
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        await checkParallel(s.text, counts, mode);
        if (++n % 100 === 0)
          console.log(`${((performance.now() - start) / 1000).toFixed(0)} s: ${n} specs ${JSON.stringify(counts)}`);
      }),
      { numRuns: cases, seed },
    );
    console.log(`ok in ${((performance.now() - start) / 1000).toFixed(0)} s: ${n} specs ${JSON.stringify(counts)}`);
    return 0;
  } catch (e) {
    console.log(`FAILED:\n${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
