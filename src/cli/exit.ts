// What every command shares with the shell: exit codes, the user-error exception and the
// output channels. In a module of its own so that the commands and main.ts, which
// registers them, do not import each other.
import { VERSION } from '../io/version.js';

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;
/** An internal error: a bug in mmcheck, not in the spec (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

/**
 * explore's and merge's exit code from their scenarios' verdicts: a violation, or a pass where
 * the spec expects a violation (not as expected: a CI job must fail, as `check` would) → 1;
 * else any incomplete → 3; else 0.
 */
export function verdictExitCode(
  scenarios: readonly { verdict: 'pass' | 'violation' | 'incomplete'; asExpected: boolean }[],
): number {
  if (scenarios.some((s) => s.verdict === 'violation' || (s.verdict === 'pass' && !s.asExpected)))
    return EXIT_VIOLATION;
  if (scenarios.some((s) => s.verdict === 'incomplete')) return EXIT_INCOMPLETE;
  return EXIT_OK;
}
/** The version `mmcheck --version` prints. */
export { VERSION };

/** A user error: printed as `mmcheck: message` and exit 2, never a stack trace. */
export class UsageError extends Error {}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Colour terminal output (cli/terminal.ts: --color, FORCE_COLOR, a TTY without NO_COLOR). */
  color?: boolean;
  /** Columns text output fits (cli/terminal.ts: --width, $COLUMNS, the terminal; default 80). */
  width?: number;
}

/**
 * An error that is not the user's: `[mmcheck internal bug] message`, what to report, and the
 * stack only with MMCHECK_DEBUG=1. Returns EXIT_INTERNAL.
 */
export function internalBug(e: unknown, argv: readonly string[], io: Pick<Io, 'err'>, env = process.env): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const message = err.message.replace(/^\[mmcheck internal bug\]\s*/, '');
  io.err(`[mmcheck internal bug] ${message}`);
  io.err(
    `  This is a bug in mmcheck, not in your spec. Please report it with: mmcheck ${VERSION}, node ${process.version}, the command (mmcheck ${argv.slice(2).join(' ')}) and the spec it ran on.`,
  );
  if (env.MMCHECK_DEBUG === '1') io.err(err.stack ?? message);
  else io.err('  Run with MMCHECK_DEBUG=1 to print the stack.');
  return EXIT_INTERNAL;
}
