// The test oracle for DPOR: plain enumeration of every interleaving (a DFS over every choice
// of every enabled thread, no reduction at all), grouping the executions into Mazurkiewicz
// traces. Deliberately simple; only for small systems.
//
// Two events are dependent when they belong to the same thread, or when their footprints
// (the step's plus the locations its guard read, as DPOR uses them) share a location that
// one of them writes. Executions are equivalent when one can be turned into the other by
// swapping adjacent independent events. The canonical form of an execution's trace is its
// lexicographic normal form: repeatedly take, among the events whose earlier dependent
// events are all taken, the one of the lowest thread (at most one per thread can be ready).
// Steps are deterministic, so the (thread, choice) sequence of the normal form determines
// the events, and equal normal forms mean equivalent executions.
//
// A step violation is recorded and the execution goes on from its successor state (the
// mode DPOR's onViolation hook runs in); each maximal execution's final state is checked
// with sys.terminal.
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../src/model/system.js';

export interface OracleResult {
  /** Mazurkiewicz traces of maximal executions. */
  traces: number;
  /** Maximal executions (interleavings). */
  executions: number;
  /** Terminal states, as their words joined by commas. */
  terminalStates: Set<string>;
  /** Kinds of every step violation and every terminal violation met. */
  violations: Set<ViolationKind>;
  /** Executions cut at maxDepth or maxExecutions (not counted above); non-zero means the answer is partial. */
  cut: number;
}

interface Event {
  thread: number;
  choice: number;
  locs: number[];
  writes: boolean[];
}

export function enumerateTraces(sys: TransitionSystem, maxDepth = 1000, maxExecutions = Infinity): OracleResult {
  const res: OracleResult = { traces: 0, executions: 0, terminalStates: new Set(), violations: new Set(), cut: 0 };
  const init = sys.initial();
  if (!('state' in init)) {
    res.violations.add(init.violation.kind);
    return res;
  }
  const traces = new Set<string>();
  const path: Event[] = [];
  const fp = new Footprint();
  const guard = new Footprint();

  const visit = (s: Int32Array): void => {
    if (res.executions >= maxExecutions) {
      res.cut++;
      return;
    }
    let moved = false;
    for (let t = 0; t < sys.threadCount; t++) {
      const k = sys.choices(s, t);
      for (let c = 0; c < k; c++) {
        moved = true;
        if (path.length >= maxDepth) {
          res.cut++;
          return;
        }
        const out = new Int32Array(sys.stateWords);
        sys.guardFootprint(s, t, guard);
        const r = sys.step(s, t, c, out, fp);
        if (r === STEP_VIOLATION) res.violations.add(sys.lastViolation().kind);
        const ev: Event = { thread: t, choice: c, locs: [], writes: [] };
        for (let i = 0; i < fp.n; i++) {
          ev.locs.push(fp.locs[i]!);
          ev.writes.push(fp.writes[i] === 1);
        }
        for (let i = 0; i < guard.n; i++) {
          ev.locs.push(guard.locs[i]!);
          ev.writes.push(false);
        }
        path.push(ev);
        visit(out);
        path.pop();
      }
    }
    if (moved) return;
    res.executions++;
    res.terminalStates.add(Array.from(s).join(','));
    const v = sys.terminal(s);
    if (v !== null) res.violations.add(v.kind);
    traces.add(normalForm(path));
  };

  visit(init.state);
  res.traces = traces.size;
  return res;
}

export function dependent(a: Event, b: Event): boolean {
  if (a.thread === b.thread) return true;
  for (let i = 0; i < a.locs.length; i++) {
    for (let j = 0; j < b.locs.length; j++) {
      if (a.locs[i] === b.locs[j] && (a.writes[i] || b.writes[j])) return true;
    }
  }
  return false;
}

/** The lexicographic normal form of the execution's trace, as "thread.choice" words. */
export function normalForm(events: readonly Event[]): string {
  const n = events.length;
  const waiting = new Array<number>(n).fill(0); // earlier dependent events not yet taken
  const after: number[][] = events.map(() => []);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      if (dependent(events[i]!, events[j]!)) {
        waiting[j]!++;
        after[i]!.push(j);
      }
    }
  }
  const taken = new Array<boolean>(n).fill(false);
  const out: string[] = [];
  for (let step = 0; step < n; step++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] || waiting[i] !== 0) continue;
      if (best < 0 || events[i]!.thread < events[best]!.thread) best = i;
    }
    taken[best] = true;
    out.push(`${events[best]!.thread}.${events[best]!.choice}`);
    for (const j of after[best]!) waiting[j]!--;
  }
  return out.join(' ');
}
