// `mmcheck check` with one job: the scenarios on a worker thread (the CLI) and in the calling
// thread (the in-process gate tests, test/support/gate-cli.ts, which set checkThread.inline):
// the same exit code, table, failure reports, trace replays, summary and --json but for the
// clock and the process's memory, on fixtures that pass, fail, stop at a bound, do not
// compile, and traces that reproduce and do not; at 80 columns, where the reports wrap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkThread } from '../../src/cli/check.js';
import { main } from '../../src/cli/main.js';

const F = 'test/fixtures/check';

/** Output with what the clock and the process's memory decide replaced by `#`. */
function steady(s: string): string {
  return (
    s
      .replace(/\d+\.\d\d s\b/g, '# s')
      // Wrapped where the figures' widths put it, in text or in a JSON string (\n).
      .replace(/# s,(?:\s|\\n)+[\d,]+(?:\s|\\n)+states\/s,(?:\s|\\n)+peak(?:\s|\\n)+\d+(?:\s|\\n)+MiB/g, '# s, # MiB')
      .replace(/"(seconds|statesPerSecond|peakMemoryBytes|storedBytes)": [\d.e+-]+/g, '"$1": #')
      .replace(/"startedAt": "[^"]*"/g, '"startedAt": #')
  );
}

async function check(inline: boolean, args: string[]): Promise<{ code: number; out: string; err: string }> {
  checkThread.inline = inline;
  const out: string[] = [];
  const err: string[] = [];
  try {
    const argv = ['node', 'mmcheck', 'check', '--mode', 'bfs', '--width', '80', '-j', '1', ...args];
    const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: steady(out.join('\n')), err: steady(err.join('\n')) };
  } finally {
    checkThread.inline = false;
  }
}

test('check with one job in the calling thread prints what it prints with the job on a worker thread', async () => {
  for (const args of [
    [F, '--traces', `${F}/traces`],
    [F, '--json', '--traces', `${F}/traces`],
  ]) {
    const worker = await check(false, args);
    assert.equal(worker.code, 2, worker.out + worker.err);
    if (!args.includes('--json'))
      assert.match(worker.out, /^9 scenarios: 4 as expected, 5 not; 1 spec with errors; 2 traces/m);
    assert.deepEqual(await check(true, args), worker, args.join(' '));
  }
});
