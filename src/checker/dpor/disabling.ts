// Disablings no footprint shows, noted as each node of the DPOR search is reached
// (search.ts arrive); race analysis (races.ts) reverses them. And the footprint of an event
// that is not on the path, with its disablings, for a sleep entry.
import type { Footprint, TransitionSystem } from '../../model/system.js';
import { cutsOf, restoreCuts } from '../systems/target.js';
import type { Execution } from './execution.js';

/**
 * Threads that event d stopped although it wrote nothing their guard reads, or that it
 * made finished without their moving (a wrapper's sink state after a cut violation, a
 * guardFootprint that misses a location). A thread that was enabled races with event d
 * like a blocked thread's step with a write to its guard: event d now writes a virtual
 * location of u's (locationCount + u) that u's step in the wakeup sequence reads, so that
 * the wakeup tree sees the two conflict. A thread that was blocked and is now finished
 * (frozen) is analysed as blocked at node d. See races.ts.
 */
export function checkDisablings(
  sys: TransitionSystem,
  ex: Execution,
  nodeCh: Int32Array,
  guard: Footprint,
  d: number,
): void {
  const T = sys.threadCount;
  const t = ex.thread[d]!;
  ex.disTop[d + 1] = ex.disTop[d]!;
  const before = ex.state(d);
  const after = ex.state(d + 1);
  for (let u = 0; u < T; u++) {
    if (u === t || nodeCh[(d + 1) * T + u]! > 0 || ex.isParked(d + 1, u)) continue;
    if (nodeCh[d * T + u]! === 0) {
      // blocked before: only a thread frozen into "finished" is news
      if (!ex.isParked(d, u) && !sys.isFinished(before, u) && sys.isFinished(after, u))
        ex.noteDisabling(d, u, sys.locationCount + u, true);
      continue;
    }
    if (!sys.isFinished(after, u)) {
      sys.guardFootprint(before, u, guard);
      let seen = false;
      for (let i = 0; i < guard.n && !seen; i++) {
        const loc = guard.locs[i]!;
        for (let f = ex.fpStart[d]!; f < ex.fpStart[d + 1]! && !seen; f++)
          seen = ex.fpWrite[f] === 1 && ex.fpLoc[f] === loc;
      }
      if (seen) continue;
    }
    ex.noteDisabling(d, u, sys.locationCount + u, false);
  }
}

/**
 * The footprint event (t, c) has at state s, as Execution.record builds it (the step's, the
 * guard's as reads, a read of t's virtual location), plus a write of the virtual location of
 * every other thread the step stops or freezes: more than checkDisablings notes, so a sleep
 * entry with it is woken at least as often. For a branch another worker explores (search.ts
 * nextBranch). Null when the event is not enabled at s. A cut violation of the expected-kind
 * wrapper is not counted: the worker that explores the branch counts it.
 */
export function eventFootprint(
  sys: TransitionSystem,
  s: Int32Array,
  t: number,
  c: number,
  fp: Footprint,
  guard: Footprint,
): { loc: Int32Array; write: Uint8Array } | null {
  if (sys.choices(s, t) <= c) return null;
  const next = new Int32Array(sys.stateWords);
  const saved = cutsOf(sys);
  sys.guardFootprint(s, t, guard);
  sys.step(s, t, c, next, fp);
  restoreCuts(sys, saved);
  const loc: number[] = [];
  const write: number[] = [];
  for (let i = 0; i < fp.n; i++) {
    loc.push(fp.locs[i]!);
    write.push(fp.writes[i]!);
  }
  for (let i = 0; i < guard.n; i++) {
    loc.push(guard.locs[i]!);
    write.push(0);
  }
  loc.push(sys.locationCount + t);
  write.push(0);
  for (let u = 0; u < sys.threadCount; u++) {
    if (u === t) continue;
    const stops = sys.choices(s, u) > 0 && sys.choices(next, u) === 0;
    if (stops || (!sys.isFinished(s, u) && sys.isFinished(next, u))) {
      loc.push(sys.locationCount + u);
      write.push(1);
    }
  }
  return { loc: Int32Array.from(loc), write: Uint8Array.from(write) };
}
