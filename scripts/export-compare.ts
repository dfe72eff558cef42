// The SPIN cross-check table (docs/export.md): for every scenario of the given specs (default
// specs/ and specs/bench/), mmcheck's `explore --mode bfs --reduce none` against SPIN run on
// `export --promela` (-DNOREDUCE -DSAFETY, exhaustive). A scenario over the state budget
// (MMCHECK_COMPARE_MAX, default 10^7) is skipped; a refused one says which construct.
// On a violation both searches stop at their first, in different orders: where the kinds
// differ, the row compares the kinds each engine can reach (kindSets below).
// Usage: node dist/scripts/export-compare.js [--out table.md] [--scenarios a,b] [spec ...]
//   (npm run compare:spin; --scenarios: only these scenarios of the specs given)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../src/checker/scenario.js';
import { buildSystem, compileFile } from '../src/model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../src/model/lang/checked.js';
import { formatPosition } from '../src/model/lang/diagnostics.js';
import { exportBlockers } from '../src/model/promela/blockers.js';
import { exportPromela, PromelaRefusal } from '../src/model/promela/export-promela.js';
import { NO_REDUCTIONS } from '../src/model/reductions.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'mmcheck.js');
const MAX = Number(process.env.MMCHECK_COMPARE_MAX ?? 1e7);
/** Seconds each of mmcheck's search and SPIN's may take (the machine is shared): over it, the row says so. */
const TIMEOUT = Number(process.env.MMCHECK_COMPARE_TIMEOUT ?? 900) * 1000;

export interface Row {
  spec: string;
  scenario: string;
  mmStates: string;
  spinStates: string;
  mmVerdict: string;
  spinVerdict: string;
  equal: string;
}

/** The violation kind SPIN reports: an invalid end state is a deadlock; an assert names its kind first. */
export function spinKind(out: string): string {
  if (/pan:\d+: invalid end state/.test(out)) return 'deadlock';
  if (/aborting|VECTORSZ too small|out of memory/.test(out)) return 'failed';
  if (out === 'timed out') return 'timeout';
  const m = /assertion violated \((\w+)&&/.exec(out);
  return m === null ? 'pass' : m[1]!;
}

/** Every kind SPIN reports, in order, once each (pan -c0 goes on past each error and prints it). */
export function spinKinds(out: string): string[] {
  const kinds = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^pan:\d+: (?:invalid end state|assertion violated \((\w+)&&)/.exec(line);
    if (m !== null) kinds.add(m[1] ?? 'deadlock');
  }
  return [...kinds];
}

/** mmcheck's verdict as a kind: pass, deadlock, invariant, final, assertion, ... */
export function mmKind(got: string): string {
  const m = /^violation\((\w+)/.exec(got);
  return m === null ? got : m[1]!;
}

function mmcheck(spec: string, scenario: string, anyKind = false): { states: number; got: string } {
  const args = [BIN, 'explore', spec, '--scenario', scenario, '--mode', 'bfs', '--reduce', 'none'];
  if (anyKind) args.push('--no-target');
  const r = spawnSync('nice', ['node', ...args, '--json', '--no-save', '--max-states', String(MAX)], {
    maxBuffer: 1 << 26,
    timeout: TIMEOUT,
  });
  if (r.error !== undefined || r.signal !== null) return { states: Number.NaN, got: 'timeout' };
  let sc: { stats: { states: number }; got: string };
  try {
    [sc] = JSON.parse(r.stdout.toString());
  } catch {
    return { states: Number.NaN, got: `error (exit ${r.status})` };
  }
  return { states: sc.stats.states, got: sc.got };
}

/**
 * gcc's optimisation level for a pan.c: the flags change the speed of the search, never what
 * it stores. -O2 pays where the search dominates (10^5 states or more) on a small pan.c; on a
 * large one (lib/mm's specs: 0.7 MB) -O0 compiles in 13 s where -O1 had not finished after 14
 * minutes (the transition switch is one function), and the search (hundreds to a few
 * thousand states) takes under a second either way.
 */
export function gccOpt(panBytes: number, expected: number): string {
  return expected >= 1e5 && panBytes < 300_000 ? '-O2' : '-O0';
}

export interface SpinResult {
  states: number;
  errors: number;
  out: string;
  /** Seconds: spin -a and gcc, then the search. */
  build: number;
  search: number;
}

/**
 * SPIN on the exported model: states stored, errors, its output. `allErrors` runs pan -c0,
 * which goes on past every error (and past the state that raised it) and reports each.
 */
/** pan's depth limit (-m) for a search of unknown size. */
const DEPTH_MAX = 10_000_000;

export function spinRun(pml: string, expected = 1e6, allErrors = false): SpinResult {
  // A hash table about twice the states expected: -w26 would take a gigabyte for a 36-state model.
  const w = Math.min(26, Math.max(16, Math.ceil(Math.log2(expected + 1)) + 1));
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-spin-'));
  try {
    const t0 = performance.now();
    writeFileSync(join(dir, 'm.pml'), `${pml}\n`);
    // -o2: no dead-variable elimination, a reduction of SPIN's that merges states the model tells apart.
    execFileSync('spin', ['-a', '-o2', 'm.pml'], { cwd: dir });
    const opt = gccOpt(statSync(join(dir, 'pan.c')).size, expected);
    // COLLAPSE stores states compressed (losslessly: the count is the same); MEMLIM (MiB)
    // stops a search that would take the machine's memory, reported as failed.
    // VECTORSZ: pan's default state vector (1,024 bytes) is too small for the larger layouts.
    const flags = [
      '-fwrapv',
      '-DNOREDUCE',
      '-DSAFETY',
      '-DMEMLIM=6000',
      '-DVECTORSZ=16384',
      ...(expected > 1e6 ? ['-DCOLLAPSE'] : []),
    ];
    execFileSync('nice', ['gcc', opt, ...flags, '-o', 'pan', 'pan.c'], { cwd: dir });
    const t1 = performance.now();
    // pan allocates its depth stack up front: -m10000000 took 2 s of CPU and 470 MB on a
    // 41-state model (a second of page faults, and tens of seconds of wall time on a loaded
    // machine). The DFS stack holds distinct states, so its depth stays under the states
    // stored; a search that still meets the limit says so and runs again at 10^7.
    let out = '';
    for (const depth of [Math.min(DEPTH_MAX, Math.max(100_000, 4 * expected)), DEPTH_MAX]) {
      const args = ['./pan', `-m${depth}`, `-w${w}`, ...(allErrors ? ['-c0'] : [])];
      const r = spawnSync('nice', args, { cwd: dir, maxBuffer: 1 << 28, timeout: TIMEOUT });
      out = r.signal !== null ? 'timed out' : r.stdout.toString();
      if (!out.includes('max search depth too small')) break;
    }
    const states = Number(/(\d+) states, stored/.exec(out)?.[1] ?? Number.NaN);
    const errors = Number(/errors: (\d+)/.exec(out)?.[1] ?? Number.NaN);
    return { states, errors, out, build: (t1 - t0) / 1000, search: (performance.now() - t1) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether mmcheck's unreduced BFS, searching for `kind` (past the other kinds, docs/adr/003), finds it. */
async function mmReaches(spec: CheckedSpec, sc: ScenarioInfo, kind: string): Promise<boolean> {
  const target: ScenarioInfo = { ...sc, expect: { kind: 'violation', violation: kind } };
  const system = buildSystem(spec, target, { reduce: NO_REDUCTIONS });
  const run = await runScenario(system, target, { mode: 'bfs', maxStates: MAX, maxSeconds: TIMEOUT / 1000 });
  return run.result.verdict.kind === 'violation' && run.result.verdict.violation.kind === kind;
}

/**
 * Where the first violations differ: the kinds each engine can reach. SPIN's first kind must
 * be one mmcheck finds when it searches for it, and mmcheck's first kinds (of the expected
 * kind's search and of --no-target's) must be among those SPIN reports with -c0. SPIN's
 * -c0 goes on past a violation, where mmcheck stops: its list may name more kinds (reached
 * only through another violation), never fewer of those reached first.
 */
async function kindSets(
  spec: CheckedSpec,
  sc: ScenarioInfo,
  pml: string,
  expected: number,
  mmFirst: string[],
  spinFirst: string,
): Promise<{ equal: boolean; spinAll: string[]; missing: string[] }> {
  const all = spinKinds(spinRun(pml, expected, true).out);
  const missing = mmFirst.filter((k) => !all.includes(k)).map((k) => `${k} not in SPIN's`);
  if (!(await mmReaches(spec, sc, spinFirst))) missing.push(`mmcheck does not reach ${spinFirst}`);
  return { equal: missing.length === 0, spinAll: all, missing };
}

const fmt = (n: number): string => (Number.isNaN(n) ? 'failed' : n.toLocaleString('en-US'));

/** One scenario's row: mmcheck, then SPIN on the export, then (kinds differing) the kind sets. */
async function compareScenario(spec: CheckedSpec, sc: ScenarioInfo, specPath: string, row: Row): Promise<void> {
  let pml: string;
  try {
    pml = exportPromela(spec, sc);
  } catch (e) {
    if (!(e instanceof PromelaRefusal)) throw e;
    const where = formatPosition(spec.sources, e.span).replace(/^.*\//, '');
    const blockers = exportBlockers(spec);
    const all = blockers.length > 0 ? `; needs ${blockers.join(', ')}` : '';
    row.equal = `refused ${e.code}: ${e.why} (${where})${all}`;
    return;
  }
  const m = mmcheck(specPath, sc.name);
  row.mmStates = fmt(m.states);
  if (m.got === 'timeout' || m.got.startsWith('error')) {
    row.equal = m.got === 'timeout' ? `skipped: mmcheck over ${TIMEOUT / 1000} s` : `mmcheck ${m.got}`;
    return;
  }
  if (m.got === 'incomplete') {
    row.equal = `skipped: over ${MAX.toLocaleString('en-US')} states`;
    return;
  }
  const s = spinRun(pml, m.states);
  const sk = spinKind(s.out);
  const mk = mmKind(m.got);
  row.spinStates = fmt(s.states);
  row.mmVerdict = mk;
  row.spinVerdict = sk;
  // Both stop at their first violation, in different orders: counts compare on passes.
  const same = m.got === 'pass' ? sk === 'pass' && s.states === m.states : mk === sk;
  row.equal = same ? 'yes' : 'NO';
  if (same || m.got === 'pass' || sk === 'pass' || sk === 'failed' || sk === 'timeout') return;
  // A scenario that expects one kind makes mmcheck search past the others (the SPIN
  // model stops at any): mmcheck stopping at the first violation of any kind may meet SPIN's.
  const anyKind = mmKind(mmcheck(specPath, sc.name, true).got);
  if (anyKind !== mk) row.mmVerdict = `${mk} (first of any kind: ${anyKind})`;
  if (anyKind === sk) {
    row.equal = 'yes (kinds)';
    return;
  }
  const k = await kindSets(spec, sc, pml, m.states, [...new Set([mk, anyKind])], sk);
  row.spinVerdict = `${sk} (all: ${k.spinAll.join(', ')})`;
  row.equal = k.equal ? 'yes (kind sets)' : `NO (${k.missing.join('; ')})`;
}

export async function compare(specPath: string, label: string, only?: ReadonlySet<string>): Promise<Row[]> {
  const r = compileFile(specPath);
  const blank = { mmStates: '', spinStates: '', mmVerdict: '', spinVerdict: '', equal: '' };
  if (!r.ok) return [{ spec: label, scenario: '*', ...blank, mmVerdict: 'spec error' }];
  const rows: Row[] = [];
  for (const sc of r.spec.scenarios) {
    if (only !== undefined && !only.has(sc.name)) continue;
    const row: Row = { spec: label, scenario: sc.name, ...blank };
    const t0 = performance.now();
    await compareScenario(r.spec, sc, specPath, row);
    rows.push(row);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const { mmStates, spinStates, mmVerdict, spinVerdict, equal } = row;
    console.error(
      `${label} ${sc.name}: ${mmStates} / ${spinStates} ${mmVerdict} / ${spinVerdict} ${equal} (${secs} s)`,
    );
  }
  // A spec refused whole, for one reason, is one row.
  const first = rows[0];
  const code = (x: Row): string => x.equal.replace(/:.*;/, ';');
  if (rows.length > 1 && rows.every((x) => x.equal.startsWith('refused') && code(x) === code(first!)))
    return [{ ...first!, scenario: `all ${rows.length}` }];
  return rows;
}

function specFiles(): { path: string; label: string }[] {
  const list = (dir: string, prefix: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.mmspec'))
      .sort()
      .map((f) => ({ path: join(dir, f), label: `${prefix}${f.replace(/\.mmspec$/, '')}` }));
  return [...list('specs', ''), ...list('specs/bench', 'bench/')];
}

async function main(argv: string[]): Promise<void> {
  let out: string | undefined;
  let only: Set<string> | undefined;
  const specs: { path: string; label: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--scenarios') only = new Set(argv[++i]!.split(','));
    else specs.push({ path: argv[i]!, label: argv[i]!.replace(/^specs\//, '').replace(/\.mmspec$/, '') });
  }
  const rows: Row[] = [];
  for (const f of specs.length > 0 ? specs : specFiles()) rows.push(...(await compare(f.path, f.label, only)));
  const table = [
    '| spec | scenario | mmcheck states | SPIN states | mmcheck verdict | SPIN verdict | equal |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.spec} | ${r.scenario} | ${r.mmStates} | ${r.spinStates} | ${r.mmVerdict} | ${r.spinVerdict} | ${r.equal} |`,
    ),
  ].join('\n');
  const equal = rows.filter((r) => r.equal.startsWith('yes')).length;
  const differ = rows.filter((r) => r.equal.startsWith('NO')).length;
  const summary = `${rows.length} scenarios: ${equal} equal, ${differ} different, ${rows.length - equal - differ} refused or skipped`;
  if (out !== undefined) writeFileSync(out, `${table}\n\n${summary}\n`);
  console.log(`${table}\n\n${summary}`);
  if (differ > 0) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('export-compare.js')) await main(process.argv.slice(2));
