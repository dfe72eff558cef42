// The parallel BFS's edge logs (one per thread, rows in the order each thread expanded its
// sources) merged into source order: the same rows as one EdgeLog fed by the one-thread BFS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MergedRows, RowLog } from '../../../src/checker/parallel/edge-rows.js';
import { EdgeLog } from '../../../src/checker/search/livelock.js';
import { propertyRuns } from '../../support/fc-global.js';

/** Row v of `rows` as a list. */
function row(rows: { first: Int32Array; next: Int32Array[] }, v: number): number[] {
  const out: number[] = [];
  for (let e = rows.first[v]!; e < rows.first[v + 1]!; e++) out.push(rows.next[e >>> 16]![e & 0xffff]!);
  return out;
}

test('property: threads claiming runs of sources in any order merge into the one-thread rows', () => {
  const graph = fc.array(fc.array(fc.nat(40), { maxLength: 5 }), { minLength: 1, maxLength: 40 });
  const claims = fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.nat(2)), { minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(graph, claims, (targets, runs) => {
      const states = targets.length;
      const one = new EdgeLog(true);
      for (let v = 0; v < states; v++) for (const t of targets[v]!) one.add(v, t);
      // Sources in order, cut into runs each claimed by one of three threads.
      const logs = [new RowLog(), new RowLog(), new RowLog()];
      let v = 0;
      for (let i = 0; v < states; i++) {
        const [length, thread] = runs[i % runs.length]!;
        for (const end = Math.min(states, v + length); v < end; v++) {
          const log = logs[thread]!;
          log.row(v);
          // A target unknown when met is set later, as pending edges are.
          for (const t of targets[v]!) log.set(log.add(-1), t);
        }
      }
      const merged = new MergedRows(logs.map((l) => l.take())).rows(states);
      const expected = one.rows(states);
      for (let s = 0; s < states; s++) assert.deepEqual(row(merged, s), row(expected, s));
      assert.equal(merged.first[states], expected.first[states]);
    }),
    { numRuns: propertyRuns(100) },
  );
});
