// The livelock rule computed the plain way, as an oracle for the stored-state BFS's check
// (src/checker/search/candidates.ts): the whole graph of the system, with an explicit index
// per state (first met in BFS order, moves thread by thread then choice by choice, as the
// search takes them; under symmetry, one state per canonical form), every edge kept, and its
// bottom components found by reachability, not by Tarjan. What BFS must then report: the
// first violation if the graph has any (the oracle only says there is one), else the cyclic
// bottom component whose least index is least, the BFS path to that state and one shortest
// turn of the loop (livelock.ts's cycleFrom, which the check's change leaves as it was).

import type { ScheduleEntry } from '../../src/checker/result.js';
import { cycleFrom } from '../../src/checker/search/livelock.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem, type Violation } from '../../src/model/system.js';

export type OracleVerdict =
  | { kind: 'violation' }
  | { kind: 'pass'; states: number; transitions: number }
  | {
      kind: 'livelock';
      states: number;
      transitions: number;
      violation: Violation;
      schedule: ScheduleEntry[];
      loop: number;
    };

/** The oracle's verdict on `sys` (canonical forms when `symmetry`), or null past `maxStates`. */
export function livelockOracle(sys: TransitionSystem, symmetry: boolean, maxStates: number): OracleVerdict | null {
  const init = sys.initial();
  if ('violation' in init) return { kind: 'violation' };
  const canon = new Int32Array(sys.stateWords);
  const keyOf = (s: Int32Array): string => (symmetry && sys.canonicalize?.(s, canon) === true ? canon : s).join(',');
  const index = new Map<string, number>([[keyOf(init.state), 0]]);
  const states: Int32Array[] = [init.state];
  const parent: { from: number; move: ScheduleEntry }[] = [{ from: -1, move: { thread: 0, choice: 0 } }];
  const succ: number[][] = [];
  let transitions = 0;
  for (let v = 0; v < states.length; v++) {
    const s = states[v]!;
    const row: number[] = [];
    for (let t = 0; t < sys.threadCount; t++)
      for (let c = 0, n = sys.choices(s, t); c < n; c++) {
        const out = new Int32Array(sys.stateWords);
        transitions++;
        if (sys.step(s, t, c, out, Footprint.NONE) === STEP_VIOLATION) return { kind: 'violation' };
        const k = keyOf(out);
        let w = index.get(k);
        if (w === undefined) {
          w = states.length;
          if (w >= maxStates) return null;
          index.set(k, w);
          states.push(out);
          parent.push({ from: v, move: { thread: t, choice: c } });
        }
        row.push(w);
      }
    if (row.length === 0 && sys.terminal(s) !== null) return { kind: 'violation' };
    succ.push(row);
  }
  const counts = { states: states.length, transitions };
  const comp = bottomComponentOfLeast(succ);
  if (comp === null) return { kind: 'pass', ...counts };
  const least = Math.min(...comp);
  const schedule: ScheduleEntry[] = [];
  for (let v = least; v > 0; v = parent[v]!.from) schedule.unshift(parent[v]!.move);
  let start = init.state;
  for (const { thread, choice } of schedule) {
    const out = new Int32Array(sys.stateWords);
    sys.step(start, thread, choice, out, Footprint.NONE);
    start = out;
  }
  const violation = sys.terminal(start);
  if (violation === null) throw new Error('oracle: a bottom cycle whose state passes the terminal check');
  const inLoop = (s: Int32Array): boolean => comp.has(index.get(keyOf(s)) ?? -1);
  const cycle = cycleFrom(sys, start, inLoop);
  return { kind: 'livelock', ...counts, violation, schedule: [...schedule, ...cycle], loop: schedule.length };
}

/** The states reachable from v (v included only when on a cycle through it). */
function reach(succ: number[][], v: number): Set<number> {
  const seen = new Set<number>();
  const todo = [...succ[v]!];
  while (todo.length > 0) {
    const w = todo.pop()!;
    if (seen.has(w)) continue;
    seen.add(w);
    todo.push(...succ[w]!);
  }
  return seen;
}

/**
 * The bottom component with a cycle that holds the least index, or null: v is in a cyclic
 * bottom component iff v reaches itself and everything v reaches reaches v back.
 */
function bottomComponentOfLeast(succ: number[][]): Set<number> | null {
  const reached = succ.map((_, v) => reach(succ, v));
  for (let v = 0; v < succ.length; v++) {
    const r = reached[v]!;
    if (r.has(v) && [...r].every((w) => reached[w]!.has(v))) return r;
  }
  return null;
}
