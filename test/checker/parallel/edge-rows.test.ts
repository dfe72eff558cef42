// The parallel BFS's edge logs (one per thread, rows in the order each thread expanded its
// sources) merged into source order: the same rows as the graph's edges listed by source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MergedRows, RowLog } from '../../../src/checker/parallel/edge-rows.js';
import { EdgeList } from '../../support/edge-list.js';
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
      const one = new EdgeList(targets.flatMap((ts, v) => ts.map((t) => [v, t] as const)));
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

test('merged rows across chunk boundaries: 100,000 sources, 200,000 edges, runs of 997 sources on 3 threads', () => {
  const states = 100_000;
  const pairs: [number, number][] = [];
  const logs = [new RowLog(), new RowLog(), new RowLog()];
  for (let v = 0; v < states; v++) {
    const log = logs[Math.floor(v / 997) % 3]!;
    log.row(v);
    // 0 to 4 edges per source, 2 on average: runs and chunks end anywhere in a row.
    for (let k = 0; k < v % 5; k++) {
      pairs.push([v, (v * 7 + k) % states]);
      log.add((v * 7 + k) % states);
    }
  }
  const merged = new MergedRows(logs.map((l) => l.take())).rows(states);
  const expected = new EdgeList(pairs).rows(states);
  assert.deepEqual(merged.first, expected.first);
  assert.equal(expected.first[states], 200_000);
  for (let e = 0; e < expected.first[states]!; e++)
    if (merged.next[e >>> 16]![e & 0xffff] !== expected.next[e >>> 16]![e & 0xffff]) assert.fail(`edge ${e}`);
});

test('exit bits: a source any thread marked has its exit, across chunks; no other source has one', () => {
  const logs = [new RowLog(), new RowLog()];
  const marked = [0, 7, 8, 524_287, 524_288, 1_000_003];
  for (const [i, v] of marked.entries()) logs[i % 2]!.exit(v);
  const merged = new MergedRows(logs.map((l) => l.take()));
  for (const v of marked) assert.equal(merged.hasExit(v), true, `source ${v}`);
  for (const v of [1, 6, 9, 524_286, 524_289, 1_000_002, 2_000_000])
    assert.equal(merged.hasExit(v), false, `source ${v}`);
});
