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
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const ENTRIES = {
  mmcheck: 'dist/src/cli/bin.js',
  'explore-worker': 'dist/src/cli/explore-worker.js',
  'explore-prewarm': 'dist/src/cli/explore-prewarm.js',
  'check-worker': 'dist/src/cli/check-worker.js',
  worker: 'dist/src/checker/parallel/worker.js',
  'dpor-worker': 'dist/src/checker/parallel/dpor-worker.js',
};

const OUT = 'dist/bundle';

rmSync(OUT, { recursive: true, force: true });
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
