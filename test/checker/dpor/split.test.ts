// The split DPOR search (docs/distributed.md) against the one-task search and the
// unreduced enumeration, on random .mmspec programs split at tiny hand-over points
// (test/support/split-oracle.ts). A longer run: MMCHECK_SPLIT_CASES=2000, or
// `node dist/test/support/split-oracle.js [cases] [seed]` with all four policies.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { propertyRuns } from '../../support/fc-global.js';
import { compareSplit, emptySplitCounts, POLICIES, runSplitOracle } from '../../support/split-oracle.js';

const CASES = Number(process.env.MMCHECK_SPLIT_CASES ?? propertyRuns(150));

test(`dpor split: random programs — the one-task search's verdicts, terminal states, violation kinds and traces (${CASES} programs)`, () => {
  const c = runSplitOracle(CASES, undefined, [POLICIES[0]!, POLICIES[2]!]);
  // The property must keep splitting: most runs hand over, with several tasks each.
  assert.ok(c.oracle >= CASES / 2 && c.violating >= CASES / 10, JSON.stringify(c));
  assert.ok(c.splitRuns >= CASES && c.tasks >= 3 * c.splitRuns, JSON.stringify(c));
  // Overlap, never a gap: at least the one-task search's executions.
  assert.ok(c.executions >= c.sequentialExecutions, JSON.stringify(c));
});

test('dpor split: a branch handed over before the races of its left sibling extended it (regression)', () => {
  // Handing thread 1's branch at the root over while thread 0's branch is explored lost the
  // wakeup sequences thread 0's races later add below it (the premature_free here), until
  // insertions into a foreign branch were claimed and explored by the worker that made them.
  const counts = emptySplitCounts();
  compareSplit(readFileSync('test/fixtures/dpor-split-claim.mmspec', 'utf8'), counts);
  assert.deepEqual([counts.oracle, counts.violating], [1, 1]);
  assert.ok(counts.splitRuns >= 4, JSON.stringify(counts));
});
