// Livelock in the stored-state searches (bfs.ts, dfs.ts): a thread that can never finish
// while nothing it waits on can change. A spinner (`retry: r = ready; if (r == 0) goto
// retry;`, `while (ready == 0) {}`) never blocks, so no state is terminal and a search that
// only checks terminal states passes. The rule (docs/search.md): after a complete search, a
// reachable bottom strongly connected component of the state graph (no edge leaves it) that
// has an edge (a cycle) is reported as `deadlock`, with the message the terminal check gives
// for a state of it — the threads still running and where they are, as DPOR's parked
// spinners are reported. A cycle with a way out is not a livelock: some fair schedule leaves.
//
// What the searches keep: a step the system calls acyclic (mayCycle, model/cycles.ts: its
// thread cannot come back to its pc) is on no cycle, so it only ever leaves its source's
// component. BFS, DFS and the parallel BFS therefore keep rows only for the candidates,
// states whose every step may cycle (candidates.ts), by fingerprint, and no index per state:
// on the seed benchmark unreduced at K = 5, 24,142 of 7,877,610 states and 92,211 of
// 39,514,444 edges, 0.17 bytes per stored state (the table itself holds 11.7). The
// candidates' graph goes to Tarjan's algorithm (iterative, bottomLoop), which starts from
// every node not yet visited (some may be unreached from the first), and a component is
// bottom when no edge leaves it and no member has its exit bit (a step to a state that is no
// candidate). It runs once after a complete search without
// a violation, with five int arrays over the nodes (two of them, its stacks, touched only as
// deep as they grow). Searches cut by a bound skip it: their graph is incomplete and so is
// their verdict.
import { Footprint, type TransitionSystem } from '../../model/system.js';
import type { ScheduleEntry } from '../result.js';
import type { Found } from './meter.js';
import { decodeMove } from './move.js';

const FOOTPRINT_NONE = Footprint.NONE;
/** Edges per chunk of EdgeRows' `next`, as a shift. */
export const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/**
 * The edges by source: targets of state v are edges first[v]..first[v + 1] - 1, edge e in
 * next[e >>> CHUNK_BITS][e & (2^CHUNK_BITS - 1)]: the candidates' graph (candidates.ts).
 */
export interface EdgeRows {
  rows(states: number): { first: Int32Array; next: Int32Array[] };
  /** Whether v has an edge left out of the rows: on no cycle, or to a state that is no candidate. */
  hasExit(v: number): boolean;
}

/** The system's mayCycle (model/cycles.ts), or keep every edge when it has none. */
export function cycleFilter(sys: TransitionSystem): (s: Int32Array, t: number, out: Int32Array) => boolean {
  return sys.mayCycle?.bind(sys) ?? (() => true);
}

/** A bottom SCC with a cycle: its state of least index; state w is in it iff low[w] === mark. */
export interface BottomLoop {
  state: number;
  low: Int32Array;
  mark: number;
}

/**
 * Tarjan's algorithm, iterative, over `states` states (every state, from each one not yet
 * visited: the log leaves out edges on no cycle, so some states may be unreached from state
 * 0): the cyclic bottom SCC whose least index is least, or null. A popped state's low word
 * holds -1 - (its component's id), so no array is spent on components. With `order`, state
 * v's index is order[v] (the candidates' graph, candidates.ts: its nodes are not states).
 */
export function bottomLoop(edges: EdgeRows, states: number, order?: Int32Array): BottomLoop | null {
  const { first, next } = edges.rows(states);
  const target = (e: number): number => next[e >>> CHUNK_BITS]![e & (CHUNK - 1)]!;
  const num = new Int32Array(states); // 0: not visited; else visit order + 1
  const low = new Int32Array(states); // >= 0 while on the stack, then -1 - component id
  const cursor = new Int32Array(states);
  const calls = new Int32Array(states);
  const stack = new Int32Array(states);
  let sp = 0;
  let cp = 0;
  let visits = 0;
  let comps = 0;
  const best = { state: -1, mark: 0 }; // state -1: none yet
  const key = (v: number): number => (order === undefined ? v : order[v]!);
  const enter = (v: number): void => {
    num[v] = low[v] = ++visits;
    cursor[v] = first[v]!;
    stack[sp++] = v;
    calls[cp++] = v;
  };
  /** Pops the component rooted at v; whether it is bottom and cyclic; its least state. */
  const pop = (v: number): void => {
    const mark = -1 - comps++;
    let least = v;
    let top = sp;
    for (let w = -1; w !== v; ) {
      w = stack[--top]!;
      low[w] = mark;
      if (key(w) < key(least)) least = w;
    }
    let bottom = true;
    let cyclic = false;
    for (let k = top; k < sp && bottom; k++) {
      const w = stack[k]!;
      if (edges.hasExit(w)) bottom = false;
      for (let e = first[w]!; e < first[w + 1]!; e++) {
        if (low[target(e)] === mark) cyclic = true;
        else bottom = false;
      }
    }
    sp = top;
    if (bottom && cyclic && (best.state < 0 || key(least) < key(best.state))) {
      best.state = least;
      best.mark = mark;
    }
  };
  for (let root = 0; root < states; root++) {
    if (num[root] !== 0) continue;
    enter(root);
    while (cp > 0) {
      const v = calls[cp - 1]!;
      if (cursor[v]! < first[v + 1]!) {
        const w = target(cursor[v]!++);
        if (num[w] === 0) enter(w);
        else if (low[w]! >= 0 && num[w]! < low[v]!) low[v] = num[w]!;
        continue;
      }
      cp--;
      if (cp > 0) {
        const u = calls[cp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] === num[v]) pop(v);
    }
  }
  return best.state < 0 ? null : { state: best.state, low, mark: best.mark };
}

/** Replays `schedule` from the initial state; the state it ends in. */
export function stateAfter(sys: TransitionSystem, schedule: readonly ScheduleEntry[]): Int32Array {
  const init = sys.initial();
  if (!('state' in init)) throw new Error('[mmcheck internal bug] livelock: the initial state is a violation');
  let s = init.state;
  for (const { thread, choice } of schedule) {
    const out = new Int32Array(sys.stateWords);
    sys.step(s, thread, choice, out, FOOTPRINT_NONE);
    s = out;
  }
  return s;
}

/**
 * A shortest cycle from the concrete state `start` back to itself through states of the
 * bottom component (symmetry may fold other orbit members into it: the search follows
 * concrete states, so the loop closes on `start` itself, which lies on a concrete cycle).
 */
export function cycleFrom(
  sys: TransitionSystem,
  start: Int32Array,
  inLoop: (s: Int32Array) => boolean,
): ScheduleEntry[] {
  const T = sys.threadCount;
  const key = (s: Int32Array): string => s.join(',');
  const goal = key(start);
  const seen = new Map<string, { parent: string; move: number }>();
  let level: Int32Array[] = [start];
  while (level.length > 0) {
    const nextLevel: Int32Array[] = [];
    for (const s of level) {
      const from = key(s);
      for (let t = 0; t < T; t++) {
        const n = sys.choices(s, t);
        for (let c = 0; c < n; c++) {
          const out = new Int32Array(sys.stateWords);
          sys.step(s, t, c, out, FOOTPRINT_NONE);
          if (!inLoop(out)) continue;
          const k = key(out);
          if (k === goal) return unwind(seen, from, goal, c * T + t, T);
          if (seen.has(k)) continue;
          seen.set(k, { parent: from, move: c * T + t });
          nextLevel.push(out);
        }
      }
    }
    level = nextLevel;
  }
  throw new Error('[mmcheck internal bug] livelock: no cycle closes on the bottom component state');
}

function unwind(
  seen: Map<string, { parent: string; move: number }>,
  from: string,
  goal: string,
  last: number,
  T: number,
): ScheduleEntry[] {
  const moves = [last];
  for (let k = from; k !== goal; ) {
    const link = seen.get(k)!;
    moves.push(link.move);
    k = link.parent;
  }
  return moves.reverse().map((m) => decodeMove(m, T));
}

/** The livelock's Found: `path` to the component's state, one turn of the loop through states `inLoop` accepts. */
export function livelockTrace(
  sys: TransitionSystem,
  path: ScheduleEntry[],
  inLoop: (s: Int32Array) => boolean,
): Found | null {
  const start = stateAfter(sys, path);
  const cycle = cycleFrom(sys, start, inLoop);
  const violation = sys.terminal(start);
  if (violation === null) return null;
  return { violation, schedule: [...path, ...cycle], loop: path.length };
}
