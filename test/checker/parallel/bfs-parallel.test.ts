// The parallel BFS against the one-thread BFS: the same verdict, counterexample (schedule),
// states, transitions and terminal states, for 1, 2 and 3 threads, on scenarios of specs/
// and on random specs. The one-thread BFS hands the search over to the threads at the first
// level of tuning.spawnAt states, 1 here (level 1), so that small searches run on every thread.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { tuning } from '../../../src/checker/parallel/tuning.js';
import type { ExploreResult, SystemRecipe } from '../../../src/checker/result.js';
import { runScenario, type ScenarioOptions } from '../../../src/checker/scenario.js';
import { memoryProbe } from '../../../src/checker/search/meter.js';
import { grouped } from '../../../src/io/grouped.js';
import { buildSystem, compileFile, compileText } from '../../../src/model/compile.js';
import type { ScenarioInfo } from '../../../src/model/lang/checked.js';
import { propertyRuns } from '../../support/fc-global.js';
import { loopSpec, randomSpec, spinSpec } from '../../support/random-spec.js';
import { threadSummary } from '../../support/thread-summary.js';

tuning.spawnAt = 1;

async function runWith(
  source: { path: string; text?: string },
  scenario: string,
  workers: number,
  mode: 'bfs' | 'auto' = 'bfs',
  autoFirstCheckpoint?: number,
): Promise<object> {
  const c = source.text === undefined ? compileFile(source.path) : compileText(source.text, source.path);
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === scenario)!;
  const recipe: SystemRecipe = { path: source.path, files: c.sources.files, scenario, leak: false, dataRace: false };
  const run = await runScenario(buildSystem(c.spec, sc), sc, { mode, workers, recipe, autoFirstCheckpoint });
  return threadSummary(run.result);
}

const CASES: [string, string][] = [
  ['specs/bench/fault-vs-munmap.mmspec', 'fixed_k2'],
  ['specs/bench/fault-vs-munmap.mmspec', 'buggy_k2'],
  ['specs/tutorial.mmspec', 'step1'],
  ['specs/tutorial.mmspec', 'step2'],
  ['specs/tutorial.mmspec', 'step3_two_faults'],
  ['specs/bench/philosophers.mmspec', 'deadlock3'],
  ['specs/bench/readers.mmspec', 'n3'],
];

for (const [path, scenario] of CASES) {
  test(`parallel BFS: ${path} ${scenario} gives the one-thread result on 2 and 3 threads`, async () => {
    const one = await runWith({ path }, scenario, 1);
    assert.deepEqual(await runWith({ path }, scenario, 2), one);
    assert.deepEqual(await runWith({ path }, scenario, 3), one);
  });
}

// fixed_k3 (22,636 states) is under auto's first checkpoint (65,536): lowered to 16,384, the
// checkpoint it had before, auto makes a DPOR attempt in the middle of the parallel BFS.
/** A scenario of the seed twin, compiled, with the recipe a worker thread rebuilds it from. */
function twin(name: string): {
  c: Extract<ReturnType<typeof compileFile>, { ok: true }>;
  sc: ScenarioInfo;
  recipe: SystemRecipe;
} {
  const path = 'specs/bench/fault-vs-munmap.mmspec';
  const c = compileFile(path);
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === name)!;
  return { c, sc, recipe: { path, scenario: sc.name, leak: false, dataRace: false } };
}

test('parallel BFS under auto: fixed_k3 (past a DPOR attempt) gives the one-thread result', async () => {
  const path = 'specs/bench/fault-vs-munmap.mmspec';
  const one = await runWith({ path }, 'fixed_k3', 1, 'auto', 16_384);
  assert.deepEqual(await runWith({ path }, 'fixed_k3', 2, 'auto', 16_384), one);
});

test('parallel BFS: files edited or deleted during the run do not change what the worker threads search', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-edit-'));
  tuning.awaitWorkers = true;
  try {
    const path = join(dir, 'rfc-2008.mmspec');
    copyFileSync('specs/rfc-2008.mmspec', path);
    cpSync('specs/lib', join(dir, 'lib'), { recursive: true });
    const c = compileFile(path);
    assert.ok(c.ok);
    // The spec loses its scenario and its import is gone: threads that read the disk again fail.
    writeFileSync(path, readFileSync(path, 'utf8').replace(/scenario q1_/g, 'scenario gone_'));
    rmSync(join(dir, 'lib'), { recursive: true });
    const sc = c.spec.scenarios.find((s) => s.name === 'q1_pgtable_freed_under_walk')!;
    const recipe: SystemRecipe = { path, files: c.sources.files, scenario: sc.name, leak: false, dataRace: false };
    const two = await runScenario(buildSystem(c.spec, sc), sc, { mode: 'bfs', workers: 2, recipe });
    const one = await runScenario(buildSystem(c.spec, sc), sc, { mode: 'bfs', workers: 1 });
    assert.deepEqual(threadSummary(two.result), threadSummary(one.result));
  } finally {
    tuning.awaitWorkers = false;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parallel BFS: the violation found is a real one (a violation scenario ends in its kind)', async () => {
  const r = (await runWith({ path: 'specs/tutorial.mmspec' }, 'step1', 3)) as { kind: string };
  assert.equal(r.kind, 'use_after_free');
});

/** 20,000 states in one level, the last of which (in the one-thread order) fails an assertion. */
const LAST_OF_LEVEL = `shared x: int;
thread picker() {
  local c: int;
  choose c in 0..20000;
  x = c;
  assert(x != 19999, "the last state of its level");
}
scenario s expect violation(assertion) { picker(); }
`;

test('parallel BFS: a violation in the shared tail (the last state of its level) gives the one-thread counterexample', async () => {
  // The level's last unit is the last of its holder's, so always in the shared tail (tail.ts):
  // after the level the coordinator reads the violating state in place, from the holder's
  // pinned block (a worker's on 2 threads, its own on 3), through tailStateAt. The other
  // tests' violations reach the tail only as the threads' timing falls.
  tuning.awaitWorkers = true;
  try {
    const source = { path: 'last.mmspec', text: LAST_OF_LEVEL };
    const one = (await runWith(source, 's', 1)) as { kind: string; schedule: { choice: number }[] };
    assert.equal(one.kind, 'assertion');
    assert.equal(one.schedule[0]?.choice, 19_999);
    const c = compileText(LAST_OF_LEVEL, source.path);
    assert.ok(c.ok);
    const sc = c.spec.scenarios[0]!;
    const recipe: SystemRecipe = {
      path: source.path,
      files: c.sources.files,
      scenario: 's',
      leak: false,
      dataRace: false,
    };
    for (const workers of [2, 3]) {
      const { result: r } = await runScenario(buildSystem(c.spec, sc), sc, { mode: 'bfs', workers, recipe });
      assert.deepEqual(threadSummary(r), one, `${workers} threads`);
      assert.equal(r.threads?.count, workers, 'every thread expanded the level');
    }
  } finally {
    tuning.awaitWorkers = false;
  }
});

test('property: on random specs, 3 threads give the one-thread BFS result, handed over at any level', async () => {
  // The one-thread BFS hands the search over at the first level of spawnAt states or more
  // (search/bfs.ts BfsHandover): from level 1 up to never, as the spec's levels fall.
  await fc.assert(
    fc.asyncProperty(randomSpec, fc.constantFrom(1, 2, 3, 5, 8, 13), async (s, at) => {
      const source = { path: 'random.mmspec', text: s.text };
      tuning.spawnAt = at;
      try {
        assert.deepEqual(await runWith(source, 's', 3), await runWith(source, 's', 1));
      } finally {
        tuning.spawnAt = 1;
      }
    }),
    { numRuns: propertyRuns(10) },
  );
});

test('property: on random spinning specs (the livelock check), 2 threads give the one-thread result', async () => {
  await fc.assert(
    fc.asyncProperty(spinSpec, async (s) => {
      const source = { path: 'random.mmspec', text: s.text };
      assert.deepEqual(await runWith(source, 's', 2), await runWith(source, 's', 1));
    }),
    { numRuns: propertyRuns(8) },
  );
});

/** Two spinners (found by the property below): from 16 slots the table grows in a level's last round. */
const GROWN_AT_LEVEL_END = `shared x: int;
shared y: int;
thread t0() {
  while (x != 1) { y = 0; y = 1; }
}
thread t1() {
  local r: int;
  while (y == 0) { r = x; }
  while (y == 0) {}
  while (x != 1) { y = 0; y = 1; }
}
invariant x + y < 5;
scenario s expect pass { t0(); t1(); }
`;

test('parallel BFS: a table grown at a level end keeps the livelock graph (2 threads = 1; property and a found case)', async () => {
  // From 16 slots the table grows every few levels, also in a level's last round: the
  // candidates recorded before it must be found again in the grown table (Records.forgetSlots),
  // or the level's filter keeps the wrong ones and the livelock check runs on a wrong graph.
  // The found case is the regression; the property looks for others on 4 random specs (12
  // before: each waits for its worker thread, ~0.4 s of CPU a case). `npm run test:props`
  // runs 40, and `node dist/test/support/parallel-fuzz.js 300 <seed> 1 bfs 16` runs loop,
  // spin and random specs from 16 slots, waiting for the threads, on both reduction sets.
  const slots = tuning.initialSlots;
  tuning.initialSlots = 16;
  tuning.awaitWorkers = true;
  try {
    const found = { path: 'grown.mmspec', text: GROWN_AT_LEVEL_END };
    assert.deepEqual(await runWith(found, 's', 2), await runWith(found, 's', 1));
    await fc.assert(
      fc.asyncProperty(loopSpec, async (s) => {
        const source = { path: 'random.mmspec', text: s.text };
        assert.deepEqual(await runWith(source, 's', 2), await runWith(source, 's', 1));
      }),
      { numRuns: propertyRuns(4) },
    );
  } finally {
    tuning.initialSlots = slots;
    tuning.awaitWorkers = false;
  }
});

test('parallel BFS bounds: interrupted and max-states end incomplete, with the bound named', async () => {
  const { c, sc, recipe } = twin('fixed_k4');
  // Interrupted at its fourth poll, not after a time: the same stop on a fast or a loaded machine.
  let polls = 0;
  const opts = { mode: 'bfs' as const, workers: 2, recipe, interrupted: () => ++polls > 3 };
  const stopped = await runScenario(buildSystem(c.spec, sc), sc, opts);
  assert.equal(stopped.result.verdict.kind, 'incomplete');
  assert.equal(stopped.result.verdict.kind === 'incomplete' && stopped.result.verdict.bound, 'interrupted');
  assert.ok(stopped.result.stats.states < 163_406, `stopped short of the whole space: ${stopped.result.stats.states}`);
  const capped = await runScenario(buildSystem(c.spec, sc), sc, { mode: 'bfs', workers: 2, recipe, maxStates: 5000 });
  assert.equal(capped.result.verdict.kind === 'incomplete' && capped.result.verdict.bound, 'max-states');
  assert.ok(capped.result.stats.states >= 5000 && capped.result.stats.states < 10_000, `${capped.result.stats.states}`);
});

test('parallel BFS: a table grown many times, every thread rehashing its part, gives the one-thread result', async () => {
  const path = 'specs/bench/fault-vs-munmap.mmspec';
  const one = await runWith({ path }, 'fixed_k3', 1);
  const slots = tuning.initialSlots;
  // fixed_k3's 22,636 states fill it five times over, every thread there from the first level.
  tuning.initialSlots = 1 << 10;
  tuning.awaitWorkers = true;
  try {
    assert.deepEqual(await runWith({ path }, 'fixed_k3', 2), one);
    assert.deepEqual(await runWith({ path }, 'fixed_k3', 3), one);
  } finally {
    tuning.initialSlots = slots;
    tuning.awaitWorkers = false;
  }
});

test('parallel BFS stopped: the states not expanded are counted as queued, as the one-thread BFS counts them', async () => {
  const { c, sc, recipe } = twin('fixed_k3');
  const run = async (o: ScenarioOptions): Promise<ExploreResult> =>
    (await runScenario(buildSystem(c.spec, sc), sc, { mode: 'bfs', recipe, ...o })).result;
  // The parallel BFS makes the one-thread BFS's polls of shouldStop after each level: stopped
  // at its third poll, it has expanded every level up to one and stored the next, whatever
  // the threads' timing.
  let polls = 0;
  const stopped = await run({ workers: 2, shouldStop: () => ++polls > 2 });
  assert.equal(stopped.verdict.kind === 'incomplete' && stopped.verdict.bound, 'interrupted');
  const last = stopped.stats.maxDepth - 1; // the last level expanded
  // One thread with --max-depth `last` stores the states up to that level and no more.
  const expanded = (await run({ workers: 1, maxDepth: last })).stats.states;
  assert.equal(stopped.stats.states, (await run({ workers: 1, maxDepth: last + 1 })).stats.states);
  const queued = stopped.stats.states - expanded;
  assert.ok(queued > 0);
  assert.equal(stopped.stats.queue, queued);
  assert.ok(
    stopped.verdict.kind === 'incomplete' &&
      stopped.verdict.detail.endsWith(`; ${grouped(queued)} states queued not expanded`),
    stopped.verdict.kind === 'incomplete' ? stopped.verdict.detail : '',
  );
});

test('parallel BFS: a table that would grow past --max-memory stops the search at the bound instead', async () => {
  const { c, sc, recipe } = twin('fixed_k3');
  const slots = tuning.initialSlots;
  const rss = memoryProbe.rss;
  tuning.initialSlots = 1 << 10;
  try {
    // Resident memory pinned one byte under the bound (the threads read none): the table's
    // first growth, at 768 of its 1,024 slots, must not happen (before, the search went on to
    // the RSS sample 250 ms in, or ended: fixed_k3 has 22,636 states).
    memoryProbe.rss = () => 100 * 2 ** 20;
    const o = { mode: 'bfs' as const, workers: 2, recipe, maxMemory: 100 * 2 ** 20 + 1 };
    const r = (await runScenario(buildSystem(c.spec, sc), sc, o)).result;
    assert.equal(r.verdict.kind === 'incomplete' && r.verdict.bound, 'max-memory');
    assert.match(r.verdict.kind === 'incomplete' ? r.verdict.detail : '', /table of visited states would take/);
    assert.ok(r.stats.states < 1024 && r.stats.states > 1, `${r.stats.states} states`);
  } finally {
    tuning.initialSlots = slots;
    memoryProbe.rss = rss;
  }
});
