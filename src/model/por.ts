// Stored-state partial-order reduction (`--reduce por`, docs/reductions.md): in a state, one
// thread whose next step commutes with everything every other entity may still do is a
// persistent set of its own, and the search may expand that thread alone.
//
// Per thread and pc, two tables of class sets (por-classes.ts) computed when the system is
// built: `cur`, what the step resting at that pc may read and write (its guard and its
// choices included, por-footprint.ts), and `fut`, the union of `cur` over every pc the
// thread's control-flow graph reaches from there (LocalFlow.next, as model/cycles.ts uses
// it). The deferred frees (callback entities) count when one is armed, or when another
// thread's future may arm one (call_rcu, kfree_rcu, call_srcu write the class DEFER).
// ample(s) returns the first user thread t that is enabled at s and whose step at its pc
//   - is not TOP and writes no class an invariant reads (it is invisible), and
//   - conflicts (write/write, read/write) with no `fut` of another user thread at its pc nor
//     with the deferred frees;
// else -1. The search adds what only it can check (search/por-expansion.ts: no step of t
// raises a violation, and the cycle proviso). The tables are typed arrays; ample()
// allocates nothing.
import type { Layout } from './layout.js';
import type { Op } from './lower-steps.js';
import { DEFER, type PorClasses, porClasses } from './por-classes.js';
import { SpecFootprints, type StaticAccess } from './por-footprint.js';
import type { Program } from './program.js';
import type { Footprint } from './system.js';

/** One thread's tables: `words` Int32 per pc, the class sets of `cur` and `fut`. */
interface ThreadTables {
  pcWord: number;
  curR: Int32Array;
  curW: Int32Array;
  futR: Int32Array;
  futW: Int32Array;
  /** 1 when the step at pc may form an ample set (not TOP, invisible). */
  eligible: Uint8Array;
}

export class PartialOrder {
  readonly classes: PorClasses;
  private readonly words: number;
  private readonly threads: ThreadTables[];
  /** What the deferred frees may read and write, together. */
  private readonly envR: Int32Array;
  private readonly envW: Int32Array;
  /** Scratch: the union of the other threads' futures in the state being looked at. */
  private readonly othersR: Int32Array;
  private readonly othersW: Int32Array;
  private readonly callbacks: Program['callbacks'];

  constructor(program: Program) {
    const { spec, layout, scenario } = program;
    const classes = porClasses(spec, layout);
    this.classes = classes;
    const W = classes.words;
    this.words = W;
    const bodies = [...scenario.threads.map((t) => t.body), spec.init, ...(scenario.init ? [scenario.init] : [])];
    const foot = new SpecFootprints(spec, layout, classes, bodies);
    const inv = new Int32Array(W);
    program.invariantReads.forEach((m, loc) => {
      if (m === 1) setBit(inv, classes.classOfLoc[loc]!);
    });
    this.threads = program.threads.map((th, tid) => {
      const n = th.ops.length;
      const curR = new Int32Array(n * W);
      const curW = new Int32Array(n * W);
      const eligible = new Uint8Array(n);
      th.ops.forEach((op, pc) => {
        const a = op.visible ? foot.ofSpan(op.span) : null;
        if (op.visible && (a === null || a.top)) {
          fillAll(curR, pc * W, classes.count);
          fillAll(curW, pc * W, classes.count);
          return;
        }
        if (a !== null) setAccess(curR, curW, pc * W, a, classes.own(tid));
        eligible[pc] = disjoint(curW, pc * W, inv) ? 1 : 0;
        // A step that writes what an invariant reads checks the invariants: their reads join it.
        if (eligible[pc] === 0) for (let k = 0; k < W; k++) curR[pc * W + k]! |= inv[k]!;
      });
      const futR = future(th.ops, curR, W);
      const futW = future(th.ops, curW, W);
      return { pcWord: th.layout.pc, curR, curW, futR, futW, eligible };
    });
    this.othersR = new Int32Array(W);
    this.othersW = new Int32Array(W);
    this.callbacks = program.callbacks;
    this.envR = new Int32Array(W);
    this.envW = new Int32Array(W);
    if (program.callbacks.length > 0) {
      envSets(layout, classes, this.envR, this.envW);
      for (let k = 0; k < W; k++) this.envR[k]! |= inv[k]!; // a free checks the invariants
    }
  }

  /** A user thread whose step alone is a persistent, invisible set at s, or -1. */
  ample(s: Int32Array, choices: (s: Int32Array, t: number) => number): number {
    const threads = this.threads;
    const W = this.words;
    let pending = -1; // unknown until a thread qualifies
    for (let t = 0; t < threads.length; t++) {
      const th = threads[t]!;
      const pc = s[th.pcWord]!;
      if (pc < 0 || th.eligible[pc] !== 1) continue;
      if (choices(s, t) === 0) continue;
      if (pending < 0) pending = this.anyPending(s) ? 1 : 0;
      const oR = this.othersR;
      const oW = this.othersW;
      oR.fill(0);
      oW.fill(0);
      for (let u = 0; u < threads.length; u++) {
        const tu = threads[u]!;
        const pu = s[tu.pcWord]!;
        if (u === t || pu < 0) continue;
        for (let k = 0; k < W; k++) {
          oR[k]! |= tu.futR[pu * W + k]!;
          oW[k]! |= tu.futW[pu * W + k]!;
        }
      }
      // A deferred free runs only once armed: it counts when one is armed or another may arm one.
      if (pending === 1 || (oW[DEFER >>> 5]! & (1 << (DEFER & 31))) !== 0) {
        for (let k = 0; k < W; k++) {
          oR[k]! |= this.envR[k]!;
          oW[k]! |= this.envW[k]!;
        }
      }
      let ok = true;
      for (let k = 0; k < W && ok; k++) {
        const i = pc * W + k;
        if ((th.curW[i]! & (oR[k]! | oW[k]!)) !== 0 || (th.curR[i]! & oW[k]!) !== 0) ok = false;
      }
      if (ok) return t;
    }
    return -1;
  }

  private anyPending(s: Int32Array): boolean {
    const cbs = this.callbacks;
    for (let i = 0; i < cbs.length; i++) if (cbs[i]!.pending(s)) return true;
    return false;
  }

  /**
   * The test of the static sets: null when every location entity t's step from pc recorded
   * in fp (and its guard's in guard) lies in its `cur` (for a deferred free: the entities'
   * set), else what escaped. The property tests run it on every step of random specs.
   */
  escapes(t: number, pc: number, fp: Footprint, guard: Footprint): string | null {
    const th = this.threads[t];
    const W = this.words;
    const inR = (c: number): boolean =>
      th === undefined ? hasBit(this.envR, 0, c) : pc >= 0 && hasBit(th.curR, pc * W, c);
    const inW = (c: number): boolean =>
      th === undefined ? hasBit(this.envW, 0, c) : pc >= 0 && hasBit(th.curW, pc * W, c);
    const check = (f: Footprint): string | null => {
      for (let i = 0; i < f.n; i++) {
        const loc = f.locs[i]!;
        if (loc >= this.classes.classOfLoc.length) continue; // a wrapper's own location
        const c = this.classes.classOfLoc[loc]!;
        const w = f.writes[i] === 1;
        if (!(w ? inW(c) : inR(c))) return `${w ? 'writes' : 'reads'} ${this.classes.names[c]} (location ${loc})`;
      }
      return null;
    };
    return check(fp) ?? check(guard);
  }
}

function setBit(set: Int32Array, c: number, base = 0): void {
  set[base + (c >>> 5)]! |= 1 << (c & 31);
}

function hasBit(set: Int32Array, base: number, c: number): boolean {
  return (set[base + (c >>> 5)]! & (1 << (c & 31))) !== 0;
}

function fillAll(set: Int32Array, base: number, count: number): void {
  for (let c = 0; c < count; c++) setBit(set, c, base);
}

function setAccess(r: Int32Array, w: Int32Array, base: number, a: StaticAccess, own: number): void {
  for (const c of a.r) setBit(r, c, base);
  for (const c of a.w) {
    setBit(r, c, base);
    setBit(w, c, base);
  }
  if (a.self) {
    setBit(r, own, base);
    setBit(w, own, base);
  }
}

function disjoint(set: Int32Array, base: number, mask: Int32Array): boolean {
  for (let k = 0; k < mask.length; k++) if ((set[base + k]! & mask[k]!) !== 0) return false;
  return true;
}

/**
 * Per pc, the union of `cur` over every pc reachable from it (itself included), by the ops'
 * stated successors; every pc gets the union of the whole table when some op states none.
 */
function future(ops: readonly Op[], cur: Int32Array, W: number): Int32Array {
  const n = ops.length;
  const fut = cur.slice();
  if (ops.some((op) => op.flow === undefined)) {
    const all = new Int32Array(W);
    for (let i = 0; i < n * W; i++) all[i % W]! |= cur[i]!;
    for (let pc = 0; pc < n; pc++) fut.set(all, pc * W);
    return fut;
  }
  const succ = ops.map((op) =>
    op.flow!.next.map((to) => (typeof to === 'number' ? to : to.pc)).filter((q) => q >= 0 && q < n),
  );
  // Fixpoint: jumps go both ways (loops, goto), so sweep until nothing grows.
  for (let changed = true; changed; ) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      for (const q of succ[pc]!) {
        for (let k = 0; k < W; k++) {
          const v = fut[pc * W + k]! | fut[q * W + k]!;
          if (v !== fut[pc * W + k]) {
            fut[pc * W + k] = v;
            changed = true;
          }
        }
      }
    }
  }
  return fut;
}

/** The deferred frees: a slot's words and fields, every thread's block, RCU, lockdep, misc. */
function envSets(layout: Layout, classes: PorClasses, r: Int32Array, w: Int32Array): void {
  const all = [...classes.wide];
  for (const p of layout.poolList) if (p.hasCallbacks) all.push(...classes.fields(p.struct));
  for (const c of all) {
    if (c < 0) continue;
    setBit(r, c);
    setBit(w, c);
  }
}

/**
 * The `por` reduction of a system built with `options`: `{ ample }` (TransitionSystem.ample),
 * or `{}` when it is off, and with the data_race check (a step reads the others' next steps)
 * or the leak check (its step-time warning reads the whole heap), whose reads the tables do
 * not hold.
 */
export function porAmple(
  program: Program,
  options: { reduce?: ReadonlySet<string>; leak?: boolean },
  sys: { choices(s: Int32Array, t: number): number },
): { ample?: (s: Int32Array) => number } {
  if (options.reduce?.has('por') !== true || program.dataRace || options.leak === true) return {};
  const po = new PartialOrder(program);
  const choices = (s: Int32Array, t: number): number => sys.choices(s, t);
  return { ample: (s) => po.ample(s, choices) };
}
