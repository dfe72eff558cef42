// Stored-state search throughput: BFS and DFS over a toy model with 5,268,909 states.
//
// Measured on the 2-vCPU dev VM (node 20.20, other jobs running; wall time varies +-20%):
//   bfs  4.4-6.1 s, 0.86-1.20 M states/s; dfs 4.5-5.3 s, ~1.0 M states/s; 12.7 store bytes/state
//   (2^23 slots at load 0.63); BFS peak RSS ~285 MiB, of which 64 MiB fingerprints, 64 MiB
//   parent links, the rest the frontier (15-word states) and node itself. Since the bucketed
//   store (fingerprint-store.ts): 12.9 bytes/state (1.06 M buckets of 8 at load 0.62); the
//   chunked queue and parent tree (bfs-frontier.ts) no longer double. Timings since then were
//   taken on a machine loaded 4x over and are in docs/performance.md, not here.
//
// Where the time went before that: `node --no-turbo-inlining --cpu-prof` (inlining off so self time
// lands on the right function; plain --cpu-prof shows the same split folded into exploreBfs):
//   30%  FingerprintStore.add: the probe is a cache miss in a 64 MiB table, one per
//        transition (17.3 M), unavoidable with random fingerprints; linear probing keeps the
//        rest of the chain in the same line.
//   31%  hashing: xxhash-wasm's h64Raw wrapper (memory-size check, copy into wasm memory,
//        bigint mask) 21%, the wasm xxh64 itself 7%, our bigint split 4%. Wrapper overhead,
//        not hashing, dominates for 60-byte states.
//   13%  the toy model's step and choices (the model's cost, not the explorer's).
//    7%  StateQueue push/shift: copying states through the frontier (then a ring).
//    7%  exploreBfs's own loop; 3% FingerprintStore.grow (rehash at each doubling);
//    2%  ParentTree.add; 2% GC (the one bigint per hash).
import { pathToFileURL } from 'node:url';
import { DEFAULT_OPTIONS, type ExploreResult } from '../src/checker/result.js';
import { exploreBfs } from '../src/checker/search/bfs.js';
import { exploreDfs } from '../src/checker/search/dfs.js';
import type { TransitionSystem } from '../src/model/system.js';
import { ToyCounter } from '../test/support/toy-counter.js';

export interface StoredStateBench {
  name: string;
  states: number;
  seconds: number;
  statesPerSecond: number;
  /** Fingerprint-store bytes per distinct state (BFS keeps 8 more per state for parents). */
  bytesPerState: number;
}

/** 6 threads x 2 non-atomic increments over 3 counters: 5,268,909 states, 17,325,330 transitions. */
function benchModel(): TransitionSystem {
  return new ToyCounter({ threads: 6, rounds: 2, counters: 3 });
}

export async function benchStoredState(
  modes: readonly ('bfs' | 'dfs')[] = ['bfs', 'dfs'],
): Promise<StoredStateBench[]> {
  const rows: StoredStateBench[] = [];
  for (const mode of modes) {
    const explore = mode === 'bfs' ? exploreBfs : exploreDfs;
    const r: ExploreResult = explore(benchModel(), { ...DEFAULT_OPTIONS, mode });
    if (r.verdict.kind !== 'pass') throw new Error(`bench ${mode}: expected a pass, got ${JSON.stringify(r.verdict)}`);
    const s = r.stats;
    rows.push({
      name: `${mode} toy-counter 6x2/3`,
      states: s.states,
      seconds: Math.round(s.seconds * 100) / 100,
      statesPerSecond: s.statesPerSecond,
      bytesPerState: Math.round((s.storedBytes / s.states) * 10) / 10,
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const modes = process.argv.slice(2).filter((m): m is 'bfs' | 'dfs' => m === 'bfs' || m === 'dfs');
  console.table(await benchStoredState(modes.length > 0 ? modes : undefined));
}
