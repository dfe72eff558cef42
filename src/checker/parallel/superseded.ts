// The set of a level's records that a lower replaced (SharedTable.lower), which Records.filter
// drops: every thread builds it between two levels from every thread's notes.

/**
 * The records of a level that were replaced, as a set of (lo, hi, position): the value a thread
 * lowered (SharedTable.lower's `replaced`) with the fingerprint it lowered it for, from every
 * thread. They are exactly the records Records.filter drops: a state of the next level gets its
 * value from the record of the thread that inserted it, and a thread changes it only by a
 * lower, which replaces the value of exactly one earlier record (the compare-and-swap's) and
 * records a candidate of its own; so a record's position is its state's final value unless a
 * lower replaced it. Before, the filter read each record's value back from the shared table: a
 * cache miss per new state in a table far larger than the cache, 10–120 ms between two levels
 * of fixed_k6 while the threads waited (docs/performance.md). Lowers are rare (a few per cent
 * of a level's lookups), so the set is small and stays in cache.
 */
export class Superseded {
  readonly size: number;
  /** Open addressing: (lo, hi, position) at 3i, slot i used when used[i] is 1. */
  private readonly keys: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  /** 32 - log2(slots): a slot is its hash's top bits. */
  private readonly shift: number;

  /**
   * The set of the triples `triples` holds, (lo, hi, position) three numbers each. Every
   * thread builds it at every level: its keys are stored word by word (a set() of a new
   * three-number array each took fixed_k6's threads 0.12 s each).
   */
  constructor(triples: ArrayLike<number> = []) {
    const n = Math.floor(triples.length / 3);
    let slots = 2;
    let bits = 1;
    for (; slots < 2 * n; bits++) slots *= 2;
    this.mask = slots - 1;
    this.shift = 32 - bits;
    const keys = new Int32Array(3 * slots);
    this.keys = keys;
    this.used = new Uint8Array(slots);
    for (let i = 0; i < 3 * n; i += 3) {
      const lo = triples[i]!;
      const hi = triples[i + 1]!;
      const pos = triples[i + 2]!;
      let j = this.home(lo, hi, pos);
      while (this.used[j] === 1) j = (j + 1) & this.mask;
      this.used[j] = 1;
      keys[3 * j] = lo;
      keys[3 * j + 1] = hi;
      keys[3 * j + 2] = pos;
    }
    this.size = n;
  }

  has(lo: number, hi: number, pos: number): boolean {
    const keys = this.keys;
    for (let j = this.home(lo, hi, pos); this.used[j] === 1; j = (j + 1) & this.mask)
      if (keys[3 * j] === lo && keys[3 * j + 1] === hi && keys[3 * j + 2] === pos) return true;
    return false;
  }

  /** The top bits of a multiplicative hash (they were its top 16 bits only: a set of more than 32,768 triples used half its slots). */
  private home(lo: number, hi: number, pos: number): number {
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(pos, 0xc2b2ae35), 0x9e3779b1) >>> this.shift;
  }
}
