// Happens-before of the current execution as vector clocks (one Int32Array of events ×
// threads), and each event's immediate race candidates: the events e of other threads it
// directly depends on (the last writer of a location it touches, and for a write the reads
// since that writer) that happen before neither its thread predecessor nor another such
// event — e ≲ e' in the notation of Abdulla et al., JACM 2017, section 3.
import { type Execution, growI32 } from './execution.js';

export class HappensBefore {
  private clocks = new Int32Array(0);
  /** prevEv[i]: the previous event of event i's thread, or -1. */
  prevEv = new Int32Array(0);
  /** lastOf[t]: thread t's last event, or -1. */
  readonly lastOf: Int32Array;
  /** The race candidates of event j are races[raceStart[j], raceStart[j + 1]). */
  raceStart = new Int32Array(0);
  races = new Int32Array(256);
  private preds = new Int32Array(64);
  private predMark = new Int32Array(0);
  // per location: the last writer, and the readers since it (a linked list); valid for `stamp`
  private readonly lastW: Int32Array;
  private readonly lwStamp: Int32Array;
  private readonly rHead: Int32Array;
  private readonly rhStamp: Int32Array;
  private rEv = new Int32Array(256);
  private rNext = new Int32Array(256);
  private stamp = 0;

  constructor(
    private readonly exec: Execution,
    private readonly T: number,
    locations: number,
  ) {
    this.lastOf = new Int32Array(T);
    this.lastW = new Int32Array(locations);
    this.lwStamp = new Int32Array(locations);
    this.rHead = new Int32Array(locations);
    this.rhStamp = new Int32Array(locations);
  }

  /** a happens before b (a < b, or a === b). */
  hb(a: number, b: number): boolean {
    const T = this.T;
    const ta = this.exec.thread[a]!;
    return this.clocks[b * T + ta]! >= this.clocks[a * T + ta]!;
  }

  /** Computes the clocks and race candidates of events 0..n-1. */
  compute(n: number): void {
    const ex = this.exec;
    const T = this.T;
    if (this.clocks.length < n * T) this.clocks = growI32(this.clocks, n * T);
    if (this.prevEv.length < n) this.prevEv = growI32(this.prevEv, n);
    if (this.predMark.length < n) this.predMark = growI32(this.predMark, n);
    if (this.raceStart.length < n + 1) this.raceStart = growI32(this.raceStart, n + 1);
    this.predMark.fill(0, 0, n);
    const total = ex.fpStart[n]!;
    if (this.rEv.length < total) {
      this.rEv = growI32(this.rEv, total);
      this.rNext = growI32(this.rNext, total);
    }
    const stamp = ++this.stamp;
    const clocks = this.clocks;
    this.lastOf.fill(-1);
    let rTop = 0;
    let cTop = 0;
    for (let i = 0; i < n; i++) {
      const t = ex.thread[i]!;
      const base = i * T;
      const prev = this.lastOf[t]!;
      this.prevEv[i] = prev;
      if (prev >= 0) clocks.copyWithin(base, prev * T, prev * T + T);
      else clocks.fill(0, base, base + T);
      clocks[base + t] = (prev >= 0 ? clocks[prev * T + t]! : 0) + 1;
      // direct predecessors of other threads: the last writer of each location, and for a
      // write the reads since that writer
      let np = 0;
      const f0 = ex.fpStart[i]!;
      const f1 = ex.fpStart[i + 1]!;
      for (let f = f0; f < f1; f++) {
        const l = ex.fpLoc[f]!;
        if (this.lwStamp[l] === stamp) np = this.addPred(this.lastW[l]!, t, i, np);
        if (ex.fpWrite[f] === 1 && this.rhStamp[l] === stamp) {
          for (let r = this.rHead[l]!; r !== -1; r = this.rNext[r]!) np = this.addPred(this.rEv[r]!, t, i, np);
        }
      }
      for (let q = 0; q < np; q++) {
        const pb = this.preds[q]! * T;
        for (let u = 0; u < T; u++) if (clocks[pb + u]! > clocks[base + u]!) clocks[base + u] = clocks[pb + u]!;
      }
      // e ≲ i: e is not before i's thread predecessor nor before another candidate
      this.raceStart[i] = cTop;
      for (let q = 0; q < np; q++) {
        const c = this.preds[q]!;
        if (prev >= 0 && this.hb(c, prev)) continue;
        let covered = false;
        for (let q2 = 0; q2 < np && !covered; q2++) if (q2 !== q && this.hb(c, this.preds[q2]!)) covered = true;
        if (covered) continue;
        if (cTop === this.races.length) this.races = growI32(this.races, cTop + 1);
        this.races[cTop++] = c;
      }
      for (let f = f0; f < f1; f++) {
        if (ex.fpWrite[f] !== 1) continue;
        const l = ex.fpLoc[f]!;
        this.lastW[l] = i;
        this.lwStamp[l] = stamp;
        this.rHead[l] = -1;
        this.rhStamp[l] = stamp;
      }
      for (let f = f0; f < f1; f++) {
        if (ex.fpWrite[f] === 1) continue;
        const l = ex.fpLoc[f]!;
        if (this.lwStamp[l] === stamp && this.lastW[l] === i) continue;
        if (this.rhStamp[l] !== stamp) {
          this.rhStamp[l] = stamp;
          this.rHead[l] = -1;
        }
        if (this.rHead[l] !== -1 && this.rEv[this.rHead[l]!] === i) continue;
        this.rEv[rTop] = i;
        this.rNext[rTop] = this.rHead[l]!;
        this.rHead[l] = rTop++;
      }
      this.lastOf[t] = i;
    }
    this.raceStart[n] = cTop;
  }

  private addPred(e: number, t: number, i: number, np: number): number {
    if (this.exec.thread[e] === t || this.predMark[e] === i + 1) return np;
    this.predMark[e] = i + 1;
    if (np === this.preds.length) this.preds = growI32(this.preds, np + 1);
    this.preds[np] = e;
    return np + 1;
  }
}
