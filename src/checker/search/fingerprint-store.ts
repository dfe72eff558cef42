// The set of visited states for the stored-state explorers (bfs.ts, dfs.ts): 64-bit
// fingerprints of states (fingerprint.ts) in an open-addressing table over one Int32Array.
//
// Layout: buckets of 8 slots, 16 words (64 bytes, one cache line when the buffer is
// aligned): slot i of bucket k holds the fingerprint's low word at [16k + 2i] and high word
// at [16k + 2i + 1]. The bucket is picked by the high word scaled to the bucket count
// (Lemire's multiply-shift range reduction, so the count need not be a power of two); a
// bucket fills from its first slot, and a full one spills into the next (linear probing by
// bucket). A lookup reads slots until it finds the fingerprint or an empty slot, almost
// always within the one bucket. The pair (0, 0) marks an empty slot; a state whose
// fingerprint is (0, 0) is stored as (1, 0).
//
// False "already seen" answers: two states with one fingerprint; for n states about
// n^2 / 2^65 in expectation (3e-8 at 10^6 states, 3e-2 at 10^9), given fingerprints that
// behave like uniform 64-bit values (fingerprint.ts says why they do).
//
// Growth: by half when more than 7/8 of the slots are full, so the table is between
// 7/12 and 7/8 full and holds 9.1 to 13.7 bytes per stored fingerprint (the old
// power-of-two table at 3/4 held 10.7 to 21.3). Buckets of 8 keep probing short at 7/8:
// lookups read past their bucket only when it is full, and a miss pays one cache miss.
//
// Indexed (for a partitioned run's hook and the POR proviso, bfs.ts): each slot also holds its
// fingerprint's dense index (the order it was added in); `index` is set by every add and has.
// The index sits in the slot, three words (lo, hi, index), five slots and a spare word to a
// bucket, so a lookup that finds a stored state reads one cache line, not a second one in a
// parallel array of indices. 12.8 bytes per slot: 14.6 to 21.9 bytes per stored state. The
// livelock check used to need it too; it now names states by fingerprint (candidates.ts), so
// a plain BFS or DFS, with or without the check, keeps the two-word table.

const BUCKET_WORDS = 16;
const MAX_LOAD = 7 / 8;
const GROWTH = 1.5;
/** The largest table, in buckets: 2^27 buckets are 8 GiB, far beyond what a search keeps. */
const MAX_BUCKETS = 2 ** 27;

export class FingerprintStore {
  /** Distinct fingerprints stored. */
  size = 0;
  /** Indexed store: the dense index of the fingerprint the last add or has found or added. */
  index = -1;
  /** The table could not grow: stop adding (an eighth of its slots are still free). */
  full = false;
  /**
   * Asked before the table grows, with the larger table's bytes (both tables are held while it
   * is filled): false refuses, and the table is then `full`. The searches pass
   * SearchMeter.tableRoom, since a growth between two of its RSS samples (250 ms apart) went
   * past --max-memory by the larger table's size; the meter keeps the note saying so.
   */
  roomFor: ((bytes: number) => boolean) | null = null;
  private slots: Int32Array;
  private buckets: number;
  private growAt: number;
  /** What prefetch read, kept so that the read is not dropped as dead code. */
  private sink = 0;
  /** Words per slot: 2 (lo, hi), or 3 with the index. */
  private readonly slotWords: number;
  /** Slots per bucket: 8, or 5 with the index. */
  private readonly bucketSlots: number;

  constructor(
    initialCapacity = 1 << 10,
    private readonly indexed = false,
  ) {
    this.slotWords = indexed ? 3 : 2;
    this.bucketSlots = indexed ? 5 : 8;
    this.buckets = Math.max(2, Math.ceil(initialCapacity / this.bucketSlots));
    this.slots = new Int32Array(this.buckets * BUCKET_WORDS);
    this.growAt = Math.floor(this.buckets * this.bucketSlots * MAX_LOAD);
  }

  /** Slots in the table. */
  get capacity(): number {
    return this.buckets * this.bucketSlots;
  }

  /** Bytes held by the table. */
  get storedBytes(): number {
    return this.slots.byteLength;
  }

  /** Stores the fingerprint (lo, hi) (any 32-bit integers); true when it is new. */
  add(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    if ((lo | hi) === 0) lo = 1;
    const j = this.probe(lo, hi);
    const slots = this.slots;
    if (j >= 0) {
      if (this.indexed) this.index = slots[j + 2]!;
      return false;
    }
    slots[~j] = lo;
    slots[~j + 1] = hi;
    if (this.indexed) slots[~j + 2] = this.index = this.size;
    if (++this.size > this.growAt) this.grow();
    return true;
  }

  /**
   * Reads the first line of the bucket of a fingerprint whose high word is `hi`, so that the
   * add or has that follows finds it in cache. For several fingerprints in a row before
   * their adds: their cache misses then overlap instead of following one another (bfs.ts).
   */
  prefetch(hi: number): void {
    this.sink ^= this.slots[bucketOf(hi, this.buckets) * BUCKET_WORDS]!;
  }

  /** True when the fingerprint (lo, hi) is stored. */
  has(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    if ((lo | hi) === 0) lo = 1;
    const j = this.probe(lo, hi);
    if (j >= 0 && this.indexed) this.index = this.slots[j + 2]!;
    return j >= 0;
  }

  /** Calls f with every fingerprint stored (the parallel BFS's table takes them over: bfs.ts BfsHandover). */
  forEach(f: (lo: number, hi: number) => void): void {
    const slots = this.slots;
    const w = this.slotWords;
    const span = this.bucketSlots * w;
    for (let b = 0; b < this.buckets; b++)
      for (let j = b * BUCKET_WORDS, end = j + span; j < end; j += w)
        if ((slots[j]! | slots[j + 1]!) !== 0) f(slots[j]!, slots[j + 1]!);
  }

  /** The word index of (lo, hi) when stored, else ~(word index of the first empty slot on its path). */
  private probe(lo: number, hi: number): number {
    const slots = this.slots;
    const w = this.slotWords;
    const span = this.bucketSlots * w;
    let b = bucketOf(hi, this.buckets);
    for (;;) {
      for (let j = b * BUCKET_WORDS, end = j + span; j < end; j += w) {
        const x = slots[j]!;
        const y = slots[j + 1]!;
        if (x === lo && y === hi) return j;
        if ((x | y) === 0) return ~j;
      }
      if (++b === this.buckets) b = 0;
    }
  }

  /**
   * Grows the table by half and reinserts every fingerprint (no duplicates, so no compares).
   * A table that cannot grow (past MAX_BUCKETS, or no memory for the larger array) stays as
   * it is and says `full`: the search must stop, and it has an eighth of the slots to do so.
   */
  private grow(): void {
    const old = this.slots;
    const oldBuckets = this.buckets;
    const buckets = Math.ceil(oldBuckets * GROWTH);
    let slots: Int32Array;
    if (this.roomFor?.(buckets * BUCKET_WORDS * 4) === false) {
      this.full = true;
      this.growAt = Infinity;
      return;
    }
    try {
      if (buckets > MAX_BUCKETS) throw new RangeError('past MAX_BUCKETS');
      slots = new Int32Array(buckets * BUCKET_WORDS);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.full = true;
      this.growAt = Infinity;
      return;
    }
    const w = this.slotWords;
    const span = this.bucketSlots * w;
    for (let ob = 0; ob < oldBuckets; ob++) {
      for (let i = ob * BUCKET_WORDS, end = i + span; i < end; i += w) {
        const lo = old[i]!;
        const hi = old[i + 1]!;
        if ((lo | hi) === 0) continue;
        const j = freeSlot(slots, bucketOf(hi, buckets), buckets, w, span);
        slots[j] = lo;
        slots[j + 1] = hi;
        if (w === 3) slots[j + 2] = old[i + 2]!;
      }
    }
    this.slots = slots;
    this.buckets = buckets;
    this.growAt = Math.floor(buckets * this.bucketSlots * MAX_LOAD);
  }
}

/** The word index of the first empty slot from bucket b on (linear probing by bucket). */
function freeSlot(slots: Int32Array, b: number, buckets: number, w: number, span: number): number {
  for (;;) {
    for (let j = b * BUCKET_WORDS, end = j + span; j < end; j += w) if ((slots[j]! | slots[j + 1]!) === 0) return j;
    if (++b === buckets) b = 0;
  }
}

/**
 * floor(hi * buckets / 2^32) for hi read as unsigned, up to rounding: the bucket of a
 * fingerprint. One double product (hi * buckets may pass 2^53, then it is rounded; the result
 * is still a deterministic function of hi, and below buckets: the product is at most
 * buckets * (1 - 2^-32), and rounding moves it by far less than that gap). Two products in
 * 16-bit halves made it exact, at 2% of BFS on the seed twin.
 */
function bucketOf(hi: number, buckets: number): number {
  return Math.floor((hi >>> 0) * buckets * 2.3283064365386963e-10);
}
