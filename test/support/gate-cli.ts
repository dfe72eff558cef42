// `mmcheck check` in process for the gate's tests (test/cli/check*.test.ts): main() with the
// fixtures' defaults. With one job the scenarios run in this thread (src/cli/check.ts,
// checkThread: a worker thread loads the checker again, ~0.2 s of CPU a command); with more,
// on real worker threads.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkThread } from '../../src/cli/check.js';
import { main } from '../../src/cli/main.js';

checkThread.inline = true;

/** The gate's fixtures: passing, failing, incomplete and broken specs, and traces. */
export const F = 'test/fixtures/check';

export async function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  // No traces unless a test asks for them (--traces given again overrides this one). One job
  // unless a test asks for more (two tests do): each job's worker thread loads the checker,
  // about 0.2 s of CPU, more than most of these fixtures take to check; one job runs here.
  const argv = ['node', 'mmcheck', 'check', '--mode', 'bfs', '--width', '200', '--traces', `${F}/no-traces`, '-j', '1'];
  const code = await main([...argv, ...args], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A path named `name` in a new temporary folder. */
export function tmp(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'mmcheck-check-')), name);
}
