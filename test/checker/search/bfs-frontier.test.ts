import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StateQueue } from '../../../src/checker/search/bfs-frontier.js';

/** Word values around the packed form's edges (a signed byte) and far from them. */
const word = fc.oneof(fc.integer({ min: -130, max: 130 }), fc.constantFrom(-(2 ** 31), 2 ** 31 - 1, 255, 256, -256));

test('queue: states come out in FIFO order, word for word, packed or not, across chunks', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean()), { maxLength: 3000 }),
      fc.array(word, { minLength: 40, maxLength: 40 }),
      (w, ops, wide) => {
        const queue = new StateQueue(w);
        const model: { state: Int32Array; index: number }[] = [];
        let serial = 0;
        for (const [push, index, big] of ops) {
          if (push || model.length === 0) {
            // Every state differs from the last (serial), and some have a word past a byte.
            const state = Int32Array.from({ length: w }, (_, i) => (big ? wide[i]! : (serial + i) % 200) - 100);
            state[0] = serial++ % 120;
            queue.push(state, index);
            model.push({ state, index });
          } else {
            const want = model.shift()!;
            assert.equal(queue.shift(), want.index);
            assert.deepEqual(queue.front, want.state);
          }
          assert.equal(queue.length, model.length);
        }
        while (model.length > 0) {
          const want = model.shift()!;
          assert.equal(queue.shift(), want.index);
          assert.deepEqual(queue.front, want.state);
        }
      },
    ),
  );
});

test('queue: a state of byte-sized words takes a quarter of the memory of one that is not', () => {
  const w = 136;
  const small = new StateQueue(w);
  const large = new StateQueue(w);
  const state = new Int32Array(w).fill(-128);
  for (let i = 0; i < 100_000; i++) small.push(state, i);
  state[w - 1] = 128;
  for (let i = 0; i < 100_000; i++) large.push(state, i);
  // 1 + 34 words a packed state, 1 + 136 a full one (whole chunks of 1 MiB at most).
  assert.ok(small.bytes < 4 * 36 * 100_000 + (1 << 20), `${small.bytes}`);
  assert.ok(large.bytes >= 4 * 137 * 100_000, `${large.bytes}`);
  assert.equal(small.shift(), 0);
  assert.equal(small.front[w - 1], -128);
  assert.equal(large.shift(), 0);
  assert.equal(large.front[w - 1], 128);
});
