// The CLI fuzzer: random command lines over every command and flag, on random and mutated
// inputs (specs of specs/ and the fixtures with text edits, traces with JSON and text edits,
// folders with links, a link cycle, a dangling link, a FIFO, unreadable entries), run in
// process through main(). The property: the exit code is 0, 1, 2 or 3, nothing on stdout or
// stderr is a stack trace or a node internal error, and the case ends within its bound: 20 s
// of CPU and six times that of wall-clock time (explore and check get --max-seconds 1 and a
// state bound appended, so they end).
// test/cli/cli-fuzz.test.ts runs 200 cases; `npm run fuzz:cli` runs 10,000 (this file's main).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import { type TextEdit, type TraceEdit, textEdit, traceEdit, traceText, withEdits } from './cli-fuzz-inputs.js';

const ROOT = resolve('.');

/** Specs the mutations start from: small ones weighted up, so that most cases are quick. */
const BASE_SPECS = [
  'test/fixtures/traces/abba.mmspec',
  'test/fixtures/traces/lost-update.mmspec',
  'test/fixtures/traces/uaf.mmspec',
  'test/fixtures/check/locked.mmspec',
  'test/fixtures/check/budget.mmspec',
  'test/fixtures/check/unexpected.mmspec',
  'specs/rfc-2008-example.mmspec',
  'specs/rfc-2008-stress.mmspec',
  'specs/mmap-sem.mmspec',
  'specs/rfc-2008.mmspec',
];

const BASE_TRACES = [
  'test/fixtures/traces/abba.abba.deadlock.json',
  'test/fixtures/traces/lost-update.three_incs.final.json',
  'test/fixtures/traces/uaf.reader_vs_release.use_after_free.json',
  'traces/rfc-2008-example.fault_vs_munmap.premature_free.json',
  'test/fixtures/check/traces/locked.lost_update.final.json',
];

export interface Sandbox {
  dir: string;
  /** The working directory of every case (its traces/ is emptied before each). */
  cwd: string;
  /** Where the case's mutated spec and trace are written. */
  cur: string;
  specs: string[];
  traces: string[];
  folders: string[];
  outputs: string[];
  /** Things the sandbox could not set up (running as root: no unreadable entries). */
  notes: string[];
}

export function makeSandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-cli-fuzz-'));
  const cwd = join(dir, 'cwd');
  const cur = join(dir, 'cur');
  mkdirSync(join(cwd, 'traces'), { recursive: true });
  mkdirSync(join(cur, 'lib'), { recursive: true });
  cpSync(join(ROOT, 'specs/lib'), join(cur, 'lib'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/check/lib'), join(cur, 'lib'), { recursive: true });
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'sub'), { recursive: true });
  copyFileSync(join(ROOT, 'test/fixtures/traces/abba.mmspec'), join(tree, 'abba.mmspec'));
  copyFileSync(join(ROOT, 'test/fixtures/check/broken.mmspec'), join(tree, 'sub', 'broken.mmspec'));
  symlinkSync(join(cur, 'spec.mmspec'), join(tree, 'linked.mmspec'));
  symlinkSync('..', join(tree, 'sub', 'cycle'));
  const dangling = join(dir, 'dangling');
  mkdirSync(dangling);
  symlinkSync(join(dir, 'nowhere'), join(dangling, 'gone.mmspec'));
  writeFileSync(join(dir, 'empty.mmspec'), '');
  writeFileSync(join(dir, 'afile'), 'not a folder');
  writeFileSync(join(dir, 'big.mmspec'), ' '.repeat(4 * 1024 * 1024 + 1));
  const fifo = join(dir, 'fifo.mmspec');
  const notes: string[] = [];
  const made = spawnFifo(fifo);
  if (!made) notes.push('mkfifo is not available: no FIFO input');
  const specs = [join(dir, 'empty.mmspec'), join(dir, 'big.mmspec'), join(dir, 'missing.mmspec'), tree, '/dev/zero'];
  if (made) specs.push(fifo);
  const folders = [tree, dangling, cur, join(dir, 'missing'), join(tree, 'abba.mmspec')];
  if (process.getuid?.() === 0) {
    notes.push('running as root: chmod 000 does not deny reads, so the unreadable-entry inputs are left out');
  } else {
    const closed = join(dir, 'closed');
    mkdirSync(join(closed, 'inner'), { recursive: true });
    writeFileSync(join(closed, 'x.mmspec'), 'spec "x";');
    chmodSync(join(closed, 'x.mmspec'), 0);
    chmodSync(join(closed, 'inner'), 0);
    folders.push(closed);
    specs.push(join(closed, 'x.mmspec'));
  }
  const traces = [
    ...BASE_TRACES.map((t) => join(ROOT, t)),
    join(dir, 'missing.json'),
    '/dev/zero',
    join(dir, 'empty.mmspec'),
    dir,
  ];
  const outputs = [
    join(dir, 'out', 'x.out'),
    join(dir, 'out', 'deep', 'er', 'x.out'),
    `${join(dir, 'out')}/`,
    '/dev/full',
    join(dir, 'afile', 'x.out'),
    '/proc/x/y.json',
    dir,
    '',
  ];
  return { dir, cwd, cur, specs, traces, folders, outputs, notes };
}

function spawnFifo(path: string): boolean {
  // node has no mkfifo; coreutils has.
  return spawnSync('mkfifo', [path]).status === 0;
}

// ---- command lines ----------------------------------------------------------------------

const INTS = ['0', '1', '2', '7', '100', '-1', 'abc', '1.5', '1e999', '99999999999999999999', ''];
const MODES = ['auto', 'bfs', 'dfs', 'dpor', 'random', 'nope', ''];

/** One flag of a command and its value (valid or not), chosen among the command's flags. */
function flagsOf(cmd: string, sb: Sandbox): fc.Arbitrary<string[]> {
  const out = fc.constantFrom(...sb.outputs);
  const search: fc.Arbitrary<string[]>[] = [
    fc.tuple(fc.constant('--mode'), fc.constantFrom(...MODES)),
    fc.tuple(fc.constant('--por'), fc.constantFrom('optimal', 'source', 'x')),
    fc.tuple(
      fc.constant('--reduce'),
      fc.constantFrom('all', 'none', 'symmetry', 'dead-locals', 'symmetry,dead-locals', 'x,'),
    ),
    fc.tuple(fc.constantFrom('--max-depth', '--max-states', '--max-seconds'), fc.constantFrom(...INTS)),
  ];
  const common = [fc.constantFrom<string[]>(['--json'], ['--bogus'], ['-h'])];
  const byCmd: Record<string, fc.Arbitrary<string[]>[]> = {
    explore: [
      ...search,
      fc.tuple(fc.constantFrom('-s', '--scenario'), fc.constantFrom('fault_vs_munmap', 'abba', 's', 'nope', '')),
      fc.tuple(fc.constantFrom('--preemption-bound', '--seed', '--executions'), fc.constantFrom(...INTS)),
      fc.constantFrom(['--leak'], ['--no-target'], ['--save'], ['--no-save'], ['--minimize'], ['--no-minimize']),
      fc.tuple(fc.constant('--trace-out'), out),
    ],
    show: [fc.tuple(fc.constantFrom('-s', '--scenario'), fc.constantFrom('abba', 's', 'nope'))],
    check: [
      ...search,
      fc.tuple(fc.constantFrom('-j', '--jobs'), fc.constantFrom('0', '1', '2', 'x')),
      fc.tuple(fc.constant('--traces'), fc.constantFrom(...sb.folders, ...sb.traces)),
      fc.tuple(fc.constantFrom('--junit', '--sarif'), out),
      fc.constant(['-v']),
    ],
    replay: [
      fc.tuple(fc.constant('--spec'), fc.constantFrom(join(sb.cur, 'spec.mmspec'), ...sb.specs)),
      fc.tuple(fc.constant('--html'), out),
      fc.constant(['--step']),
    ],
  };
  return fc.oneof(...(byCmd[cmd] ?? []), ...common);
}

export interface FuzzCase {
  argv: string[];
  /** The spec written to cur/spec.mmspec: a base spec and its edits. */
  spec: { base: string; edits: TextEdit[] };
  /** The trace written to cur/trace.json. */
  trace: { base: string; edits: TraceEdit[] };
}

/** The first specs (small) five times as often as the last two (many scenarios, slow to explore). */
const baseSpec = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...BASE_SPECS.slice(0, -2)) },
  { weight: 1, arbitrary: fc.constantFrom(...BASE_SPECS.slice(-2)) },
);

export function caseArb(sb: Sandbox): fc.Arbitrary<FuzzCase> {
  const curSpec = join(sb.cur, 'spec.mmspec');
  const curTrace = join(sb.cur, 'trace.json');
  const specArg = fc.oneof({ weight: 3, arbitrary: fc.constant(curSpec) }, fc.constantFrom(...sb.specs));
  const traceArg = fc.oneof({ weight: 3, arbitrary: fc.constant(curTrace) }, fc.constantFrom(...sb.traces));
  const command = fc.oneof(
    { weight: 7, arbitrary: fc.constant('explore') },
    { weight: 3, arbitrary: fc.constant('show') },
    { weight: 5, arbitrary: fc.constant('replay') },
    { weight: 1, arbitrary: fc.constant('check') },
    { weight: 1, arbitrary: fc.constantFrom('help', 'explorer', '', '--help', '--version', '-x') },
  );
  const argv = command.chain((cmd) => {
    const positional =
      cmd === 'explore' || cmd === 'show'
        ? specArg.map((s) => [s])
        : cmd === 'replay'
          ? traceArg.map((t) => [t])
          : cmd === 'check'
            ? fc.array(fc.constantFrom(curSpec, ...sb.folders, ...sb.specs), { minLength: 1, maxLength: 2 })
            : fc.constant([]);
    return fc
      .tuple(positional, fc.array(flagsOf(cmd, sb), { maxLength: 4 }), fc.boolean())
      .map(([pos, flags, first]) => {
        const f = flags.flat();
        return [cmd, ...(first ? [...f, ...pos] : [...pos, ...f])].filter((_, i) => i > 0 || cmd !== '');
      });
  });
  return fc.record({
    argv,
    spec: fc.record({ base: baseSpec, edits: fc.array(textEdit, { maxLength: 3 }) }),
    trace: fc.record({ base: fc.constantFrom(...BASE_TRACES), edits: fc.array(traceEdit, { maxLength: 3 }) }),
  });
}

// ---- running a case ----------------------------------------------------------------------

/** A stack frame (`    at f (file.js:1:2)`) or a node internal error: never shown to a user. */
const STACK = /^\s+at .*:\d+:\d+\)?$|node:internal|^\w*Error: |^Node\.js v\d/m;

export interface CaseResult {
  code: number | 'threw';
  out: string;
  err: string;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of the whole process (its worker threads included); absent for a child process. */
  cpuSeconds?: number;
}

/**
 * How many times its CPU bound a case may take in wall-clock time: the wall bound catches a
 * case that waits forever, the CPU bound one that spins. On a machine shared with other work
 * wall time means little (at load 18, an explore of specs/rfc-2008.mmspec that used 3 s of
 * CPU took 30 s).
 */
const WALL_FACTOR = 6;

/** The bounds appended to every explore and check, so that each case ends. */
function bounded(argv: string[], sb: Sandbox): string[] {
  const bounds = ['--max-seconds', '1', '--max-states', '300'];
  if (argv[0] === 'explore') return [...argv, ...bounds];
  // check runs in the repository's folder (below): its default traces/ is the sandbox's, unless the case names one.
  if (argv[0] === 'check') return ['check', '--traces', join(sb.cwd, 'traces'), ...argv.slice(1), ...bounds];
  return argv;
}

export async function runCase(sb: Sandbox, c: FuzzCase): Promise<CaseResult> {
  const spec = withEdits(readFileSync(join(ROOT, c.spec.base), 'utf8'), c.spec.edits);
  writeFileSync(join(sb.cur, 'spec.mmspec'), spec);
  const trace = JSON.parse(readFileSync(join(ROOT, c.trace.base), 'utf8')) as { spec: { path: string } };
  const specOfTrace = resolve(ROOT, c.trace.base, '..', trace.spec.path);
  writeFileSync(
    join(sb.cur, 'trace.json'),
    traceText(readFileSync(join(ROOT, c.trace.base), 'utf8'), specOfTrace, c.trace.edits),
  );
  rmSync(join(sb.cwd, 'traces'), { recursive: true, force: true });
  mkdirSync(join(sb.cwd, 'traces'));
  const out: string[] = [];
  const err: string[] = [];
  const home = process.cwd();
  const stderrWrite = process.stderr.write;
  // Whatever bypasses main's io (a warning, a stray trace) is caught too.
  process.stderr.write = ((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let code: number | 'threw';
  try {
    // In the sandbox's folder (explore --save writes traces/ there), except check: its worker
    // threads inherit node's flags, and the suite's `--import ./dist/...` is relative.
    if (c.argv[0] !== 'check') process.chdir(sb.cwd);
    code = await main(['node', 'mmcheck', ...bounded(c.argv, sb)], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    });
  } catch (e) {
    code = 'threw';
    err.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
  } finally {
    process.chdir(home);
    process.stderr.write = stderrWrite;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    code,
    out: out.join('\n'),
    err: err.join('\n'),
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** Why a case's result breaks the property, or null. */
export function problem(r: CaseResult, maxSeconds: number): string | null {
  if (r.code === 'threw') return `main threw:\n${r.err}`;
  if (![0, 1, 2, 3].includes(r.code)) return `exit code ${r.code}`;
  const m = STACK.exec(r.out) ?? STACK.exec(r.err);
  if (m !== null) return `a stack trace or internal error in the output: '${m[0]}'\n${r.err}\n${r.out}`.slice(0, 4000);
  const wallBound = r.cpuSeconds === undefined ? maxSeconds : maxSeconds * WALL_FACTOR;
  if (r.seconds > wallBound) return `took ${r.seconds.toFixed(1)} s (bound ${wallBound} s)`;
  if ((r.cpuSeconds ?? 0) > maxSeconds) return `used ${r.cpuSeconds!.toFixed(1)} s of CPU (bound ${maxSeconds} s)`;
  return null;
}

export interface FuzzSummary {
  runs: number;
  codes: Record<string, number>;
  /** The most wall-clock and CPU seconds a case took. */
  slowest: number;
  slowestCpu: number;
  seconds: number;
}

/**
 * Runs `runs` cases from fast-check's global seed; throws fast-check's report on the first
 * failure. `onCase` hears of each case that passed (the long run prints a count now and then).
 */
export async function fuzzCli(
  sb: Sandbox,
  runs: number,
  maxSeconds: number,
  onCase?: (done: number) => void,
): Promise<FuzzSummary> {
  const codes: Record<string, number> = {};
  let slowest = 0;
  let slowestCpu = 0;
  let done = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(caseArb(sb), async (c) => {
      const r = await runCase(sb, c);
      codes[String(r.code)] = (codes[String(r.code)] ?? 0) + 1;
      slowest = Math.max(slowest, r.seconds);
      slowestCpu = Math.max(slowestCpu, r.cpuSeconds ?? 0);
      const why = problem(r, maxSeconds);
      if (why !== null) throw new Error(`mmcheck ${c.argv.join(' ')}: ${why}`);
      onCase?.(++done);
    }),
    { numRuns: runs, includeErrorInReport: true },
  );
  return { runs, codes, slowest, slowestCpu, seconds: (performance.now() - t0) / 1000 };
}

async function cli(): Promise<void> {
  const runs = Number(process.argv[2] ?? 10_000);
  const sb = makeSandbox();
  for (const n of sb.notes) console.log(`note: ${n}`);
  const t0 = performance.now();
  const s = await fuzzCli(sb, runs, 20, (done) => {
    if (done % 250 === 0) console.log(`${done} cases passed (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  });
  console.log(
    `cli fuzz: ${s.runs} cases, exit codes ${JSON.stringify(s.codes)}, slowest ${s.slowest.toFixed(2)} s (${s.slowestCpu.toFixed(2)} s of CPU), ${s.seconds.toFixed(0)} s in all`,
  );
  rmSync(sb.dir, { recursive: true, force: true });
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  cli().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
