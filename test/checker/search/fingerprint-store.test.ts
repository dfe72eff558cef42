import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FingerprintStore, loadHasher, type StateHasher } from '../../../src/checker/search/fingerprint-store.js';

const hasher = await loadHasher();

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
  const store = new FingerprintStore(hasher, 16);
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
    assert.equal(store.has(kept[i], kept[i + 1]), true);
    assert.equal(store.add(kept[i], kept[i + 1]), false);
  }
  assert.equal(store.size, reference.size);
  // Doubling above 3/4 load: 2^18 * 3/4 = 196,608 < 300,000 <= 2^19 * 3/4 = 393,216.
  assert.equal(store.capacity, 2 ** 19);
  assert.equal(store.storedBytes, 8 * 2 ** 19);
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
      const store = new FingerprintStore(hasher, 16);
      for (const [lo, hi] of pairs) assert.equal(store.add(lo, hi), true);
      for (const [lo, hi] of pairs) assert.equal(store.has(lo, hi), true);
      return store.size === pairs.length;
    }),
  );
});

test('store: the reserved empty fingerprint (0, 0) is stored as (1, 0)', () => {
  const store = new FingerprintStore(hasher);
  assert.equal(store.has(0, 0), false);
  assert.equal(store.add(0, 0), true);
  assert.equal(store.has(0, 0), true);
  assert.equal(store.add(1, 0), false); // the documented alias
  assert.equal(store.size, 1);
  const zeroHasher: StateHasher = { h64Raw: () => 0n };
  const zeros = new FingerprintStore(zeroHasher);
  assert.equal(zeros.addState(new Uint8Array(4)), true);
  assert.deepEqual([zeros.lo, zeros.hi], [1, 0]);
  assert.equal(zeros.hasState(new Uint8Array(4)), true);
});

test('store: states hash by their bytes through one reused view', () => {
  const store = new FingerprintStore(hasher);
  const state = new Int32Array(12);
  const bytes = new Uint8Array(state.buffer);
  for (let i = 0; i < 10_000; i++) {
    state[i % 12] = i;
    state[(i * 7) % 12] ^= i >> 3;
    store.addState(bytes);
  }
  const distinct = new Set<string>();
  state.fill(0);
  for (let i = 0; i < 10_000; i++) {
    state[i % 12] = i;
    state[(i * 7) % 12] ^= i >> 3;
    distinct.add(state.join(','));
    assert.equal(store.hasState(bytes), true);
  }
  assert.equal(store.size, distinct.size);
  state.fill(-5);
  assert.equal(store.hasState(bytes), false);
  // The two words of the fingerprint come from one 64-bit hash.
  const h = hasher.h64Raw(bytes);
  assert.equal(BigInt.asUintN(32, BigInt(store.lo)), h & 0xffffffffn);
  assert.equal(BigInt.asUintN(32, BigInt(store.hi)), h >> 32n);
});
