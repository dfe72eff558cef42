import assert from 'node:assert/strict';
import { test } from 'node:test';
import xxhash from 'xxhash-wasm';
import { Fingerprinter } from '../../../src/checker/search/fingerprint.js';

test('fingerprint: the two words of XXH64 of the state bytes, through one reused view', async () => {
  const { h64Raw } = await xxhash();
  const f = new Fingerprinter();
  const state = new Int32Array(12);
  const bytes = new Uint8Array(state.buffer);
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    state[i % 12] = i;
    state[(i * 7) % 12]! ^= i >> 3;
    f.ofState(bytes);
    const h = h64Raw(bytes);
    assert.equal(BigInt.asUintN(32, BigInt(f.lo)), h & 0xffffffffn);
    assert.equal(BigInt.asUintN(32, BigInt(f.hi)), h >> 32n);
    seen.add(`${f.lo}:${f.hi}`);
  }
  assert.ok(seen.size > 990);
});

test('fingerprint: XXH64 at every length 0..300 and past the scratch size, in place and copied', async () => {
  const { h64Raw } = await xxhash();
  const f = new Fingerprinter();
  const { bytes: ownBytes } = f.buffer(1200);
  for (let i = 0; i < ownBytes.length; i++) ownBytes[i] = (i * 131 + 7) & 0xff;
  const lengths = [...Array.from({ length: 301 }, (_, n) => n), 1001, 4096, 4800];
  for (const n of lengths) {
    for (const start of [0, 1, 4]) {
      if (start + n > ownBytes.length) continue;
      const view = ownBytes.subarray(start, start + n);
      const h = h64Raw(view.slice());
      f.ofState(view); // in place
      assert.equal(BigInt.asUintN(32, BigInt(f.lo)), h & 0xffffffffn, `lo, length ${n}, at ${start}`);
      assert.equal(BigInt.asUintN(32, BigInt(f.hi)), h >> 32n, `hi, length ${n}, at ${start}`);
      f.ofState(view.slice()); // copied into the scratch memory
      assert.equal(BigInt.asUintN(32, BigInt(f.lo)), h & 0xffffffffn, `copied lo, length ${n}`);
      assert.equal(BigInt.asUintN(32, BigInt(f.hi)), h >> 32n, `copied hi, length ${n}`);
    }
  }
});

test('fingerprint: a buffer is zeroed and survives scratch growth', () => {
  const f = new Fingerprinter();
  const { words: a, bytes } = f.buffer(5);
  assert.deepEqual([...a], [0, 0, 0, 0, 0]);
  a.set([1, 2, 3, 4, 5]);
  f.ofState(bytes);
  const viaView = [f.lo, f.hi];
  f.ofState(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  assert.deepEqual([f.lo, f.hi], viaView);
  const before = [f.lo, f.hi];
  f.ofState(new Uint8Array(100_000)); // grows the scratch memory
  f.ofState(new Uint8Array(a.slice().buffer));
  assert.deepEqual([f.lo, f.hi], before);
  assert.deepEqual([...a], [1, 2, 3, 4, 5]);
});
