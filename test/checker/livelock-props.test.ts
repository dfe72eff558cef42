// BFS's livelock rule (a reachable bottom SCC with a cycle is a deadlock, search/livelock.ts)
// against DPOR's spin parking (dpor/spin-parking.ts), on random programs with spins: both
// search for a deadlock (the expected-kind wrapper) and must agree on whether one exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explore } from '../../src/checker/explore.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { propertyRuns } from '../support/fc-global.js';
import { spinSpec } from '../support/random-spec.js';

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
  const runs = 150;
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
    { numRuns: propertyRuns(runs) },
  );
  assert.ok(skipped <= runs / 10, `${skipped} of ${runs} runs hit a bound`);
  assert.ok(deadlocks >= runs / 10 && passes >= runs / 10, `${deadlocks} deadlocks, ${passes} passes`);
});
