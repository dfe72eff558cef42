// Wakeup trees (Abdulla, Aronis, Jonsson, Sagonas, "Source Sets: A Foundation for Optimal
// Dynamic Partial Order Reduction", JACM 2017, section 6) kept as ONE tree over the current
// execution, as Nidhugg does: node 0 is the initial node, and the children of the node at
// depth d are wut(E_d), in the order ≺ they were added. The first child of a node on the
// current path is the branch being explored (in a split search, the first that is not
// foreign); when it is done it is removed with its subtree (Algorithm 2 line 21). Source-DPOR uses the same tree as its backtrack sets: there
// every pending child is a leaf.
//
// A child is an event (thread, choice) with the footprint it has in that context. A node on
// the current path gets its footprint from the execution (`depth` ≥ 0); a pending node keeps
// the footprint of the wakeup sequence it came from in the tree's own pool.
import { type Execution, footprintsConflict, growI32, growU8 } from './execution.js';
import type { SleepSets } from './sleep-set.js';

/** A wakeup sequence v being built by race analysis: events with their footprints. */
export class WakeupSeq {
  n = 0;
  thread = new Int32Array(64);
  choice = new Int32Array(64);
  off = new Int32Array(64);
  len = new Int32Array(64);
  /** 0 once the event has been matched during insertion. */
  live = new Uint8Array(64);
  loc = new Int32Array(256);
  write = new Uint8Array(256);
  private top = 0;

  clear(): void {
    this.n = 0;
    this.top = 0;
  }

  push(t: number, c: number, loc: Int32Array, w: Uint8Array, off: number, len: number): void {
    const i = this.n;
    if (i === this.thread.length) {
      this.thread = growI32(this.thread, i + 1);
      this.choice = growI32(this.choice, i + 1);
      this.off = growI32(this.off, i + 1);
      this.len = growI32(this.len, i + 1);
      const live = new Uint8Array(this.thread.length);
      live.set(this.live);
      this.live = live;
    }
    if (this.top + len > this.loc.length) {
      this.loc = growI32(this.loc, this.top + len);
      this.write = growU8(this.write, this.top + len);
    }
    this.thread[i] = t;
    this.choice[i] = c;
    this.off[i] = this.top;
    this.len[i] = len;
    this.live[i] = 1;
    for (let k = 0; k < len; k++) {
      this.loc[this.top + k] = loc[off + k]!;
      this.write[this.top + k] = w[off + k]!;
    }
    this.top += len;
    this.n = i + 1;
  }

  conflicts(i: number, j: number): boolean {
    return footprintsConflict(
      this.loc,
      this.write,
      this.off[i]!,
      this.len[i]!,
      this.loc,
      this.write,
      this.off[j]!,
      this.len[j]!,
    );
  }

  /** Whether event i is an initial of the live events: first of its thread, no conflicting live event before it. */
  isInitial(i: number): boolean {
    const t = this.thread[i]!;
    for (let k = 0; k < i; k++) {
      if (this.live[k] === 0) continue;
      if (this.thread[k] === t || this.conflicts(k, i)) return false;
    }
    return true;
  }
}

const NONE = -1;

export class WakeupTree {
  thread = new Int32Array(256);
  choice = new Int32Array(256);
  firstChild = new Int32Array(256);
  lastChild = new Int32Array(256);
  nextSibling = new Int32Array(256);
  /** Depth of the event on the current path, or -1 for a pending node. */
  depth = new Int32Array(256);
  fpOff = new Int32Array(256);
  fpLen = new Int32Array(256);
  /**
   * A split search (dpor/split.ts, docs/distributed.md): foreign[n] = 1 for a node another
   * worker explores (a branch handed over, with its subtree). Insertions walk foreign
   * subtrees as any other; one that adds a sequence below foreign nodes claims them: they
   * become partial (partial[n] = 1), explored here for the new sequence only, the node's
   * other branches and its free choice staying the owner's. The search never takes a foreign
   * branch; it sleeps once passed, as a branch explored before the next would.
   */
  foreign = new Uint8Array(256);
  partial = new Uint8Array(256);
  /** The nodes an insertion walked through (claimed when it adds below foreign ones). */
  private walk = new Int32Array(64);
  private loc = new Int32Array(1024);
  private write = new Uint8Array(1024);
  private fpTop = 0;
  private fpLive = 0;
  private freeList = NONE;
  private used = 1;
  /** Sequences added by insertions (statistics and tests). */
  inserted = 0;

  constructor(private readonly exec: Execution) {
    this.reset();
  }

  reset(): void {
    this.used = 1;
    this.freeList = NONE;
    this.fpTop = 0;
    this.fpLive = 0;
    this.firstChild[0] = this.lastChild[0] = this.nextSibling[0] = NONE;
    this.depth[0] = -1;
    this.fpLen[0] = 0;
  }

  /** Appends a leaf (t, c) under parent; footprint from seq event i, or none (a path node). */
  addChild(parent: number, t: number, c: number, seq: WakeupSeq | null, i: number): number {
    const n = this.alloc();
    this.thread[n] = t;
    this.choice[n] = c;
    this.firstChild[n] = this.lastChild[n] = this.nextSibling[n] = NONE;
    this.depth[n] = -1;
    this.fpLen[n] = 0;
    this.foreign[n] = 0;
    this.partial[n] = 0;
    if (seq !== null) this.storeFp(n, seq, i);
    const last = this.lastChild[parent]!;
    if (last === NONE) this.firstChild[parent] = n;
    else this.nextSibling[last] = n;
    this.lastChild[parent] = n;
    return n;
  }

  /** Appends a leaf (t, c) under parent with footprint loc/write[off, off + len) (a hand-over, dpor/handover.ts). */
  addChildFp(parent: number, t: number, c: number, loc: ArrayLike<number>, write: ArrayLike<number>): number {
    const n = this.addChild(parent, t, c, null, 0);
    const len = loc.length;
    if (this.fpTop + len > this.loc.length) this.compact(len);
    const o = this.fpTop;
    for (let k = 0; k < len; k++) {
      this.loc[o + k] = loc[k]!;
      this.write[o + k] = write[k]!;
    }
    this.fpOff[n] = o;
    this.fpLen[n] = len;
    this.fpTop = o + len;
    this.fpLive += len;
    return n;
  }

  /** Pending node n's footprint, as plain arrays (a hand-over). */
  footprint(n: number): { loc: number[]; write: number[] } {
    const o = this.fpOff[n]!;
    const len = this.fpLen[n]!;
    return { loc: Array.from(this.loc.subarray(o, o + len)), write: Array.from(this.write.subarray(o, o + len)) };
  }

  /** Pending node c and its subtree go to another worker (see `foreign`). */
  makeForeign(c: number): void {
    this.foreign[c] = 1;
    this.partial[c] = 0;
    for (let k = this.firstChild[c]!; k !== NONE; k = this.nextSibling[k]!) this.makeForeign(k);
  }

  /** Removes parent's child c and its whole subtree. */
  removeChild(parent: number, c: number): void {
    const next = this.nextSibling[c]!;
    let prev = NONE;
    if (this.firstChild[parent] === c) this.firstChild[parent] = next;
    else {
      prev = this.firstChild[parent]!;
      while (this.nextSibling[prev] !== c) prev = this.nextSibling[prev]!;
      this.nextSibling[prev] = next;
    }
    if (next === NONE) this.lastChild[parent] = prev;
    this.freeSubtree(c);
  }

  /** The node's event now runs at depth d of the current path. */
  onPath(n: number, d: number): void {
    this.depth[n] = d;
  }

  /**
   * insert_[E](v, wut(E)) (JACM 2017, section 6, the insertion into wakeup trees; the walk
   * of Nidhugg's race_detect_optimal): go down the first child that is compatible with v, removing the
   * event it matches; stop when a leaf or a weak initial not in v shows that a scheduled
   * execution already covers v; otherwise add the rest of v as a new rightmost branch.
   * Returns whether the tree grew.
   */
  insert(start: number, v: WakeupSeq): boolean {
    let node = start;
    let remaining = v.n;
    let walked = 0;
    for (;;) {
      if (this.firstChild[node] === NONE) return false; // a leaf: an execution that starts with it is scheduled
      let next = NONE;
      for (let c = this.firstChild[node]!; c !== NONE; c = this.nextSibling[c]!) {
        const m = this.matchChild(c, v);
        if (m === -2) continue; // incompatible with v: try the next branch
        if (m === -1) return false; // c is a weak initial of v not in v: c's subtree covers v
        if (remaining === 1) return false;
        v.live[m] = 0;
        remaining--;
        next = c;
        break;
      }
      if (next === NONE) {
        for (let i = 0; i < walked; i++) {
          const w = this.walk[i]!;
          if (this.foreign[w] === 0) continue;
          this.foreign[w] = 0;
          this.partial[w] = 1;
        }
        let parent = node;
        for (let i = 0; i < v.n; i++) {
          if (v.live[i] === 0) continue;
          parent = this.addChild(parent, v.thread[i]!, v.choice[i]!, v, i);
        }
        this.inserted++;
        return true;
      }
      if (walked === this.walk.length) this.walk = growI32(this.walk, walked + 1);
      this.walk[walked++] = next;
      node = next;
    }
  }

  /**
   * Source-DPOR's backtrack-set update (JACM 2017, Algorithm 1): unless some
   * initial of v is already a branch of the node or sleeps there, add one initial of v.
   * Returns whether a branch was added.
   */
  addSource(start: number, v: WakeupSeq, sleep: SleepSets, d: number): boolean {
    let pick = -1;
    for (let i = 0; i < v.n; i++) {
      if (!v.isInitial(i)) continue;
      const t = v.thread[i]!;
      const c = v.choice[i]!;
      if (sleep.has(d, t, c)) return false;
      for (let k = this.firstChild[start]!; k !== NONE; k = this.nextSibling[k]!) {
        if (this.thread[k] === t && this.choice[k] === c) return false;
      }
      if (pick < 0) pick = i;
    }
    if (pick < 0) return false;
    this.addChild(start, v.thread[pick]!, v.choice[pick]!, null, 0);
    this.inserted++;
    return true;
  }

  /**
   * Child c against the live events of v, in order: the index of the event it matches
   * (same thread and choice, nothing conflicting with c before it), -1 when c's thread is
   * not in v and c conflicts with none of it (a weak initial), -2 when incompatible.
   */
  private matchChild(c: number, v: WakeupSeq): number {
    const t = this.thread[c]!;
    let cLoc: Int32Array, cW: Uint8Array, cOff: number, cLen: number;
    const d = this.depth[c]!;
    if (d >= 0) {
      const ex = this.exec;
      cLoc = ex.fpLoc;
      cW = ex.fpWrite;
      cOff = ex.fpStart[d]!;
      cLen = ex.fpStart[d + 1]! - cOff;
    } else {
      cLoc = this.loc;
      cW = this.write;
      cOff = this.fpOff[c]!;
      cLen = this.fpLen[c]!;
    }
    for (let i = 0; i < v.n; i++) {
      if (v.live[i] === 0) continue;
      if (v.thread[i] === t) return v.choice[i] === this.choice[c] ? i : -2;
      if (footprintsConflict(v.loc, v.write, v.off[i]!, v.len[i]!, cLoc, cW, cOff, cLen)) return -2;
    }
    return -1;
  }

  private storeFp(n: number, v: WakeupSeq, i: number): void {
    const len = v.len[i]!;
    if (this.fpTop + len > this.loc.length) this.compact(len);
    const o = this.fpTop;
    const src = v.off[i]!;
    for (let k = 0; k < len; k++) {
      this.loc[o + k] = v.loc[src + k]!;
      this.write[o + k] = v.write[src + k]!;
    }
    this.fpOff[n] = o;
    this.fpLen[n] = len;
    this.fpTop = o + len;
    this.fpLive += len;
  }

  /** Makes room for `need` more footprint words: copies live footprints to a fresh pool. */
  private compact(need: number): void {
    let size = this.loc.length;
    while (this.fpLive + need > size / 2) size *= 2;
    const loc = new Int32Array(size);
    const write = new Uint8Array(size);
    let top = 0;
    const stack = [0];
    while (stack.length > 0) {
      const n = stack.pop()!;
      const len = this.fpLen[n]!;
      if (len > 0) {
        loc.set(this.loc.subarray(this.fpOff[n]!, this.fpOff[n]! + len), top);
        write.set(this.write.subarray(this.fpOff[n]!, this.fpOff[n]! + len), top);
        this.fpOff[n] = top;
        top += len;
      }
      for (let c = this.firstChild[n]!; c !== NONE; c = this.nextSibling[c]!) stack.push(c);
    }
    this.loc = loc;
    this.write = write;
    this.fpTop = top;
    this.fpLive = top;
  }

  private alloc(): number {
    if (this.freeList !== NONE) {
      const n = this.freeList;
      this.freeList = this.nextSibling[n]!;
      return n;
    }
    const n = this.used++;
    if (n === this.thread.length) {
      const size = n + 1;
      this.thread = growI32(this.thread, size);
      this.choice = growI32(this.choice, size);
      this.firstChild = growI32(this.firstChild, size);
      this.lastChild = growI32(this.lastChild, size);
      this.nextSibling = growI32(this.nextSibling, size);
      this.depth = growI32(this.depth, size);
      this.fpOff = growI32(this.fpOff, size);
      this.fpLen = growI32(this.fpLen, size);
      this.foreign = growU8(this.foreign, size);
      this.partial = growU8(this.partial, size);
    }
    return n;
  }

  private freeSubtree(root: number): void {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (let c = this.firstChild[n]!; c !== NONE; c = this.nextSibling[c]!) stack.push(c);
      this.fpLive -= this.fpLen[n]!;
      this.fpLen[n] = 0;
      this.nextSibling[n] = this.freeList;
      this.freeList = n;
    }
  }
}
