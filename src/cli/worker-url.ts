// Where a worker thread of the CLI (explore's, check's) starts. Running from the compiled
// modules (dist/src/cli: the tests import main() from there), a worker started beside the
// caller loads ~170 modules, ~0.2 s of CPU, most of what an explore or check of a small spec
// costs in process; the bundle's entry of the same name (scripts/bundle.ts) loads a handful,
// ~0.1 s. So when the bundle is current by bin/mmcheck.js's rule (at least as new as
// dist/src/cli/bin.js: a bare `tsc` makes it stale, and then the modules beside run), its
// entry is used. Running from the bundle, the worker is the bundle's entry beside the caller.
import { statSync } from 'node:fs';

function mtime(url: URL): number {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

/** The URL of worker entry `file`; `here` is this module's URL (another in tests). */
export function workerUrl(file: 'explore-worker.js' | 'check-worker.js', here = import.meta.url): URL {
  const beside = new URL(`./${file}`, here);
  if (!/\/dist\/src\/cli\/[^/]+\.js$/.test(here)) return beside;
  const bundled = new URL(`../../bundle/${file}`, here);
  const built = mtime(new URL('./bin.js', here));
  return built >= 0 && mtime(bundled) >= built ? bundled : beside;
}
