// Side by side with the peers: the same models checked exhaustively by mmcheck (BFS over
// stored states; DPOR executions too once it lands), by SPIN (Promela twins in
// bench/peers/*.pml) and by Rumur (Murphi twins in bench/peers/*.m), one after another in
// this process run on this machine.
//
// What is compared:
// - mmcheck: BFS states, transitions, search time, states/s (the explorer's own clock);
//   DPOR optimal executions and time when src/checker/dpor/search.ts is no longer the placeholder.
// - SPIN 6.5.2: `spin -a`, `gcc -O2 -DSAFETY`, `./pan -m… -w…` with partial-order reduction
//   on (the default). Its "states, stored" is NOT comparable one to one: a Promela process
//   has steps mmcheck does not (creation by init, termination, jumps and the local
//   bookkeeping not folded into a d_step), its locals survive until the process dies (mmcheck
//   clears a finished thread's words), and POR prunes interleavings of safe local steps.
//   Time is pan's own "elapsed time" (search only; compile time shown apart).
// - Rumur (when installed; `apt-get install -y rumur`): the Murphi twins have one rule per
//   mmcheck step and clear a finished thread's locals as mmcheck does, so their state and
//   rule counts equal mmcheck's BFS states and transitions (the `=` column says whether they
//   do). Run with --threads 1 (mmcheck is single-threaded) and --deadlock-detection off
//   (threads that finish leave a state with no rule enabled); time is the checker process's
//   wall clock (Rumur prints whole seconds only), compile time shown apart.
//
// Default sizes keep each tool under about a minute per model; BENCH_LARGE=1 adds the big
// ones (counters `huge`: ~16 M states, SPIN takes ~100 s on it). A missing tool prints a
// note and its columns stay empty: the bench never fails for want of a peer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { needsLeakCheck, runScenario } from '../src/checker/scenario.js';
import { buildSystem, compileFile } from '../src/model/compile.js';
import { dporAvailable } from './dpor-programs.js';

interface PeerModel {
  name: string;
  spec: string;
  scenario: string;
  /** Promela twin and its cpp defines (`spin -DN=7`). */
  spin: { file: string; defines: string[] };
  /** Murphi twin and the constants to set (`const T: 8;` rewritten). */
  rumur: { file: string; consts: Record<string, number> };
  large?: boolean;
}

export const PEER_MODELS: readonly PeerModel[] = [
  {
    name: 'counters big (4 workers x 2)',
    spec: 'specs/bench/counters.mmspec',
    scenario: 'big',
    spin: { file: 'bench/peers/counters-big.pml', defines: [] },
    rumur: { file: 'bench/peers/counters.m', consts: { W: 4, ROUNDS: 2 } },
  },
  {
    name: 'lastzero n7',
    spec: 'specs/bench/lastzero.mmspec',
    scenario: 'n7',
    spin: { file: 'bench/peers/lastzero.pml', defines: ['-DN=7'] },
    rumur: { file: 'bench/peers/lastzero.m', consts: { N: 7 } },
  },
  {
    name: 'indexer n8',
    spec: 'specs/bench/indexer.mmspec',
    scenario: 'n8',
    spin: { file: 'bench/peers/indexer.pml', defines: ['-DT=8'] },
    rumur: { file: 'bench/peers/indexer.m', consts: { T: 8, PAIRS: 0 } },
  },
  {
    name: 'indexer p3',
    spec: 'specs/bench/indexer.mmspec',
    scenario: 'p3',
    spin: { file: 'bench/peers/indexer.pml', defines: ['-DPAIRS=3'] },
    rumur: { file: 'bench/peers/indexer.m', consts: { T: 6, PAIRS: 3 } },
  },
  {
    name: 'filesystem n6',
    spec: 'specs/bench/filesystem.mmspec',
    scenario: 'n6',
    spin: { file: 'bench/peers/filesystem.pml', defines: ['-DT=6'] },
    rumur: { file: 'bench/peers/filesystem.m', consts: { T: 6, PAIRS: 0 } },
  },
  {
    name: 'filesystem p3',
    spec: 'specs/bench/filesystem.mmspec',
    scenario: 'p3',
    spin: { file: 'bench/peers/filesystem.pml', defines: ['-DPAIRS=3'] },
    rumur: { file: 'bench/peers/filesystem.m', consts: { T: 6, PAIRS: 3 } },
  },
  {
    name: 'philosophers ordered6',
    spec: 'specs/bench/philosophers.mmspec',
    scenario: 'ordered6',
    spin: { file: 'bench/peers/philosophers.pml', defines: ['-DN=6'] },
    rumur: { file: 'bench/peers/philosophers.m', consts: { N: 6 } },
  },
  {
    name: 'counters huge (5 workers x 2)',
    spec: 'specs/bench/counters.mmspec',
    scenario: 'huge',
    spin: { file: 'bench/peers/counters.pml', defines: [] },
    rumur: { file: 'bench/peers/counters.m', consts: { W: 5, ROUNDS: 2 } },
    large: true,
  },
  {
    name: 'indexer p4',
    spec: 'specs/bench/indexer.mmspec',
    scenario: 'p4',
    spin: { file: 'bench/peers/indexer.pml', defines: ['-DPAIRS=4'] },
    rumur: { file: 'bench/peers/indexer.m', consts: { T: 8, PAIRS: 4 } },
    large: true,
  },
];

/** Cap on each DPOR run (BENCH_DPOR_SECONDS, default 30): past it the column shows the count so far. */
const DPOR_SECONDS = Number(process.env.BENCH_DPOR_SECONDS ?? 30);

export interface PeerRow {
  model: string;
  mmcheck: { verdict: string; states: number; transitions: number; seconds: number; statesPerSecond: number };
  dpor: { verdict: string; executions: number; seconds: number } | null;
  spin:
    | {
        errors: number;
        stored: number;
        transitions: number;
        seconds: number;
        compileSeconds: number;
        vectorBytes: number;
      }
    | string
    | null;
  rumur: { ok: boolean; states: number; rules: number; seconds: number; compileSeconds: number } | string | null;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 600_000): { ok: boolean; out: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.error) return { ok: false, out: String(r.error.message), ms };
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, ms };
}

function have(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error === undefined;
}

function num(out: string, re: RegExp): number {
  const m = re.exec(out);
  return m ? Number(m[1]) : NaN;
}

/** log2 of a hash table big enough for about `states` entries (pan's -w). */
function hashBits(states: number): number {
  return Math.min(27, Math.max(18, Math.ceil(Math.log2(Math.max(states, 1) * 1.5))));
}

function runSpin(m: PeerModel, dir: string, expectStates: number): NonNullable<PeerRow['spin']> {
  if (!existsSync(m.spin.file)) return `${m.spin.file} is missing`;
  const src = readFileSync(m.spin.file, 'utf8');
  writeFileSync(join(dir, 'model.pml'), src);
  const a = run('spin', [...m.spin.defines, '-a', 'model.pml'], dir);
  if (!a.ok) return `spin -a failed: ${a.out.trim().split('\n')[0]}`;
  const cc = run('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], dir);
  if (!cc.ok) return `gcc pan.c failed: ${cc.out.trim().split('\n')[0]}`;
  const pan = run('./pan', ['-m10000000', `-w${hashBits(expectStates)}`], dir);
  const out = pan.out;
  const stored = num(out, /([\d.e+]+) states, stored/);
  if (Number.isNaN(stored)) return `pan failed: ${out.trim().split('\n')[0]}`;
  return {
    errors: num(out, /errors: (\d+)/),
    stored,
    transitions: num(out, /([\d.e+]+) transitions \(= stored\+matched\)/),
    seconds: num(out, /elapsed time ([\d.e+-]+) seconds/),
    compileSeconds: (a.ms + cc.ms) / 1000,
    vectorBytes: num(out, /State-vector (\d+) byte/),
  };
}

function runRumur(m: PeerModel, dir: string): NonNullable<PeerRow['rumur']> {
  if (!existsSync(m.rumur.file)) return `${m.rumur.file} is missing`;
  let src = readFileSync(m.rumur.file, 'utf8');
  for (const [k, v] of Object.entries(m.rumur.consts)) {
    const re = new RegExp(`^(\\s*${k}\\s*:\\s*)\\d+;`, 'm');
    if (!re.test(src)) return `${m.rumur.file} has no const ${k}`;
    src = src.replace(re, `$1${v};`);
  }
  writeFileSync(join(dir, 'model.m'), src);
  const gen = run(
    'rumur',
    ['--threads', '1', '--deadlock-detection', 'off', '--value-type', 'int32_t', 'model.m', '--output', 'checker.c'],
    dir,
  );
  if (!gen.ok) return `rumur failed: ${gen.out.trim().split('\n')[0]}`;
  const cc = run('cc', ['-std=c11', '-O3', '-o', 'checker', 'checker.c', '-lpthread'], dir);
  if (!cc.ok) return `cc checker.c failed: ${cc.out.trim().split('\n')[0]}`;
  const chk = run('./checker', [], dir);
  const states = num(chk.out, /(\d+) states, \d+ rules fired/);
  if (Number.isNaN(states)) return `checker failed: ${chk.out.trim().split('\n').slice(-1)[0]}`;
  return {
    ok: /No error found/.test(chk.out),
    states,
    rules: num(chk.out, /\d+ states, (\d+) rules fired/),
    seconds: chk.ms / 1000,
    compileSeconds: (gen.ms + cc.ms) / 1000,
  };
}

async function runMmcheck(
  m: PeerModel,
  mode: 'bfs' | 'dpor',
): Promise<{
  verdict: string;
  states: number;
  transitions: number;
  executions: number;
  seconds: number;
  statesPerSecond: number;
}> {
  const r = compileFile(m.spec);
  if (!r.ok) throw new Error(`${m.spec} does not compile`);
  const sc = r.spec.scenarios.find((s) => s.name === m.scenario);
  if (!sc) throw new Error(`${m.spec} has no scenario ${m.scenario}`);
  // BFS runs the whole space (a scenario's budget is for the CI gate); DPOR is capped: on the
  // racy counters it has far more traces than BFS has states.
  const bounds =
    mode === 'dpor'
      ? { por: 'optimal' as const, maxStates: Infinity, maxSeconds: DPOR_SECONDS }
      : { maxStates: Infinity, maxSeconds: Infinity };
  const run = await runScenario(buildSystem(r.spec, sc, { leak: needsLeakCheck(sc) }), sc, { mode, ...bounds });
  const s = run.result.stats;
  return {
    verdict: run.got,
    states: s.states,
    transitions: s.transitions,
    executions: s.executions,
    seconds: s.seconds,
    statesPerSecond: s.states / Math.max(s.seconds, 1e-9),
  };
}

export async function benchPeers(): Promise<PeerRow[]> {
  const large = process.env.BENCH_LARGE === '1';
  const spinOk = have('spin', ['-V']) && have('gcc', ['--version']);
  const rumurOk = have('rumur', ['--version']) && have('cc', ['--version']);
  const dpor = await dporAvailable();
  console.log(
    `== peers: mmcheck vs SPIN${rumurOk ? ' and Rumur' : ''} on twin models (bench/peers/)${large ? '' : '; BENCH_LARGE=1 adds counters huge and indexer p4'}`,
  );
  if (!spinOk) console.log('  note: spin (or gcc) is not installed: SPIN columns skipped');
  if (!rumurOk) console.log('  note: rumur (or cc) is not installed (apt-get install -y rumur): Rumur columns skipped');
  if (!dpor)
    console.log('  note: DPOR not implemented yet (src/checker/dpor/search.ts is the placeholder): no DPOR column');
  const rows: PeerRow[] = [];
  for (const m of PEER_MODELS) {
    if (m.large && !large) continue;
    const bfs = await runMmcheck(m, 'bfs');
    const row: PeerRow = {
      model: m.name,
      mmcheck: {
        verdict: bfs.verdict,
        states: bfs.states,
        transitions: bfs.transitions,
        seconds: bfs.seconds,
        statesPerSecond: bfs.statesPerSecond,
      },
      dpor: null,
      spin: null,
      rumur: null,
    };
    if (dpor) {
      const d = await runMmcheck(m, 'dpor');
      row.dpor = { verdict: d.verdict, executions: d.executions, seconds: d.seconds };
    }
    const dir = mkdtempSync(join(tmpdir(), 'mmcheck-peers-'));
    try {
      if (spinOk) row.spin = runSpin(m, dir, bfs.states);
      if (rumurOk) row.rumur = runRumur(m, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    rows.push(row);
  }
  printPeers(rows, dpor);
  return rows;
}

const n = (x: number): string => (Number.isNaN(x) ? '?' : x.toLocaleString('en-US'));
const s2 = (x: number): string => (Number.isNaN(x) ? '?' : `${x.toFixed(2)} s`);
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}x` : b === 0 ? '(<10 ms)' : '?';

function printPeers(rows: PeerRow[], dpor: boolean): void {
  const head = ['model', 'mm states', 'mm trans', 'mm time', 'mm states/s'];
  if (dpor) head.push('dpor execs', 'dpor time');
  head.push(
    'spin stored',
    'spin trans',
    'spin time',
    'mm/spin',
    'rumur states',
    '=',
    'rumur rules',
    'rumur time',
    'mm/rumur',
  );
  const lines: string[][] = [head];
  const notes: string[] = [];
  for (const r of rows) {
    const l = [
      r.model,
      n(r.mmcheck.states) + (r.mmcheck.verdict === 'pass' ? '' : ` [${r.mmcheck.verdict}]`),
      n(r.mmcheck.transitions),
      s2(r.mmcheck.seconds),
      n(Math.round(r.mmcheck.statesPerSecond)),
    ];
    if (dpor)
      l.push(
        r.dpor
          ? (r.dpor.verdict === 'incomplete' ? '>' : '') +
              n(r.dpor.executions) +
              (r.dpor.verdict === 'pass' || r.dpor.verdict === 'incomplete' ? '' : ` [${r.dpor.verdict}]`)
          : '',
        r.dpor ? s2(r.dpor.seconds) : '',
      );
    if (r.spin === null) l.push('', '', '', '');
    else if (typeof r.spin === 'string') {
      l.push('error', '', '', '');
      notes.push(`${r.model}: SPIN ${r.spin}`);
    } else {
      l.push(
        n(r.spin.stored) + (r.spin.errors === 0 ? '' : ` [${r.spin.errors} errors]`),
        n(r.spin.transitions),
        s2(r.spin.seconds),
        ratio(r.mmcheck.seconds, r.spin.seconds),
      );
    }
    if (r.rumur === null) l.push('', '', '', '', '');
    else if (typeof r.rumur === 'string') {
      l.push('error', '', '', '', '');
      notes.push(`${r.model}: Rumur ${r.rumur}`);
    } else {
      const same = r.rumur.states === r.mmcheck.states && r.rumur.rules === r.mmcheck.transitions;
      l.push(
        n(r.rumur.states) + (r.rumur.ok ? '' : ' [error]'),
        same ? '=' : '≠',
        n(r.rumur.rules),
        s2(r.rumur.seconds),
        ratio(r.mmcheck.seconds, r.rumur.seconds),
      );
    }
    lines.push(l);
  }
  const width = head.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const l of lines)
    console.log(
      '  ' +
        l
          .map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!)))
          .join('  ')
          .trimEnd(),
    );
  for (const note of notes) console.log(`  ${note}`);
  console.log(
    [
      '  mm = mmcheck BFS (search time, one thread). SPIN counts states at Promela granularity (process creation and termination,',
      '  jumps, unfolded local steps; locals live until the process dies) with partial-order reduction on: not comparable one to one',
      `  with mmcheck's. dpor = optimal DPOR executions (">" = stopped at the ${DPOR_SECONDS} s cap, BENCH_DPOR_SECONDS). The Rumur twins`,
      '  are step for step ("=": same states and transitions as mmcheck BFS); Rumur runs --threads 1. Times: mmcheck and SPIN report',
      '  their search only, Rumur the checker process; compiling the peers (spin -a + gcc, rumur + cc) is extra.',
    ].join('\n'),
  );
  const range = (xs: number[]): string =>
    xs.length === 0 ? '' : `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)} s`;
  const spinC = rows.flatMap((r) => (r.spin !== null && typeof r.spin !== 'string' ? [r.spin.compileSeconds] : []));
  const rumurC = rows.flatMap((r) => (r.rumur !== null && typeof r.rumur !== 'string' ? [r.rumur.compileSeconds] : []));
  if (spinC.length + rumurC.length > 0) {
    console.log(
      `  peer compile time per model: ${[spinC.length ? `SPIN ${range(spinC)}` : '', rumurC.length ? `Rumur ${range(rumurC)}` : ''].filter(Boolean).join(', ')}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPeers();
}
