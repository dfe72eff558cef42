// The set of visited states for the stored-state explorers (bfs.ts, dfs.ts): 64-bit
// fingerprints of the state bytes in an open-addressing table over one Int32Array.
//
// Layout: slot i holds the fingerprint's low word at [2i] and high word at [2i+1], so one
// probe touches one cache line. Linear probing; the slot index is the low word masked.
// The pair (0, 0) marks an empty slot; a state that hashes to it is stored as (1, 0).
// Probability of a false "already seen" (two states, one fingerprint) for n states is
// about n^2 / 2^65: 3e-8 at 10^6 states, 3e-2 at 10^9.
//
// Growth: doubling when more than 3/4 of the slots are full. Bytes per stored fingerprint
// are 8 / load: 10.7 just before a doubling, 21.3 just after, 16 at load 1/2. Linear probing
// at 3/4 still costs ~2.5 slots per hit and ~8.5 per miss, mostly within one cache line.
//
// Hash choice, measured on node 20.20 (x64, 5e6 calls each, a throwaway micro-benchmark):
//   state words:            8        24        64
//   h32Raw x2 (two seeds):  127 ns   156 ns    199 ns
//   h64Raw + split:          97 ns    99 ns    118 ns
// h64Raw copies the bytes into wasm memory once and calls wasm once; the bigint it returns
// is split through a one-element BigUint64Array, so the table itself never sees a bigint.
import xxhash from 'xxhash-wasm';

/** The two xxhash-wasm functions the store needs (a subset of its API, easy to fake). */
export interface StateHasher {
  h64Raw(input: Uint8Array, seed?: bigint): bigint;
}

let hasherPromise: Promise<StateHasher> | undefined;

/** Instantiates xxhash-wasm once per process (its init is async) and shares it. */
export function loadHasher(): Promise<StateHasher> {
  hasherPromise ??= xxhash();
  return hasherPromise;
}

const MAX_LOAD_NUMERATOR = 3; // grow when size > capacity * 3/4
const MAX_LOAD_DENOMINATOR = 4;
const MIN_CAPACITY = 1 << 4;

export class FingerprintStore {
  /** Distinct fingerprints stored. */
  size = 0;
  /** Low and high words of the last fingerprint computed by fingerprint(). */
  lo = 0;
  hi = 0;

  private slots: Int32Array;
  private mask: number;
  private growAt: number;
  // Splits the 64-bit hash into two int32 words without further bigint arithmetic.
  private readonly split64 = new BigUint64Array(1);
  private readonly split32 = new Int32Array(this.split64.buffer);

  constructor(
    private readonly hasher: StateHasher,
    initialCapacity = 1 << 16,
  ) {
    let capacity = MIN_CAPACITY;
    while (capacity < initialCapacity) capacity *= 2;
    this.slots = new Int32Array(2 * capacity);
    this.mask = capacity - 1;
    this.growAt = (capacity * MAX_LOAD_NUMERATOR) / MAX_LOAD_DENOMINATOR;
  }

  /** Slots in the table (a power of two). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table. */
  get storedBytes(): number {
    return this.slots.byteLength;
  }

  /**
   * Hashes `bytes` (a view over a state buffer, created once by the caller) into this.lo
   * and this.hi, remapping the reserved empty value.
   */
  fingerprint(bytes: Uint8Array): void {
    this.split64[0] = this.hasher.h64Raw(bytes);
    const lo = this.split32[0];
    const hi = this.split32[1];
    this.lo = (lo | hi) === 0 ? 1 : lo;
    this.hi = hi;
  }

  /** Stores the state's fingerprint; true when it was not there before. */
  addState(bytes: Uint8Array): boolean {
    this.fingerprint(bytes);
    return this.add(this.lo, this.hi);
  }

  /** True when the state's fingerprint is stored. */
  hasState(bytes: Uint8Array): boolean {
    this.fingerprint(bytes);
    return this.has(this.lo, this.hi);
  }

  /** Stores the fingerprint (lo, hi) (any 32-bit integers); true when it is new. */
  add(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    if ((lo | hi) === 0) lo = 1;
    const j = this.probe(lo, hi);
    if (j >= 0) return false;
    const slots = this.slots;
    slots[~j] = lo;
    slots[~j + 1] = hi;
    if (++this.size > this.growAt) this.grow();
    return true;
  }

  /** True when the fingerprint (lo, hi) is stored. */
  has(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    if ((lo | hi) === 0) lo = 1;
    return this.probe(lo, hi) >= 0;
  }

  /** Linear probing: the word index of (lo, hi) when stored, else ~(index of the empty slot). */
  private probe(lo: number, hi: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = lo & mask;
    for (;;) {
      const j = i << 1;
      const a = slots[j];
      const b = slots[j + 1];
      if (a === lo && b === hi) return j;
      if ((a | b) === 0) return ~j;
      i = (i + 1) & mask;
    }
  }

  /** Doubles the table and reinserts every fingerprint (no duplicates, so no compares). */
  private grow(): void {
    const old = this.slots;
    const capacity = 2 * (this.mask + 1);
    if (capacity > 2 ** 30) {
      throw new Error(
        `[mmcheck] the fingerprint store is full (${this.size} states): bound the search with --max-states`,
      );
    }
    const slots = new Int32Array(2 * capacity);
    const mask = capacity - 1;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j];
      const hi = old[j + 1];
      if ((lo | hi) === 0) continue;
      let i = lo & mask;
      while ((slots[i << 1] | slots[(i << 1) + 1]) !== 0) i = (i + 1) & mask;
      slots[i << 1] = lo;
      slots[(i << 1) + 1] = hi;
    }
    this.slots = slots;
    this.mask = mask;
    this.growAt = (capacity * MAX_LOAD_NUMERATOR) / MAX_LOAD_DENOMINATOR;
  }
}
