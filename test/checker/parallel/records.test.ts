// The parallel BFS's candidates as the next level (records.ts): two threads record the
// successors of the parent units they expanded, in any order of time; once filtered,
// handed over, merged and indexed, the units read in order are the one-thread BFS's next
// level — each new state once, from its first parent by that parent's first move to it —
// with its parents and dense indices, also when records cross from one block to the next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DROPPED, HEAD, Records } from '../../../src/checker/parallel/records.js';
import { SharedTable } from '../../../src/checker/parallel/shared-table.js';
import { Superseded } from '../../../src/checker/parallel/superseded.js';
import { balance, blockKey, mergeUnits, UNIT } from '../../../src/checker/parallel/units.js';

/** The successors of the parent at position p: state ids, some reached from several parents. */
const successors = (p: number): number[] => [(p * 7) % 50, (p * 3) % 31, 100 + p, (p * 7) % 50];

/** Checks the level made; returns the records dropped, the threads' gap in states held, and the blocks handed over. */
function check(stateWords: number, units: number, perUnit: number): { dropped: number; gap: number; moves: number } {
  const table = new SharedTable(SharedTable.allocate(1 << 12));
  const threads = [new Records(stateWords), new Records(stateWords)];
  const state = (id: number): Int32Array => new Int32Array(stateWords).fill(id);
  /** (lo, hi, position) of each value a lower replaced, as the threads report them. */
  const replaced: number[] = [];
  // Parent unit u (positions u·perUnit…) is expanded by thread u % 2, last unit first.
  for (let u = units - 1; u >= 0; u--) {
    const rec = threads[u % 2]!;
    for (let pos = u * perUnit; pos < (u + 1) * perUnit; pos++) {
      const succ = successors(pos);
      for (let move = 0; move < succ.length; move++) {
        const id = succ[move]!;
        if (table.insert(id + 1, 7, 1, pos)) rec.add(u, id + 1, 7, pos, move, state(id));
        else if (table.lower(table.slot, pos)) {
          replaced.push(id + 1, 7, table.replaced);
          rec.add(u, id + 1, 7, pos, move, state(id));
        }
      }
    }
  }
  // The one-thread BFS's next level: each state from its first parent's first move to it.
  const expected: { id: number; parent: number; move: number }[] = [];
  const seen = new Set<number>();
  for (let pos = 0; pos < units * perUnit; pos++)
    successors(pos).forEach((id, move) => {
      if (!seen.has(id)) expected.push({ id, parent: pos, move });
      seen.add(id);
    });
  const records = threads[0]!.count + threads[1]!.count;
  const superseded = new Superseded(replaced);
  const segments = threads.map((t) => t.filter(superseded, 5));
  for (const s of segments) for (let i = 0; i < s.length; i += 5) assert.ok(s[i + 4]! <= 5, 'split at 5 kept');
  // Blocks handed over as balance() says, as the coordinating thread does.
  const moves = balance(segments, [0, 1]);
  const moved = new Map<number, [number, number]>();
  for (let i = 0; i < moves.length; i += 3) {
    const [id] = threads[moves[i + 2]!]!.take(threads[moves[i]!]!.give([moves[i + 1]!]));
    moved.set(blockKey(moves[i]!, moves[i + 1]!), [moves[i + 2]!, id!]);
  }
  const merged = mergeUnits(segments, units, moved);
  assert.equal(merged.size, expected.length);
  const unitWords = new Int32Array(new SharedArrayBuffer(merged.units.length * 4));
  unitWords.set(merged.units);
  const parents = new Int32Array(2 * merged.size);
  const parentStart = 900;
  for (const [k, t] of threads.entries()) t.index(unitWords, k, parents, parentStart);
  const held = [0, 0];
  const unpacked = new Int32Array(stateWords);
  const packed = [0, 0];
  let o = 0;
  for (let u = 0; u < unitWords.length; u += UNIT) {
    assert.equal(unitWords[u + 4], o, 'a unit starts where the one before it ended');
    const holder = threads[unitWords[u]!]!;
    const r = holder.blockAt(unitWords[u + 1]!);
    for (let at = unitWords[u + 2]!; at < unitWords[u + 3]!; at = holder.next(r, at)) {
      if (r[at + 2] === DROPPED) continue;
      const want = expected[o]!;
      // Ids past 127 do not fit a byte: their states are kept in full, the others packed.
      packed[holder.next(r, at) - at === HEAD + stateWords ? 1 : 0]!++;
      holder.unpack(unitWords[u + 1]!, at, unpacked);
      assert.deepEqual(unpacked, state(want.id), `state at ${o}`);
      assert.deepEqual([parents[2 * o], parents[2 * o + 1]], [parentStart + want.parent, want.move], `parent of ${o}`);
      assert.deepEqual(holder.stateAt(unitWords, o), state(want.id));
      held[unitWords[u]!]!++;
      o++;
    }
  }
  assert.equal(o, expected.length);
  assert.ok(packed[0]! > 0 && packed[1]! > 0, `packed and full records both (${packed})`);
  return { dropped: records - merged.size, gap: Math.abs(held[0]! - held[1]!), moves: moves.length / 3 };
}

test('records: two threads, units expanded last first, give the one-thread next level (small states)', () => {
  const { dropped } = check(3, 8, 6);
  assert.ok(dropped > 0, 'a later unit recorded states an earlier one then reached first');
});

test('records: states of 4,000 words fill many blocks; blocks handed over even the threads out, and the level stays in order', () => {
  // 8 records of 4,005 words per block of 2^15 words: the threads end at most a block apart.
  const { gap, moves } = check(4000, 12, 20);
  assert.ok(moves > 0);
  assert.ok(gap <= 8, `gap ${gap}`);
});

test('balance: the fullest thread hands blocks to the emptiest while that narrows their gap', () => {
  // (unit, block, from, to, kept): thread 0 holds blocks 0..3 of 10 kept each, thread 1 none.
  const seg = (block: number, kept: number): number[] => [block, block, 0, 1, kept];
  assert.deepEqual(
    balance([[...seg(0, 10), ...seg(1, 10), ...seg(2, 10), ...seg(3, 10)], []], [0, 1]),
    [0, 0, 1, 0, 1, 1],
  );
  assert.deepEqual(
    balance([[...seg(0, 30)], [...seg(0, 1)]], [0, 1]),
    [],
    'a move that does not narrow the gap is not made',
  );
  assert.deepEqual(balance([[...seg(0, 5), ...seg(1, 2)], [], []], [0, 1, 2]), [0, 0, 1]);
});

test('Superseded: a set of 100,000 triples holds each of them and none of 100,000 others', () => {
  const triples: number[] = [];
  let x = 12345;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return x;
  };
  for (let i = 0; i < 100_000; i++) triples.push(next(), next(), i);
  const set = new Superseded(triples);
  assert.equal(set.size, 100_000);
  for (let i = 0; i < triples.length; i += 3) assert.ok(set.has(triples[i]!, triples[i + 1]!, triples[i + 2]!));
  // The same fingerprints at another position, and other fingerprints: none is in the set.
  for (let i = 0; i < triples.length; i += 3) assert.ok(!set.has(triples[i]!, triples[i + 1]!, triples[i + 2]! + 1));
  for (let i = 0; i < 100_000; i++) assert.ok(!set.has(next(), next(), i));
});
