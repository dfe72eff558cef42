// The reductions' soundness against one unreduced search per random spec: each spec is
// compiled once and searched once with BFS and `--reduce none` (the reference), and every
// reduction and search mode is held to it — symmetry alone, dead-locals alone and por alone
// under BFS, por with the default reductions under BFS, and the default reductions under the
// default search (auto), DFS and optimal DPOR. Each must
// give the same verdict, the same set of violation kinds and the same terminal states (up to
// renaming interchangeable threads, with locals cleared where dead-locals is on), and no
// stored-state search may store more states. Every step of every spec is also held to the
// partial-order reduction's static footprints (por-check.ts): a step that touches a class its
// static set does not name fails. test/model/soundness.test.ts runs 2,000 specs;
// `npm run fuzz:reduce` runs 100,000 (this file's main):
//
//   node dist/test/support/soundness.js [cases] [seed]
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { ExploreOptions } from '../../src/checker/result.js';
import { compileText } from '../../src/model/compile.js';
import { ModelSystem } from '../../src/model/model-system.js';
import { compileProgram, type Program } from '../../src/model/program.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS, type ReductionSet } from '../../src/model/reductions.js';
import { threadClasses } from '../../src/model/symmetry.js';
import { footprintEscape } from './por-check.js';
import { localsSpec, smallSpec, symmetricSpec } from './random-spec.js';
import { collect, type Outcome, terminalKeys } from './reduce-oracle.js';

const SYMMETRY: ReductionSet = new Set(['symmetry']);
const DEAD_LOCALS: ReductionSet = new Set(['dead-locals']);
const POR: ReductionSet = new Set(['por']);
const ALL: ReductionSet = new Set(['symmetry', 'dead-locals', 'por']);
const BOUNDS: Partial<ExploreOptions> = { maxDepth: 300, maxStates: 20_000 };

interface Variant {
  name: string;
  reduce: ReductionSet;
  opts: Partial<ExploreOptions>;
  /** Stores states (BFS, DFS): never more than the reference. */
  stored: boolean;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'bfs --reduce symmetry', reduce: SYMMETRY, opts: { mode: 'bfs' }, stored: true },
  { name: 'bfs --reduce dead-locals', reduce: DEAD_LOCALS, opts: { mode: 'bfs' }, stored: true },
  { name: 'bfs --reduce por', reduce: POR, opts: { mode: 'bfs' }, stored: true },
  { name: 'bfs --reduce symmetry,dead-locals,por', reduce: ALL, opts: { mode: 'bfs' }, stored: true },
  {
    name: 'auto (the default search and reductions)',
    reduce: DEFAULT_REDUCTIONS,
    opts: { mode: 'auto' },
    stored: true,
  },
  { name: 'dfs', reduce: DEFAULT_REDUCTIONS, opts: { mode: 'dfs' }, stored: true },
  // Stateless: bounded lower, and a run over the bound is counted, not compared.
  {
    name: 'dpor optimal',
    reduce: DEFAULT_REDUCTIONS,
    opts: { mode: 'dpor', por: 'optimal', maxStates: 3_000 },
    stored: false,
  },
];

/** What the property saw, so that it can assert it saw what it is about. */
export interface SoundnessCounts {
  specs: number;
  /** The reference hit a bound: nothing to compare. */
  incomplete: number;
  /** DPOR hit its bound (stateless, it may visit far more states than BFS stores). */
  skipped: number;
  /** The reference collected a violation kind. */
  violating: number;
  /** Specs with interchangeable threads, and those where symmetry stored fewer states. */
  symmetric: number;
  symmetryReduced: number;
  /** Specs where the dead-local reset stored fewer states. */
  deadLocalsReduced: number;
  /** Specs where the partial-order reduction alone stored fewer states. */
  porReduced: number;
  /** Searches with dead-locals that stored more states than the reference (a split sink). */
  sinkSplits: number;
}

export function emptyCounts(): SoundnessCounts {
  return {
    specs: 0,
    incomplete: 0,
    skipped: 0,
    violating: 0,
    symmetric: 0,
    symmetryReduced: 0,
    deadLocalsReduced: 0,
    porReduced: 0,
    sinkSplits: 0,
  };
}

/** One spec against every variant; an assertion fails on the first disagreement. */
export async function checkSpec(text: string, counts: SoundnessCounts): Promise<void> {
  counts.specs++;
  const c = compileText(text, 'random.mmspec');
  if (!c.ok) assert.fail(`generated spec does not compile:\n${c.diagnostics.map((d) => d.message).join('\n')}`);
  const sc = c.spec.scenarios[0]!;
  // Two programs: dead-locals is compiled into the steps, symmetry is the system's canonical form.
  const plain = compileProgram(c.spec, sc, NO_REDUCTIONS);
  const resetting = compileProgram(c.spec, sc, DEAD_LOCALS);
  const program = (r: ReductionSet): Program => (r.has('dead-locals') ? resetting : plain);
  // Without --reduce por, which changes no step: footprintEscape builds its own PartialOrder,
  // and the system's (for ample sets it never asks for) was an eighth of this check's time.
  const escaped = footprintEscape(new ModelSystem(plain), BOUNDS.maxStates);
  assert.equal(escaped, null, `a step escapes its static footprint (model/por.ts) on:\n${text}`);
  const ref = await collect(new ModelSystem(plain), { ...BOUNDS, mode: 'bfs', reduce: NO_REDUCTIONS });
  if (ref.verdict === 'incomplete') {
    counts.incomplete++;
    return;
  }
  if (ref.kinds.length > 0) counts.violating++;
  const symmetric = threadClasses(plain).length > 0;
  if (symmetric) counts.symmetric++;
  const refKeys = new Map<boolean, string[]>();
  const keysOf = (o: Outcome, clear: boolean): string[] => terminalKeys(plain, o.terminals, clear);
  for (const v of VARIANTS) {
    // Without interchangeable threads symmetry has no canonical form: that search would be
    // the reference itself, step for step.
    if (v.reduce === SYMMETRY && !symmetric) continue;
    const got = await collect(new ModelSystem(program(v.reduce), { reduce: v.reduce }), {
      ...BOUNDS,
      ...v.opts,
      reduce: v.reduce,
    });
    if (got.verdict === 'incomplete' && !v.stored) {
      counts.skipped++;
      continue;
    }
    const what = `${v.name} against bfs --reduce none on:\n${text}`;
    assert.equal(got.verdict, ref.verdict, `verdict: ${what}`);
    assert.deepEqual(got.kinds, ref.kinds, `violation kinds: ${what}`);
    const clear = v.reduce.has('dead-locals');
    if (!refKeys.has(clear)) refKeys.set(clear, keysOf(ref, clear));
    assert.deepEqual(keysOf(got, clear), refKeys.get(clear), `terminal states: ${what}`);
    if (!v.stored) continue;
    // A cut violation leaves a sink holding the aborted step's half-written locals, which the
    // dead-local reset (applied when a step completes) never sees, so sinks may split by a
    // dead local (default-reductions.test.ts). Otherwise never more states.
    if (got.states > ref.states) {
      assert.ok(ref.kinds.length > 0 && clear, `${got.states} states, ${ref.states} unreduced: ${what}`);
      counts.sinkSplits++;
    }
    if (got.states < ref.states && v.reduce === SYMMETRY) counts.symmetryReduced++;
    if (got.states < ref.states && v.reduce === DEAD_LOCALS) counts.deadLocalsReduced++;
    if (got.states < ref.states && v.reduce === POR) counts.porReduced++;
  }
}

/** Small specs of three kinds: repeated threads, bodies rich in locals, every primitive. */
export const soundnessSpec = fc.oneof(symmetricSpec, localsSpec, smallSpec);

/** `cases` random specs through checkSpec; `progress` is called every `every` specs. */
export async function runSoundness(
  cases: number,
  seed: number | undefined,
  progress?: (c: SoundnessCounts) => void,
  every = 1000,
): Promise<SoundnessCounts> {
  const counts = emptyCounts();
  await fc.assert(
    fc.asyncProperty(soundnessSpec, async (s) => {
      await checkSpec(s.text, counts);
      if (progress !== undefined && counts.specs % every === 0) progress(counts);
    }),
    seed === undefined ? { numRuns: cases } : { numRuns: cases, seed },
  );
  return counts;
}

async function main(): Promise<number> {
  const cases = Number(process.argv[2] ?? 100_000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  console.log(`reduction soundness: ${cases} random specs, seed ${seed}`);
  const start = performance.now();
  const elapsed = (): string => `${((performance.now() - start) / 1000).toFixed(0)} s`;
  try {
    const c = await runSoundness(cases, seed, (p) => console.log(`${elapsed()}: ${JSON.stringify(p)}`));
    console.log(`ok in ${elapsed()}: ${JSON.stringify(c)}`);
    return 0;
  } catch (e) {
    // fast-check's report: the seed, the path and the shrunk spec text.
    console.log(`FAILED after ${elapsed()}:\n${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
