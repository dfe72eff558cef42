import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore, withDefaults } from '../../../src/checker/explore.js';
import { DEFAULT_OPTIONS, type ExploreOptions, type ExploreResult } from '../../../src/checker/result.js';
import { exploreRandom } from '../../../src/checker/search/random.js';
import type { TransitionSystem } from '../../../src/model/system.js';
import { replay, ToyCounter, ToyLocks } from '../../support/toy-counter.js';

const random = (sys: TransitionSystem, o: Partial<ExploreOptions> = {}): ExploreResult =>
  exploreRandom(sys, { ...DEFAULT_OPTIONS, mode: 'random', ...o });

test('random: finds the lost update, and the schedule replays to it', () => {
  const sys = new ToyCounter({ threads: 2, check: 'final' });
  const r = random(sys, { seed: 3 });
  assert.equal(r.verdict.kind, 'violation');
  if (r.verdict.kind !== 'violation') return;
  assert.equal(r.verdict.violation.kind, 'final');
  assert.equal(sys.terminal(replay(sys, r.verdict.schedule).state)?.kind, 'final');
});

test('random: the same seed walks the same schedules', () => {
  const sys = new ToyLocks({ ordered: false });
  const a = random(sys, { seed: 42 });
  const b = random(sys, { seed: 42 });
  assert.equal(a.verdict.kind, 'violation');
  assert.deepEqual(a.verdict, b.verdict);
});

test('random: without a violation the verdict is incomplete, never pass', () => {
  const r = random(new ToyCounter({ threads: 2 }), { executions: 500 });
  assert.equal(r.verdict.kind === 'incomplete' && r.verdict.bound, 'executions');
  assert.equal(r.stats.executions, 500);
  assert.equal(r.stats.transitions, 500 * 4);
  assert.match(r.verdict.kind === 'incomplete' ? r.verdict.detail : '', /sampled 500 random executions \(seed 1\)/);
  const cut = random(new ToyCounter({ threads: 2 }), { executions: 10, maxDepth: 3 });
  assert.match(cut.verdict.kind === 'incomplete' ? cut.verdict.detail : '', /10 stopped at --max-depth 3/);
  const stopped = random(new ToyCounter({ threads: 2 }), { shouldStop: () => true });
  assert.equal(stopped.verdict.kind === 'incomplete' && stopped.verdict.bound, 'interrupted');
});

test('explore: fills defaults and dispatches on mode', async () => {
  const sys = new ToyCounter({ threads: 2 });
  for (const mode of ['bfs', 'dfs'] as const) {
    const r = await explore(sys, { mode });
    assert.equal(r.mode, mode);
    assert.equal(r.verdict.kind, 'pass');
    assert.equal(r.stats.states, 13);
  }
  assert.equal((await explore(sys, { mode: 'random', executions: 3 })).stats.executions, 3);
  const opts = withDefaults({ mode: 'bfs', maxDepth: undefined });
  assert.equal(opts.maxDepth, DEFAULT_OPTIONS.maxDepth);
  assert.equal(opts.mode, 'bfs');
});
