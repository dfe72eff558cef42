// 64-bit fingerprints of states for the stored-state explorers: XXH64 of the state's bytes
// (xxhash-wasm), split into two int32 words so that the store never sees a BigInt.
//
// Why wasm and not a hash in JS (measured for issue 13 on the seed twin, fixed K = 4, BFS,
// 102-word states, node 20.20, `--cpu-prof` shares of the same search on the shared 2-core
// VM): XXH64 through xxhash-wasm costs 6.8% in the wasm function, 4.9% in the wrapper
// (h64Raw copies the bytes into wasm memory) and part of the 5.1% GC (the BigInt it returns).
// Two JS alternatives were slower, because a JS loop over an Int32Array costs 1-2 ns per
// word where the wasm hash, after one memcpy, costs a fraction of that:
// - two 32-bit lanes, each a sum of a bijective mixer over (word ^ per-position key), in
//   full: 2.4x the time of h64Raw per state;
// - the same sums updated incrementally from the parent's fingerprint (Zobrist style: a
//   successor differs from its parent in 2.3 words on average), finding the changed words
//   by comparing four at a time: 22.5% of the search, against about 15% for h64Raw; comparing
//   two words at a time through Float64Array views was worse still. Under callgrind the
//   whole K = 4 run took 14.9 G instructions with it against 12.1 G with h64Raw.
// (Their quality was fine: 34 and 32 collisions per lane over the 578,000 states, what a
// 32-bit hash gives, none in the pair.) An in-place wasm hash (the state buffers allocated
// in wasm memory, no copy, no BigInt) would save the wrapper and GC share; not done.
//
// False positives: for n states, n^2 / 2^65 expected pairs with one fingerprint, given
// XXH64's 64-bit quality (fingerprint-store.ts).
import xxhash from 'xxhash-wasm';

// xxhash-wasm's instantiation is asynchronous; one module-level await keeps every explorer
// synchronous and every caller free of a hasher argument.
const { h64Raw } = await xxhash();

/** The fingerprint of one state at a time; the result is in lo, hi. */
export class Fingerprinter {
  lo = 0;
  hi = 0;
  // Splits the 64-bit hash into two int32 words without BigInt arithmetic.
  private readonly split64 = new BigUint64Array(1);
  private readonly split32 = new Int32Array(this.split64.buffer);

  /** Hashes `bytes` (a view over a state buffer, created once by the caller) into lo, hi. */
  ofState(bytes: Uint8Array): void {
    this.split64[0] = h64Raw(bytes);
    this.lo = this.split32[0]!;
    this.hi = this.split32[1]!;
  }
}
