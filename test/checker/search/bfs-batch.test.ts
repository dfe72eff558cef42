// BFS makes up to BATCH successors before it looks them up (search/bfs-batch.ts). What it
// records must be what a search that looks each one up as it is made records: here a
// plain reference BFS (states as strings in a Set, same move order) against exploreBfs on
// the seed twin, stopped by every max-states bound in a range, and run to its violation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OPTIONS } from '../../../src/checker/result.js';
import { exploreBfs } from '../../../src/checker/search/bfs.js';
import { buildSystem, compileFile } from '../../../src/model/compile.js';
import { NO_REDUCTIONS } from '../../../src/model/reductions.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../../src/model/system.js';

const TWIN = 'specs/bench/fault-vs-munmap.mmspec';

function twin(scenario: string): TransitionSystem {
  const r = compileFile(TWIN);
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join('\n'));
  return buildSystem(r.spec, r.spec.scenarios.find((s) => s.name === scenario)!, { reduce: NO_REDUCTIONS });
}

/** Reference BFS, one lookup per successor as it is made: how it ends, with its counts. */
function reference(sys: TransitionSystem, maxStates: number): [string, number, number] {
  const init = sys.initial();
  if (!('state' in init)) return ['violation', 0, 0];
  const seen = new Set<string>([init.state.join()]);
  const queue: Int32Array[] = [init.state];
  const next = new Int32Array(sys.stateWords);
  let transitions = 0;
  for (let head = 0; head < queue.length; head++) {
    const cur = queue[head]!;
    for (let t = 0; t < sys.threadCount; t++) {
      const n = sys.choices(cur, t);
      for (let c = 0; c < n; c++) {
        transitions++;
        if (sys.step(cur, t, c, next, Footprint.NONE) === STEP_VIOLATION) return ['violation', seen.size, transitions];
        const key = next.join();
        if (seen.has(key)) continue;
        if (seen.size >= maxStates) return ['max-states', seen.size, transitions];
        seen.add(key);
        queue.push(next.slice());
      }
    }
  }
  return ['pass', seen.size, transitions];
}

function batched(sys: TransitionSystem, maxStates: number): [string, number, number] {
  const r = exploreBfs(sys, { ...DEFAULT_OPTIONS, mode: 'bfs', reduce: NO_REDUCTIONS, maxStates, livelock: false });
  const v = r.verdict;
  const how = v.kind === 'incomplete' ? v.bound : v.kind;
  return [how, r.stats.states, r.stats.transitions];
}

test('bfs batches: every max-states bound stops at the same state and transition counts as one lookup per successor', () => {
  const sys = twin('fixed_k2');
  for (let max = 1; max <= 400; max += 7) assert.deepEqual(batched(sys, max), reference(sys, max), `max ${max}`);
  assert.deepEqual(batched(sys, 1e9), ['pass', 3190, reference(sys, 1e9)[2]]);
});

test('bfs batches: a violating move comes after the moves made before it, with the same counts', () => {
  const sys = twin('buggy_k2');
  const want = reference(sys, 1e9);
  assert.equal(want[0], 'violation');
  assert.deepEqual(batched(sys, 1e9), want);
  // A bound inside the batch that holds the violating move: the bound wins, as one by one.
  for (let max = want[1] - 3; max <= want[1]; max++) assert.deepEqual(batched(sys, max), reference(sys, max));
});
