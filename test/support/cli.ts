// `mmcheck` run in process for CLI tests: the exit code and what it printed on stdout and stderr.
// explore and simulate run in this thread, not on explore's worker thread (which loads the
// checker again, ~0.2 s of CPU a command): src/cli/explore-thread.ts, exploreThread.
import { exploreThread } from '../../src/cli/explore-thread.js';
import { main } from '../../src/cli/main.js';

exploreThread.inline = true;

export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'mmcheck', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
