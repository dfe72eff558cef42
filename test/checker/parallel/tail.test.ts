// The shared tail of a level (tail.ts): a thread copies the states of its last units, at
// least an eighth of those it holds, and each shared state reads back as the state it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DROPPED, Records, Superseded, UNIT } from '../../../src/checker/parallel/records.js';
import { SharedTable } from '../../../src/checker/parallel/shared-table.js';
import { markTail, shareTail, tailStateAt } from '../../../src/checker/parallel/tail.js';

test('shared tail: the last units of a thread, an eighth of its states or more, read back in place', () => {
  const W = 3;
  const table = new SharedTable(SharedTable.allocate(1 << 10));
  const records = new Records(W);
  // 10 parent units of 4 new states each (ids 4u..4u+3); every third record is then dropped.
  for (let u = 0; u < 10; u++)
    for (let j = 0; j < 4; j++) {
      const id = 4 * u + j;
      table.insert(id + 1, 9, 1, id);
      records.add(u, id + 1, 9, id, 0, new Int32Array(W).fill(id));
    }
  // Another thread's lower replaces every third record's value (not this record's position).
  const replaced: number[] = [];
  for (let id = 0; id < 40; id += 3)
    if (table.lower(table.find(id + 1, 9), -5)) replaced.push(id + 1, 9, table.replaced);
  assert.equal(replaced.length, 3 * 14);
  const segments = records.filter(new Superseded(replaced), 100);
  const units = new Int32Array(new SharedArrayBuffer((segments.length / 5) * UNIT * 4));
  let size = 0;
  for (let i = 0, u = 0; i < segments.length; i += 5, u += UNIT) {
    units.set([0, segments[i + 1]!, segments[i + 2]!, segments[i + 3]!, size], u);
    size += segments[i + 4]!;
  }
  const kept: number[] = [];
  for (let id = 0; id < 40; id++) if (id % 3 !== 0) kept.push(id);
  assert.equal(size, kept.length);
  const r = records.blockAt(units[1]!);
  assert.equal(r[2 + 5 * 0], DROPPED, 'state 0 was dropped');
  const { buffer, pairs } = shareTail(records, units, 0, size);
  assert.ok(buffer !== null);
  const sharedUnits = pairs.length / 2;
  assert.ok(sharedUnits >= 1 && sharedUnits < 10);
  const shared = markTail(units, size, [pairs]);
  assert.equal(shared.length, sharedUnits);
  let states = 0;
  for (const u of shared) {
    assert.equal(units[u], -1, 'held by the tail of thread 0');
    states += units[u + 3]!;
  }
  assert.ok(states * 8 >= size, `${states} of ${size} states shared`);
  const tail = { buffers: [buffer], units: shared };
  for (const u of shared)
    for (let pos = units[u + 4]!; pos < units[u + 4]! + units[u + 3]!; pos++)
      assert.deepEqual(tailStateAt(tail, units, u, pos, W), new Int32Array(W).fill(kept[pos]!), `position ${pos}`);
});
