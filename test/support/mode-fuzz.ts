// Every search mode and bound as `explore` runs a scenario (runScenario), against the plain
// one: BFS with `--reduce none`. Each random spec is run expecting pass, expecting each kind a
// search that cuts every violation meets (systems/target.ts), and expecting a few kinds
// always (ASKED); for each expectation the reference is BFS with `--reduce none`:
// - complete searches (auto with a DPOR attempt at every poll, auto, BFS and DFS with each
//   reduction, optimal and source DPOR, a partitioned run merged) give the reference's
//   verdict, and the expected kind exactly when the reference finds it;
// - bitstate, random walks and simulation never pass, nor report a kind the reference lacks;
// - a state bound below the reference's count and a memory bound below what the process
//   holds never pass.
//
//   node dist/test/support/mode-fuzz.js [cases] [seed] [family]
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { mergeParts } from '../../src/checker/distrib/merge.js';
import { PART_FORMAT, type PartFile, partScenario } from '../../src/checker/distrib/part-file.js';
import { explore } from '../../src/checker/explore.js';
import { runScenario, type ScenarioOptions } from '../../src/checker/scenario.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS, type ReductionSet } from '../../src/model/reductions.js';
import { invariantSpec, localsSpec, loopSpec, randomSpec, smallSpec, spinSpec, symmetricSpec } from './random-spec.js';

const BOUNDS = { maxDepth: 300, maxStates: 50_000 } as const;

/** Complete searches: each must give the reference's verdict. */
const COMPLETE: [string, ScenarioOptions][] = [
  ['auto, a DPOR attempt at every poll', { mode: 'auto', autoFirstCheckpoint: 0 }],
  ['auto', { mode: 'auto' }],
  ['auto --reduce none', { mode: 'auto', reduce: NO_REDUCTIONS, autoFirstCheckpoint: 0 }],
  ['bfs --reduce por', { mode: 'bfs', reduce: new Set(['por']) }],
  ['bfs --reduce symmetry,dead-locals,por', { mode: 'bfs', reduce: new Set(['symmetry', 'dead-locals', 'por']) }],
  ['dfs', { mode: 'dfs' }],
  ['dfs --reduce none', { mode: 'dfs', reduce: NO_REDUCTIONS }],
  ['dfs --reduce por', { mode: 'dfs', reduce: new Set(['por']) }],
  ['dpor', { mode: 'dpor', maxStates: 5_000 }],
  ['dpor --por source', { mode: 'dpor', por: 'source', maxStates: 5_000 }],
];

/** Searches that must never pass. */
const NEVER_PASS: [string, ScenarioOptions][] = [
  ['bitstate', { mode: 'bfs', bitstate: 20, seed: 1 }],
  ['random', { mode: 'random', executions: 30, seed: 1 }],
  ['simulate', { mode: 'simulate', executions: 30, seed: 1, strategy: 'random' }],
  ['simulate pct', { mode: 'simulate', executions: 30, seed: 1, strategy: 'pct', pctDepth: 2 }],
];

export interface ModeCounts {
  specs: number;
  incomplete: number;
  violating: number;
  runs: number;
  /** Runs of a complete search that hit a bound (not compared). */
  bounded: number;
  split: number;
  /** Runs of auto that DPOR decided. */
  dporDecided: number;
}

async function run(
  text: string,
  o: ScenarioOptions,
): Promise<{ got: string; verdict: string; states: number; mode: string }> {
  const c = compileText(text, 'random.mmspec');
  assert.ok(c.ok, text);
  const sc = c.spec.scenarios[0]!;
  const reduce = o.reduce ?? DEFAULT_REDUCTIONS;
  const r = await runScenario(buildSystem(c.spec, sc, { reduce }), sc, { ...BOUNDS, workers: 1, ...o, reduce });
  // The expected kind's search stopped at a bound and a plain search's violation stands in:
  // that search was not complete.
  const verdict = r.targetIncomplete === undefined ? r.result.verdict.kind : 'incomplete';
  return { got: r.got, verdict, states: r.result.stats.states, mode: r.result.mode };
}

/** The merged verdict of n parts. */
async function merged(text: string, n: number, reduce: ReductionSet): Promise<{ got: string; split: boolean }> {
  const c = compileText(text, 'random.mmspec');
  assert.ok(c.ok, text);
  const sc = c.spec.scenarios[0]!;
  const parts: { file: string; part: PartFile }[] = [];
  for (let k = 0; k < n; k++) {
    const r = await runScenario(buildSystem(c.spec, sc, { reduce }), sc, {
      ...BOUNDS,
      mode: 'bfs',
      reduce,
      partition: { k, n },
    });
    const { system: _s, ...report } = r;
    const part = { format: PART_FORMAT, spec: 'x', specHash: 'h', k, n, settings: {}, scenarios: [] as never[] };
    parts.push({ file: `${k}`, part: { ...part, scenarios: [partScenario(report, [])] } as PartFile });
  }
  const m = mergeParts(parts).scenarios[0]!;
  return { got: m.got, split: parts[0]!.part.scenarios[0]!.part!.frontierDepth >= 0 };
}

/** Kinds every spec is also run expecting: the warnings, a livelock's kind, a crash. */
const ASKED: ViolationKind[] = ['premature_free', 'lock_order', 'deadlock', 'use_after_free'];

const expecting = (text: string, kind: ViolationKind | null): string =>
  kind === null ? text : text.replace('expect pass', `expect violation(${kind})`);

export async function checkModes(text: string, counts: ModeCounts): Promise<void> {
  counts.specs++;
  const c = compileText(text, 'random.mmspec');
  assert.ok(c.ok, text);
  const sc = c.spec.scenarios[0]!;
  // The kinds met on the way (every violation cut, the search going on), a livelock (found
  // after the search, not cut), and kinds worth asking for anyway: a warning (premature_free,
  // lock_order) cuts nothing when another kind is expected, so it may hide a kind from this
  // collection that an expected-kind search finds past it.
  const target = new TargetSystem(buildSystem(c.spec, sc, { reduce: NO_REDUCTIONS }), null);
  const collected = await explore(target, { ...BOUNDS, mode: 'bfs', reduce: NO_REDUCTIONS });
  if (collected.verdict.kind === 'incomplete') {
    counts.incomplete++;
    return;
  }
  const kinds = new Set<ViolationKind | null>([null, ...target.cutKinds]);
  if (collected.verdict.kind === 'violation') kinds.add(collected.verdict.violation.kind);
  if (kinds.size > 1) counts.violating++;
  for (const k of ASKED) kinds.add(k);
  for (const kind of kinds) await checkExpectation(text, kind, counts);
}

/** The scenario expecting `kind` (pass when null) under every search, against BFS --reduce none. */
async function checkExpectation(text: string, kind: ViolationKind | null, counts: ModeCounts): Promise<void> {
  const t = expecting(text, kind);
  // The reference for this expectation: BFS, --reduce none.
  const ref = await run(t, { mode: 'bfs', reduce: NO_REDUCTIONS });
  if (ref.verdict === 'incomplete') {
    counts.incomplete++;
    return;
  }
  const found = kind !== null && ref.got === `violation(${kind})`;
  const check = (name: string, got: { got: string; verdict: string }): void => {
    const what = `${name}, expecting ${kind ?? 'pass'} (bfs --reduce none: ${ref.got}):\n${t}`;
    // The expected kind exactly when the reference finds it; else another violation (the
    // first met, which may differ between searches) or a pass, as the reference.
    if (found) assert.equal(got.got, ref.got, what);
    else {
      if (kind !== null) assert.notEqual(got.got, `violation(${kind})`, what);
      assert.equal(got.verdict, ref.verdict, what);
    }
  };
  for (const [name, o] of COMPLETE) {
    counts.runs++;
    const got = await run(t, o);
    if (o.mode === 'auto' && got.mode === 'dpor') counts.dporDecided++;
    if (got.verdict === 'incomplete') {
      counts.bounded++;
      continue;
    }
    check(name, got);
  }
  for (const n of [2, 3]) {
    for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
      counts.runs++;
      const m = await merged(t, n, reduce);
      if (m.split) counts.split++;
      if (m.got === 'incomplete') counts.bounded++;
      else
        check(`--partition k/${n} merged, --reduce ${[...reduce].join(',') || 'none'}`, {
          got: m.got,
          verdict: m.got.replace(/\(.*/, ''),
        });
    }
  }
  await checkNeverPass(t, kind !== null && !found ? kind : null, ref.states, counts);
}

/** Searches and bounds that must never pass, nor report `absent` (a kind the reference lacks). */
async function checkNeverPass(
  t: string,
  absent: ViolationKind | null,
  states: number,
  counts: ModeCounts,
): Promise<void> {
  for (const [name, o] of NEVER_PASS) {
    counts.runs++;
    const got = await run(t, o);
    assert.notEqual(got.verdict, 'pass', `${name} passed:\n${t}`);
    if (absent !== null) assert.notEqual(got.got, `violation(${absent})`, `${name}:\n${t}`);
  }
  const bounded: [string, ScenarioOptions][] = [
    ['--max-memory 1', { mode: 'auto', maxMemory: 1 }],
    ['--max-memory 1 dpor', { mode: 'dpor', maxMemory: 1 }],
    ['--max-memory 1 dfs', { mode: 'dfs', maxMemory: 1 }],
  ];
  if (states > 2) {
    const half = Math.floor(states / 2);
    bounded.push(['--max-states half, bfs', { mode: 'bfs', reduce: NO_REDUCTIONS, maxStates: half }]);
    bounded.push(['--max-states half, dfs', { mode: 'dfs', reduce: NO_REDUCTIONS, maxStates: half }]);
    bounded.push([
      '--max-states half, auto',
      { mode: 'auto', reduce: NO_REDUCTIONS, maxStates: half, autoFirstCheckpoint: 0 },
    ]);
  }
  for (const [name, o] of bounded) {
    counts.runs++;
    const got = await run(t, o);
    assert.notEqual(got.verdict, 'pass', `${name} passed:\n${t}`);
    if (absent !== null) assert.notEqual(got.got, `violation(${absent})`, `${name}:\n${t}`);
  }
}

const FAMILIES: Record<string, fc.Arbitrary<{ text: string }>> = {
  mixed: fc.oneof(smallSpec, symmetricSpec, localsSpec, spinSpec, loopSpec, invariantSpec),
  random: randomSpec,
  spin: fc.oneof(spinSpec, loopSpec),
};

async function main(): Promise<number> {
  const cases = Number(process.argv[2] ?? 1000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  const family = process.argv[4] ?? 'mixed';
  console.log(`every mode against bfs --reduce none: ${cases} random specs (${family}), seed ${seed}`);
  const start = performance.now();
  const elapsed = (): string => `${((performance.now() - start) / 1000).toFixed(0)} s`;
  const counts: ModeCounts = { specs: 0, incomplete: 0, violating: 0, runs: 0, bounded: 0, split: 0, dporDecided: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(FAMILIES[family]!, async (s) => {
        await checkModes(s.text, counts);
        if (counts.specs % 100 === 0) console.log(`${elapsed()}: ${JSON.stringify(counts)}`);
      }),
      { numRuns: cases, seed },
    );
    console.log(`ok in ${elapsed()}: ${JSON.stringify(counts)}`);
    return 0;
  } catch (e) {
    console.log(`FAILED after ${elapsed()}:\n${(e as Error).message}\n${String((e as Error).cause ?? '')}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
