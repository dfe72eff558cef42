// The bundled CLI (scripts/bundle.ts, dist/bundle/) and bin/mmcheck.js's choice between it
// and the compiled modules: the bundle runs when it is current, a stale or missing bundle
// falls back to dist/src (never stale code), the bundle's workers start (explore --workers,
// check --jobs), and the version the CLI prints is package.json's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerUrl } from '../../src/cli/worker-url.js';
import { VERSION } from '../../src/io/version.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');

const mmcheck = (bin: string, args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

test('VERSION is package.json version, and --version prints it', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
  assert.equal(mmcheck(join(ROOT, 'bin/mmcheck.js'), ['--version']).stdout.trim(), VERSION);
});

test('bin runs the bundle when it is current, the compiled modules when it is stale or missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-bundle-'));
  try {
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist/src'), join(dir, 'dist/src'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    // A stand-in bundle that says it ran: which one bin picked is then plain to see.
    mkdirSync(join(dir, 'dist/bundle'));
    writeFileSync(
      join(dir, 'dist/bundle/mmcheck.js'),
      "export const main = async () => { console.log('bundle'); return 0; };\nexport const internalBug = () => 70;\n",
    );
    const bin = join(dir, 'bin/mmcheck.js');
    assert.equal(mmcheck(bin, ['--version']).stdout.trim(), 'bundle');
    // A tsc after the bundle step: bin.js is newer than the bundle, so the modules run.
    const later = new Date(statSync(join(dir, 'dist/bundle/mmcheck.js')).mtimeMs + 60_000);
    utimesSync(join(dir, 'dist/src/cli/bin.js'), later, later);
    assert.equal(mmcheck(bin, ['--version']).stdout.trim(), VERSION);
    rmSync(join(dir, 'dist/bundle'), { recursive: true });
    assert.equal(mmcheck(bin, ['--version']).stdout.trim(), VERSION);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle is current after the build, and its workers run: explore --workers 2, check --jobs 2', () => {
  const bundle = statSync(join(ROOT, 'dist/bundle/mmcheck.js'), { throwIfNoEntry: false });
  assert.ok(bundle !== undefined, 'dist/bundle/mmcheck.js is missing: the build (npm test) makes it');
  assert.ok(
    bundle.mtimeMs >= statSync(join(ROOT, 'dist/src/cli/bin.js')).mtimeMs,
    'dist/bundle is older than dist/src',
  );
  const bin = join(ROOT, 'bin/mmcheck.js');
  const explore = mmcheck(bin, ['explore', SPEC, '--scenario', 'fixed_k2', '--workers', '2']);
  assert.equal(explore.status, 0, explore.stderr);
  assert.match(explore.stdout, /scenario fixed_k2: pass \(expected pass\) ok\n {2}3,190 states, 7,932 transitions/);
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-bundle-check-'));
  try {
    cpSync(join(ROOT, 'specs/tutorial.mmspec'), join(dir, 'tutorial.mmspec'));
    // --traces: by default check also replays the repository's traces/ (62 traces, 10 s of
    // CPU), which committed-traces.test.ts replays already.
    const check = mmcheck(bin, ['check', dir, '--jobs', '2', '--traces', join(dir, 'traces')]);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /scenarios: \d+ as expected, 0 not/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('in process, explore and check start their workers from the bundle when it is current, else beside the caller', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-worker-url-'));
  try {
    mkdirSync(join(dir, 'dist/src/cli'), { recursive: true });
    mkdirSync(join(dir, 'dist/bundle'));
    const url = (rel: string): string => pathToFileURL(join(dir, rel)).href;
    const here = url('dist/src/cli/worker-url.js');
    writeFileSync(join(dir, 'dist/src/cli/bin.js'), '');
    writeFileSync(join(dir, 'dist/bundle/explore-worker.js'), '');
    const bin = statSync(join(dir, 'dist/src/cli/bin.js')).mtimeMs;
    const at = (rel: string, ms: number): void => utimesSync(join(dir, rel), new Date(ms), new Date(ms));
    at('dist/bundle/explore-worker.js', bin + 60_000);
    assert.equal(workerUrl('explore-worker.js', here).href, url('dist/bundle/explore-worker.js'));
    // A tsc after the bundle step (bin.js newer): the compiled module beside.
    at('dist/src/cli/bin.js', bin + 120_000);
    assert.equal(workerUrl('explore-worker.js', here).href, url('dist/src/cli/explore-worker.js'));
    // No bundle: beside.
    assert.equal(workerUrl('check-worker.js', here).href, url('dist/src/cli/check-worker.js'));
    // Running from the bundle: the bundle's entry, beside the chunk.
    assert.equal(workerUrl('check-worker.js', url('dist/bundle/chunk-X.js')).href, url('dist/bundle/check-worker.js'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
