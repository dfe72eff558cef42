// The search options `explore` and `check` share, declared once: the mode, the DPOR variant
// and the bounds. The commands differ only in the default mode and in what the bounds apply
// to (check: only scenarios that declare no budget).
import { CommanderError, Option, type Command } from 'commander';
import type { Mode, PorVariant } from '../checker/result.js';

export interface SearchFlags {
  mode: Mode;
  por: PorVariant;
  maxDepth?: number;
  maxStates?: number;
  maxSeconds?: number;
}

export function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CommanderError(2, 'mmcheck.badNumber', `error: expected a non-negative integer, got '${v}'`);
  return n;
}

export function float(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new CommanderError(2, 'mmcheck.badNumber', `error: expected a non-negative number, got '${v}'`);
  return n;
}

/**
 * Adds --mode (with the command's default and why), --por and the three bounds; `bounds`
 * says what the bounds apply to, prefixed to each bound's help.
 */
export function addSearchOptions(cmd: Command, o: { defaultMode: Mode; modeHelp: string; bounds: string }): Command {
  return cmd
    .addOption(new Option('--mode <mode>', o.modeHelp).choices(['dpor', 'bfs', 'dfs', 'random']).default(o.defaultMode))
    .addOption(new Option('--por <variant>', 'DPOR variant').choices(['optimal', 'source']).default('optimal'))
    .option('--max-depth <n>', `${o.bounds}longest path explored`, int)
    .option('--max-states <n>', `${o.bounds}states to store/visit before stopping`, int)
    .option('--max-seconds <s>', `${o.bounds}wall-clock budget`, float);
}
