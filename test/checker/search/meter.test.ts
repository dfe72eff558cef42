// One SearchMeter for every mode: a bound that stops the search is worded the same whatever
// the mode, and the stats it keeps are the mode's result.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../../src/checker/explore.js';
import type { ExploreOptions, Mode } from '../../../src/checker/result.js';
import { ToyCounter } from '../../support/toy-counter.js';

const MODES: Mode[] = ['bfs', 'dfs', 'dpor', 'random'];

async function detail(mode: Mode, o: Partial<ExploreOptions>): Promise<string> {
  const r = await explore(new ToyCounter({ threads: 2 }), { mode, ...o });
  assert.equal(r.mode, mode);
  assert.equal(r.verdict.kind, 'incomplete', `${mode}: ${r.verdict.kind}`);
  return r.verdict.kind === 'incomplete' ? r.verdict.detail : '';
}

// Random walks cut at maxDepth are walks like any other: random reports its sample instead.
test('meter: every exhaustive mode words a depth cut the same way', async () => {
  for (const mode of MODES.filter((m) => m !== 'random')) {
    assert.match(
      await detail(mode, { maxDepth: 2 }),
      /^reached --max-depth 2: explored [\d,]+ states? to depth 2; [\d,]+ states? at depth 2 not expanded/,
      mode,
    );
  }
});

test('meter: every mode words an interrupt and a state bound the same way', async () => {
  for (const mode of MODES) {
    assert.match(await detail(mode, { shouldStop: () => true }), /^interrupted: explored [\d,]+ states? to depth \d+/);
    assert.match(
      await detail(mode, { maxStates: 3 }),
      /^stopped at --max-states 3: explored [\d,]+ states? to depth \d+/,
      mode,
    );
  }
});

test('meter: dpor reports its variant beside the mode', async () => {
  const r = await explore(new ToyCounter({ threads: 2 }), { mode: 'dpor', por: 'source' });
  assert.deepEqual([r.mode, r.por, r.verdict.kind], ['dpor', 'source', 'pass']);
  assert.ok(r.stats.seconds >= 0 && r.stats.peakMemoryBytes > 0);
});
