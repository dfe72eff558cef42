// `mmcheck merge`: the parts of a partitioned run combined into one verdict per scenario
// (docs/distributed.md). A violation in any part wins (the expected kind first, as the single
// run's targeted search reports it whenever it is reachable; then the shortest, then the lowest part);
// else incomplete if a part is incomplete or missing; pass only when all n parts passed and
// their records show the same split with every frontier state owned by exactly one part.
import type { ReductionNotApplied } from '../result.js';
import type { PartFile, PartScenario } from './part-file.js';

/** Parts that do not belong to one run: merging them would mean nothing (exit 2). */
export class MergeMismatch extends Error {}

export interface MergedScenario {
  scenario: string;
  expected: string;
  /** The verdict in the words explore uses (`pass`, `violation(K)`, `incomplete (memory bound)`). */
  got: string;
  /** got is expected: explore's `ok`, else `UNEXPECTED`. */
  asExpected: boolean;
  verdict: 'pass' | 'violation' | 'incomplete';
  /** Why incomplete; which part found the violation. */
  why: string;
  /** The violation's record (from the part that found it). */
  violation?: PartScenario;
  violationPart?: number;
  /** Distinct states: at least `statesLow` (the largest part), at most `statesHigh` (no overlap below the frontier). */
  statesLow: number;
  statesHigh: number;
  /** Transitions summed over the parts: the work done, overlap included. */
  transitions: number;
  /** Seconds: the slowest part, and all parts summed. */
  slowestSeconds: number;
  totalSeconds: number;
  /** What any part says it did not apply of the reductions asked for, each reason once. */
  reductionsNotApplied?: ReductionNotApplied[];
}

export interface Merged {
  spec: string;
  n: number;
  present: number[];
  missing: number[];
  scenarios: MergedScenario[];
}

export function mergeParts(parts: readonly { file: string; part: PartFile }[]): Merged {
  if (parts.length === 0) throw new MergeMismatch('no part files given');
  const first = parts[0]!;
  const byK = new Map<number, PartFile>();
  for (const { file, part } of parts) {
    const what = mismatch(first.part, part);
    if (what !== null) throw new MergeMismatch(`${file} is not a part of the same run as ${first.file}: ${what}`);
    if (byK.has(part.k)) throw new MergeMismatch(`two files are part ${part.k} of ${part.n} (${file} is the second)`);
    byK.set(part.k, part);
  }
  const n = first.part.n;
  const present = [...byK.keys()].sort((a, b) => a - b);
  const missing = Array.from({ length: n }, (_, k) => k).filter((k) => !byK.has(k));
  const ordered = present.map((k) => byK.get(k)!);
  const scenarios = first.part.scenarios.map((s, i) =>
    mergeScenario(
      s.scenario,
      ordered.map((p) => p.scenarios[i]!),
      present,
      missing,
    ),
  );
  return { spec: first.part.spec, n, present, missing, scenarios };
}

/** Why part `b` cannot be merged with part `a`, or null. */
function mismatch(a: PartFile, b: PartFile): string | null {
  if (a.specHash !== b.specHash)
    return `the spec differs (hash ${a.specHash.slice(0, 12)} vs ${b.specHash.slice(0, 12)})`;
  if (a.n !== b.n) return `it is a part of ${b.n}, not of ${a.n}`;
  const names = (p: PartFile): string => p.scenarios.map((s) => s.scenario).join(', ');
  if (names(a) !== names(b)) return `its scenarios (${names(b)}) differ from (${names(a)})`;
  for (const key of new Set([...Object.keys(a.settings), ...Object.keys(b.settings)])) {
    if (a.settings[key] !== b.settings[key])
      return `it ran with ${key} = ${String(b.settings[key])}, not ${String(a.settings[key])}`;
  }
  return null;
}

function mergeScenario(
  name: string,
  runs: readonly PartScenario[],
  present: readonly number[],
  missing: readonly number[],
): MergedScenario {
  const merged = mergedVerdict(name, runs, present, missing);
  const notApplied = new Map<string, ReductionNotApplied>();
  for (const r of runs.flatMap((run) => run.reductionsNotApplied ?? []))
    notApplied.set(`${r.reduction}: ${r.detail}`, r);
  return {
    ...merged,
    asExpected: merged.got === merged.expected,
    ...(notApplied.size > 0 ? { reductionsNotApplied: [...notApplied.values()] } : {}),
  };
}

function mergedVerdict(
  name: string,
  runs: readonly PartScenario[],
  present: readonly number[],
  missing: readonly number[],
): Omit<MergedScenario, 'asExpected'> {
  const sum = (f: (r: PartScenario) => number): number => runs.reduce((a, r) => a + f(r), 0);
  const shared = runs[0]!.part === null ? 0 : sharedStates(runs[0]!);
  const out: Omit<MergedScenario, 'asExpected'> = {
    scenario: name,
    expected: runs[0]!.expected,
    got: 'pass',
    verdict: 'pass',
    why: '',
    statesLow: Math.max(...runs.map((r) => r.stats.states)),
    statesHigh: shared + sum((r) => r.stats.states - shared),
    transitions: sum((r) => r.stats.transitions),
    slowestSeconds: Math.max(...runs.map((r) => r.stats.seconds)),
    totalSeconds: sum((r) => r.stats.seconds),
  };
  const violations = runs.map((r, i) => ({ r, k: present[i]! })).filter(({ r }) => r.verdict === 'violation');
  if (violations.length > 0) {
    // The single run searches for the expected violation past every other kind and reports
    // another kind only when the expected one is nowhere reachable; a part whose region lacks
    // the expected one reports another kind (its plain re-run), possibly shorter. So the
    // expected violation first, then the shortest, as one BFS over the whole space would report.
    const rank = (r: PartScenario): number => (r.got === r.expected ? 0 : 1);
    violations.sort(
      (a, b) => rank(a.r) - rank(b.r) || (a.r.schedule?.length ?? 0) - (b.r.schedule?.length ?? 0) || a.k - b.k,
    );
    const { r, k } = violations[0]!;
    // The part's own words: a violation of an invariant the spec names names it too.
    return { ...out, got: r.got, verdict: 'violation', why: `found by part ${k}`, violation: r, violationPart: k };
  }
  const stopped = runs.findIndex((r) => r.verdict === 'incomplete');
  if (stopped >= 0) {
    const r = runs[stopped]!;
    return { ...out, got: r.got, verdict: 'incomplete', why: `part ${present[stopped]}: ${r.detail ?? ''}` };
  }
  const incomplete = { got: 'incomplete', verdict: 'incomplete' } as const;
  if (missing.length > 0) return { ...out, ...incomplete, why: `parts ${partRanges(missing)} missing` };
  const gap = coverageGap(runs);
  return gap === null ? out : { ...out, ...incomplete, why: gap };
}

/** States every part stores: the prefix and the whole frontier. */
function sharedStates(r: PartScenario): number {
  const p = r.part!;
  return p.frontierDepth < 0 ? r.stats.states : p.prefixStates + p.frontierStates;
}

/** Why the parts' records do not show a cover of the whole search, or null when they do. */
function coverageGap(runs: readonly PartScenario[]): string | null {
  const split = (r: PartScenario): string =>
    r.part === null ? 'none' : `${r.part.frontierDepth}/${r.part.prefixStates}/${r.part.frontierStates}`;
  if (runs.some((r) => r.part === null)) return 'a part ran without --partition';
  if (runs.some((r) => split(r) !== split(runs[0]!))) return 'the parts split the search at different frontiers';
  const p = runs[0]!.part!;
  if (p.frontierDepth < 0) return null; // the search ended before a frontier: every part ran it all
  const owned = runs.reduce((a, r) => a + r.part!.ownedStates, 0);
  if (owned !== p.frontierStates)
    return `the parts own ${owned} of the ${p.frontierStates} frontier states (each must be owned once)`;
  return null;
}

/** Part numbers as ranges, "0-2, 4-999": one present part of 1,000 must not print 999 numbers. */
export function partRanges(ks: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ks.length; ) {
    let j = i;
    while (j + 1 < ks.length && ks[j + 1] === ks[j]! + 1) j++;
    out.push(j === i ? `${ks[i]}` : `${ks[i]}-${ks[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
