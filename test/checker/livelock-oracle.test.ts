// The livelock check over candidates only (search/candidates.ts: states whose every step may
// lie on a cycle, identified by fingerprint) against the plain rule on the whole graph
// (support/livelock-oracle.ts: every state indexed, every edge kept, bottom components by
// reachability), on random programs with loops, unreduced and under symmetry: same verdict,
// same counterexample (path, loop, message), same state and transition counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explore } from '../../src/checker/explore.js';
import { CandidateGraph, CandidateLog } from '../../src/checker/search/candidates.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS } from '../../src/model/reductions.js';
import { propertyRuns } from '../support/fc-global.js';
import { livelockOracle } from '../support/livelock-oracle.js';
import { loopSpec } from '../support/random-spec.js';

/** The oracle's reachability is quadratic: larger graphs are skipped (and counted). */
const ORACLE_STATES = 3_000;

test('livelock: BFS over candidates agrees with the whole-graph rule (verdict, trace, counts; plain and by symmetry)', async () => {
  const seen = { livelock: 0, pass: 0, violation: 0, skipped: 0 };
  await fc.assert(
    fc.asyncProperty(loopSpec, fc.boolean(), async (s, symmetry) => {
      const c = compileText(s.text, 'spin.mmspec');
      if (!c.ok) assert.fail(`generated spec does not compile:\n${s.text}`);
      const reduce = symmetry ? DEFAULT_REDUCTIONS : NO_REDUCTIONS;
      const sys = buildSystem(c.spec, c.spec.scenarios[0]!, { reduce });
      const want = livelockOracle(sys, symmetry, ORACLE_STATES);
      if (want === null) {
        seen.skipped++;
        return;
      }
      seen[want.kind]++;
      const r = await explore(sys, { mode: 'bfs', reduce, maxDepth: 10_000, maxStates: 1_000_000 });
      const v = r.verdict;
      const where = `on:\n${s.text}`;
      if (want.kind === 'violation') {
        assert.equal(v.kind, 'violation', where);
        assert.equal(
          v.kind === 'violation' ? v.loop : -1,
          undefined,
          `a livelock where another violation comes first ${where}`,
        );
        return;
      }
      assert.equal(r.stats.states, want.states, where);
      assert.equal(r.stats.transitions, want.transitions, where);
      if (want.kind === 'pass') {
        assert.equal(v.kind, 'pass', where);
        return;
      }
      assert.equal(v.kind, 'violation', where);
      if (v.kind !== 'violation') return;
      assert.deepEqual(v.violation, want.violation, where);
      assert.deepEqual(v.schedule, want.schedule, where);
      assert.equal(v.loop, want.loop, where);
    }),
    { numRuns: propertyRuns(200) },
  );
  assert.ok(
    seen.livelock >= 20 && seen.pass >= 10 && seen.skipped <= 20,
    `${JSON.stringify(seen)}: the property tests little`,
  );
});

test('livelock: the candidates graph numbers distinct candidates, makes exits of the others, keeps a repeated row once', () => {
  const log = new CandidateLog();
  // Fingerprints (k, -k) for state k. Rows: 3 -> {5, 7}, 5 -> {3}, 7 -> {9} (9 is no candidate), 3 again.
  const fp = (k: number): [number, number] => [k, -k];
  const add = (index: number, k: number, targets: number[]): void => {
    log.open();
    for (const t of targets) log.target(...fp(t));
    assert.equal(log.candidate, true);
    log.close(index, ...fp(k));
  };
  add(30, 3, [5, 7]);
  add(50, 5, [3]);
  log.open();
  log.target(...fp(3));
  log.exit(); // an acyclic step: no row
  assert.equal(log.candidate, false);
  log.open();
  assert.equal(log.candidate, false); // no step: no row
  add(70, 7, [9]);
  add(30, 3, [5, 7]);
  assert.equal(log.rows, 4);
  const g = new CandidateGraph([log.data()]);
  assert.equal(g.nodes, 3);
  assert.deepEqual([...g.order], [30, 50, 70]);
  assert.deepEqual(
    [3, 5, 7, 9].map((k) => g.nodeOf(...fp(k))),
    [0, 1, 2, -1],
  );
  assert.deepEqual(
    [0, 1, 2].map((v) => g.hasExit(v)),
    [false, false, true],
  );
  // {3, 5} reaches 7, which has an exit: no bottom cycle. Without 7's exit (7 -> 7) there is one.
  assert.equal(g.bottomLoop(), null);
  const looped = new CandidateLog();
  looped.row(90, ...fp(7), Int32Array.from([...fp(7)]), 0, 2);
  looped.row(30, ...fp(3), Int32Array.from([...fp(5)]), 0, 2);
  looped.row(50, ...fp(5), Int32Array.from([...fp(3)]), 0, 2);
  const two = new CandidateGraph([looped.data()]).bottomLoop();
  // Two bottom cycles, {7} (node 0, index 90) and {3, 5} (nodes 1, 2, least index 30): the
  // one of least index, named by its node.
  assert.equal(two?.state, 1);
});
