// Bundles the compiled CLI (dist/src) into dist/bundle/ with esbuild: one ES module per entry
// point plus shared chunks, so that `mmcheck` starts by loading a handful of files instead of
// ~170 (node's ES module loader, not our code, took most of the start-up: `mmcheck --version`
// spent ~250 ms of CPU resolving and linking modules). Packages in node_modules stay
// external, and dynamic imports stay separate chunks (the language server's library loads
// only for `mmcheck lsp`).
//
// Entry points keep their base names, and all land in one folder, so `new URL('./x.js',
// import.meta.url)` in any chunk names the right worker: explore-worker.js and
// check-worker.js (src/cli), worker.js and dpor-worker.js (src/checker/parallel).
//
// bin/mmcheck.js runs the bundle only when it is newer than dist/src/cli/bin.js (tsc rewrites
// every output file on each build), so a `tsc` without this step falls back to the
// unbundled modules instead of running stale code.
// Run from the repository root after tsc: node dist/scripts/bundle.js
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const ENTRIES = {
  mmcheck: 'dist/src/cli/bin.js',
  'explore-worker': 'dist/src/cli/explore-worker.js',
  'explore-prewarm': 'dist/src/cli/explore-prewarm.js',
  'check-worker': 'dist/src/cli/check-worker.js',
  worker: 'dist/src/checker/parallel/worker.js',
  'code-cache': 'dist/src/cli/code-cache.js',
  'explore-worker-cached': 'dist/src/cli/explore-worker-cached.js',
  'dpor-worker': 'dist/src/checker/parallel/dpor-worker.js',
};

/**
 * The CommonJS twins bin/mmcheck.js runs through V8's code cache (src/cli/code-cache.ts): one
 * file each, `import.meta.url` read from the loader's `__mmcheckUrl` parameter (the URL of the
 * ES entry of the same name, so worker URLs resolve beside it), chalk bundled in (an ES-only
 * package cannot be required on node 20), the other packages required from node_modules.
 */
const CJS_ENTRIES = { mmcheck: ENTRIES.mmcheck, 'explore-worker': ENTRIES['explore-worker'] };
const CJS_EXTERNAL = [
  'commander',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageserver-textdocument',
];

const OUT = 'dist/bundle';

rmSync(OUT, { recursive: true, force: true });
// Caches of the bundle just replaced would be refused (their source hash differs): drop them.
rmSync('dist/.code-cache', { recursive: true, force: true });
const result = await build({
  entryPoints: ENTRIES,
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
if (result.errors.length > 0) process.exit(1);
const cjs = await build({
  entryPoints: CJS_ENTRIES,
  outdir: `${OUT}/cjs`,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: CJS_EXTERNAL,
  define: { 'import.meta.url': '__mmcheckUrl' },
  logLevel: 'warning',
});
if (cjs.errors.length > 0) process.exit(1);
// esbuild escapes non-ASCII characters in code (its default charset) but keeps comments as
// written; a comment's `→` makes the whole file a two-byte string for V8 and costs the code
// cache's loader a UTF-8 decode on every start. Only comments hold them, so they become `?`.
// (esbuild leaves a regular expression literal's characters as written: write one in src/
// escaped, `\u00b5`, as report/text-fit.ts does; test/cli/bundle.test.ts runs the bundle.)
for (const name of Object.keys(CJS_ENTRIES)) {
  const file = `${OUT}/cjs/${name}.cjs`;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[\u0080-\uffff]/g, '?'));
}

// The code caches are written by the first run that finds none, which pays for it: compiling
// every function from source and serialising them (the seed twin's buggy_k5, ~0.1 s of CPU
// more than a run with the caches: 0.65 s against ~0.5 s in the first quiet run after a
// build). So the build makes that run: explore's two caches (the CLI's and its worker's) then
// hold what a BFS to a counterexample, its minimisation and its rendering compile. Its output
// and exit code (1: the violation) do not matter; a failure only leaves the caches unwritten.
if (process.env.MMCHECK_CODE_CACHE !== '0')
  spawnSync(
    process.execPath,
    ['bin/mmcheck.js', 'explore', 'specs/bench/fault-vs-munmap.mmspec', '--scenario', 'buggy_k5', '--no-save'],
    { stdio: 'ignore' },
  );
