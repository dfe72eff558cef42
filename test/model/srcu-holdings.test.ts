// The readers' "loaded in this section" history (ADR 002) is forgotten while a deferred free
// waits for the reader (ADR 004). Pinned on the seed twin with its pte page made
// srcu-protected: the fixed variant still passes, in fewer states than the history cost before
// (K=2: 4,010; K=3: 78,850), and the buggy one still frees under a reader.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { NO_REDUCTIONS } from '../../src/model/reductions.js';

const TWIN = 'specs/bench/fault-vs-munmap.mmspec';

/** BFS cutting every violation: the kinds reachable, or the states of a passing search. */
async function protectedTwin(scenario: string): Promise<{ verdict: string; kinds?: string[]; states?: number }> {
  const text = readFileSync(TWIN, 'utf8').replace('struct pte_page {', 'struct pte_page srcu_protected(mm_srcu) {');
  const c = compileText(text, TWIN);
  if (!c.ok) assert.fail(`${TWIN} with a protected pte page does not compile`);
  const sys = buildSystem(c.spec, c.spec.scenarios.find((s) => s.name === scenario)!, { reduce: NO_REDUCTIONS });
  const collect = new TargetSystem(sys, null);
  const r = await explore(collect, { mode: 'bfs' });
  assert.equal(r.verdict.kind, 'pass', 'every violation is cut; the search completes');
  const kinds = [...collect.cutKinds].sort();
  return kinds.length > 0 ? { verdict: 'violation', kinds } : { verdict: 'pass', states: r.stats.states };
}

test('srcu holdings: the protected seed twin — fixed passes in fewer states, buggy frees under a reader', async () => {
  assert.deepEqual(await protectedTwin('fixed_k2'), { verdict: 'pass', states: 3380 });
  assert.deepEqual(await protectedTwin('fixed_k3'), { verdict: 'pass', states: 48868 });
  assert.deepEqual(await protectedTwin('buggy_k2'), {
    verdict: 'violation',
    kinds: ['premature_free', 'use_after_free'],
  });
});
