// How wide and how colourful the text output is: the global options --width, --color and
// --no-color, and what decides when they are absent (docs in README.md, "The CLI").
//
// Width: --width N, else $COLUMNS (a positive integer), else the terminal's width when stdout
// is a terminal, else 80. Colour: --color / --no-color, else FORCE_COLOR (0 off, else on),
// else only on a terminal without NO_COLOR and TERM=dumb (report/swimlane.ts colorFor).
import { type Command, InvalidArgumentError } from 'commander';
import { colorFor, DEFAULT_WIDTH } from '../report/swimlane.js';
import type { Io } from './exit.js';

/** Narrower than this, nothing reads: --width refuses it. */
export const MIN_WIDTH = 40;
const MAX_WIDTH = 1000;

export function widthArg(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < MIN_WIDTH || n > MAX_WIDTH)
    throw new InvalidArgumentError(`expected a number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}.`);
  return n;
}

/** The width to fit when no --width is given. */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv = process.env,
): number {
  const cols = env['COLUMNS'];
  if (cols !== undefined && /^\d+$/.test(cols.trim())) {
    const n = Number(cols);
    if (n > 0) return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, n));
  }
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0)
    return Math.max(MIN_WIDTH, stream.columns);
  return DEFAULT_WIDTH;
}

/** The standard streams, their width and colour as the environment decides them. */
export function stdio(): Io {
  return {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    color: colorFor(process.stdout),
    width: terminalWidth(process.stdout),
  };
}

export interface TerminalFlags {
  width?: number;
  color?: boolean;
}

/** Adds --width, --color and --no-color to the program (they work before or after a command). */
export function addTerminalOptions(program: Command): Command {
  return program
    .option('--width <n>', 'fit text output to n columns (default: $COLUMNS, the terminal, else 80)', widthArg)
    .option('--color', 'colour the text output (default: on a terminal, unless NO_COLOR; FORCE_COLOR)')
    .option('--no-color', 'never colour the text output');
}

/** `io` as the flags amend it: what a command prints to. */
export function applyTerminalFlags(io: Io, flags: TerminalFlags): void {
  if (flags.width !== undefined) io.width = flags.width;
  if (flags.color !== undefined) io.color = flags.color;
}

/**
 * A progress line cut to a terminal `columns` wide, one column spare: a longer line wraps, and
 * the next `\r` then returns only to its last row, leaving the rows above on screen. The
 * scenario's name ("name: …") gives way first, down to an ellipsis, so that the counts stay;
 * only when the counts alone are too wide is their end cut.
 */
export function fitProgress(line: string, columns: number | undefined): string {
  if (columns === undefined || columns < 2 || line.length < columns) return line;
  const room = columns - 1;
  const colon = line.indexOf(': ');
  const rest = line.slice(colon);
  if (colon > 0 && rest.length + 1 <= room) return `${line.slice(0, room - rest.length - 1)}…${rest}`;
  const counts = colon > 0 ? line.slice(colon + 2) : line;
  return counts.length <= room ? counts : `${counts.slice(0, room - 1)}…`;
}
