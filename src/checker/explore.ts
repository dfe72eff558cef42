// The one entry point for every explorer mode: fills option defaults and dispatches.
// Each mode lives in its own file and takes the completed ExploreOptions.
import type { TransitionSystem } from '../model/system.js';
import { exploreAuto } from './auto.js';
import { exploreDpor } from './dpor/search.js';
import { DEFAULT_OPTIONS, type ExploreOptions, type ExploreResult } from './result.js';
import { exploreBfs } from './search/bfs.js';
import { exploreDfs } from './search/dfs.js';
import { exploreRandom } from './search/random.js';

export async function explore(sys: TransitionSystem, options: Partial<ExploreOptions>): Promise<ExploreResult> {
  const opts = withDefaults(options);
  switch (opts.mode) {
    case 'auto':
      return exploreAuto(sys, opts);
    case 'bfs':
      return exploreBfs(sys, opts);
    case 'dfs':
      return exploreDfs(sys, opts);
    case 'dpor':
      return exploreDpor(sys, opts);
    case 'random':
      return exploreRandom(sys, opts);
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
