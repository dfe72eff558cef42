// The explore worker as bin/mmcheck.js starts it ahead from the bundle (explore-prewarm.ts):
// the CommonJS twin of explore-worker.js, run through V8's code cache (code-cache.ts). Only
// meaningful in dist/bundle/, beside cjs/ (scripts/bundle.ts); bin/mmcheck.js starts it only
// when that twin is current, and if it fails to start, explore starts explore-worker.js.
import { loadCached } from './code-cache.js';

loadCached(
  new URL('./cjs/explore-worker.cjs', import.meta.url),
  new URL('./explore-worker.js', import.meta.url),
  'explore-worker',
  new URL('../.code-cache/', import.meta.url),
);
