// V8's code cache for the bundled CLI: node 20 compiles every ES module from source on every
// start, and compiles each function again the first time it runs (lazily); node 22's
// module.enableCompileCache does not exist here. A classic script, though, can be given the
// bytes V8 serialised after an earlier run (vm.Script cachedData), bytecode of every function
// that run compiled included. So scripts/bundle.ts also writes a CommonJS twin of the entries
// `explore` runs (dist/bundle/cjs/), and bin/mmcheck.js loads the twin through loadCached when
// the bundle is current. Measured on the seed twin (docs/performance.md): the first
// counterexample of buggy_k5 with ~0.15 s less CPU on a busy machine.
//
// The cache can only make a run faster, never break one: a cache file is used when its header
// names the script's exact source (SHA-1) and its payload's SHA-1 matches (release builds of
// V8 do not checksum a code cache), and V8 itself refuses one made by another version or with
// other flags. Anything else (missing, stale, corrupt, unreadable) runs the script without it,
// and at exit writes a fresh one: atomically (a temporary file renamed), into dist/.code-cache
// beside the code it caches (whoever may change that code may change the cache; a shared
// temporary directory would let another user plant bytecode), silently skipped when that
// folder is not writable.
//
// This module imports nothing of mmcheck's: it is loaded before the rest.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

/** Header: magic, the source's SHA-1, the payload's SHA-1 (hex), a newline; then the payload. */
const MAGIC = 'MMCC1 ';
const HEADER_BYTES = MAGIC.length + 40 + 1 + 40 + 1;

const sha1 = (data: string | Uint8Array): string => createHash('sha1').update(data).digest('hex');

/** What a cache file may hold for a source: the payload, or null (missing, stale or corrupt). */
export function readCache(path: string, sourceHash: string): Buffer | null {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return null;
  }
  if (file.length <= HEADER_BYTES) return null;
  const header = file.subarray(0, HEADER_BYTES).toString('latin1');
  const payload = file.subarray(HEADER_BYTES);
  const ok =
    header.startsWith(MAGIC) &&
    header.slice(MAGIC.length, MAGIC.length + 40) === sourceHash &&
    header.slice(MAGIC.length + 41, MAGIC.length + 81) === sha1(payload);
  return ok ? payload : null;
}

/** Writes a cache file atomically; false (and nothing left behind) when it cannot. */
export function writeCache(path: string, sourceHash: string, payload: Uint8Array): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${sourceHash} ${sha1(payload)}\n`, 'latin1'), payload]));
    renameSync(tmp, path);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // no folder, so no temporary file either
    }
    return false;
  }
}

// The caches this thread still has to write (misses), for saveCodeCaches: on globalThis, since
// the ES bundle's copy of this module loads a twin that holds a copy of its own.
const PENDING = Symbol.for('mmcheck.codeCachePending');
const slot = globalThis as { [PENDING]?: (() => void)[] };
slot[PENDING] ??= [];
const pending: (() => void)[] = slot[PENDING];

/**
 * Writes now the caches this thread would write at its exit. The explore worker calls it
 * before it reports its result: the main thread then exits without waiting for the worker to
 * wind down (explore-thread.ts), and a worker stopped that way runs no exit hook.
 */
export function saveCodeCaches(): void {
  for (const save of pending.splice(0)) save();
}

/** How loadCached ran a script: its exports, and whether a usable cache was there (`hit`). */
export interface CachedLoad {
  exports: Record<string, unknown>;
  hit: boolean;
  /** Writes the cache now (what the exit hook does after a miss); false if it could not. */
  save: () => boolean;
}

/**
 * Runs the CommonJS file `file` (a URL) as node would, through a code cache kept in
 * `cacheDir` under `name`: `import.meta.url` in its code reads as `metaUrl` (the bundle
 * maps it to a parameter, scripts/bundle.ts). Without a usable cache, one is written when the
 * thread exits, holding every function the run compiled.
 */
export function loadCached(file: URL, metaUrl: URL, name: string, cacheDir: URL): CachedLoad {
  const path = fileURLToPath(file);
  // Hashed as bytes, and decoded as latin1 when ASCII (scripts/bundle.ts makes it so): a
  // string with one non-ASCII character is a two-byte string, slower to decode, hash and parse.
  const bytes = readFileSync(path);
  const sourceHash = sha1(bytes);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cachePath = join(fileURLToPath(cacheDir), `${name}-${process.version}-${process.arch}.bin`);
  const cachedData = readCache(cachePath, sourceHash) ?? undefined;
  const wrapper = `(function (exports, require, module, __filename, __dirname, __mmcheckUrl) {${source}\n})`;
  const script = new Script(wrapper, {
    filename: path,
    ...(cachedData === undefined ? {} : { cachedData }),
    // The twins hold no import() (esbuild turns the lazy ones into requires); the loader is
    // named anyway where node has it, so that one added later would still resolve.
    ...(constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === undefined
      ? {}
      : { importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }),
  });
  const hit = cachedData !== undefined && !script.cachedDataRejected;
  const save = (): boolean => {
    try {
      return writeCache(cachePath, sourceHash, script.createCachedData());
    } catch {
      return false; // a cache is an optimisation: never a reason for a run to fail
    }
  };
  if (!hit) {
    let saved = false;
    const once = (): void => {
      if (!saved) saved = save();
    };
    process.once('exit', once);
    pending.push(once);
  }
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(path), module, path, dirname(path), metaUrl.href);
  return { exports: module.exports, hit, save };
}
