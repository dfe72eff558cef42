// The seed benchmark (issue 13): K lockless page faults vs one munmap, the fixed and the buggy
// protocol, checked by SPIN (with and without partial-order reduction), Rumur and mmcheck
// (BFS, DFS and the default search) on twin models with one state space
// (specs/bench/fault-vs-munmap.mmspec, bench/peers/fault-vs-munmap*.{pml,m}). Every figure
// is a whole pipeline (bench/seed-pipelines.ts), measured in this one run on this machine.
//
//   node dist/bench/seed.js [--k 1..5 | --k 4] [--variant fixed|buggy|both] [--timeout 120]
//
// npm run bench runs it with K = 1..5 and both variants (BENCH_SEED_K, BENCH_SEED_TIMEOUT
// override). docs/performance.md records a run and what the figures are for.
import { pathToFileURL } from 'node:url';
import {
  haveGnuTime,
  type PipelineRun,
  runMmcheck,
  runRumur,
  runSpin,
  SEED_SPEC,
  type Tool,
  type Variant,
} from './seed-pipelines.js';

/** SPIN -DNOREDUCE states of the fixed variant (and of the twin under --mode bfs). */
const FIXED_STATES: Record<number, number> = { 1: 220, 2: 3_190, 3: 42_584, 4: 578_000, 5: 7_877_610 };

export interface SeedOptions {
  ks: number[];
  variants: Variant[];
  timeoutSeconds: number;
}

export interface SeedRow {
  variant: Variant;
  k: number;
  runs: PipelineRun[];
}

function parseKs(text: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`--k takes N or A..B (1..6), got ${text}`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 6 || lo > hi) throw new Error(`--k must lie in 1..6, got ${text}`);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

export function seedOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): SeedOptions {
  const opts: SeedOptions = {
    ks: parseKs(env.BENCH_SEED_K ?? '1..5'),
    variants: ['fixed', 'buggy'],
    timeoutSeconds: Number(env.BENCH_SEED_TIMEOUT ?? 120),
  };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1] ?? '';
    if (argv[i] === '--k') opts.ks = parseKs(value);
    else if (argv[i] === '--variant') {
      if (value !== 'fixed' && value !== 'buggy' && value !== 'both')
        throw new Error(`--variant takes fixed, buggy or both, got ${value}`);
      opts.variants = value === 'both' ? ['fixed', 'buggy'] : [value];
    } else if (argv[i] === '--timeout') opts.timeoutSeconds = Number(value);
    else throw new Error(`unknown option ${argv[i]} (--k, --variant, --timeout)`);
    i++;
  }
  return opts;
}

function expectedStates(variant: Variant, k: number): number {
  // A buggy run stops at its first error: a small table, as pan's default.
  if (variant === 'buggy') return 1_000;
  return FIXED_STATES[k] ?? FIXED_STATES[5]! * 14;
}

function runAll(variant: Variant, k: number, timeout: number): PipelineRun[] {
  return [
    runSpin(variant, k, true, expectedStates(variant, k), timeout),
    runSpin(variant, k, false, expectedStates(variant, k), timeout),
    runRumur(variant, k, timeout),
    runMmcheck(variant, k, 'bfs', timeout),
    runMmcheck(variant, k, 'dfs', timeout),
    runMmcheck(variant, k, undefined, timeout),
  ];
}

const count = (x: number): string => (Number.isNaN(x) ? '' : x.toLocaleString('en-US'));
const secs = (x: number): string => (Number.isNaN(x) ? '' : `${x.toFixed(2)} s`);
const mib = (x: number): string => (Number.isNaN(x) ? '' : `${(x / 1048576).toFixed(0)} MiB`);
const ratio = (a: number, b: number): string => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}x` : '');

const LABEL: Record<Tool, string> = {
  spin: 'SPIN (POR)',
  'spin-noreduce': 'SPIN -DNOREDUCE',
  rumur: 'Rumur',
  'mm-bfs': 'mmcheck bfs, no reduction',
  'mm-dfs': 'mmcheck dfs, no reduction',
  'mm-default': 'mmcheck default',
};

/** One Markdown table per (variant, K), ready to paste into docs/performance.md. */
export function printSeedTable(row: SeedRow): void {
  const spin = row.runs.find((r) => r.tool === 'spin');
  const base = spin?.status === 'ok' ? spin : undefined;
  const head = ['pipeline', 'verdict', 'states', 'transitions', 'wall', 'peak RSS', 'wall/SPIN', 'RSS/SPIN', 'search'];
  const lines = [head, head.map(() => '---')];
  for (const r of row.runs) {
    const mm = r.tool.startsWith('mm-');
    lines.push([
      r.tool === 'mm-default' && r.search !== undefined ? `${LABEL[r.tool]} (${r.search})` : LABEL[r.tool],
      r.status === 'ok' ? r.verdict : r.status,
      count(r.states),
      count(r.transitions),
      secs(r.wallSeconds),
      mib(r.peakRssBytes),
      mm && base && r.status === 'ok' ? ratio(r.wallSeconds, base.wallSeconds) : '',
      mm && base && r.status === 'ok' ? ratio(r.peakRssBytes, base.peakRssBytes) : '',
      searchNote(r),
    ]);
  }
  console.log(`\n${row.variant} K=${row.k}\n`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  for (const r of row.runs) if (r.note !== undefined && r.status !== 'ok') console.log(`  ${LABEL[r.tool]}: ${r.note}`);
  const bfs = row.runs.find((r) => r.tool === 'mm-bfs');
  const nr = row.runs.find((r) => r.tool === 'spin-noreduce');
  if (row.variant === 'fixed' && bfs?.status === 'ok' && nr?.status === 'ok') {
    const same = bfs.states === nr.states && bfs.transitions === nr.transitions - 1;
    console.log(`  mmcheck bfs ${same ? '=' : '≠'} SPIN -DNOREDUCE (states; transitions + 1 for SPIN's initial one)`);
  }
}

function searchNote(r: PipelineRun): string {
  if (r.status !== 'ok' || Number.isNaN(r.searchSeconds)) return '';
  // Rumur prints whole seconds only: no rate from that.
  if (r.tool === 'rumur') return `${r.searchSeconds} s (whole seconds)`;
  const rate = r.searchSeconds > 0 ? `, ${count(Math.round(r.states / r.searchSeconds))} states/s` : '';
  const bytes = r.bytesPerState === undefined ? '' : `, ${r.bytesPerState.toFixed(1)} B/state`;
  return `${r.searchSeconds.toFixed(2)} s${rate}${bytes}`;
}

export function benchSeed(opts: SeedOptions): SeedRow[] {
  console.log(
    `== seed benchmark: ${SEED_SPEC} vs bench/peers/fault-vs-munmap*.{pml,m}, K = ${opts.ks.join(', ')}, ` +
      `${opts.variants.join(' and ')}; whole pipelines, each killed after ${opts.timeoutSeconds} s`,
  );
  if (!haveGnuTime()) console.log('  note: GNU time is missing (apt-get install time): no peak RSS column');
  const rows: SeedRow[] = [];
  for (const variant of opts.variants)
    for (const k of opts.ks) {
      const row = { variant, k, runs: runAll(variant, k, opts.timeoutSeconds) };
      printSeedTable(row);
      rows.push(row);
    }
  printTargets(rows);
  return rows;
}

/** Issue 13's "done when", judged on this run's figures. */
function printTargets(rows: SeedRow[]): void {
  const get = (v: Variant, k: number, t: Tool): PipelineRun | undefined =>
    rows.find((r) => r.variant === v && r.k === k)?.runs.find((r) => r.tool === t && r.status === 'ok');
  const verdict = (ok: boolean | undefined): string => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
  console.log("\n== issue 13's targets on this run");
  for (const k of [4, 5]) {
    const d = get('fixed', k, 'mm-default');
    const s = get('fixed', k, 'spin');
    const ok = s === undefined ? undefined : d !== undefined && d.wallSeconds <= 0.5 * s.wallSeconds;
    console.log(
      `  fixed K=${k}: default explore <= 0.5x SPIN's pipeline: ${verdict(ok)} (${ratio(d?.wallSeconds ?? 0, s?.wallSeconds ?? 0) || 'the default search did not finish'})`,
    );
  }
  const d5 = get('fixed', 5, 'mm-default');
  const s5 = get('fixed', 5, 'spin');
  const rssOk = s5 === undefined ? undefined : d5 !== undefined && d5.peakRssBytes <= 0.5 * s5.peakRssBytes;
  console.log(`  fixed K=5: default peak RSS <= 0.5x SPIN's: ${verdict(rssOk)}`);
  const hasK6 = rows.some((r) => r.variant === 'fixed' && r.k === 6);
  const d6 = get('fixed', 6, 'mm-default');
  console.log(
    `  fixed K=6: default verdict in < 60 s: ${verdict(hasK6 ? d6 !== undefined && d6.wallSeconds < 60 : undefined)}`,
  );
  const buggy = rows.filter((r) => r.variant === 'buggy' && r.k <= 5);
  const firstCex = buggy.map((r) => get('buggy', r.k, 'mm-default'));
  const cexOk = buggy.length === 0 ? undefined : firstCex.every((r) => r !== undefined && r.wallSeconds < 0.5);
  console.log(
    `  buggy: default's first counterexample < 0.5 s at every K: ${verdict(cexOk)} ${firstCex.map((r) => (r ? secs(r.wallSeconds) : 'none')).join(', ')}`,
  );
  const biggest = rows
    .filter((r) => r.variant === 'fixed')
    .map((r) => get('fixed', r.k, 'mm-bfs'))
    .filter((r) => r !== undefined)
    .pop();
  if (biggest === undefined) return;
  const rate = biggest.states / biggest.searchSeconds;
  console.log(
    `  stored-state throughput >= 1 M states/s (bfs, largest fixed K): ${verdict(rate >= 1e6)} (${count(Math.round(rate))})`,
  );
  const b = biggest.bytesPerState;
  console.log(
    `  <= 16 bytes per stored state: ${verdict(b === undefined ? undefined : b <= 16)} (${b?.toFixed(1) ?? '?'})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    benchSeed(seedOptions(process.argv.slice(2)));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  }
}
