// The threads a search uses when `--workers` is not given (search.ts defaultThreads): every
// core for a whole BFS with no state or memory bound, from a level of tuning.defaultSpawnAt states;
// one for anything whose results would differ on more (a state or memory bound, a split DPOR search)
// or that runs on one thread anyway (partial-order reduction).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultThreads } from '../../../src/checker/parallel/search.js';
import { tuning } from '../../../src/checker/parallel/tuning.js';
import type { SystemRecipe } from '../../../src/checker/result.js';
import { runScenario, type ScenarioOptions } from '../../../src/checker/scenario.js';
import { buildSystem, compileFile } from '../../../src/model/compile.js';

test('defaultThreads: all cores for an unbounded whole BFS, else one', () => {
  const all = { workers: 4, spawnAt: tuning.defaultSpawnAt, threadsByDefault: true };
  assert.deepEqual(defaultThreads({}, 4), all);
  assert.deepEqual(defaultThreads({ mode: 'bfs', maxStates: Number.POSITIVE_INFINITY }, 4), all);
  assert.deepEqual(defaultThreads({ mode: 'auto', maxSeconds: 30, maxDepth: 10 }, 4), all);
  const one = { workers: 1 };
  assert.deepEqual(defaultThreads({}, 1), one);
  assert.deepEqual(defaultThreads({ maxStates: 1_000_000 }, 4), one, 'a state bound is exact on one thread');
  assert.deepEqual(
    defaultThreads({ maxMemory: 400 * 2 ** 20 }, 4),
    one,
    'one thread covers more within a memory bound',
  );
  for (const mode of ['dfs', 'dpor', 'random', 'simulate'] as const) assert.deepEqual(defaultThreads({ mode }, 4), one);
  assert.deepEqual(defaultThreads({ partition: { k: 1, n: 2 } }, 4), one);
  assert.deepEqual(defaultThreads({ bitstate: 20 }, 4), one);
  const por = new Set(['symmetry', 'dead-locals', 'por'] as const);
  assert.deepEqual(defaultThreads({ reduce: por }, 4), one, 'the partial-order reduction runs on one thread');
});

test('runScenario: no workers given, the BFS runs on the default threads with the one-thread results', async () => {
  const path = 'specs/bench/fault-vs-munmap.mmspec';
  const c = compileFile(path);
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === 'fixed_k3')!;
  const recipe: SystemRecipe = { path, files: c.sources.files, scenario: sc.name, leak: false, dataRace: false };
  const run = async (o: ScenarioOptions) => (await runScenario(buildSystem(c.spec, sc), sc, { recipe, ...o })).result;
  const saved = { ...tuning };
  tuning.defaultSpawnAt = 1_000;
  tuning.awaitWorkers = true;
  try {
    const one = await run({ workers: 1 });
    // Under auto, threads not asked for wait for its first DPOR attempt (after 2,000 states here).
    const two = await run({ defaultWorkers: 2, autoFirstCheckpoint: 2_000 });
    assert.deepEqual(two.threads?.count, 2);
    assert.ok(
      two.threads !== undefined && 'fromDepth' in two.threads && two.threads.fromDepth > 0,
      'the first levels, under 1,000 states, ran on one thread',
    );
    assert.equal(one.threads, undefined);
    assert.deepEqual(
      [two.verdict.kind, two.stats.states, two.stats.transitions],
      [one.verdict.kind, one.stats.states, one.stats.transitions],
    );
    const before = await run({ defaultWorkers: 2 });
    assert.equal(before.threads, undefined, "auto's first DPOR attempt (65,536 states) comes after the last level");
    assert.equal((await run({ defaultWorkers: 2, mode: 'bfs' })).threads?.count, 2, 'no DPOR attempt to wait for');
    assert.equal((await run({ workers: 2, spawnAt: 1_000 })).threads?.count, 2, 'threads asked for do not wait');
    assert.equal((await run({ defaultWorkers: 2, maxStates: 1e9 })).threads, undefined, 'a state bound: one thread');
    assert.equal((await run({ defaultWorkers: 2, maxMemory: 2 ** 40 })).threads, undefined, 'a memory bound: one');
    assert.equal((await run({ defaultWorkers: 2, mode: 'dfs' })).threads, undefined);
  } finally {
    Object.assign(tuning, saved);
  }
});
