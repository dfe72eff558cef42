// Placeholder so explore.ts compiles until the DPOR explorer lands; its author replaces
// this whole file. The signature is the agreed one.
import type { TransitionSystem } from '../model/system.js';
import type { ExploreOptions, ExploreResult } from './result.js';

export function exploreDpor(sys: TransitionSystem, opts: ExploreOptions): ExploreResult {
  void sys;
  void opts;
  throw new Error('[mmcheck internal bug] dpor mode is not implemented yet (src/checker/dpor.ts is a placeholder)');
}
