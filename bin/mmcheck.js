#!/usr/bin/env node
import { statSync } from 'node:fs';

// MMCHECK_PHASES: where the start-up's time goes (src/io/phases.ts, docs/performance.md).
const mark = (n) => {
  if (!process.env.MMCHECK_PHASES) return;
  const cpu = process.cpuUsage();
  process.stderr.write(
    `[phase] ${(process.uptime() * 1000).toFixed(1)} cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ${n}\n`,
  );
};
mark('bin start');

// The bundle (scripts/bundle.ts) starts faster; it is used only when it is newer than the
// compiled modules, so a `tsc` without the bundle step never runs stale code.
const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const built = mtime('../dist/src/cli/bin.js');
const bundled = mtime('../dist/bundle/mmcheck.js') >= built;
// The bundle's CommonJS twins run through V8's code cache (src/cli/code-cache.ts), by the
// same rule: only when current. MMCHECK_CODE_CACHE=0 turns that off (the ES bundle runs).
const cached = bundled && process.env.MMCHECK_CODE_CACHE !== '0' && mtime('../dist/bundle/cjs/mmcheck.cjs') >= built;
// `explore` and `simulate` search on a worker thread (src/cli/explore-thread.ts) that loads
// mmcheck as the main thread does: started here, before the main thread's own load, the two
// loads overlap on two cores and the worker waits for its job (src/cli/explore-prewarm.ts).
// Only with no node flags: a worker refuses some (V8's), and startWorker knows which.
if ((process.argv[2] === 'explore' || process.argv[2] === 'simulate') && process.execArgv.length === 0) {
  try {
    const at = bundled ? '../dist/bundle/explore-prewarm.js' : '../dist/src/cli/explore-prewarm.js';
    (await import(at)).prewarm(
      cached ? new URL('../dist/bundle/explore-worker-cached.js', import.meta.url) : undefined,
    );
  } catch {
    // A build without it: the explore thread starts its worker the usual way.
  }
}
mark('prewarm started');
const { internalBug, main } =
  (cached && (await loadCachedCli())) ||
  (await import(bundled ? '../dist/bundle/mmcheck.js' : '../dist/src/cli/bin.js'));
mark('main loaded');

// `mmcheck explore … | head` closes the pipe early: not an error, but not a pass either. If
// the command had finished, its exit code stands; otherwise the run was cut short, and a cut
// run is incomplete (3), never 0: under `set -o pipefail` a 0 here read as "every scenario
// passed" for a search that had not even ended.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 3);
  throw e;
});
// Anything main() did not catch is a bug of mmcheck's: exit 70, never 1 (a violation).
const err = { err: (s) => process.stderr.write(`${s}\n`) };
process.on('uncaughtException', (e) => {
  process.exit(internalBug(e, process.argv, err));
});
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = internalBug(e, process.argv, err);
  },
);

/** The CLI from the CommonJS twin through the code cache, one cache per command; null if it cannot load. */
async function loadCachedCli() {
  try {
    const { loadCached } = await import('../dist/bundle/code-cache.js');
    // One cache per command (what a run compiles depends on it); anything else shares one.
    const commands = ['check', 'explore', 'export', 'lsp', 'merge', 'replay', 'show', 'simulate'];
    const command = commands.includes(process.argv[2]) ? process.argv[2] : 'other';
    const at = (rel) => new URL(rel, import.meta.url);
    const cli = loadCached(
      at('../dist/bundle/cjs/mmcheck.cjs'),
      at('../dist/bundle/mmcheck.js'),
      `mmcheck-${command}`,
      at('../dist/.code-cache/'),
    );
    return cli.exports;
  } catch {
    return null;
  }
}
