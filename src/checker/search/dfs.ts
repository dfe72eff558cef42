// Depth-first search over stored states: each reachable state is expanded once, like BFS,
// but memory for the search itself is one path (the stack) instead of a frontier, and the
// counterexample is the path that happened to reach the violation, not a shortest one.
//
// A depth bound with stored states is not a bound on paths: a state first met at maxDepth
// is cut, and meeting it again higher up does not expand it. That only ever loses states,
// and any cut makes the verdict incomplete, so it never turns into a wrong pass.
import { Footprint, STEP_VIOLATION, type TransitionSystem, type Violation } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry, Verdict } from '../result.js';
import { FingerprintStore, type StateHasher } from './fingerprint-store.js';
import { POLL_MASK, SearchMeter } from './meter.js';
import { decodeMove } from './move.js';

/**
 * The current path: frame f holds a state (depth f), the move that led into it, and a
 * cursor (thread, choice, choices of that thread) naming the next move to try from it.
 * A cursor thread equal to threadCount means every move has been tried.
 */
class StateStack {
  top = -1;
  private capacity = 256;
  private words: Int32Array;
  thread = new Int32Array(this.capacity);
  choice = new Int32Array(this.capacity);
  count = new Int32Array(this.capacity);
  private move = new Int32Array(this.capacity);

  constructor(private readonly stateWords: number) {
    this.words = new Int32Array(this.capacity * stateWords);
  }

  push(state: Int32Array, move: number, thread: number, count: number): void {
    const f = ++this.top;
    if (f === this.capacity) this.grow();
    const w = this.stateWords;
    const words = this.words;
    for (let i = 0, o = f * w; i < w; i++) words[o + i] = state[i];
    this.move[f] = move;
    this.thread[f] = thread;
    this.choice[f] = 0;
    this.count[f] = count;
  }

  /** Copies the top frame's state into `into`. */
  loadTop(into: Int32Array): void {
    const w = this.stateWords;
    const words = this.words;
    for (let i = 0, o = this.top * w; i < w; i++) into[i] = words[o + i];
  }

  /** The moves from the initial state to the top frame, then `extra` if it is a move. */
  schedule(threadCount: number, extra: number): ScheduleEntry[] {
    const schedule: ScheduleEntry[] = [];
    for (let f = 1; f <= this.top; f++) schedule.push(decodeMove(this.move[f], threadCount));
    if (extra >= 0) schedule.push(decodeMove(extra, threadCount));
    return schedule;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const widen = (a: Int32Array, size: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.words = widen(this.words, capacity * this.stateWords);
    this.thread = widen(this.thread, capacity);
    this.choice = widen(this.choice, capacity);
    this.count = widen(this.count, capacity);
    this.move = widen(this.move, capacity);
    this.capacity = capacity;
  }
}

export function exploreDfs(sys: TransitionSystem, opts: ExploreOptions, hasher: StateHasher): ExploreResult {
  const meter = new SearchMeter(opts);
  const stats = meter.stats;
  const init = sys.initial();
  if ('violation' in init) {
    return meter.finish('dfs', 0, { kind: 'violation', violation: init.violation, schedule: [] });
  }
  const T = sys.threadCount;
  const store = new FingerprintStore(hasher);
  const stack = new StateStack(sys.stateWords);
  const fp = new Footprint();
  // cur is the state being entered or the top frame's state; next receives successors.
  // They swap when a successor is new, so each keeps its own byte view for the hasher.
  let cur = new Int32Array(sys.stateWords);
  let next = new Int32Array(sys.stateWords);
  let curBytes = new Uint8Array(cur.buffer);
  let nextBytes = new Uint8Array(next.buffer);

  cur.set(init.state);
  store.addState(curBytes);
  stats.states = 1;
  let fresh = true; // cur is a newly stored state, not yet pushed
  let freshMove = -1; // the move that produced it (-1: the initial state)
  let cut = 0;
  let steps = 0;
  let bound: Bound | null = null;
  let found: { violation: Violation; schedule: ScheduleEntry[] } | null = null;

  for (;;) {
    if (fresh) {
      fresh = false;
      const depth = stack.top + 1;
      if (depth > stats.maxDepth) stats.maxDepth = depth;
      let t = 0;
      let n = 0;
      for (; t < T; t++) if ((n = sys.choices(cur, t)) > 0) break;
      if (t === T) {
        stats.executions++;
        const violation = sys.terminal(cur);
        if (violation) {
          found = { violation, schedule: stack.schedule(T, freshMove) };
          break;
        }
      } else if (depth >= opts.maxDepth) {
        cut++;
      } else {
        stack.push(cur, freshMove, t, n);
        continue;
      }
      if (stack.top < 0) break;
      stack.loadTop(cur);
    }

    if ((steps++ & POLL_MASK) === 0 && (bound = meter.poll(stack.top + 1)) !== null) break;
    const f = stack.top;
    const t = stack.thread[f];
    if (t === T) {
      if (--stack.top < 0) break;
      stack.loadTop(cur);
      continue;
    }
    const c = stack.choice[f];
    if (c + 1 < stack.count[f]) {
      stack.choice[f] = c + 1;
    } else {
      let u = t + 1;
      let m = 0;
      for (; u < T; u++) if ((m = sys.choices(cur, u)) > 0) break;
      stack.thread[f] = u;
      stack.choice[f] = 0;
      stack.count[f] = m;
    }

    stats.transitions++;
    if (sys.step(cur, t, c, next, fp) === STEP_VIOLATION) {
      found = { violation: sys.lastViolation(), schedule: stack.schedule(T, c * T + t) };
      break;
    }
    if (store.size >= opts.maxStates) {
      if (store.hasState(nextBytes)) continue;
      bound = 'max-states';
      break;
    }
    if (store.addState(nextBytes)) {
      stats.states++;
      const state = next;
      next = cur;
      cur = state;
      const bytes = nextBytes;
      nextBytes = curBytes;
      curBytes = bytes;
      fresh = true;
      freshMove = c * T + t;
    }
  }
  stats.storedBytes = store.storedBytes;
  const pending = stack.top + 1;
  if (found) return meter.finish('dfs', pending, { kind: 'violation', ...found });
  if (bound === null && cut > 0) bound = 'max-depth';
  const verdict: Verdict = bound ? meter.incomplete(bound, cut, pending, 'on the stack') : { kind: 'pass' };
  return meter.finish('dfs', pending, verdict);
}
