// V8's code cache for the bundled CLI (src/cli/code-cache.ts): a script runs the same with a
// cache, without one, and with a stale, corrupt, refused or unwritable one; a miss writes a
// cache the next load uses. And bin/mmcheck.js's explore prints the same through the cached
// CommonJS twins as through the ES bundle, however the cache folder is damaged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCached, readCache, writeCache } from '../../src/cli/code-cache.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A folder with a CommonJS script (what the bundle's twins look like) and a cache folder. */
function scratch(): { dir: string; script: URL; meta: URL; cache: URL; write: (body: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-code-cache-'));
  const file = join(dir, 'entry.cjs');
  return {
    dir,
    script: pathToFileURL(file),
    meta: pathToFileURL(join(dir, 'entry.js')),
    cache: pathToFileURL(join(dir, 'cache/')),
    write: (body) => writeFileSync(file, body),
  };
}

const BODY = `exports.sum = (a, b) => a + b;
exports.url = __mmcheckUrl;
exports.base = require('node:path').basename(__filename);
exports.square = function square(x) { return x * x; };
`;

test('code cache: a miss runs the script and saves a cache; the next load hits and runs the same', () => {
  const s = scratch();
  try {
    s.write(BODY);
    const first = loadCached(s.script, s.meta, 'entry', s.cache);
    assert.equal(first.hit, false);
    assert.equal((first.exports.sum as (a: number, b: number) => number)(2, 3), 5);
    assert.equal(first.exports.url, s.meta.href);
    assert.equal(first.exports.base, 'entry.cjs');
    assert.equal((first.exports.square as (x: number) => number)(7), 49); // compiled: in the cache
    assert.equal(first.save(), true);
    const files = readdirSync(fileURLToPath(s.cache));
    assert.deepEqual(files, [`entry-${process.version}-${process.arch}.bin`]); // no temporary left
    const second = loadCached(s.script, s.meta, 'entry', s.cache);
    assert.equal(second.hit, true);
    assert.equal((second.exports.sum as (a: number, b: number) => number)(20, 22), 42);
    assert.equal((second.exports.square as (x: number) => number)(9), 81);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('code cache: a stale, corrupt, truncated or refused cache is not used, and the script runs the same', () => {
  const s = scratch();
  try {
    s.write(BODY);
    const first = loadCached(s.script, s.meta, 'entry', s.cache);
    first.save();
    const path = join(fileURLToPath(s.cache), `entry-${process.version}-${process.arch}.bin`);
    const good = readFileSync(path);
    const check = (why: string): void => {
      const r = loadCached(s.script, s.meta, 'entry', s.cache);
      assert.equal(r.hit, false, why);
      assert.equal((r.exports.sum as (a: number, b: number) => number)(1, 1), 2, why);
    };
    // The source changed (same length: V8's own check would not see it; the header's hash does).
    s.write(BODY.replace('a + b', 'b + a'));
    check('stale');
    s.write(BODY);
    assert.equal(loadCached(s.script, s.meta, 'entry', s.cache).hit, true);
    // One payload byte flipped: the payload hash no longer matches.
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10]! ^= 0xff;
    writeFileSync(path, flipped);
    check('corrupt');
    writeFileSync(path, good.subarray(0, 50));
    check('truncated');
    writeFileSync(path, 'not a cache at all');
    check('garbage');
    // A well-formed file whose payload V8 made for another script: V8 refuses it. (A source
    // not compiled before in this process: V8 would take its own in-memory copy instead.)
    const fresh = `${BODY}// not compiled before\n`;
    s.write(fresh);
    const sourceHash = createHash('sha1').update(fresh).digest('hex');
    assert.equal(writeCache(path, sourceHash, good.subarray(88)), true);
    assert.notEqual(readCache(path, sourceHash), null);
    check('refused by V8');
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('code cache: an unwritable cache folder only means no cache (writeCache false, nothing left); readCache of nothing is null', () => {
  const s = scratch();
  try {
    writeFileSync(join(s.dir, 'file'), 'x');
    assert.equal(writeCache(join(s.dir, 'file', 'sub', 'c.bin'), 'a'.repeat(40), new Uint8Array([1, 2, 3])), false);
    assert.equal(readCache(join(s.dir, 'missing.bin'), 'a'.repeat(40)), null);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

// bin/mmcheck.js from a copy of the build: the first explore writes both caches (the CLI's and
// the worker's: the worker's before it reports, since the process exits without waiting for
// that thread to end, explore-thread.ts), the next one uses them, a damaged cache folder is rewritten, and every run
// prints what the ES bundle prints (MMCHECK_CODE_CACHE=0).
test('bin: explore prints the same with the code cache, without it, and with damaged caches', () => {
  assert.ok(existsSync(join(ROOT, 'dist/bundle/cjs/mmcheck.cjs')), 'the build (npm test) makes dist/bundle/cjs');
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-code-cache-bin-'));
  try {
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist/bundle'), join(dir, 'dist/bundle'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const spec = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');
    const run = (env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [join(dir, 'bin/mmcheck.js'), 'explore', spec, '-s', 'buggy_k2'], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ...env },
      });
      assert.equal(r.status, 1, r.stderr);
      return r.stdout
        .replace(/[\d.]+ s\b/g, 'T s')
        .replace(/[\d,]+ states\/s/g, 'R')
        .replace(/peak [\d.]+\s+MiB/, 'P');
    };
    const plain = run({ MMCHECK_CODE_CACHE: '0' });
    const cacheDir = join(dir, 'dist/.code-cache');
    assert.equal(existsSync(cacheDir), false);
    assert.match(plain, /scenario buggy_k2: violation\(use_after_free\)/);
    assert.equal(run(), plain);
    const names = readdirSync(cacheDir).sort();
    assert.deepEqual(names, [
      `explore-worker-${process.version}-${process.arch}.bin`,
      `mmcheck-explore-${process.version}-${process.arch}.bin`,
    ]);
    assert.equal(run(), plain);
    for (const n of names) writeFileSync(join(cacheDir, n), 'damaged');
    assert.equal(run(), plain);
    for (const n of names) assert.equal(readFileSync(join(cacheDir, n)).subarray(0, 6).toString(), 'MMCC1 ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
