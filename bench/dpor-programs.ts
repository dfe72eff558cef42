// The classic DPOR benchmark programs of specs/bench/ (indexer, lastzero, readers,
// filesystem, CO-2+2W, N writers, dining philosophers, seqlock): for each scenario the
// stored-state search (BFS: states, time) against stateless DPOR, optimal and source
// (executions, sleep-set-blocked executions, transitions, time). Where the trace oracle
// (test/support/trace-oracle.ts, `enumerateTraces(sys)`) exists, the smallest scenarios also show
// its Mazurkiewicz trace count, so that "optimal executions = traces" can be read off.
//
// Before DPOR lands (src/checker/dpor/search.ts throws "not implemented") its columns say so and
// the BFS columns stand alone. BFS is skipped (shown as "skip") on the scenarios whose state
// space takes minutes — they are what DPOR is for; BENCH_LARGE=1 runs them too.
// BENCH_MAX_SECONDS (default 120) caps each single run; a capped run shows as incomplete.
//
// `node dist/bench/dpor-programs.js [spec-name …]` runs the named specs only (e.g. lastzero).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { explore } from '../src/checker/explore.js';
import type { Mode, PorVariant } from '../src/checker/result.js';
import { needsLeakCheck, runScenario, type ScenarioRun } from '../src/checker/scenario.js';
import { buildSystem, compileFile } from '../src/model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../src/model/lang/checked.js';
import type { TransitionSystem } from '../src/model/system.js';

/** The bench specs, in table order, relative to the repository root. */
export const DPOR_BENCH_SPECS = [
  'specs/bench/readers.mmspec',
  'specs/bench/n-writers.mmspec',
  'specs/bench/lastzero.mmspec',
  'specs/bench/co-2-2w.mmspec',
  'specs/bench/indexer.mmspec',
  'specs/bench/indexer-locked.mmspec',
  'specs/bench/filesystem.mmspec',
  'specs/bench/philosophers.mmspec',
  'specs/bench/seqlock.mmspec',
] as const;

/** Scenarios whose BFS takes minutes (or GiBs): run only with BENCH_LARGE=1. */
const BFS_LARGE = new Set(['filesystem.mmspec:n8', 'filesystem.mmspec:p4']);

/**
 * The smallest scenarios: the oracle enumerates every interleaving without reduction, so it
 * is only run where there are at most a few hundred thousand of them.
 */
const ORACLE = new Set([
  'readers.mmspec:n2',
  'readers.mmspec:n4',
  'n-writers.mmspec:w2',
  'n-writers.mmspec:w4',
  'lastzero.mmspec:n2',
  'lastzero.mmspec:n3',
  'co-2-2w.mmspec:n2',
  'indexer.mmspec:p1',
  'filesystem.mmspec:n2',
  'filesystem.mmspec:p1',
  'philosophers.mmspec:ordered2',
  'philosophers.mmspec:ordered3',
  'seqlock.mmspec:r1w1',
]);

export interface RunCell {
  verdict: string; // pass, violation(kind), incomplete, or why it did not run
  states: number;
  transitions: number;
  executions: number;
  sleepBlocked: number;
  seconds: number;
}

export interface DporProgramRow {
  spec: string; // file name, e.g. lastzero.mmspec
  scenario: string;
  threads: number;
  expected: string;
  /** Every cell that ran met the scenario's expectation. */
  asExpected: boolean;
  bfs: RunCell | 'skip';
  optimal: RunCell | null; // null: DPOR not available
  source: RunCell | null;
  /** Mazurkiewicz traces from the oracle, when it exists and the scenario is small. */
  traces: number | null;
}

const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 120);
const LARGE = process.env.BENCH_LARGE === '1';

/** Whether src/checker/dpor/search.ts is still the placeholder. Probed on a one-thread spec. */
export async function dporAvailable(): Promise<boolean> {
  const spec = compileFile('specs/bench/readers.mmspec');
  if (!spec.ok) throw new Error('specs/bench/readers.mmspec does not compile');
  const sys = buildSystem(spec.spec, spec.spec.scenarios[0]!);
  try {
    await explore(sys, { mode: 'dpor', por: 'optimal', maxSeconds: 10 });
    return true;
  } catch (e) {
    if (e instanceof Error && /not implemented/.test(e.message)) return false;
    throw e;
  }
}

type EnumerateTraces = (sys: TransitionSystem) => { traces: number } | Promise<{ traces: number }>;

/** test/support/trace-oracle.ts's enumerateTraces, if that module exists (it is optional). */
export async function loadOracle(): Promise<EnumerateTraces | null> {
  const url = new URL('../test/support/trace-oracle.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  const mod = (await import(url.href)) as { enumerateTraces?: EnumerateTraces };
  return typeof mod.enumerateTraces === 'function' ? mod.enumerateTraces : null;
}

async function runCell(
  spec: CheckedSpec,
  sc: ScenarioInfo,
  mode: Mode,
  por?: PorVariant,
): Promise<{ cell: RunCell; run: ScenarioRun }> {
  // The bench's own cap replaces the scenario's budget (that one is for the CI gate).
  const run = await runScenario(buildSystem(spec, sc, { leak: needsLeakCheck(sc) }), sc, {
    mode,
    ...(por ? { por } : {}),
    maxSeconds: MAX_SECONDS,
    maxStates: Infinity,
  });
  const s = run.result.stats;
  return {
    run,
    cell: {
      verdict: run.got,
      states: s.states,
      transitions: s.transitions,
      executions: s.executions,
      sleepBlocked: s.sleepBlocked,
      seconds: s.seconds,
    },
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Run the table (optionally only the specs whose file name contains one of `only`) and print it. */
export async function benchDporPrograms(only: readonly string[] = []): Promise<DporProgramRow[]> {
  const dpor = await dporAvailable();
  const oracle = await loadOracle();
  console.log(
    `== classic DPOR programs (specs/bench): BFS${dpor ? ' vs DPOR optimal/source' : ' (DPOR not implemented yet: src/checker/dpor/search.ts is the placeholder)'}` +
      `${oracle ? ', oracle trace counts on the smallest sizes' : ' (no test/support/trace-oracle.ts: no trace counts)'}; cap ${MAX_SECONDS} s per run` +
      `${LARGE ? '' : '; BFS skipped on the multi-minute scenarios (BENCH_LARGE=1 runs them)'}`,
  );
  const rows: DporProgramRow[] = [];
  const table = new Table(dpor);
  for (const path of DPOR_BENCH_SPECS) {
    const file = baseName(path);
    if (only.length > 0 && !only.some((o) => file.includes(o))) continue;
    const compiled = compileFile(path);
    if (!compiled.ok) throw new Error(`${path} does not compile`);
    for (const sc of compiled.spec.scenarios) {
      const key = `${file}:${sc.name}`;
      const row: DporProgramRow = {
        spec: file,
        scenario: sc.name,
        threads: sc.threads.length,
        expected: sc.expect.kind === 'pass' ? 'pass' : `violation(${sc.expect.violation})`,
        asExpected: true,
        bfs: 'skip',
        optimal: null,
        source: null,
        traces: null,
      };
      if (LARGE || !BFS_LARGE.has(key)) {
        const { cell, run } = await runCell(compiled.spec, sc, 'bfs');
        row.bfs = cell;
        row.asExpected &&= run.asExpected || budgetAccepted(run, sc);
      }
      if (dpor) {
        for (const por of ['optimal', 'source'] as const) {
          const { cell, run } = await runCell(compiled.spec, sc, 'dpor', por);
          row[por] = cell;
          row.asExpected &&= run.asExpected || budgetAccepted(run, sc);
        }
      }
      if (oracle !== null && ORACLE.has(key) && sc.expect.kind === 'pass') {
        row.traces = (await oracle(buildSystem(compiled.spec, sc))).traces;
      }
      rows.push(row);
      table.add(row);
    }
  }
  const bad = rows.filter((r) => !r.asExpected);
  const mismatched = rows.filter(
    (r) => r.traces !== null && r.optimal !== null && r.optimal.verdict === 'pass' && r.optimal.executions !== r.traces,
  );
  console.log(
    `  ${rows.length} scenarios; ${bad.length === 0 ? 'all as expected' : `NOT as expected: ${bad.map((r) => `${r.spec}:${r.scenario}`).join(', ')}`}` +
      (oracle !== null && dpor
        ? `; optimal executions ${mismatched.length === 0 ? '= oracle traces wherever both ran' : `differ from the oracle on ${mismatched.map((r) => `${r.spec}:${r.scenario}`).join(', ')}`}`
        : ''),
  );
  console.log(
    '  BFS executions = distinct terminal states; DPOR executions = complete runs explored (optimal: one per Mazurkiewicz trace).',
  );
  return rows;
}

/** A run of an `expect pass` scenario stopped by the bench's cap: no verdict, not a failure (shown as [incomplete]). */
function budgetAccepted(run: ScenarioRun, sc: ScenarioInfo): boolean {
  const v = run.result.verdict;
  return sc.expect.kind === 'pass' && v.kind === 'incomplete' && v.bound === 'max-seconds';
}

const n = (x: number): string => x.toLocaleString('en-US');
const secs = (x: number): string => `${x.toFixed(2)} s`;

function verdictMark(c: RunCell, expected: string): string {
  return c.verdict === expected ? '' : ` [${c.verdict}]`;
}

/** A plain text table printed row by row as results come in (fixed widths, numbers right). */
class Table {
  private readonly widths: number[];
  private readonly left = new Set([0, 1, 3]);

  constructor(private readonly dpor: boolean) {
    const head = ['spec', 'scenario', 'thr', 'expect', 'bfs states', 'terminal', 'bfs time'];
    const widths = [14, 9, 3, 24, 14, 8, 9];
    if (dpor) {
      head.push(
        'opt execs',
        'opt sleep-blk',
        'opt trans',
        'opt time',
        'src execs',
        'src sleep-blk',
        'src trans',
        'src time',
      );
      widths.push(10, 13, 11, 9, 10, 13, 11, 9);
    }
    head.push('traces');
    widths.push(7);
    this.widths = widths;
    this.line(head);
  }

  private line(cells: string[]): void {
    console.log(
      '  ' +
        cells
          .map((c, i) => (this.left.has(i) ? c.padEnd(this.widths[i]!) : c.padStart(this.widths[i]!)))
          .join('  ')
          .trimEnd(),
    );
  }

  add(r: DporProgramRow): void {
    const cells = [r.spec.replace(/\.mmspec$/, ''), r.scenario, String(r.threads), r.expected];
    if (r.bfs === 'skip') cells.push('skip', '', '');
    else cells.push(n(r.bfs.states) + verdictMark(r.bfs, r.expected), n(r.bfs.executions), secs(r.bfs.seconds));
    if (this.dpor) {
      for (const c of [r.optimal, r.source]) {
        if (c === null) cells.push('', '', '', '');
        else
          cells.push(
            n(c.executions) + verdictMark(c, r.expected),
            n(c.sleepBlocked),
            n(c.transitions),
            secs(c.seconds),
          );
      }
    }
    cells.push(r.traces === null ? '' : n(r.traces));
    this.line(cells);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchDporPrograms(process.argv.slice(2));
}
