// What every command shares with the shell: exit codes, the user-error exception and the
// output channels. In a module of its own so that the commands and main.ts, which
// registers them, do not import each other.

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;

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
