// explore and simulate on their worker thread (the CLI) and in the calling thread (the
// in-process CLI tests, test/support/cli.ts, which set exploreThread.inline): the same exit
// code and the same stdout and stderr but for the clock and the process's memory, on a pass,
// a violation with its trace, --json, a warning (printed once: the main thread compiled the
// spec first), a usage error and a write error raised by the search's side (which the worker
// posts to the main thread), and a simulation.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exploreThread } from '../../src/cli/explore-thread.js';
import { main } from '../../src/cli/main.js';

/** Output with what the clock and the process's memory decide replaced by `#`. */
function steady(s: string): string {
  return s
    .replace(/\d+\.\d\d s, [\d,]+ states\/s, peak \d+ MiB/g, '# s, # states/s, peak # MiB')
    .replace(/"(seconds|statesPerSecond|peakMemoryBytes|storedBytes)": [\d.e+-]+/g, '"$1": #');
}

async function both(args: string[]): Promise<{ code: number; out: string; err: string }[]> {
  const runs = [];
  for (const inline of [false, true]) {
    exploreThread.inline = inline;
    const out: string[] = [];
    const err: string[] = [];
    try {
      // Wide: a line whose figures differ in width would wrap at another word.
      const code = await main(['node', 'mmcheck', ...args, '--width', '300'], {
        out: (s) => out.push(s),
        err: (s) => err.push(s),
      });
      runs.push({ code, out: steady(out.join('\n')), err: steady(err.join('\n')) });
    } finally {
      exploreThread.inline = false;
    }
  }
  return runs;
}

test('explore and simulate in the calling thread print what they print on the worker thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-inline-'));
  writeFileSync(join(dir, 'file'), 'not a folder');
  const warned = join(dir, 'warned.mmspec');
  writeFileSync(warned, 'shared x: int;\nthread t() { local old: int; x = 1; }\nscenario s expect pass { t(); }\n');
  const cases: [string[], number][] = [
    [['explore', 'specs/tutorial.mmspec', '-s', 'step1'], 1],
    [['explore', 'specs/tutorial.mmspec', '--json'], 1],
    [['explore', warned], 0],
    [['explore', 'specs/tutorial.mmspec', '-s', 'step3', '--result-out', join(dir, 'r.json')], 2],
    [['explore', 'specs/tutorial.mmspec', '-s', 'step1', '--trace-out', join(dir, 'file', 't.json')], 2],
    [['simulate', 'specs/bench/fault-vs-munmap.mmspec', '-s', 'buggy_k2', '--seed', '1', '--runs', '20', '--json'], 3],
  ];
  for (const [args, code] of cases) {
    const [worker, inline] = await both(args);
    assert.equal(worker!.code, code, `${args.join(' ')}: ${worker!.err}`);
    assert.deepEqual(inline, worker, args.join(' '));
    if (args[1] === warned)
      assert.equal(worker!.err.match(/warning\[MM202\]: unused local 'old'/g)?.length, 1, worker!.err);
  }
});
