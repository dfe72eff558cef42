// Bounds honoured where a search spends its time (test/fixtures/bounds/): inside one state's
// moves (BFS), in DPOR's O(choices) inner loops, on memory; and a long thread-local loop is
// not an infinite one. Each spec here reproduced its problem before the fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { explore } from '../../src/checker/explore.js';
import type { ExploreOptions, ExploreResult, Mode, SearchMode } from '../../src/checker/result.js';
import { runScenario, type ScenarioOptions } from '../../src/checker/scenario.js';
import { memoryProbe } from '../../src/checker/search/meter.js';
import { decodeMove } from '../../src/checker/search/move.js';
import { buildSystem, compileFile, compileText } from '../../src/model/compile.js';
import type { ModelSystem } from '../../src/model/model-system.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/bounds/', import.meta.url));

function system(name: string): ModelSystem {
  const r = compileFile(`${DIR}${name}.mmspec`);
  assert.ok(r.ok, `${name} compiles`);
  return buildSystem(r.spec, r.spec.scenarios[0]!);
}

async function timed(name: string, opts: Partial<ExploreOptions>): Promise<{ r: ExploreResult; seconds: number }> {
  const t0 = performance.now();
  const r = await explore(system(name), opts);
  return { r, seconds: (performance.now() - t0) / 1000 };
}

/** Resident memory as tests pin it (memoryProbe), so that a bound just above it is exact. */
const PINNED_RSS = 100 * 2 ** 20;

function bound(r: ExploreResult): string {
  return r.verdict.kind === 'incomplete' ? r.verdict.bound : r.verdict.kind;
}

test('bounds: DPOR over choose r in 0..100000 stops at --max-seconds (it ran on for minutes)', async () => {
  const { r, seconds } = await timed('dpor-choose-100000', { mode: 'dpor', maxSeconds: 1 });
  assert.equal(bound(r), 'max-seconds');
  assert.ok(seconds < 2, `stopped after ${seconds.toFixed(2)} s`);
});

test('bounds: the interrupt flag stops DPOR inside its race analysis', async () => {
  const t0 = performance.now();
  const interrupted = (): boolean => performance.now() - t0 > 500;
  const { r, seconds } = await timed('dpor-choose-100000', { mode: 'dpor', interrupted });
  assert.equal(bound(r), 'interrupted');
  assert.ok(seconds < 1.5, `stopped after ${seconds.toFixed(2)} s`);
});

test('bounds: BFS stops within one state of 2^31 moves at --max-seconds and at --max-memory', async () => {
  const slow = await timed('bfs-choose-int-max', { mode: 'bfs', maxSeconds: 0.5 });
  assert.equal(bound(slow.r), 'max-seconds');
  assert.ok(slow.seconds < 1.5, `stopped after ${slow.seconds.toFixed(2)} s`);
  assert.equal(slow.r.stats.maxDepth, 1);
  const maxMemory = process.memoryUsage.rss() + 64 * 2 ** 20;
  const big = await timed('bfs-choose-int-max', { mode: 'bfs', maxMemory });
  assert.equal(bound(big.r), 'max-memory');
  assert.match(big.r.verdict.kind === 'incomplete' ? big.r.verdict.detail : '', /^stopped at --max-memory \d+ MiB/);
  assert.ok(big.r.stats.states > 100_000);
});

test('bounds: a thread-local loop of 100,000 iterations is not an infinite loop, in every mode', async () => {
  const r = compileFile(`${DIR}local-loop-100000.mmspec`);
  assert.ok(r.ok);
  const sc = r.spec.scenarios[0]!;
  for (const mode of ['bfs', 'dfs', 'dpor'] satisfies SearchMode[]) {
    const run = await runScenario(buildSystem(r.spec, sc), sc, { mode });
    assert.equal(run.got, 'pass', mode); // the final condition x == 100000 holds
  }
});

test('bounds: a thread-local run past one step goes on in the next; a repeated local state loops forever', async () => {
  const long = compileFile(`${DIR}local-loop-long.mmspec`);
  assert.ok(long.ok);
  const sc = long.spec.scenarios[0]!;
  const run = await runScenario(buildSystem(long.spec, sc), sc, { mode: 'bfs' });
  assert.equal(run.got, 'pass');
  assert.ok(run.result.stats.maxDepth > 2, 'the run was split into several steps');
  const forever = await explore(system('local-loop-forever'), { mode: 'bfs' });
  assert.equal(forever.verdict.kind, 'violation');
  if (forever.verdict.kind === 'violation') {
    assert.equal(forever.verdict.violation.kind, 'deadlock');
    assert.match(forever.verdict.violation.message, /t loops forever on thread-local state/);
  }
});

test('bounds: a move past 2^31 (choice 2,147,483,000 of thread 1 of 2) decodes exactly from its Int32Array word', () => {
  const word = new Int32Array(1);
  word[0] = 2_147_483_000 * 2 + 1; // wraps to a negative int
  assert.deepEqual(decodeMove(word[0]!, 2), { thread: 1, choice: 2_147_483_000 });
});

test('bounds: the table of visited states does not grow past --max-memory between two memory samples', async () => {
  // Resident memory pinned one byte under the bound: the search starts, and the table's first
  // growth (at 896 of its 1,024 slots, within the first RSS sample's 250 ms) is refused, and
  // the search stops there, saying why, instead of growing and running on to the next sample.
  const c = compileFile('specs/bench/fault-vs-munmap.mmspec');
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === 'fixed_k3')!;
  const rss = memoryProbe.rss;
  memoryProbe.rss = () => PINNED_RSS;
  try {
    for (const mode of ['bfs', 'dfs'] satisfies SearchMode[]) {
      const o = { mode, maxMemory: PINNED_RSS + 1 };
      const r: ExploreResult = (await runScenario(buildSystem(c.spec, sc), sc, o)).result;
      assert.equal(bound(r), 'max-memory', mode);
      const detail = r.verdict.kind === 'incomplete' ? r.verdict.detail : '';
      assert.match(
        detail,
        /^stopped at --max-memory 100 MiB \(resident memory 100 MiB; growing the table of visited states would take \d+ MiB more\)/,
        mode,
      );
      assert.ok(r.stats.states <= 897 && r.stats.states > 1, `${mode}: ${r.stats.states} states`);
    }
  } finally {
    memoryProbe.rss = rss;
  }
});

test("bounds: a random walk's schedule does not grow past --max-memory between two memory samples", async () => {
  // A walk of 67 million steps doubled its array of moves to 268 MiB at once: 578 MiB resident
  // under --max-memory 400M. Memory pinned one byte under the bound, the first doubling is refused.
  const c = compileFile('test/fixtures/check/unbounded.mmspec');
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === 'unbounded')!;
  const rss = memoryProbe.rss;
  memoryProbe.rss = () => PINNED_RSS;
  try {
    const o = { mode: 'random' as const, maxMemory: PINNED_RSS + 1, maxDepth: 100_000, executions: 1 };
    const r = await explore(buildSystem(c.spec, sc), o);
    assert.equal(bound(r), 'max-memory');
    assert.match(
      r.verdict.kind === 'incomplete' ? r.verdict.detail : '',
      /^stopped at --max-memory 100 MiB \(resident memory 100 MiB; growing the walk's moves would take 0 MiB more\): explored 257 states to depth 256$/,
    );
  } finally {
    memoryProbe.rss = rss;
  }
});

test('bounds: a bit array larger than --max-memory leaves is not allocated; one that fits is', async () => {
  const c = compileFile('specs/bench/fault-vs-munmap.mmspec');
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === 'fixed_k3')!;
  const run = async (bitstate: number, maxMemory: number): Promise<ExploreResult> =>
    (await runScenario(buildSystem(c.spec, sc), sc, { mode: 'bfs', bitstate, maxMemory })).result;
  // 2^32 bits are 512 MiB: with 100 MiB above what the process holds, the search stops before it.
  const big = await run(32, process.memoryUsage.rss() + 100 * 2 ** 20);
  assert.equal(bound(big), 'max-memory');
  assert.equal(big.stats.states, 0);
  assert.match(
    big.verdict.kind === 'incomplete' ? big.verdict.detail : '',
    /a bit array of 2\^32 bits would take 512 MiB more/,
  );
  // 2^26 bits are 8 MiB: the search runs (and, a bitstate search, ends incomplete, never pass).
  const small = await run(26, process.memoryUsage.rss() + 100 * 2 ** 20);
  assert.equal(bound(small), 'bitstate');
  assert.equal(small.stats.states, 22_636);
});

test('bounds: a --max-memory the process is already past stops every search at once, even one shorter than a memory sample', async () => {
  // fixed_k1 (220 states) ends in milliseconds, before the first RSS sample (250 ms in): it
  // passed under a bound of 1 MiB, below what node itself holds.
  const c = compileFile('specs/bench/fault-vs-munmap.mmspec');
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === 'fixed_k1')!;
  const modes: Mode[] = ['auto', 'bfs', 'dfs', 'dpor', 'random', 'simulate'];
  const runs: [string, ScenarioOptions][] = [
    ...modes.map((mode): [string, ScenarioOptions] => [mode, { mode }]),
    ['part 0 of 2', { mode: 'bfs', partition: { k: 0, n: 2 } }],
  ];
  for (const [what, o] of runs) {
    const whole: ExploreResult = (await runScenario(buildSystem(c.spec, sc), sc, o)).result;
    assert.equal(whole.verdict.kind, what === 'random' || what === 'simulate' ? 'incomplete' : 'pass', what);
    const r: ExploreResult = (await runScenario(buildSystem(c.spec, sc), sc, { ...o, maxMemory: 2 ** 20 })).result;
    assert.equal(bound(r), 'max-memory', what);
    assert.match(
      r.verdict.kind === 'incomplete' ? r.verdict.detail : '',
      /^the process already held [\d,]+ MiB when the search started, more than --max-memory 1 MiB[:;] /,
      what,
    );
    assert.ok(r.stats.states <= 1 && r.stats.transitions === 0, `${what}: ${r.stats.states} states`);
  }
});

test('bounds: a --max-memory the process is already past stops a search whose initial state is terminal', async () => {
  // One state, no step: DFS ended at its initial state before its first poll and passed under
  // a bound of 1 MiB, where every other search stopped at the bound.
  const c = compileText(
    'shared x: int;\nthread t() { local r: int; r = 1; }\nscenario s expect pass { t(); }\n',
    'one.mmspec',
  );
  assert.ok(c.ok);
  const sc = c.spec.scenarios[0]!;
  const whole = (await runScenario(buildSystem(c.spec, sc), sc, { mode: 'dfs' })).result;
  assert.deepEqual([whole.verdict.kind, whole.stats.states, whole.stats.transitions], ['pass', 1, 0]);
  const modes: Mode[] = ['auto', 'bfs', 'dfs', 'dpor', 'random', 'simulate'];
  for (const mode of modes) {
    const r: ExploreResult = (await runScenario(buildSystem(c.spec, sc), sc, { mode, maxMemory: 2 ** 20 })).result;
    assert.equal(bound(r), 'max-memory', mode);
  }
});
