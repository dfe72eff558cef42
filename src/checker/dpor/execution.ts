// The current execution of the stateless DPOR search, as flat typed arrays: node d is the
// state before event d (node 0 the initial state), event d is (thread, choice) with its
// footprint (the step's locations plus the locations its guard read, so that a write that
// could disable or enable a step is dependent with it) and its guard alone (for the
// blocking races of races.ts). Nothing is allocated per state: the arrays grow by
// doubling, and the per-node state views are made once per capacity.
//
// Parking (spin loops, see spin-parking.ts) is recorded per node and thread: a parked thread
// counts as blocked, waiting for a write to one of the locations of its park guard.
import type { Footprint } from '../../model/system.js';

export class Execution {
  /** Events in the current execution; nodes 0..length exist. */
  length = 0;
  private cap = 0;
  private stateBuf = new Int32Array(0);
  private views: Int32Array[] = [];
  thread = new Int32Array(0);
  choice = new Int32Array(0);
  /** How many choices the thread had when the event was taken (> 1: nondeterministic). */
  nChoices = new Int32Array(0);
  /** Event d's footprint is fpLoc/fpWrite[fpStart[d], fpStart[d + 1]). */
  fpStart = new Int32Array(1);
  fpLoc = new Int32Array(1024);
  fpWrite = new Uint8Array(1024);
  /** The state words event d changed are deltaLoc[deltaStart[d], deltaStart[d + 1]). */
  deltaStart = new Int32Array(1);
  deltaLoc = new Int32Array(1024);
  /** Event d's guard is guardLoc[guardStart[d], guardStart[d + 1]). */
  guardStart = new Int32Array(1);
  guardLoc = new Int32Array(256);
  /** Per node and thread: offset into parkLoc of the park guard, and its length (-1: not parked). */
  parkOff = new Int32Array(0);
  parkLen = new Int32Array(0);
  /** parkLoc[0, parkTop[d]) holds the guards referenced by node d. */
  parkTop = new Int32Array(0);
  parkLoc = new Int32Array(64);
  /**
   * Disablings the footprints do not show: event disEv[i] stopped thread disThread[i]'s
   * enabled step without writing what its guard reads (or made it finished). Records for
   * events before node d are [0, disTop[d]).
   */
  disEv = new Int32Array(16);
  disThread = new Int32Array(16);
  /** 1: the thread was blocked and is now finished (frozen by a sink state), 0: it was enabled. */
  disFrozen = new Int32Array(16);
  disTop = new Int32Array(0);

  constructor(
    readonly stateWords: number,
    readonly threads: number,
    /** Locations of the model; locationCount + t is thread t's virtual "disabled" location. */
    readonly locationCount: number,
  ) {
    this.grow(64);
  }

  /** The state at node d (a view into the stack, stable until the stack grows). */
  state(d: number): Int32Array {
    return this.views[d]!;
  }

  /** Makes node d + 1 usable (call before stepping from node d). */
  reserve(d: number): void {
    if (d + 2 > this.cap) this.grow(this.cap * 2);
  }

  /**
   * Records event d from node d; the successor state was written into state(d + 1). The
   * footprint is the step's, the guard's locations as reads, and a read of the thread's
   * virtual disabled location (see noteDisabling).
   */
  record(d: number, t: number, c: number, k: number, fp: Footprint, guard: Footprint): void {
    this.thread[d] = t;
    this.choice[d] = c;
    this.nChoices[d] = k;
    let o = this.fpStart[d]!;
    const need = o + fp.n + guard.n + 1;
    if (need > this.fpLoc.length) {
      this.fpLoc = growI32(this.fpLoc, need);
      this.fpWrite = growU8(this.fpWrite, need);
    }
    for (let i = 0; i < fp.n; i++, o++) {
      this.fpLoc[o] = fp.locs[i]!;
      this.fpWrite[o] = fp.writes[i]!;
    }
    for (let i = 0; i < guard.n; i++, o++) {
      this.fpLoc[o] = guard.locs[i]!;
      this.fpWrite[o] = 0;
    }
    this.fpLoc[o] = this.locationCount + t;
    this.fpWrite[o++] = 0;
    this.fpStart[d + 1] = o;
    let q = this.deltaStart[d]!;
    const before = this.views[d]!;
    const after = this.views[d + 1]!;
    const W = this.stateWords;
    if (q + W > this.deltaLoc.length) this.deltaLoc = growI32(this.deltaLoc, q + W);
    for (let i = 0; i < W; i++) if (before[i] !== after[i]) this.deltaLoc[q++] = i;
    this.deltaStart[d + 1] = q;
    let g = this.guardStart[d]!;
    if (g + guard.n > this.guardLoc.length) this.guardLoc = growI32(this.guardLoc, g + guard.n);
    for (let i = 0; i < guard.n; i++) this.guardLoc[g++] = guard.locs[i]!;
    this.guardStart[d + 1] = g;
    this.length = d + 1;
  }

  /** Whether event d writes one of the locations marked with `stamp` in `marks`. */
  writesMarked(d: number, marks: Int32Array, stamp: number): boolean {
    for (let i = this.fpStart[d]!, e = this.fpStart[d + 1]!; i < e; i++) {
      if (this.fpWrite[i] === 1 && marks[this.fpLoc[i]!] === stamp) return true;
    }
    return false;
  }

  hasWrite(d: number): boolean {
    for (let i = this.fpStart[d]!, e = this.fpStart[d + 1]!; i < e; i++) if (this.fpWrite[i] === 1) return true;
    return false;
  }

  /**
   * Records that event d (the last one) disabled thread t invisibly, and makes the
   * disabling visible: event d writes t's virtual location, which every event of t reads
   * (as if t's every step were guarded by it), so that event d conflicts with all of them.
   */
  noteDisabling(d: number, t: number, loc: number, frozen: boolean): void {
    const o = this.fpStart[d + 1]!;
    if (o + 1 > this.fpLoc.length) {
      this.fpLoc = growI32(this.fpLoc, o + 1);
      this.fpWrite = growU8(this.fpWrite, o + 1);
    }
    this.fpLoc[o] = loc;
    this.fpWrite[o] = 1;
    this.fpStart[d + 1] = o + 1;
    const i = this.disTop[d + 1]!;
    if (i === this.disEv.length) {
      this.disEv = growI32(this.disEv, i + 1);
      this.disThread = growI32(this.disThread, i + 1);
      this.disFrozen = growI32(this.disFrozen, i + 1);
    }
    this.disEv[i] = d;
    this.disThread[i] = t;
    this.disFrozen[i] = frozen ? 1 : 0;
    this.disTop[d + 1] = i + 1;
  }

  // ---- parking --------------------------------------------------------------------------

  /** Node 0 parks nobody. */
  clearParking(): void {
    this.parkLen.fill(-1, 0, this.threads);
    this.parkTop[0] = 0;
  }

  /** Node d + 1 inherits node d's parked threads. */
  inheritParking(d: number): void {
    const T = this.threads;
    this.parkOff.copyWithin((d + 1) * T, d * T, (d + 1) * T);
    this.parkLen.copyWithin((d + 1) * T, d * T, (d + 1) * T);
    this.parkTop[d + 1] = this.parkTop[d]!;
  }

  isParked(d: number, t: number): boolean {
    return this.parkLen[d * this.threads + t]! >= 0;
  }

  unpark(d: number, t: number): void {
    this.parkLen[d * this.threads + t] = -1;
  }

  /** Parks thread t at node d on the `n` locations in locs. */
  park(d: number, t: number, locs: Int32Array, n: number): void {
    const o = this.parkTop[d]!;
    if (o + n > this.parkLoc.length) this.parkLoc = growI32(this.parkLoc, o + n);
    this.parkLoc.set(locs.subarray(0, n), o);
    this.parkTop[d] = o + n;
    this.parkOff[d * this.threads + t] = o;
    this.parkLen[d * this.threads + t] = n;
  }

  /** Whether event d writes a location of the guard thread t is parked on at node d. */
  wakesParked(d: number, t: number): boolean {
    const i = d * this.threads + t;
    const o = this.parkOff[i]!;
    const n = this.parkLen[i]!;
    for (let k = this.fpStart[d]!, e = this.fpStart[d + 1]!; k < e; k++) {
      if (this.fpWrite[k] !== 1) continue;
      const loc = this.fpLoc[k]!;
      for (let j = o; j < o + n; j++) if (this.parkLoc[j] === loc) return true;
    }
    return false;
  }

  private grow(cap: number): void {
    const W = this.stateWords;
    const T = this.threads;
    const states = new Int32Array((cap + 1) * W);
    states.set(this.stateBuf);
    this.stateBuf = states;
    this.views = [];
    for (let d = 0; d <= cap; d++) this.views.push(states.subarray(d * W, (d + 1) * W));
    this.thread = resize(this.thread, cap);
    this.choice = resize(this.choice, cap);
    this.nChoices = resize(this.nChoices, cap);
    this.fpStart = resize(this.fpStart, cap + 1);
    this.deltaStart = resize(this.deltaStart, cap + 1);
    this.guardStart = resize(this.guardStart, cap + 1);
    this.parkOff = resize(this.parkOff, (cap + 1) * T);
    this.parkLen = resize(this.parkLen, (cap + 1) * T);
    this.parkTop = resize(this.parkTop, cap + 1);
    this.disTop = resize(this.disTop, cap + 1);
    this.cap = cap;
  }
}

function resize(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

export function growI32(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  let n = Math.max(16, a.length);
  while (n < need) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

export function growU8(a: Uint8Array, need: number): Uint8Array<ArrayBuffer> {
  let n = Math.max(16, a.length);
  while (n < need) n *= 2;
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}

/**
 * Whether two footprints conflict: some location in both, written by at least one. Both
 * are slices (offset, length) of (locs, writes) pools; footprints are short, so this is
 * the plain double loop.
 */
export function footprintsConflict(
  aLoc: Int32Array,
  aW: Uint8Array,
  aOff: number,
  aLen: number,
  bLoc: Int32Array,
  bW: Uint8Array,
  bOff: number,
  bLen: number,
): boolean {
  for (let i = aOff, ie = aOff + aLen; i < ie; i++) {
    const loc = aLoc[i]!;
    const w = aW[i]!;
    for (let j = bOff, je = bOff + bLen; j < je; j++) {
      if (bLoc[j] === loc && (w === 1 || bW[j] === 1)) return true;
    }
  }
  return false;
}
