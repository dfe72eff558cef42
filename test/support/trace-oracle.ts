// The test oracle for DPOR: every interleaving of a small system, grouped into Mazurkiewicz
// traces, with no reduction of DPOR's. Only for small systems.
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
//
// enumerateTraces answers in two passes, neither of which relies on the footprints for what
// the executions reach: a search of the reachable states (each stored once) gives the
// terminal states, the violations and the interleavings (counted per state, not walked one
// by one); then a walk of the executions in normal form only counts the traces: an execution
// is its trace's normal form exactly when no event can move before an earlier event of a
// higher thread across independent events only (checked as each event is appended, so a
// prefix that is not in normal form is cut with everything below it). That is the count of
// distinct normal forms as long as independent steps commute, which footprints promise and
// test/model/independence.test.ts checks. enumerateAll is the plain enumeration of every
// interleaving, each execution's normal form computed and collected (normalForm): the
// reference enumerateTraces is held to (trace-oracle.test.ts), about 7 times slower on the
// random programs of the DPOR properties.
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
  /** The earlier events of its execution it depends on, by index (set as the path grows). */
  deps?: number[];
}

/**
 * Traces, interleavings, terminal states and violations of `sys`. Over maxDepth steps or
 * maxExecutions interleavings, `cut` is non-zero and `traces` is left at 0.
 */
export function enumerateTraces(sys: TransitionSystem, maxDepth = 1000, maxExecutions = Infinity): OracleResult {
  const res: OracleResult = { traces: 0, executions: 0, terminalStates: new Set(), violations: new Set(), cut: 0 };
  const init = sys.initial();
  if (!('state' in init)) {
    res.violations.add(init.violation.kind);
    return res;
  }
  const { paths, depth } = reachable(sys, init.state, res);
  res.executions = Number.isFinite(paths) ? Math.min(paths, maxExecutions) : 0;
  if (depth > maxDepth || paths > maxExecutions) res.cut = Math.max(1, paths - maxExecutions);
  if (res.cut > 0) return res;
  res.traces = normalExecutions(sys, init.state);
  return res;
}

/**
 * The reachable states, each stepped once: terminal states and violations into `res`, and from
 * the initial state the number of maximal executions and the longest (both infinite on a cycle).
 */
function reachable(sys: TransitionSystem, init: Int32Array, res: OracleResult): { paths: number; depth: number } {
  const memo = new Map<string, { paths: number; depth: number }>();
  const onPath = new Set<string>();
  const fp = new Footprint();
  const visit = (s: Int32Array, key: string): { paths: number; depth: number } => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (onPath.has(key)) return { paths: Infinity, depth: Infinity };
    onPath.add(key);
    let paths = 0;
    let depth = -1;
    for (let t = 0; t < sys.threadCount; t++) {
      const k = sys.choices(s, t);
      for (let c = 0; c < k; c++) {
        const out = new Int32Array(sys.stateWords);
        if (sys.step(s, t, c, out, fp) === STEP_VIOLATION) res.violations.add(sys.lastViolation().kind);
        const below = visit(out, out.join(','));
        paths += below.paths;
        depth = Math.max(depth, below.depth);
      }
    }
    onPath.delete(key);
    if (depth < 0) {
      paths = 1;
      res.terminalStates.add(key);
      const v = sys.terminal(s);
      if (v !== null) res.violations.add(v.kind);
    }
    const r = { paths, depth: depth + 1 };
    memo.set(key, r);
    return r;
  };
  return visit(init, init.join(','));
}

/** The maximal executions that are their own trace's normal form (see the top of the file). */
function normalExecutions(sys: TransitionSystem, init: Int32Array): number {
  const path: Event[] = [];
  const fp = new Footprint();
  const guard = new Footprint();
  let count = 0;
  const visit = (s: Int32Array): void => {
    let moved = false;
    for (let t = 0; t < sys.threadCount; t++) {
      const k = sys.choices(s, t);
      for (let c = 0; c < k; c++) {
        moved = true;
        const out = new Int32Array(sys.stateWords);
        sys.guardFootprint(s, t, guard);
        sys.step(s, t, c, out, fp);
        const ev = event(t, c, fp, guard);
        if (!normalAfter(path, ev)) continue;
        path.push(ev);
        visit(out);
        path.pop();
      }
    }
    if (!moved) count++;
  };
  visit(init);
  return count;
}

/**
 * Whether `path` (in normal form) followed by `ev` is in normal form: false when `ev` could
 * move before an earlier event of a higher thread, past independent events only.
 */
function normalAfter(path: readonly Event[], ev: Event): boolean {
  for (let i = path.length - 1; i >= 0; i--) {
    const e = path[i]!;
    if (dependent(e, ev)) return true;
    if (e.thread > ev.thread) return false;
  }
  return true;
}

function event(thread: number, choice: number, fp: Footprint, guard: Footprint): Event {
  const ev: Event = { thread, choice, locs: [], writes: [] };
  for (let i = 0; i < fp.n; i++) {
    ev.locs.push(fp.locs[i]!);
    ev.writes.push(fp.writes[i] === 1);
  }
  for (let i = 0; i < guard.n; i++) {
    ev.locs.push(guard.locs[i]!);
    ev.writes.push(false);
  }
  return ev;
}

/** The plain enumeration: every interleaving walked, each execution's normal form collected. */
export function enumerateAll(sys: TransitionSystem, maxDepth = 1000, maxExecutions = Infinity): OracleResult {
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
        const ev = event(t, c, fp, guard);
        // Dependencies on the path so far, computed once per edge of the enumeration rather
        // than once per execution through it (normalForm then only reads them).
        ev.deps = [];
        for (let i = 0; i < path.length; i++) if (dependent(path[i]!, ev)) ev.deps.push(i);
        path.push(ev);
        visit(out);
        path.pop();
      }
    }
    if (moved) return;
    res.executions++;
    res.terminalStates.add(s.join(','));
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

/**
 * The lexicographic normal form of the execution's trace, as a key: one character per event
 * (its thread and choice), so that equal keys mean equal normal forms.
 */
export function normalForm(events: readonly Event[]): string {
  const n = events.length;
  const waiting = new Int32Array(n); // earlier dependent events not yet taken
  const after: number[][] = [];
  let threads = 0;
  for (let j = 0; j < n; j++) {
    const e = events[j]!;
    after.push([]);
    const deps = e.deps ?? [...Array(j).keys()].filter((i) => dependent(events[i]!, e));
    waiting[j] = deps.length;
    for (const i of deps) after[i]!.push(j);
    if (e.thread >= threads) threads = e.thread + 1;
  }
  // A thread's events are ordered (same thread: dependent), so only each thread's first
  // untaken event can be ready: take the ready one of the lowest thread. next[t] is thread
  // t's first untaken event (n: none), found by scanning forward from the last one taken.
  const next = new Int32Array(threads).fill(n);
  for (let j = n - 1; j >= 0; j--) next[events[j]!.thread] = j;
  const out = new Array<number>(n);
  for (let step = 0; step < n; step++) {
    let best = -1;
    for (let t = 0; t < threads; t++) {
      const i = next[t]!;
      if (i < n && waiting[i] === 0) {
        best = i;
        break;
      }
    }
    const e = events[best]!;
    let k = best + 1;
    while (k < n && events[k]!.thread !== e.thread) k++;
    next[e.thread] = k;
    if (e.thread > 0xff || e.choice > 0xff) throw new Error('normalForm: a thread or choice over 255');
    out[step] = (e.thread << 8) | e.choice;
    for (const j of after[best]!) waiting[j]!--;
  }
  return String.fromCharCode(...out);
}

/** The normal form (normalForm) of the trace of the execution `schedule` runs from the initial state. */
export function traceOf(sys: TransitionSystem, schedule: readonly { thread: number; choice: number }[]): string {
  const init = sys.initial();
  if (!('state' in init)) return '';
  let s = init.state;
  const fp = new Footprint();
  const guard = new Footprint();
  const events: Event[] = [];
  for (const { thread, choice } of schedule) {
    const out = new Int32Array(sys.stateWords);
    sys.guardFootprint(s, thread, guard);
    sys.step(s, thread, choice, out, fp);
    events.push(event(thread, choice, fp, guard));
    s = out;
  }
  return normalForm(events);
}
