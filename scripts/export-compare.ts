// The SPIN cross-check table (docs/export.md): for every scenario of the given specs (default
// specs/ and specs/bench/), mmcheck's `explore --mode bfs --reduce none` against SPIN run on
// `export --promela` (-DNOREDUCE -DSAFETY, exhaustive). A scenario over the state budget
// (MMCHECK_COMPARE_MAX, default 10^7) is skipped; a refused one says which construct.
// Usage: node dist/scripts/export-compare.js [--out table.md] [spec ...]   (npm run compare:spin)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFile } from '../src/model/compile.js';
import { formatPosition } from '../src/model/lang/diagnostics.js';
import { exportBlockers } from '../src/model/promela/blockers.js';
import { exportPromela, PromelaRefusal } from '../src/model/promela/export-promela.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'mmcheck.js');
const MAX = Number(process.env.MMCHECK_COMPARE_MAX ?? 1e7);
/** Seconds each of mmcheck's search and SPIN's may take (the machine is shared): over it, the row says so. */
const TIMEOUT = Number(process.env.MMCHECK_COMPARE_TIMEOUT ?? 900) * 1000;

export interface Row {
  spec: string;
  scenario: string;
  mmStates: string;
  spinStates: string;
  verdicts: string;
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

/** SPIN on the exported model: states stored, errors, its output. */
export function spinRun(pml: string, expected = 1e6): { states: number; errors: number; out: string } {
  // A hash table about twice the states expected: -w26 would take a gigabyte for a 36-state model.
  const w = Math.min(26, Math.max(16, Math.ceil(Math.log2(expected + 1)) + 1));
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-spin-'));
  try {
    writeFileSync(join(dir, 'm.pml'), `${pml}\n`);
    // -o2: no dead-variable elimination, a reduction of SPIN's that merges states the model tells apart.
    execFileSync('spin', ['-a', '-o2', 'm.pml'], { cwd: dir });
    // -O0 compiles five times faster; the search only pays for it on large models.
    const opt = expected < 1e5 ? '-O0' : '-O2';
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
    const r = spawnSync('nice', ['./pan', '-m10000000', `-w${w}`], { cwd: dir, maxBuffer: 1 << 26, timeout: TIMEOUT });
    const out = r.signal !== null ? 'timed out' : r.stdout.toString();
    const states = Number(/(\d+) states, stored/.exec(out)?.[1] ?? Number.NaN);
    const errors = Number(/errors: (\d+)/.exec(out)?.[1] ?? Number.NaN);
    return { states, errors, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compare(specPath: string, label: string): Row[] {
  const r = compileFile(specPath);
  if (!r.ok) return [{ spec: label, scenario: '*', mmStates: '', spinStates: '', verdicts: 'spec error', equal: '' }];
  const blockers = exportBlockers(r.spec);
  const rows = r.spec.scenarios.map((sc) => {
    const row: Row = { spec: label, scenario: sc.name, mmStates: '', spinStates: '', verdicts: '', equal: '' };
    let pml: string;
    try {
      pml = exportPromela(r.spec, sc);
    } catch (e) {
      if (!(e instanceof PromelaRefusal)) throw e;
      const where = formatPosition(r.spec.sources, e.span).replace(/^.*\//, '');
      const all = blockers.length > 0 ? `; needs ${blockers.join(', ')}` : '';
      row.equal = `refused ${e.code}: ${e.why} (${where})${all}`;
      return row;
    }
    const m = mmcheck(specPath, sc.name);
    row.mmStates = m.states.toLocaleString('en-US');
    if (m.got === 'timeout' || m.got.startsWith('error')) {
      row.equal = m.got === 'timeout' ? `skipped: mmcheck over ${TIMEOUT / 1000} s` : `mmcheck ${m.got}`;
      return row;
    }
    if (m.got === 'incomplete') {
      row.equal = `skipped: over ${MAX.toExponential(0)} states`;
      return row;
    }
    const s = spinRun(pml, m.states);
    const sk = spinKind(s.out);
    row.spinStates = Number.isNaN(s.states) ? 'failed' : s.states.toLocaleString('en-US');
    row.verdicts = `${mmKind(m.got)} / ${sk}`;
    // Both stop at their first violation, in different orders: counts compare on passes.
    const same = m.got === 'pass' ? sk === 'pass' && s.states === m.states : mmKind(m.got) === sk;
    row.equal = same ? 'yes' : 'NO';
    if (!same && m.got !== 'pass' && sk !== 'pass') {
      // A scenario that expects one kind makes mmcheck search past the others (the SPIN
      // model stops at any): mmcheck stopping at the first violation of any kind may meet SPIN's.
      const any = mmcheck(specPath, sc.name, true);
      if (mmKind(any.got) === sk) {
        row.verdicts = `${mmKind(m.got)} (first of any kind: ${sk}) / ${sk}`;
        row.equal = 'yes (kinds)';
      }
    }
    return row;
  });
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

function main(argv: string[]): void {
  let out: string | undefined;
  const specs: { path: string; label: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else specs.push({ path: argv[i]!, label: argv[i]!.replace(/^specs\//, '').replace(/\.mmspec$/, '') });
  }
  const rows: Row[] = [];
  for (const f of specs.length > 0 ? specs : specFiles()) {
    for (const row of compare(f.path, f.label)) {
      rows.push(row);
      console.error(`${row.spec} ${row.scenario}: ${row.mmStates} / ${row.spinStates} ${row.verdicts} ${row.equal}`);
    }
  }
  const table = [
    '| spec | scenario | mmcheck states | SPIN states | verdicts (mmcheck / SPIN) | equal |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.spec} | ${r.scenario} | ${r.mmStates} | ${r.spinStates} | ${r.verdicts} | ${r.equal} |`),
  ].join('\n');
  const equal = rows.filter((r) => r.equal.startsWith('yes')).length;
  const differ = rows.filter((r) => r.equal === 'NO').length;
  const summary = `${rows.length} scenarios: ${equal} equal, ${differ} different, ${rows.length - equal - differ} refused or skipped`;
  if (out !== undefined) writeFileSync(out, `${table}\n\n${summary}\n`);
  console.log(`${table}\n\n${summary}`);
  if (differ > 0) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('export-compare.js')) main(process.argv.slice(2));
