// The whole pipelines the seed benchmark times (bench/seed.ts): what a user waits for between
// typing the command and reading the verdict, translation and compilation included.
//   SPIN:    spin -a, gcc -O2 -DSAFETY [-DNOREDUCE], ./pan   (partial-order reduction is SPIN's default)
//   Rumur:   rumur --threads 1, cc -O2, ./checker             (one thread, as mmcheck and pan)
//   mmcheck: node bin/mmcheck.js explore --json               (startup and spec compilation included)
// Each pipeline runs as one `sh -c` under GNU time (wall clock, peak RSS of the largest process
// in it) and coreutils timeout (which signals the pipeline's whole process group).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SEED_SPEC = 'specs/bench/fault-vs-munmap.mmspec';
const PEERS = join(ROOT, 'bench/peers');
const GNU_TIME = '/usr/bin/time';

export type Variant = 'fixed' | 'buggy';
export type Tool = 'spin' | 'spin-noreduce' | 'rumur' | 'mm-bfs' | 'mm-dfs' | 'mm-default';

/** One pipeline's outcome; `states` is what the tool stored (up to its first violation). */
export interface PipelineRun {
  tool: Tool;
  status: 'ok' | 'timeout' | 'failed' | 'absent';
  /** pass, violation(kind), incomplete, or the tool's own words (`errors: 1`). */
  verdict: string;
  states: number;
  transitions: number;
  wallSeconds: number;
  /** Peak resident set of the largest process in the pipeline, bytes (NaN without GNU time). */
  peakRssBytes: number;
  /** The search alone, by the tool's own clock (pan's elapsed time, mmcheck's stats). */
  searchSeconds: number;
  /** User plus system CPU time of the whole pipeline (NaN without GNU time). */
  cpuSeconds: number;
  /** mmcheck only: bytes of the stored-state table per state. */
  bytesPerState?: number;
  /** mmcheck only: the search that ran (the JSON's mode). */
  search?: string;
  note?: string;
}

interface Measured {
  code: number;
  timedOut: boolean;
  /** stdout then stderr. */
  out: string;
  stdout: string;
  wallSeconds: number;
  peakRssBytes: number;
  /** User plus system CPU time of the pipeline's processes (NaN without GNU time). */
  cpuSeconds: number;
}

export const haveGnuTime = (): boolean => existsSync(GNU_TIME);

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Run `script` with sh in `cwd`, killed after `timeoutSeconds`; wall time and peak RSS. */
function measure(script: string, cwd: string, timeoutSeconds: number): Measured {
  const limit = ['timeout', '-k', '5', String(timeoutSeconds), 'sh', '-c', script];
  const statDir = mkdtempSync(join(tmpdir(), 'mmcheck-seed-time-'));
  const statFile = join(statDir, 'time');
  const t0 = performance.now();
  const r = haveGnuTime()
    ? spawnSync(GNU_TIME, ['-o', statFile, '-f', '%e %M %U %S', ...limit], {
        cwd,
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      })
    : spawnSync(limit[0]!, limit.slice(1), { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = (performance.now() - t0) / 1000;
  let rss = Number.NaN;
  let cpu = Number.NaN;
  if (haveGnuTime() && existsSync(statFile)) {
    const last = readFileSync(statFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, kib, user, sys] = last.split(' ');
    rss = Number(kib) * 1024;
    cpu = Number(user) + Number(sys);
  }
  rmSync(statDir, { recursive: true, force: true });
  const code = r.status ?? -1;
  const stdout = r.stdout ?? '';
  const out = `${stdout}${r.stderr ?? ''}`;
  return {
    code,
    timedOut: code === 124 || code === 137,
    out,
    stdout,
    wallSeconds: wall,
    peakRssBytes: rss,
    cpuSeconds: cpu,
  };
}

function num(out: string, re: RegExp): number {
  const m = re.exec(out);
  return m ? Number(m[1]) : Number.NaN;
}

function blank(tool: Tool, status: PipelineRun['status'], note: string, m?: Measured): PipelineRun {
  return {
    tool,
    status,
    verdict: status === 'timeout' ? 'timeout' : status,
    states: Number.NaN,
    transitions: Number.NaN,
    wallSeconds: m?.wallSeconds ?? Number.NaN,
    peakRssBytes: m?.peakRssBytes ?? Number.NaN,
    cpuSeconds: m?.cpuSeconds ?? Number.NaN,
    searchSeconds: Number.NaN,
    note,
  };
}

function withScratch<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-seed-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** log2 of pan's hash table (-w) for about `states` entries, as one would size it by hand. */
function hashBits(states: number): number {
  return Math.min(27, Math.max(18, Math.ceil(Math.log2(states * 1.5))));
}

export function runSpin(
  variant: Variant,
  k: number,
  reduce: boolean,
  expectStates: number,
  timeout: number,
): PipelineRun {
  const tool: Tool = reduce ? 'spin' : 'spin-noreduce';
  if (!have('spin') || !have('gcc'))
    return blank(tool, 'absent', 'spin or gcc not installed (apt-get install spin gcc)');
  return withScratch((dir) => {
    for (const f of ['fault-vs-munmap.pml', 'fault-vs-munmap-fixed.pml']) copyFileSync(join(PEERS, f), join(dir, f));
    const model = variant === 'fixed' ? 'fault-vs-munmap-fixed.pml' : 'fault-vs-munmap.pml';
    const cc = `gcc -O2 -DSAFETY${reduce ? '' : ' -DNOREDUCE'} -o pan pan.c`;
    const m = measure(
      `spin -DK=${k} -a ${model} && ${cc} && ./pan -m1000000 -w${hashBits(expectStates)}`,
      dir,
      timeout,
    );
    if (m.timedOut) return blank(tool, 'timeout', `killed after ${timeout} s`, m);
    const stored = num(m.out, /([\d.e+]+) states, stored/);
    if (Number.isNaN(stored)) return blank(tool, 'failed', m.out.trim().split('\n').slice(-3).join(' | '), m);
    const errors = num(m.out, /errors: (\d+)/);
    return {
      tool,
      status: 'ok',
      verdict: errors === 0 ? 'pass' : `errors: ${errors}`,
      states: stored,
      transitions: num(m.out, /([\d.e+]+) transitions \(= stored\+matched\)/),
      wallSeconds: m.wallSeconds,
      peakRssBytes: m.peakRssBytes,
      cpuSeconds: m.cpuSeconds,
      searchSeconds: num(m.out, /elapsed time ([\d.e+-]+) seconds/),
    };
  });
}

export function runRumur(variant: Variant, k: number, timeout: number): PipelineRun {
  if (!have('rumur') || !have('cc')) return blank('rumur', 'absent', 'rumur not installed (apt-get install rumur)');
  return withScratch((dir) => {
    const file = variant === 'fixed' ? 'fault-vs-munmap-fixed.m' : 'fault-vs-munmap.m';
    const src = readFileSync(join(PEERS, file), 'utf8');
    const re = /^(\s*K\s*:\s*)\d+;/m;
    if (!re.test(src)) return blank('rumur', 'failed', `${file} has no const K`);
    writeFileSync(join(dir, 'model.m'), src.replace(re, `$1${k};`));
    const m = measure(
      'rumur --threads 1 --deadlock-detection off model.m --output checker.c && ' +
        'cc -std=c11 -O2 -mcx16 -o checker checker.c -lpthread && ./checker',
      dir,
      timeout,
    );
    if (m.timedOut) return blank('rumur', 'timeout', `killed after ${timeout} s`, m);
    const states = num(m.out, /(\d+) states, \d+ rules fired/);
    if (Number.isNaN(states)) return blank('rumur', 'failed', m.out.trim().split('\n').slice(-3).join(' | '), m);
    return {
      tool: 'rumur',
      status: 'ok',
      verdict: /No error found/.test(m.out) ? 'pass' : 'error found',
      states,
      transitions: num(m.out, /\d+ states, (\d+) rules fired/),
      wallSeconds: m.wallSeconds,
      peakRssBytes: m.peakRssBytes,
      cpuSeconds: m.cpuSeconds,
      searchSeconds: num(m.out, /rules fired in (\d+)s/),
    };
  });
}

interface ExploreJson {
  got: string;
  mode: string;
  stats: { states: number; transitions: number; seconds: number; storedBytes: number };
}

/**
 * `mode` undefined: explore's default search with its default reductions, whatever they are
 * today. With a mode: that search with `--reduce none`, the state space SPIN -DNOREDUCE and
 * Rumur explore, so the counts must agree and the throughput compares per state.
 */
export function runMmcheck(
  variant: Variant,
  k: number,
  mode: 'bfs' | 'dfs' | undefined,
  timeout: number,
  extraArgs: readonly string[] = [],
): PipelineRun {
  const tool: Tool = mode === undefined ? 'mm-default' : mode === 'bfs' ? 'mm-bfs' : 'mm-dfs';
  // The flags replace the scenario's budget (a CI bound) by the benchmark's timeout.
  const bounds = ['--max-states', '1e12', '--max-seconds', String(timeout)];
  const args = ['explore', SEED_SPEC, '--scenario', `${variant}_k${k}`, '--json', ...bounds];
  if (mode !== undefined) args.push('--mode', mode, '--reduce', 'none');
  args.push(...extraArgs);
  const quoted = [process.execPath, join(ROOT, 'bin/mmcheck.js'), ...args].map((a) => `'${a}'`).join(' ');
  const m = measure(quoted, ROOT, timeout + 30);
  if (m.timedOut) return blank(tool, 'timeout', `killed after ${timeout} s`, m);
  let results: ExploreJson[];
  try {
    results = JSON.parse(m.stdout) as ExploreJson[];
  } catch {
    return blank(tool, 'failed', m.out.trim().split('\n').slice(-3).join(' | '), m);
  }
  const r = results[0]!;
  if (r.got === 'incomplete') return blank(tool, 'timeout', `stopped at --max-seconds ${timeout}`, m);
  return {
    tool,
    status: 'ok',
    verdict: r.got,
    states: r.stats.states,
    transitions: r.stats.transitions,
    wallSeconds: m.wallSeconds,
    peakRssBytes: m.peakRssBytes,
    cpuSeconds: m.cpuSeconds,
    searchSeconds: r.stats.seconds,
    search: r.mode,
    ...(r.stats.storedBytes > 0 ? { bytesPerState: r.stats.storedBytes / r.stats.states } : {}),
  };
}
