// Spin loops for stateless DPOR. A thread that loops on shared state it does not change
// (`while (atomic_read(x) != 0);`, a retry loop) would give every execution an unbounded
// number of iterations. As GenMC's and Nidhugg's spin-assume transformations do statically,
// we turn such a loop into a wait, dynamically: when thread t's last events (one or more,
// ending with the event just taken) wrote nothing shared, brought t's private words back to
// what they were before the first of them, and no other thread wrote a location they read
// in the meantime, then running them again would repeat them exactly (steps are
// deterministic functions of the private words and the values read, once no step of them
// has a choice: a `choose` or `either` may go another way next time). Thread t is then
// parked: it counts as blocked until another thread writes a location of that iteration's
// footprint. A stuck spinner thus ends as a deadlock (sys.terminal), and a live one costs
// one iteration per value it waits through. Parking never hides a behaviour: an iteration
// that is not taken again would only have read the same values, and any write that lands
// in the middle of an iteration can land in the middle of the first one as well (the
// events between that iteration and the write are independent of it).
import type { TransitionSystem } from '../../model/system.js';
import { type Execution, growI32 } from './execution.js';

/** How far back (events of any thread) a loop iteration is looked for. */
const LOOKBACK = 512;

export class SpinDetector {
  private readonly readMark: Int32Array;
  private readonly writeMark: Int32Array;
  private stamp = 0;
  private guard = new Int32Array(16);
  private readonly words: { start: number; end: number }[] = [];

  constructor(
    sys: TransitionSystem,
    private readonly exec: Execution,
  ) {
    this.readMark = new Int32Array(sys.locationCount + sys.threadCount);
    this.writeMark = new Int32Array(sys.locationCount + sys.threadCount);
    for (let t = 0; t < sys.threadCount; t++) this.words.push(sys.threadWords(t));
  }

  /**
   * After event j of thread t (node j + 1 exists): parks t at node j + 1 and returns true
   * when t is spinning.
   */
  check(j: number, t: number): boolean {
    const ex = this.exec;
    if (ex.hasWrite(j)) return false;
    const stamp = ++this.stamp;
    const { start, end } = this.words[t]!;
    const after = ex.state(j + 1);
    let n = 0;
    for (let k = j; k >= 0 && k > j - LOOKBACK; k--) {
      const f0 = ex.fpStart[k]!;
      const f1 = ex.fpStart[k + 1]!;
      if (ex.thread[k] !== t) {
        for (let f = f0; f < f1; f++) {
          if (ex.fpWrite[f] !== 1) continue;
          const l = ex.fpLoc[f]!;
          if (this.readMark[l] === stamp) return false; // the iteration could read another value
          this.writeMark[l] = stamp;
        }
        continue;
      }
      // A step of t with more than one choice (choose, either) may go another way the next
      // time: the iteration need not repeat, so the loop may have a way out (its alternatives
      // are explored from this iteration, but parked, t would end as a deadlock it is not in).
      if (ex.nChoices[k]! > 1) return false;
      for (let f = f0; f < f1; f++) {
        if (ex.fpWrite[f] === 1) return false; // t wrote: not a pure spin
        const l = ex.fpLoc[f]!;
        if (this.writeMark[l] === stamp) return false;
        if (this.readMark[l] !== stamp) {
          this.readMark[l] = stamp;
          if (n === this.guard.length) this.guard = growI32(this.guard, n + 1);
          this.guard[n++] = l;
        }
      }
      if (samePrivate(ex.state(k), after, start, end)) {
        ex.park(j + 1, t, this.guard, n);
        return true;
      }
    }
    return false;
  }
}

function samePrivate(a: Int32Array, b: Int32Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}
