// The search options `explore` and `check` share, declared once: the mode, the DPOR variant
// and the bounds. The commands differ only in the default mode and in what the bounds apply
// to (check: only scenarios that declare no budget).
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Mode, PorVariant } from '../checker/result.js';
import { DEFAULT_REDUCTIONS, parseReductions, type ReductionSet, reductionsText } from '../model/reductions.js';

export interface SearchFlags {
  mode: Mode;
  por: PorVariant;
  reduce: ReductionSet;
  maxDepth?: number;
  maxStates?: number;
  maxSeconds?: number;
}

/** A count: decimal digits only (not '', 1e3, 0x10, -5 or 2.5), at most 2^53 - 1. */
export function int(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a non-negative integer in decimal digits, e.g. 1000.');
  return n;
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

/**
 * Adds --mode (with the command's default and why), --por and the three bounds; `bounds`
 * says what the bounds apply to, prefixed to each bound's help.
 */
export function addSearchOptions(cmd: Command, o: { defaultMode: Mode; modeHelp: string; bounds: string }): Command {
  return cmd
    .addOption(
      new Option('--mode <mode>', o.modeHelp).choices(['auto', 'bfs', 'dfs', 'dpor', 'random']).default(o.defaultMode),
    )
    .addOption(new Option('--por <variant>', 'DPOR variant').choices(['optimal', 'source']).default('optimal'))
    .addOption(
      new Option('--reduce <list>', 'state-space reductions: all, none, or a list of symmetry,dead-locals')
        .argParser(reductions)
        .default(DEFAULT_REDUCTIONS, reductionsText(DEFAULT_REDUCTIONS)),
    )
    .option('--max-depth <n>', `${o.bounds}longest path explored`, int)
    .option('--max-states <n>', `${o.bounds}states to store/visit before stopping`, int)
    .option('--max-seconds <s>', `${o.bounds}wall-clock budget`, float);
}
