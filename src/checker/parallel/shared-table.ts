// The visited-state table the parallel BFS's threads share (bfs-parallel.ts): a lock-free
// open-addressing hash table of 64-bit fingerprints over one SharedArrayBuffer, after the
// lockless table of LTSmin (Laarman, van de Pol and Weber, "Boosting multi-core
// reachability performance with shared hash tables", FMCAD 2010): linear probing, and a
// slot claimed by one compare-and-swap, so that two threads inserting one fingerprint agree
// on which of them inserted it and no thread ever waits on a lock.
//
// Slot i is four words at 4i: tag, fingerprint low word, high word, value.
// - tag 0: empty. BUSY: claimed, its fingerprint being written (a reader spins until the
//   writer publishes the tag, a few stores later). level + 1: holds a state of that BFS level.
//   The writer stores the fingerprint with plain stores and publishes the tag with
//   Atomics.store; a reader that loads the tag with Atomics.load sees the fingerprint (both
//   are sequentially consistent, so the fingerprint's stores happen before the tag's load).
//   The probe loads tags plainly and goes to Atomics.load only when it may have run ahead
//   (insert() says why and when).
// - value: for a state of the level being discovered, the least frontier position of a parent
//   that reached it (lowered by compare-and-swap: the parent BFS on one thread would have
//   queued it from). Once the level is complete nothing reads it: it keeps the least
//   position, and the state's level (its tag) tells a later level's probe not to lower it.
//
// The table never grows while threads insert: the search pauses them (a round ends) when it
// is 3/4 full (overLoaded), and every thread rehashes its part of it into a larger buffer between rounds
// (rehashInto). Probing stops at
// the first empty slot, so a table kept at most 3/4 full probes 1.6 slots on a hit on average.
// 16 bytes per slot, 21 to 43 per state: the price of sharing (the one-thread table keeps 9 to
// 14, fingerprint-store.ts).

const BUSY = -1;
/** Words per slot. */
const SW = 4;
/**
 * The states stored are counted in ctl[COUNT] of the control words the threads share, by each
 * inserting thread once per unit it expands (one shared counter bumped per insert would make
 * every insert contend for its cache line).
 */
export const COUNT = 0;
/**
 * A table more than 3/4 full grows (the threads pause at the end of a unit and rehash): linear
 * probing then reads 1.6 slots on a hit and 3 on a miss on average, most within one cache
 * line (4 slots), and the table holds 21 to 43 bytes per state. Growing at half full, it held
 * 32 to 64: every fresh page of a larger table costs a page fault (10–13 µs a 4 KiB page on
 * the 2-core test machine), and growth doubled what each thread wrote when it rehashed.
 */
export function overLoaded(stored: number, capacity: number): boolean {
  return stored * 4 > capacity * (capacity >= ROOMY ? 3 : 2);
}

/**
 * Below this many slots a table grows at half full: a thread checks the load only between
 * units, and another thread's inserts reach the shared count up to FLUSH_EVERY (level.ts)
 * later, so a small table needs more room than a quarter of it for the inserts of a round
 * (tests start tables at 16 slots; a search starts at 2^16).
 */
const ROOMY = 1 << 16;

/** The largest table, in slots: 2^27 slots are 2 GiB. */
const MAX_SLOTS = 2 ** 27;

export class SharedTable {
  /** The slot insert() or find() found (or claimed), valid until the next call. */
  slot = -1;
  /** The level of the state insert() found there. */
  found = -1;
  /** The value the last lower() that returned true replaced. */
  replaced = -1;
  /** What prefetch read, kept so that the read is not dropped as dead code. */
  private sink = 0;
  readonly words: Int32Array;
  private readonly mask: number;
  /** 32 less log2(capacity): a fingerprint's home slot is home(lo, hi, shift). */
  private readonly shift: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.mask = this.words.length / SW - 1;
    if (this.mask < 1 || (this.mask & (this.mask + 1)) !== 0) throw new RangeError('a table of 2^k slots, k >= 1');
    this.shift = Math.clz32(this.mask);
  }

  /** A new empty table of `slots` slots (a power of two); throws RangeError past the limit. */
  static allocate(slots: number): SharedArrayBuffer {
    if (slots > MAX_SLOTS) throw new RangeError('Array buffer allocation failed: past the largest table');
    return new SharedArrayBuffer(slots * SW * 4);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /**
   * Inserts (lo, hi) as a state of `level` with value `value`; true when this call inserted it.
   * Either way `slot` is its slot afterwards, and when it was there, `found` its level.
   *
   * The probe reads tags with plain loads: Atomics.load is a call into the runtime in node 20
   * (about 100 ns, against a few for a load; a microbenchmark of this loop on a table in cache
   * ran 1.9x slower with it), and the probe runs once per transition. A plain load may see
   * a tag before the fingerprint it publishes (the JS memory model orders nothing for plain
   * loads; x86 does, and so does V8, which keeps loads in program order): a fingerprint is
   * never (0, 0)'s half-written look, so a word still 0 sends the probe to Atomics.load.
   */
  insert(lo: number, hi: number, level: number, value: number): boolean {
    const w = this.words;
    const mask = this.mask;
    for (let j = home(lo, hi, this.shift), left = mask; ; j = (j + 1) & mask, left--) {
      // Every slot taken, by other threads' inserts the table-full check had not counted yet
      // (a tiny table: tests start at 16 slots): slot -1, and the caller stops the search.
      if (left < 0) {
        this.slot = -1;
        return false;
      }
      const at = j * SW;
      let tag = w[at]!;
      if (tag === 0) {
        tag = Atomics.compareExchange(w, at, 0, BUSY);
        if (tag === 0) {
          w[at + 1] = lo;
          w[at + 2] = hi;
          w[at + 3] = value;
          Atomics.store(w, at, level + 1);
          this.slot = j;
          return true;
        }
      }
      let a = w[at + 1]!;
      let b = w[at + 2]!;
      if (tag === BUSY || a === 0 || b === 0) {
        do tag = Atomics.load(w, at);
        while (tag === BUSY);
        a = w[at + 1]!;
        b = w[at + 2]!;
      }
      if (a === lo && b === hi) {
        this.slot = j;
        this.found = tag - 1;
        return false;
      }
    }
  }

  /**
   * Reads the home slot's tag of (lo, hi), so that the insert that follows finds it in cache:
   * for several fingerprints before their inserts, their cache misses overlap (level.ts).
   */
  prefetch(lo: number, hi: number): void {
    this.sink ^= this.words[home(lo, hi, this.shift) * SW]!;
  }

  /** The slot of (lo, hi), or -1. */
  find(lo: number, hi: number): number {
    const w = this.words;
    const mask = this.mask;
    for (let j = home(lo, hi, this.shift), left = mask; left >= 0; j = (j + 1) & mask, left--) {
      const at = j * SW;
      let tag = Atomics.load(w, at);
      if (tag === 0) return -1;
      while (tag === BUSY) tag = Atomics.load(w, at);
      if (w[at + 1] === lo && w[at + 2] === hi) return j;
    }
    return -1; // every slot taken, none by (lo, hi)
  }

  /**
   * The value of `slot`, read plainly: call it only once the threads that may lower it have
   * met since (Records.filter, after a level's rounds).
   */
  value(slot: number): number {
    return this.words[slot * SW + 3]!;
  }

  /**
   * Lowers the value of `slot` to `value`; true when it was higher (this caller lowered it),
   * and then `replaced` is the value this call replaced.
   */
  lower(slot: number, value: number): boolean {
    const w = this.words;
    const at = slot * SW + 3;
    // A plain load sees the value or an older (higher) one: at most `value`, it is done.
    for (let cur = w[at]!; cur > value; ) {
      const seen = Atomics.compareExchange(w, at, cur, value);
      if (seen === cur) {
        this.replaced = cur;
        return true;
      }
      cur = seen;
    }
    return false;
  }

  /**
   * Copies part `part` of `parts` of this table's slots into `to`, a larger empty table:
   * every thread copies its part at once (no thread inserts meanwhile). Entries are distinct,
   * so a slot is claimed by one compare-and-swap of its tag and nothing is compared. Home
   * slots are the hash's top bits, so a part's entries land, in the order they are read, in
   * one region of the larger table (slot i's entry near 2i when it doubles): the writes
   * stream through memory instead of missing the cache once an entry, and two threads'
   * regions meet only at their ends.
   */
  rehashInto(to: SharedArrayBuffer, part: number, parts: number): void {
    const into = new Int32Array(to);
    const mask = into.length / SW - 1;
    const shift = Math.clz32(mask);
    const w = this.words;
    const slots = this.capacity;
    const end = Math.floor((slots * (part + 1)) / parts) * SW;
    for (let at = Math.floor((slots * part) / parts) * SW; at < end; at += SW) {
      const tag = w[at]!;
      if (tag === 0) continue;
      let j = home(w[at + 1]!, w[at + 2]!, shift);
      while (Atomics.compareExchange(into, j * SW, 0, tag) !== 0) j = (j + 1) & mask;
      into[j * SW + 1] = w[at + 1]!;
      into[j * SW + 2] = w[at + 2]!;
      into[j * SW + 3] = w[at + 3]!;
    }
  }
}

/**
 * The home slot of (lo, hi) in a table of 2^(32 - shift) slots: a hash of both words, so that a
 * fingerprint weak in either still spreads, whose top bits pick the slot, so that a table
 * twice as large keeps the slots' order (range reduction by a shift: the capacity is a power
 * of two).
 */
function home(lo: number, hi: number, shift: number): number {
  return ((hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0) >>> shift;
}
