// The worker bin/mmcheck.js starts ahead for `explore` (src/cli/explore-prewarm.ts): taken
// once by the explore thread, which posts it the job; the run is the same as with a worker
// started the usual way; unused, it does not hold the process; dead, it is not taken.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { prewarm, takePrewarmed } from '../../src/cli/explore-prewarm.js';
import { main } from '../../src/cli/main.js';

const ROOT_URL = new URL('../../../dist/', import.meta.url);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');

async function explore(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const argv = ['node', 'mmcheck', 'explore', SPEC, '--no-save', '--width', '200', ...args];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('explore takes the prewarmed worker, and its run is the usual one', async () => {
  const usual = await explore('--scenario', 'buggy_k2');
  prewarm();
  const warm = await explore('--scenario', 'buggy_k2');
  assert.equal(takePrewarmed(), null, 'explore took the waiting worker');
  assert.equal(warm.code, 1);
  // Same verdict, counts and minimised trace; only the seconds differ.
  const timeless = (s: string) =>
    s
      .replace(/[\d.]+ s\b/g, 'T s')
      .replace(/[\d,]+ states\/s/g, 'R states/s')
      .replace(/peak [\d.]+ MiB/, 'peak M MiB');
  assert.equal(timeless(warm.out), timeless(usual.out));
  assert.match(warm.out, /scenario buggy_k2: violation\(use_after_free\)/);
});

test('a usage error after a prewarm leaves the worker waiting, and takePrewarmed gives it once', async () => {
  prewarm();
  const r = await explore('--mode', 'nonsense');
  assert.equal(r.code, 2);
  const w = takePrewarmed();
  assert.notEqual(w, null);
  assert.equal(takePrewarmed(), null);
  await w?.terminate();
});

test('a prewarmed worker that failed to start is not taken: explore starts another', async () => {
  prewarm(new URL('./no-such-worker.js', import.meta.url));
  // Its 'error' event: waited for (a fixed 0.5 s was too short on a loaded machine).
  const slot = (globalThis as { [k: symbol]: { gone: boolean } })[Symbol.for('mmcheck.explorePrewarm')]!;
  for (let i = 0; i < 400 && !slot.gone; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(slot.gone, 'the worker that cannot load never reported its failure');
  assert.equal(takePrewarmed(), null);
  const r = await explore('--scenario', 'fixed_k1');
  assert.equal(r.code, 0);
  assert.match(r.out, /scenario fixed_k1: pass/);
});

test('bin: explore --bogus and explore --help exit at once, the waiting worker unused', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/mmcheck.js'), ...args], { encoding: 'utf8', timeout: 20_000 });
  const bogus = run(['explore', '--bogus']);
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /unknown option '--bogus'/);
  const help = run(['explore', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: mmcheck explore/);
  const found = run(['explore', SPEC, '--scenario', 'buggy_k1', '--no-save']);
  assert.equal(found.status, 1);
  assert.match(found.stdout, /scenario buggy_k1: violation\(use_after_free\)/);
});

// bin/mmcheck.js prewarms through the ES bundle's copy of explore-prewarm and the CLI, run
// from the CommonJS twin (code-cache.ts), takes through its own copy: one waiting worker per
// thread, whichever copy started it.
test('a worker prewarmed through one copy of the module is taken through another', async () => {
  const other = (await import(new URL('bundle/explore-prewarm.js', ROOT_URL).href)) as {
    takePrewarmed: typeof takePrewarmed;
  };
  prewarm();
  const w = other.takePrewarmed();
  assert.notEqual(w, null);
  assert.equal(takePrewarmed(), null);
  await w?.terminate();
});
