// The search options `explore` and `check` share, declared once: the mode, the DPOR variant
// and the bounds. The commands differ only in the default mode and in what the bounds apply
// to (check: only scenarios that declare no budget).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { defaultMaxMemory, mib } from '../checker/memory.js';
import type { Mode, PorVariant } from '../checker/result.js';
import { MAX_BITSTATE_LOG2, MIN_BITSTATE_LOG2 } from '../checker/search/bitstate.js';
import { DEFAULT_REDUCTIONS, parseReductions, type ReductionSet, reductionsText } from '../model/reductions.js';

export interface SearchFlags {
  mode: Mode;
  por: PorVariant;
  reduce: ReductionSet;
  maxDepth?: number;
  maxStates?: number;
  maxSeconds?: number;
  maxMemory?: number;
  /** Threads for each breadth-first search (absent: the command's default). */
  workers?: number;
}

/** Decimal digits or an exponent (1000, 1e6); not '', 0x10, -5 or 2.5 (and at most 2^53 - 1, checked apart). */
const INTEGER = /^(\d+|\d+(\.\d+)?e\+?\d+)$/i;

/** `-s NAME` given again: every name, in the order given (commander keeps only the last otherwise). */
export function scenarioNames(v: string, before: string[] | undefined): string[] {
  return [...(before ?? []), v];
}

/** A count: decimal digits or an exponent (1000, 1e6), at most 2^53 - 1; not '', 0x10, -5 or 2.5. */
export function int(v: string): number {
  const n = Number(v);
  if (!INTEGER.test(v) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a non-negative integer, e.g. 1000 or 1e6.');
  return n;
}

/** A seed: the generators (mulberry32, the bitstate salt) keep 32 bits, so 2^32 would run as 0. */
export function seed(v: string): number {
  const n = int(v);
  if (n > 0xffffffff) throw new InvalidArgumentError('expected a seed from 0 to 4294967295 (32 bits).');
  return n;
}

/** A state bound: a count (int), or `none` for no bound (it lifts a scenario's own budget). */
export function stateBound(v: string): number {
  if (v === 'none') return Number.POSITIVE_INFINITY;
  try {
    return int(v);
  } catch {
    throw new InvalidArgumentError('expected a non-negative integer (1000, 1e6) or none.');
  }
}

export function reductions(v: string): ReductionSet {
  const r = parseReductions(v);
  if ('error' in r) throw new InvalidArgumentError(`${r.error}.`);
  return r;
}

/** Seconds: decimal digits with an optional fraction (not '', 1e3, Infinity or 1.5x). */
export function float(v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n))
    throw new InvalidArgumentError('expected a non-negative number of seconds, e.g. 30 or 1.5.');
  return n;
}

/** A memory size: MiB, or a number with a unit K, M, G or T (powers of 1024): `4096`, `6G`, `512M`. */
export function memorySize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(v.trim());
  if (m === null) throw new InvalidArgumentError('expected a size: MiB, or a number with K, M, G or T (6G, 512M).');
  const unit = { '': 2 ** 20, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2]!.toUpperCase()]!;
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes <= 0) throw new InvalidArgumentError('expected a positive size.');
  return bytes;
}

/** `--bitstate-bits`: 2^k or the power of two it is (2^27, 134217728), as k. */
export function bitstateBits(v: string): number {
  const m = /^2\^(\d+)$/.exec(v.trim());
  const k = m !== null ? Number(m[1]) : Math.log2(Number(v));
  if (!Number.isInteger(k) || k < MIN_BITSTATE_LOG2 || k > MAX_BITSTATE_LOG2)
    throw new InvalidArgumentError(
      `expected a power of two from 2^${MIN_BITSTATE_LOG2} to 2^${MAX_BITSTATE_LOG2}, e.g. 2^27.`,
    );
  return k;
}

/**
 * Adds --mode (with the command's default and why), --por and the three bounds; `bounds`
 * says what the bounds apply to, prefixed to each bound's help.
 */
export function addSearchOptions(
  cmd: Command,
  o: { defaultMode: Mode; modeHelp: string; bounds: string; workersDefault: string },
): Command {
  return cmd
    .addOption(
      new Option('--mode <mode>', o.modeHelp).choices(['auto', 'bfs', 'dfs', 'dpor', 'random']).default(o.defaultMode),
    )
    .addOption(
      new Option('--por <variant>', "DPOR variant (--mode dpor, and auto's DPOR)")
        .choices(['optimal', 'source'])
        .default('optimal'),
    )
    .addOption(
      new Option(
        '--reduce <list>',
        'reductions of the searches that store states (auto, bfs, dfs): all, none, or a list of symmetry,dead-locals,por',
      )
        .argParser(reductions)
        .default(DEFAULT_REDUCTIONS, reductionsText(DEFAULT_REDUCTIONS)),
    )
    .option('--max-depth <n>', `${o.bounds}longest path explored`, int)
    .option('--max-states <n|none>', `${o.bounds}states to store/visit before stopping (none: no bound)`, stateBound)
    .option('--max-seconds <s>', `${o.bounds}wall-clock budget`, float)
    .option(
      '--max-memory <size>',
      `resident memory at which a search stops, incomplete (MiB, or 6G, 512M; default ${defaultMemoryText()})`,
      memorySize,
    )
    .option(
      '--workers <n>',
      `threads for each breadth-first search (--mode bfs, and auto while it runs BFS) and each --mode dpor search (split by subtrees), 1 to 256; default ${o.workersDefault}`,
      threadCount,
    );
}

/**
 * The most threads `--workers` and `--jobs` start. Each is a V8 isolate of its own (tens of
 * MiB before it stores a state): `--workers 100000` went past 3 GiB in seconds and climbed.
 */
export const MAX_THREADS = 256;

/**
 * The largest PCT bug depth `simulate --pct-depth` takes. A run draws d - 1 change points and
 * looks at each at every step: 1e9 made V8 die allocating them (a native stack, exit 133), 1e5
 * cost 10^5 operations a step; past a few the bound 1/(n·k^(d-1)) is nil anyway (docs/simulate.md).
 */
export const MAX_PCT_DEPTH = 100;

/** An integer from 1 to `most`, written as int() takes one. */
function oneTo(v: string, most: number): number {
  const n = Number(v);
  if (!INTEGER.test(v) || !Number.isSafeInteger(n) || n < 1 || n > most)
    throw new InvalidArgumentError(`expected an integer from 1 to ${most}.`);
  return n;
}

/** `--pct-depth`: an integer from 1 to MAX_PCT_DEPTH. */
export const pctDepth = (v: string): number => oneTo(v, MAX_PCT_DEPTH);

/** `--workers`, `--jobs`: an integer from 1 to MAX_THREADS. */
export const threadCount = (v: string): number => oneTo(v, MAX_THREADS);

function defaultMemoryText(): string {
  return `3/4 of this machine's memory, ${mib(defaultMaxMemory())}`;
}

/** The checks and outputs explore and simulate share, --leak to --trace-out. */
export function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--leak', 'report leaks: objects unreachable at termination, a refcount_dec to 0')
    .option('--data-race', 'report data races (KCSAN semantics; docs/language.md)')
    .option('--no-target', 'stop at the first violation of any kind, even when the scenario expects another')
    .option('--json', 'machine-readable output')
    .option('--save', 'save each counterexample as traces/<spec>.<scenario>.<kind>.json (docs/traces.md)')
    .option('--no-save', 'write no trace file, even with --trace-out')
    .option('--trace-out <path>', 'save the counterexample to this file (or into this directory/)');
}
