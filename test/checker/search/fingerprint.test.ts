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
