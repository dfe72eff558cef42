// Sleep sets (Godefroid 1996; Abdulla et al. JACM 2017, Algorithm 2 lines 14, 17 and 20 as
// listed in docs/dpor.md, and the same steps of Algorithm 1) for the nodes of the current
// execution, as one stack of entries.
// An entry is an event (thread, choice) that was already explored from an ancestor node and
// is independent of everything executed since: exploring it again here could only repeat a
// Mazurkiewicz trace. Each entry keeps the footprint it had when it was explored; it stays
// valid while the entry sleeps, because nothing executed since wrote what it read.
//
// Node d owns entries [start[d], end[d]); node d + 1's entries follow, so adding to node d
// (after one of its branches is done) overwrites node d + 1, which is dead by then. The
// footprints live in a stack pool the same way.
import { footprintsConflict, growI32, growU8 } from './execution.js';

export class SleepSets {
  private start = new Int32Array(64);
  private end = new Int32Array(64);
  /** fpTop[d]: the footprint pool in use by nodes 0..d. */
  private fpTop = new Int32Array(64);
  thread = new Int32Array(256);
  choice = new Int32Array(256);
  fpOff = new Int32Array(256);
  fpLen = new Int32Array(256);
  loc = new Int32Array(1024);
  write = new Uint8Array(1024);

  /** Node 0: nothing sleeps. */
  clear(): void {
    this.start[0] = 0;
    this.end[0] = 0;
    this.fpTop[0] = 0;
  }

  first(d: number): number {
    return this.start[d]!;
  }

  last(d: number): number {
    return this.end[d]!;
  }

  /** Whether event (t, c) sleeps at node d. */
  has(d: number, t: number, c: number): boolean {
    for (let i = this.start[d]!, e = this.end[d]!; i < e; i++) {
      if (this.thread[i] === t && this.choice[i] === c) return true;
    }
    return false;
  }

  /** Whether some choice of thread t sleeps at node d. */
  hasThread(d: number, t: number): boolean {
    for (let i = this.start[d]!, e = this.end[d]!; i < e; i++) if (this.thread[i] === t) return true;
    return false;
  }

  /**
   * Node d + 1 after event (t, footprint) from node d: the entries of node d that are
   * independent of it (Sleep' = {q ∈ sleep(E) | E ⊨ p ◇ q}, Algorithm 2 line 17).
   */
  derive(d: number, t: number, loc: Int32Array, w: Uint8Array, off: number, len: number): void {
    this.ensureNodes(d + 2);
    let k = this.end[d]!;
    this.start[d + 1] = k;
    for (let i = this.start[d]!, e = this.end[d]!; i < e; i++) {
      if (this.thread[i] === t) continue;
      if (footprintsConflict(this.loc, this.write, this.fpOff[i]!, this.fpLen[i]!, loc, w, off, len)) continue;
      this.ensureEntries(k + 1);
      this.thread[k] = this.thread[i]!;
      this.choice[k] = this.choice[i]!;
      this.fpOff[k] = this.fpOff[i]!;
      this.fpLen[k] = this.fpLen[i]!;
      k++;
    }
    this.end[d + 1] = k;
    this.fpTop[d + 1] = this.fpTop[d]!;
  }

  /** Puts explored event (t, c, footprint) to sleep at node d (Algorithm 2 line 20). */
  add(d: number, t: number, c: number, loc: Int32Array, w: Uint8Array, off: number, len: number): void {
    const k = this.end[d]!;
    this.ensureEntries(k + 1);
    let o = this.fpTop[d]!;
    if (o + len > this.loc.length) {
      this.loc = growI32(this.loc, o + len);
      this.write = growU8(this.write, o + len);
    }
    this.thread[k] = t;
    this.choice[k] = c;
    this.fpOff[k] = o;
    this.fpLen[k] = len;
    for (let i = 0; i < len; i++, o++) {
      this.loc[o] = loc[off + i]!;
      this.write[o] = w[off + i]!;
    }
    this.fpTop[d] = o;
    this.end[d] = k + 1;
  }

  private ensureNodes(n: number): void {
    if (n <= this.start.length) return;
    this.start = growI32(this.start, n);
    this.end = growI32(this.end, n);
    this.fpTop = growI32(this.fpTop, n);
  }

  private ensureEntries(n: number): void {
    if (n <= this.thread.length) return;
    this.thread = growI32(this.thread, n);
    this.choice = growI32(this.choice, n);
    this.fpOff = growI32(this.fpOff, n);
    this.fpLen = growI32(this.fpLen, n);
  }
}
