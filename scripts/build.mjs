// Builds dist/ (tsc, then the CLI bundle) unless the last build by this script is newer than
// every input, so `npm test` and `npm run lint` after `npm ci` (whose `prepare` built
// everything) do not type-check the whole project again: tsc's own incremental check of an
// unchanged project still took 8 s of CPU. Plain JavaScript, because it runs before anything
// is compiled.
//
//   node scripts/build.mjs          build if stale
//   node scripts/build.mjs --force  build
//
// The stamp (dist/.build-stamp) is written only after tsc and the bundle both succeeded, so a
// type error is reported again on the next run. Inputs: the .ts files under the folders
// tsconfig.json includes, tsconfig.json and package-lock.json. A bare `tsc` afterwards
// rewrites dist/src, which makes the bundle older than the modules: that too counts as stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-stamp';
const FOLDERS = ['src', 'test', 'bench', 'scripts'];
const FILES = ['tsconfig.json', 'package-lock.json'];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of a .ts file under `dir`, or of a folder (a file deleted or renamed). */
function newestTs(dir) {
  let newest = mtime(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, mtime(path));
  }
  return newest;
}

function fresh() {
  const built = mtime(STAMP);
  if (built < 0 || mtime('dist/bundle/mmcheck.js') < mtime('dist/src/cli/bin.js')) return false;
  const inputs = Math.max(...FILES.map(mtime), ...FOLDERS.map((d) => (mtime(d) < 0 ? -1 : newestTs(d))));
  return inputs < built;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * Deletes dist's compiled files whose source is gone (dist/X/a.js, .js.map, .d.ts of a deleted
 * X/a.ts): tsc never deletes an output, and a stale test would still run and fail.
 */
function pruneOrphans(dist, src) {
  if (!existsSync(dist)) return;
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    const out = join(dist, e.name);
    if (e.isDirectory()) {
      if (existsSync(join(src, e.name))) pruneOrphans(out, join(src, e.name));
      else rmSync(out, { recursive: true, force: true });
      continue;
    }
    const m = /^(.*)\.(?:js|js\.map|d\.ts)$/.exec(e.name);
    if (m && !existsSync(join(src, `${m[1]}.ts`))) rmSync(out, { force: true });
  }
}

if (process.argv.includes('--force') || !fresh()) {
  const started = Date.now();
  run(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.json',
    '--incremental',
    '--tsBuildInfoFile',
    'dist/.tsbuildinfo',
  ]);
  for (const folder of FOLDERS) pruneOrphans(join('dist', folder), folder);
  run(process.execPath, ['dist/scripts/bundle.js']);
  // The stamp takes the time the build started: a file saved during the build is newer.
  writeFileSync(STAMP, '');
  utimesSync(STAMP, new Date(started), new Date(started));
}
