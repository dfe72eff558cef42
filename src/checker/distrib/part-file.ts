// The result file of one part of a partitioned run (`explore --partition k/n --result-out
// FILE`), and reading it back for `mmcheck merge`. Plain JSON: what the part ran (spec hash,
// scenarios, n, k, mode, reductions and bounds, which merge requires to agree across parts)
// and what it found per scenario (verdict, stats, the split, the counterexample's steps).
import type { Violation } from '../../model/system.js';
import type { PartInfo, ReductionNotApplied, RunReport, ScheduleEntry, Stats } from '../result.js';

export const PART_FORMAT = 'mmcheck-part/1';

/** The most parts a run may have (a Slurm array's largest, 4,000,001, fits): merge lists the missing ones. */
export const MAX_PARTS = 2 ** 22;

/** A counterexample step as the part printed it. */
export interface PartStep {
  thread: string;
  text: string;
}

export interface PartScenario {
  scenario: string;
  expected: string;
  got: string;
  verdict: 'pass' | 'violation' | 'incomplete';
  stats: Stats;
  part: PartInfo | null;
  violation?: Violation;
  schedule?: ScheduleEntry[];
  steps?: PartStep[];
  bound?: string;
  detail?: string;
  /** The trace file saved for the violation, if any. */
  traceFile?: string;
  /** The reductions `--reduce` named that the part did not apply (RunReport's); absent: none. */
  reductionsNotApplied?: ReductionNotApplied[];
}

export interface PartFile {
  format: typeof PART_FORMAT;
  spec: string;
  specHash: string;
  k: number;
  n: number;
  /** What every part must share: mode, reductions, bounds, checks (merge compares them). */
  settings: Record<string, string | number | boolean | null>;
  scenarios: PartScenario[];
}

/** One scenario's record from its run report and its counterexample's steps. */
export function partScenario(run: RunReport, steps: readonly PartStep[], traceFile?: string): PartScenario {
  const v = run.result.verdict;
  const out: PartScenario = {
    scenario: run.scenario.name,
    expected: run.expected,
    got: run.got,
    verdict: v.kind,
    stats: run.result.stats,
    part: run.result.part ?? null,
  };
  if (run.reductionsNotApplied !== undefined) out.reductionsNotApplied = run.reductionsNotApplied;
  if (v.kind === 'violation') {
    out.violation = v.violation;
    out.schedule = v.schedule;
    out.steps = [...steps];
    if (traceFile !== undefined) out.traceFile = traceFile;
  }
  if (v.kind === 'incomplete') {
    out.bound = v.bound;
    out.detail = v.detail;
  }
  return out;
}

/** Parses a part file's text; a string says why it is not one. */
export function parsePartFile(text: string): PartFile | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  const d = data as Partial<PartFile> | null;
  if (d === null || typeof d !== 'object' || d.format !== PART_FORMAT)
    return `not an mmcheck part file (no "format": "${PART_FORMAT}"); write one with explore --partition k/n --result-out FILE`;
  if (!Number.isInteger(d.k) || !Number.isInteger(d.n) || d.n! < 1 || d.n! > MAX_PARTS || d.k! < 0 || d.k! >= d.n!)
    return `its "k" and "n" are not a part k of n (0 <= k < n <= ${MAX_PARTS.toLocaleString('en-US')})`;
  if (typeof d.specHash !== 'string' || typeof d.settings !== 'object' || !Array.isArray(d.scenarios))
    return 'it lacks "specHash", "settings" or "scenarios"';
  for (const [i, sc] of d.scenarios.entries()) {
    const bad = badScenario(sc);
    if (bad !== null) return `its scenario #${i + 1} ${bad}`;
  }
  return d as PartFile;
}

const VERDICTS: readonly unknown[] = ['pass', 'violation', 'incomplete'];

/**
 * Why a part's scenario entry cannot be merged, or null. Merge reads a verdict it does not
 * know as no violation and no bound: a corrupt or hand-edited one must not merge as a pass.
 */
function badScenario(sc: unknown): string | null {
  const s = sc as Partial<PartScenario> | null;
  if (s === null || typeof s !== 'object' || typeof s.scenario !== 'string') return 'has no "scenario" name';
  if (typeof s.expected !== 'string' || typeof s.got !== 'string')
    return `("${s.scenario}") has no "expected" or "got" verdict text`;
  if (!VERDICTS.includes(s.verdict))
    return `("${s.scenario}") has verdict ${JSON.stringify(s.verdict)}, not pass, violation or incomplete`;
  if (typeof s.stats !== 'object' || s.stats === null || typeof s.stats.states !== 'number')
    return `("${s.scenario}") has no "stats"`;
  if (s.verdict === 'violation' && (typeof s.violation !== 'object' || s.violation === null))
    return `("${s.scenario}") is a violation without its "violation"`;
  const notApplied = s.reductionsNotApplied;
  if (
    notApplied !== undefined &&
    (!Array.isArray(notApplied) ||
      !notApplied.every((r) => typeof r?.reduction === 'string' && typeof r.detail === 'string'))
  )
    return `("${s.scenario}") has a "reductionsNotApplied" that is not a list of reductions and reasons`;
  return badCounts(s as PartScenario);
}

const COUNTS = ['k', 'n', 'prefixStates', 'frontierStates', 'ownedStates', 'reentries'] as const;

/**
 * Why a scenario's counts cannot be a part's, or null: merge reads the split record to decide
 * pass, and a pass part stores at least the prefix and the whole frontier (at least the
 * initial state), so a hand-edited record must be refused, not crash merge or pass it.
 */
function badCounts(s: PartScenario): string | null {
  const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  if (s.part === undefined) return `("${s.scenario}") has no "part" record (null for a run without --partition)`;
  const p = s.part;
  if (p !== null && (typeof p !== 'object' || !COUNTS.every((c) => count(p[c])) || !Number.isInteger(p.frontierDepth)))
    return `("${s.scenario}") has a "part" record that is not counts`;
  const least = s.verdict !== 'pass' ? 0 : p === null || p.frontierDepth < 0 ? 1 : p.prefixStates + p.frontierStates;
  if (!count(s.stats.states) || s.stats.states < least)
    return `("${s.scenario}") has "states" ${s.stats.states}, fewer than the ${least} states every part stores`;
  return null;
}
