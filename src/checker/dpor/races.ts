// Race analysis at the end of an execution (Abdulla et al., JACM 2017: Algorithm 2 lines
// 2-7 for optimal DPOR, the race loop of Algorithm 1 for source-DPOR, run once
// per execution as Nidhugg does). For every reversible race e ≲ e' it builds the wakeup
// sequence v = notdep(e, E).e' and hands it to the wakeup tree (optimal: if no sleeping
// event is a weak initial of v, insert v) or the backtrack set (source: add an initial of v).
// notdep is taken over the whole execution for both variants (see docs/dpor.md).
//
// Races, beyond the read/write races of plain DPOR (happens-before.ts):
// - e' is a blocking step (lock, await: its guard is not empty): every earlier write w of
//   another thread to a guard location is a race candidate, not only the last one, since
//   the write in between (an unlock) may be one e' cannot be moved before (as Nidhugg's
//   lock/await races do). Whether e' can run before w is decided by running it there.
// - a thread blocked at the end of E (guard false, or parked in a spin loop) races with
//   every write to its guard: it may have run before that write.
// - a nondeterministic event (t, c) "races" with its other choices (t, c'): they are
//   enabled wherever (t, c) is and exclude each other, like Nidhugg's Nondet races.
// - a thread that an event disabled or froze without writing its guard (a wrapper's cut
//   violation, see search.ts checkDisablings) races with that event.
// The last event of v runs in a context without e, so its footprint, even whether it is
// enabled, may differ from e' in E: it is evaluated on the context's state (evalLast).
import { Footprint, type TransitionSystem } from '../../model/system.js';
import { type Execution, footprintsConflict, growI32 } from './execution.js';
import { HappensBefore } from './happens-before.js';
import type { SleepSets } from './sleep-set.js';
import { WakeupSeq, type WakeupTree } from './wakeup-tree.js';

export class RaceAnalyzer {
  private readonly order: HappensBefore;
  private seen = new Int32Array(0);
  /** The writes a blocking or blocked event races with, gathered before they are reversed. */
  private writers = new Int32Array(64);
  private marks: Int32Array;
  private stamp = 0;
  private readonly seq = new WakeupSeq();
  private cur: Int32Array;
  private nxt: Int32Array;
  private readonly simFp = new Footprint();
  private readonly simGuard = new Footprint();
  /** Model steps spent evaluating the last events of wakeup sequences (statistics). */
  evaluatedSteps = 0;

  constructor(
    private readonly sys: TransitionSystem,
    private readonly exec: Execution,
    private readonly sleep: SleepSets,
    private readonly tree: WakeupTree,
    private readonly optimal: boolean,
    /** pathNode[d]: the wakeup-tree node of node d of the current execution. */
    private readonly pathNode: () => Int32Array,
    /** Called once per alternative of a nondeterministic event: true stops the analysis (a bound). */
    private readonly stop: () => boolean = () => false,
  ) {
    this.order = new HappensBefore(exec, sys.threadCount, sys.locationCount + sys.threadCount);
    this.marks = new Int32Array(sys.locationCount + sys.threadCount); // + one virtual location per thread
    this.cur = new Int32Array(sys.stateWords);
    this.nxt = new Int32Array(sys.stateWords);
  }

  /** Analyzes the n events of the current execution, which ends at node n. */
  analyze(n: number): void {
    const order = this.order;
    order.compute(n);
    const ex = this.exec;
    if (this.seen.length < n) this.seen = growI32(this.seen, n);
    this.seen.fill(0, 0, n);
    for (let j = 0; j < n; j++) {
      for (let k = order.raceStart[j]!; k < order.raceStart[j + 1]!; k++) {
        const e = order.races[k]!;
        this.seen[e] = j + 1;
        this.reverse(e, j, n);
      }
      if (ex.guardStart[j + 1]! > ex.guardStart[j]!) this.blockingRaces(j, n);
      const k = ex.nChoices[j]!;
      for (let c = 0; c < k; c++) {
        if (this.stop()) return;
        if (c !== ex.choice[j]) this.alternative(j, c, n);
      }
    }
    this.blockedAtEnd(n);
    for (let i = 0; i < ex.disTop[n]!; i++) {
      const w = ex.disEv[i]!;
      const u = ex.disThread[i]!;
      if (ex.disFrozen[i] === 1) this.blockedRaces(u, w);
      else this.invisiblyDisabled(w, u, n);
    }
  }

  /** a happens before b (a < b, or a === b). */
  private hb(a: number, b: number): boolean {
    return this.order.hb(a, b);
  }

  /** e ≲ j: wakeup sequence notdep(e, E).e' at node e (Algorithm 2 lines 4-7). */
  private reverse(e: number, j: number, n: number): void {
    const ex = this.exec;
    const p = ex.thread[j]!;
    const c = ex.choice[j]!;
    // Does something that v leaves out (e and what happens after it, before j) write a
    // location e' touches? Then e' may act differently in v.
    const stamp = this.markFootprint(j);
    let changed = false;
    for (let k = e; k < j && !changed; k++) {
      if ((k === e || this.hb(e, k)) && ex.writesMarked(k, this.marks, stamp)) changed = true;
    }
    const full = this.capped(e, n);
    this.seq.clear();
    this.pushNotdep(e, full);
    if (!changed && full > j) {
      const o = ex.fpStart[j]!;
      this.seq.push(p, c, ex.fpLoc, ex.fpWrite, o, ex.fpStart[j + 1]! - o);
    } else if (!this.evalLast(e, full, p, c, false)) {
      // e' may be disabled by what came after it in E: try it right after what came before
      const before = Math.min(j, full);
      this.seq.clear();
      this.pushNotdep(e, before);
      if (!this.evalLast(e, before, p, c, false)) return; // e' cannot run before e: not a race
    }
    this.submit(e);
  }

  /** Blocking event j races with every earlier write to its guard it may precede. */
  private blockingRaces(j: number, n: number): void {
    const ex = this.exec;
    const p = ex.thread[j]!;
    const stamp = ++this.stamp;
    for (let g = ex.guardStart[j]!; g < ex.guardStart[j + 1]!; g++) this.marks[ex.guardLoc[g]!] = stamp;
    const prev = this.order.prevEv[j]!;
    let found = 0;
    for (let w = 0; w < j; w++) {
      if (ex.thread[w] === p || this.seen[w] === j + 1) continue;
      if (!ex.writesMarked(w, this.marks, stamp)) continue;
      if (prev >= 0 && this.hb(w, prev)) continue;
      this.seen[w] = j + 1;
      found = this.gather(found, w);
    }
    // reverse() never gathers, so the buffer holds still while it runs
    for (let i = 0; i < found; i++) this.reverse(this.writers[i]!, j, n);
  }

  /** The other choices c of nondeterministic event j: v = notdep(j, E).(t, c). */
  private alternative(j: number, c: number, n: number): void {
    const ex = this.exec;
    const t = ex.thread[j]!;
    this.seq.clear();
    const end = this.optimal ? this.capped(j, n) : j + 1;
    this.pushNotdep(j, end);
    if (!this.evalLast(j, end, t, c, false)) {
      // something after it in E stops t (a cut violation): the alternative alone
      this.seq.clear();
      if (!this.evalLast(j, j + 1, t, c, false)) return;
    }
    this.submit(j);
  }

  /** Threads blocked (or parked) at node n race with the writes to what they wait on. */
  private blockedAtEnd(n: number): void {
    const sys = this.sys;
    const s = this.exec.state(n);
    for (let p = 0; p < sys.threadCount; p++) {
      if (sys.isFinished(s, p)) continue;
      if (this.exec.isParked(n, p) || sys.choices(s, p) === 0) this.blockedRaces(p, n);
    }
  }

  /**
   * Thread p is blocked at node `end` (the end of the execution, or the event that froze
   * it): every earlier write w to its guard that p's last event does not already follow is
   * a race; v = notdep(w).p, with the events before `end`, if p can run there.
   */
  private blockedRaces(p: number, end: number): void {
    const ex = this.exec;
    const sys = this.sys;
    const stamp = ++this.stamp;
    if (ex.isParked(end, p)) {
      const o = ex.parkOff[end * sys.threadCount + p]!;
      for (let i = 0; i < ex.parkLen[end * sys.threadCount + p]!; i++) this.marks[ex.parkLoc[o + i]!] = stamp;
    } else {
      sys.guardFootprint(ex.state(end), p, this.simGuard);
      for (let i = 0; i < this.simGuard.n; i++) this.marks[this.simGuard.locs[i]!] = stamp;
    }
    const last = this.order.lastOf[p]!;
    let found = 0;
    for (let w = 0; w < end; w++) {
      if (ex.thread[w] === p || !ex.writesMarked(w, this.marks, stamp)) continue;
      if (last >= 0 && this.hb(w, last)) continue;
      found = this.gather(found, w);
    }
    for (let i = 0; i < found; i++) {
      const w = this.writers[i]!;
      const until = this.capped(w, end);
      this.seq.clear();
      this.pushNotdep(w, until);
      if (!this.evalLast(w, until, p, 0, true)) {
        // something in notdep(w) stops p: only what p's past needs
        const past = Math.max(w, last) + 1;
        if (past >= until) continue;
        this.seq.clear();
        this.pushNotdep(w, past);
        if (!this.evalLast(w, past, p, 0, true)) continue;
      }
      this.submit(w);
    }
  }

  /** Thread p's step, enabled at node w, was disabled by event w: v = notdep(w).p, up to p's next event. */
  private invisiblyDisabled(w: number, p: number, n: number): void {
    const ex = this.exec;
    let end = w + 1;
    while (end < n && ex.thread[end] !== p) end++;
    end = this.capped(w, end);
    this.seq.clear();
    this.pushNotdep(w, end);
    if (this.evalLast(w, end, p, 0, false)) this.submit(w);
  }

  /**
   * The end of the context of a wakeup sequence from node e: `end`, or the first event of
   * notdep(e) before it that disabled a thread invisibly (a cut violation's sink stops
   * everything, so nothing can follow it in a sequence).
   */
  private capped(e: number, end: number): number {
    const ex = this.exec;
    for (let i = 0; i < ex.disTop[end]!; i++) {
      const k = ex.disEv[i]!;
      if (k > e && k < end && !this.hb(e, k)) return k;
    }
    return end;
  }

  /** Appends notdep(e, E) restricted to events before `end`. */
  private pushNotdep(e: number, end: number): void {
    const ex = this.exec;
    for (let k = e + 1; k < end; k++) {
      if (this.hb(e, k)) continue;
      const o = ex.fpStart[k]!;
      this.seq.push(ex.thread[k]!, ex.choice[k]!, ex.fpLoc, ex.fpWrite, o, ex.fpStart[k + 1]! - o);
    }
  }

  /**
   * The last event of v, (p, c), in its context: node e, then notdep(e) up to `end`. The
   * context's state is rebuilt from the recorded states without running the model: an event
   * of notdep(e) reads the same values in the context as in E, so it acts the same there; it
   * changes the words it changed across it in E (also words no footprint shows, such as a
   * wrapper's sink word, and its thread's private words) and writes what its footprint says
   * it wrote (a write of an unchanged value too). Then p's guard and step run on that state.
   * Appends the event to the sequence; false when it is not enabled there.
   */
  private evalLast(e: number, end: number, p: number, c: number, checkParked: boolean): boolean {
    const ex = this.exec;
    const sys = this.sys;
    if (checkParked && ex.isParked(e, p) && this.stillParked(e, end, p)) return false;
    const W = sys.stateWords;
    const cur = this.cur;
    cur.set(ex.state(e));
    for (let k = e + 1; k < end; k++) {
      if (this.hb(e, k)) continue;
      const after = ex.state(k + 1);
      for (let i = ex.deltaStart[k]!; i < ex.deltaStart[k + 1]!; i++) cur[ex.deltaLoc[i]!] = after[ex.deltaLoc[i]!]!;
      for (let f = ex.fpStart[k]!; f < ex.fpStart[k + 1]!; f++) {
        const l = ex.fpLoc[f]!;
        if (ex.fpWrite[f] === 1 && l < W) cur[l] = after[l]!;
      }
    }
    if (sys.choices(cur, p) <= c) return false;
    sys.guardFootprint(cur, p, this.simGuard);
    sys.step(cur, p, c, this.nxt, this.simFp);
    this.evaluatedSteps++;
    // the footprint as Execution.record builds it: step, guard, the thread's disabled location
    const fp = this.simFp;
    for (let i = 0; i < this.simGuard.n; i++) fp.read(this.simGuard.locs[i]!);
    fp.read(sys.locationCount + p);
    this.seq.push(p, c, fp.locs, fp.writes, 0, fp.n);
    return true;
  }

  /** Whether p, parked at node e, is still parked after notdep(e) up to `end`. */
  private stillParked(e: number, end: number, p: number): boolean {
    const ex = this.exec;
    const T = this.sys.threadCount;
    const stamp = ++this.stamp;
    const o = ex.parkOff[e * T + p]!;
    for (let i = 0; i < ex.parkLen[e * T + p]!; i++) this.marks[ex.parkLoc[o + i]!] = stamp;
    for (let k = e + 1; k < end; k++) {
      if (this.hb(e, k)) continue;
      if (ex.thread[k] === p || ex.writesMarked(k, this.marks, stamp)) return false;
    }
    return true;
  }

  /** Appends event w to the writers buffer holding `found` of them; the new count. */
  private gather(found: number, w: number): number {
    if (found === this.writers.length) this.writers = growI32(this.writers, 2 * found);
    this.writers[found] = w;
    return found + 1;
  }

  private submit(e: number): void {
    const node = this.pathNode()[e]!;
    if (this.optimal) {
      if (this.sleepClears(e)) this.tree.insert(node, this.seq);
    } else {
      this.tree.addSource(node, this.seq, this.sleep, e);
    }
  }

  /** sleep(E') ∩ WI_[E'](v) = ∅ (Algorithm 2 line 6): every sleeper is woken by v. */
  private sleepClears(d: number): boolean {
    const sl = this.sleep;
    const v = this.seq;
    for (let q = sl.first(d); q < sl.last(d); q++) {
      const t = sl.thread[q]!;
      let woken = false;
      for (let i = 0; i < v.n && !woken; i++) {
        if (v.thread[i] === t) {
          if (v.choice[i] === sl.choice[q]) return false; // q is an initial of v
          woken = true;
        } else if (
          footprintsConflict(v.loc, v.write, v.off[i]!, v.len[i]!, sl.loc, sl.write, sl.fpOff[q]!, sl.fpLen[q]!)
        ) {
          woken = true;
        }
      }
      if (!woken) return false; // q is independent of v: a weak initial
    }
    return true;
  }

  private markFootprint(j: number): number {
    const ex = this.exec;
    const stamp = ++this.stamp;
    for (let f = ex.fpStart[j]!; f < ex.fpStart[j + 1]!; f++) this.marks[ex.fpLoc[f]!] = stamp;
    return stamp;
  }
}
