// Where the time of one command goes, for docs/performance.md's start-up breakdown: with
// MMCHECK_PHASES set, each mark writes the milliseconds since the process started (the same
// clock on every thread: process.uptime), the process's CPU milliseconds so far (user +
// system, every thread together) and its name to stderr. Unset, a mark costs one boolean test.
//
// The line is written synchronously to fd 2: a worker's process.stderr goes through the main
// thread, which exits without waiting for the explore worker (cli/explore-thread.ts), and the
// worker's last marks were lost that way.
import { writeSync } from 'node:fs';

const on = process.env.MMCHECK_PHASES !== undefined;

/** Writes `[phase] <ms since process start> cpu <process CPU ms> <name>` to stderr when MMCHECK_PHASES is set. */
export function phase(name: string): void {
  if (!on) return;
  const cpu = process.cpuUsage();
  const line = `[phase] ${(process.uptime() * 1000).toFixed(1)} cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ${name}\n`;
  try {
    writeSync(2, line);
  } catch {
    // a closed stderr: the mark is only a measurement
  }
}
