// BFS's livelock rule (a reachable bottom SCC with a cycle is a deadlock, search/livelock.ts)
// against DPOR's spin parking (dpor/spin-parking.ts), on random programs with spins: both
// search for a deadlock (the expected-kind wrapper) and must agree on whether one exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explore } from '../../src/checker/explore.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { WrappedSystem } from '../../src/checker/systems/wrapped.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS } from '../../src/model/reductions.js';
import type { TransitionSystem } from '../../src/model/system.js';
import { propertyRuns } from '../support/fc-global.js';
import { loopSpec, spinSpec } from '../support/random-spec.js';

const LIMIT = { maxDepth: 200, maxStates: 200_000 };

async function deadlockBy(text: string, mode: 'bfs' | 'dfs' | 'dpor'): Promise<string> {
  const c = compileText(text, 'spin.mmspec');
  if (!c.ok)
    assert.fail(`generated spec does not compile:\n${c.diagnostics.map((d) => d.message).join('\n')}\n${text}`);
  const sys = new TargetSystem(buildSystem(c.spec, c.spec.scenarios[0]!), 'deadlock');
  const r = await explore(sys, { ...LIMIT, mode });
  return r.verdict.kind;
}

test('livelock: BFS, DFS and DPOR agree on deadlock-vs-pass on random programs with spins', async () => {
  const runs = propertyRuns(150);
  let deadlocks = 0;
  let passes = 0;
  let skipped = 0;
  await fc.assert(
    fc.asyncProperty(spinSpec, async (s) => {
      const bfs = await deadlockBy(s.text, 'bfs');
      if (bfs === 'incomplete') {
        skipped++;
        return;
      }
      if (bfs === 'violation') deadlocks++;
      else passes++;
      assert.equal(await deadlockBy(s.text, 'dfs'), bfs, `dfs disagrees with bfs on:\n${s.text}`);
      const dpor = await deadlockBy(s.text, 'dpor');
      if (dpor === 'incomplete') skipped++;
      else assert.equal(dpor, bfs, `dpor disagrees with bfs on:\n${s.text}`);
    }),
    { numRuns: runs },
  );
  assert.ok(skipped <= runs / 10, `${skipped} of ${runs} runs hit a bound`);
  assert.ok(deadlocks >= runs / 10 && passes >= runs / 10, `${deadlocks} deadlocks, ${passes} passes`);
});

/** The system with its cycle filter off: the livelock check logs every edge (search/livelock.ts). */
class EveryEdge extends WrappedSystem {
  override mayCycle(): boolean {
    return true;
  }
}

// The edge filter (model/cycles.ts) drops edges that lie on no cycle and keeps a bit for their
// sources: the bottom components, hence the livelock found and its trace, must not change.
test('livelock: the cycle filter changes no verdict, no trace and no count (BFS and DFS, plain and by symmetry)', async () => {
  let livelocks = 0;
  let bounded = 0;
  await fc.assert(
    fc.asyncProperty(loopSpec, fc.constantFrom<'bfs' | 'dfs'>('bfs', 'dfs'), async (s, mode) => {
      const c = compileText(s.text, 'spin.mmspec');
      if (!c.ok) assert.fail(`generated spec does not compile:\n${s.text}`);
      const run = (sys: TransitionSystem) => explore(sys, { ...LIMIT, mode });
      const sys = buildSystem(c.spec, c.spec.scenarios[0]!, { reduce: DEFAULT_REDUCTIONS });
      const filtered = await run(sys);
      const every = await run(new EveryEdge(sys));
      assert.deepEqual(filtered.verdict, every.verdict, `the filter changed the verdict on:\n${s.text}`);
      assert.equal(filtered.stats.states, every.stats.states);
      if (filtered.verdict.kind === 'violation' && filtered.verdict.violation.kind === 'deadlock') livelocks++;
      if (filtered.verdict.kind === 'incomplete') bounded++;
    }),
    { numRuns: propertyRuns(150) },
  );
  assert.ok(
    livelocks >= 15 && bounded <= 15,
    `${livelocks} livelocks, ${bounded} runs bounded: the property tests little`,
  );
});
