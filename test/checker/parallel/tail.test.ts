// The shared tail of a level (tail.ts): a thread shares the blocks of its last units, at
// least half the states it holds, pinned to the level's end, and each shared state
// reads back from them as the state it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DROPPED, Records } from '../../../src/checker/parallel/records.js';
import { SharedTable } from '../../../src/checker/parallel/shared-table.js';
import { Superseded } from '../../../src/checker/parallel/superseded.js';
import { markTail, shareTail, tailStateAt } from '../../../src/checker/parallel/tail.js';
import { UNIT } from '../../../src/checker/parallel/units.js';

test('shared tail: the last units of a thread, half of its states or more, read back in place', () => {
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
  const { blocks, pairs } = shareTail(records, units, 0, size);
  assert.ok(blocks !== null);
  const sharedUnits = pairs.length / 2;
  assert.ok(sharedUnits >= 1 && sharedUnits < 10);
  const first = units.slice();
  const shared = markTail(units, [pairs]);
  assert.equal(shared.length, sharedUnits);
  let states = 0;
  for (const u of shared) {
    assert.equal(units[u], -1, 'held by the tail of thread 0');
    assert.equal(blocks[units[u + 1]!], records.blockAt(first[u + 1]!).buffer, 'its block, shared');
    assert.deepEqual([...units.subarray(u + 2, u + 5)], [...first.subarray(u + 2, u + 5)], 'its words and position');
    const next = u + UNIT < units.length ? units[u + UNIT + 4]! : size;
    states += next - units[u + 4]!;
  }
  assert.ok(states * 2 >= size, `${states} of ${size} states shared`);
  const tail = { blocks: [blocks], units: shared };
  for (const u of shared) {
    const next = u + UNIT < units.length ? units[u + UNIT + 4]! : size;
    for (let pos = units[u + 4]!; pos < next; pos++)
      assert.deepEqual(
        tailStateAt(tail, units, u, pos, records),
        new Int32Array(W).fill(kept[pos]!),
        `position ${pos}`,
      );
  }
});

test('shared tail: a pinned block is not spare before the level is over, when this thread is done with its own units in it', () => {
  const records = new Records(2);
  for (let u = 0; u < 4; u++) records.add(u, u + 1, 0, u, 0, new Int32Array([u, u]));
  const block = records.blockAt(0);
  const units = new Int32Array(new SharedArrayBuffer(2 * UNIT * 4));
  const half = records.next(block, records.next(block, 0));
  units.set([0, 0, 0, half, 0, 0, 0, half, records.next(block, records.next(block, half)), 2]);
  // The second unit goes to the tail: its block is pinned, the first unit stays this thread's.
  records.pin(0);
  units[UNIT] = -1;
  records.rotate();
  records.expecting(units, 0);
  records.unitDone(0, false);
  // A block spare now would be the next one written: the next level's first record lands there.
  records.add(0, 9, 9, 0, 0, new Int32Array([7, 7]));
  assert.notEqual(records.blockAt(0)[0], 9, "the tail's block was not written over");
  records.rotate();
  records.expecting(new Int32Array(0), 0);
  records.add(0, 8, 8, 0, 0, new Int32Array([6, 6]));
  assert.ok(records.blockAt(0)[0] === 8 || records.blockAt(1)[0] === 8, 'spare again once its level is over');
});
