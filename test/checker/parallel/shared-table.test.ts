// The parallel BFS's shared table (shared-table.ts) on its own: inserts, lookups, and a table
// with every slot taken, which must give up rather than probe forever (two threads' inserts
// not yet counted can fill a small table within a round; the search then ends incomplete).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overLoaded, SharedTable } from '../../../src/checker/parallel/shared-table.js';

test('shared table: inserts once, finds what it holds, keeps the least value', () => {
  const t = new SharedTable(SharedTable.allocate(16));
  assert.equal(t.insert(5, 7, 2, 40), true);
  const slot = t.slot;
  assert.equal(t.insert(5, 7, 2, 30), false);
  assert.equal(t.slot, slot);
  assert.equal(t.found, 2);
  assert.equal(t.lower(slot, 30), true);
  assert.equal(t.lower(slot, 35), false);
  assert.equal(t.value(slot), 30);
  assert.equal(t.find(5, 7), slot);
  assert.equal(t.find(6, 7), -1);
});

test('shared table: every slot taken, an insert of a new fingerprint gives slot -1 and find gives -1', () => {
  const t = new SharedTable(SharedTable.allocate(16));
  for (let i = 1; i <= 16; i++) assert.equal(t.insert(i, i * 977, 0, 0), true, `insert ${i}`);
  assert.equal(t.insert(99, 99, 0, 0), false);
  assert.equal(t.slot, -1);
  assert.equal(t.find(99, 99), -1);
  // What it holds is still found.
  for (let i = 1; i <= 16; i++) assert.ok(t.find(i, i * 977) >= 0, `find ${i}`);
});

test('shared table: grows at 3/4 full from 2^16 slots, at half full below', () => {
  assert.equal(overLoaded(8, 16), false);
  assert.equal(overLoaded(9, 16), true);
  assert.equal(overLoaded(49_152, 1 << 16), false);
  assert.equal(overLoaded(49_153, 1 << 16), true);
});
