// Where the time of one command goes, for docs/performance.md's start-up breakdown: with
// MMCHECK_PHASES set, each mark writes the milliseconds since the process started (the same
// clock on every thread: process.uptime) and its name to stderr. Unset, a mark costs one
// boolean test.
const on = process.env.MMCHECK_PHASES !== undefined;

/** Writes `[phase] <ms since process start> <name>` to stderr when MMCHECK_PHASES is set. */
export function phase(name: string): void {
  if (on) process.stderr.write(`[phase] ${(process.uptime() * 1000).toFixed(1)} ${name}\n`);
}
