// The one entry point for every explorer mode: fills option defaults and dispatches.
// Each mode lives in its own file and takes the completed ExploreOptions.
import type { TransitionSystem } from '../model/system.js';
import { exploreAuto } from './auto.js';
import { explorePartition } from './distrib/partition.js';
import { searchBfs, searchDpor } from './parallel/search.js';
import { DEFAULT_OPTIONS, type ExploreOptions, type ExploreResult, emptyStats } from './result.js';
import { exploreBfs } from './search/bfs.js';
import { exploreDfs } from './search/dfs.js';
import { exploreRandom } from './search/random.js';
import { exploreSimulate } from './search/simulate.js';

export async function explore(sys: TransitionSystem, options: Partial<ExploreOptions>): Promise<ExploreResult> {
  const opts = withDefaults(options);
  try {
    return await exploreMode(sys, opts);
  } catch (e) {
    // Memory ran out before the meter saw it (one allocation larger than what is left): a
    // bound, reported as incomplete, never a crash nor a pass.
    if (!(e instanceof RangeError) || !OUT_OF_MEMORY.test(e.message)) throw e;
    const stats = emptyStats();
    stats.peakMemoryBytes = process.memoryUsage.rss();
    const detail = `ran out of memory (${e.message}); bound the search with --max-memory or --max-states`;
    return {
      verdict: { kind: 'incomplete', bound: 'max-memory', detail },
      stats,
      mode: opts.mode === 'auto' ? 'bfs' : opts.mode,
    };
  }
}

/** The messages of a RangeError that is an allocation failing, not a bug. */
const OUT_OF_MEMORY = /Array buffer allocation failed|Invalid typed array length|Invalid array length/;

function exploreMode(sys: TransitionSystem, opts: ExploreOptions): Promise<ExploreResult> | ExploreResult {
  if (opts.partition !== undefined) {
    // A partitioned run is a BFS split at a frontier (distrib/partition.ts); the CLI refuses other modes.
    if (opts.mode !== 'auto' && opts.mode !== 'bfs')
      throw new Error(`[mmcheck internal bug] --partition with --mode ${opts.mode}`);
    return explorePartition(sys, opts, opts.partition.k, opts.partition.n);
  }
  // A bitstate search is a BFS over a bit array (search/bitstate.ts); the CLI refuses other modes.
  if (opts.bitstate > 0 && (opts.mode === 'auto' || opts.mode === 'bfs')) return exploreBfs(sys, opts);
  switch (opts.mode) {
    case 'auto':
      return exploreAuto(sys, opts);
    case 'bfs':
      return searchBfs(sys, opts);
    case 'dfs':
      return exploreDfs(sys, opts);
    case 'dpor':
      return searchDpor(sys, opts);
    case 'random':
      return exploreRandom(sys, opts);
    case 'simulate':
      return exploreSimulate(sys, opts);
    default: {
      const never: never = opts.mode;
      throw new Error(`[mmcheck internal bug] unknown explore mode ${String(never)}`);
    }
  }
}

/** DEFAULT_OPTIONS overridden by every option that is present (an undefined value is absent). */
export function withDefaults(options: { [K in keyof ExploreOptions]?: ExploreOptions[K] | undefined }): ExploreOptions {
  const opts: ExploreOptions = { ...DEFAULT_OPTIONS };
  for (const key of Object.keys(options) as (keyof ExploreOptions)[]) {
    if (options[key] !== undefined) Object.assign(opts, { [key]: options[key] });
  }
  return opts;
}
