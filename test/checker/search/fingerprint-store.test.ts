import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FingerprintStore } from '../../../src/checker/search/fingerprint-store.js';

/** Deterministic 32-bit words (mulberry32), so a failure reproduces. */
function words(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) | 0;
  };
}

test('store: 300,000 random 64-bit fingerprints, no false negatives, exact size, growth', () => {
  const store = new FingerprintStore(16);
  const next = words(7);
  const kept = new Int32Array(2 * 300_000);
  const reference = new Set<string>();
  for (let i = 0; i < kept.length; i += 2) {
    const lo = next();
    const hi = next();
    kept[i] = lo;
    kept[i + 1] = hi;
    const fresh = !reference.has(`${lo}:${hi}`);
    reference.add(`${lo}:${hi}`);
    assert.equal(store.add(lo, hi), fresh);
  }
  assert.equal(store.size, reference.size);
  for (let i = 0; i < kept.length; i += 2) {
    assert.equal(store.has(kept[i]!, kept[i + 1]!), true);
    assert.equal(store.add(kept[i]!, kept[i + 1]!), false);
  }
  assert.equal(store.size, reference.size);
  // Growth by half above 7/8 full keeps the table between 7/12 and 7/8 full.
  assert.ok(store.size <= (store.capacity * 7) / 8);
  assert.ok(store.size > (store.capacity * 7) / 12);
  assert.equal(store.storedBytes, 8 * store.capacity);
  // Fresh values are almost surely absent (2^-64 each); check a few thousand.
  let falsePositives = 0;
  for (let i = 0; i < 5000; i++) if (store.has(next(), next())) falsePositives++;
  assert.equal(falsePositives, 0);
});

// (0, 0) is stored as (1, 0), so the two count as one value here.
const key = ([lo, hi]: [number, number]): string => ((lo | hi) === 0 ? '1:0' : `${lo}:${hi}`);

test('store: any set of distinct (lo, hi) pairs is stored and found in full', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(fc.integer(), fc.integer()), { selector: key }), (pairs) => {
      const store = new FingerprintStore(16);
      for (const [lo, hi] of pairs) assert.equal(store.add(lo, hi), true);
      for (const [lo, hi] of pairs) assert.equal(store.has(lo, hi), true);
      return store.size === pairs.length;
    }),
  );
});

test('store: the reserved empty fingerprint (0, 0) is stored as (1, 0)', () => {
  const store = new FingerprintStore();
  assert.equal(store.has(0, 0), false);
  assert.equal(store.add(0, 0), true);
  assert.equal(store.has(0, 0), true);
  assert.equal(store.add(1, 0), false); // the documented alias
  assert.equal(store.size, 1);
});

test('store, indexed: every add and has names the dense index of its pair, through growth', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(fc.integer(), fc.integer()), { selector: key, maxLength: 400 }),
      fc.integer({ min: 1, max: 64 }),
      (pairs, capacity) => {
        const store = new FingerprintStore(capacity, true);
        pairs.forEach(([lo, hi], i) => {
          assert.equal(store.add(lo, hi), true);
          assert.equal(store.index, i);
        });
        // Found again (not added): the index is the one its first add gave, in any order.
        for (let i = pairs.length - 1; i >= 0; i--) {
          const [lo, hi] = pairs[i]!;
          assert.equal(store.add(lo, hi), false);
          assert.equal(store.index, i);
          assert.equal(store.has(lo, hi), true);
          assert.equal(store.index, i);
        }
        assert.equal(store.has(7, 0x7fffffff) && !pairs.some(([a, b]) => a === 7 && b === 0x7fffffff), false);
        return store.size === pairs.length;
      },
    ),
  );
});
