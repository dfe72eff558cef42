// Depth-first search over stored states: each reachable state is expanded once, like BFS,
// but memory for the search itself is one path (the stack) instead of a frontier, and the
// counterexample is the path that happened to reach the violation, not a shortest one.
//
// A depth bound with stored states is not a bound on paths: a state first met at maxDepth
// is cut, and meeting it again higher up does not expand it. That only ever loses states,
// and any cut makes the verdict incomplete, so it never turns into a wrong pass.
//
// The livelock check records the candidates' rows (candidates.ts) and a parent tree (8 bytes
// per state, for the path to a loop) and runs once after a complete search, as BFS does. A
// state's steps are taken between its descendants' whole expansions, so its targets go on a
// stack (RowStack) above its ancestors' and below its descendants' (gone by the time it is
// done); when it is done they are its row, kept if it is a candidate.
import { grouped } from '../../io/grouped.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry } from '../result.js';
import { ParentTree } from './bfs-frontier.js';
import { CandidateLog, candidateLivelock } from './candidates.js';
import { bytesOf, Fingerprinter } from './fingerprint.js';
import { FingerprintStore } from './fingerprint-store.js';
import { cycleFilter } from './livelock.js';
import { type Found, SearchMeter } from './meter.js';
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
  /** The frame's state's index in the parent tree (with the livelock check). */
  index = new Int32Array(this.capacity);
  /** The livelock check's row of the frame's state: its fingerprint, where its targets start on the RowStack, 0 once a step of it is acyclic. */
  lo = new Int32Array(this.capacity);
  hi = new Int32Array(this.capacity);
  rowStart = new Int32Array(this.capacity);
  alive = new Uint8Array(this.capacity);
  private move = new Int32Array(this.capacity);

  constructor(private readonly stateWords: number) {
    this.words = new Int32Array(this.capacity * stateWords);
  }

  push(state: Int32Array, move: number, thread: number, count: number, index: number): void {
    const f = ++this.top;
    if (f === this.capacity) this.grow();
    const w = this.stateWords;
    const words = this.words;
    for (let i = 0, o = f * w; i < w; i++) words[o + i] = state[i]!;
    this.move[f] = move;
    this.thread[f] = thread;
    this.choice[f] = 0;
    this.count[f] = count;
    this.index[f] = index;
  }

  /** Copies the top frame's state into `into`. */
  loadTop(into: Int32Array): void {
    const w = this.stateWords;
    const words = this.words;
    for (let i = 0, o = this.top * w; i < w; i++) into[i] = words[o + i]!;
  }

  /** The moves from the initial state to the top frame, then `extra` if it is a move. */
  schedule(threadCount: number, extra: number): ScheduleEntry[] {
    const schedule: ScheduleEntry[] = [];
    for (let f = 1; f <= this.top; f++) schedule.push(decodeMove(this.move[f]!, threadCount));
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
    this.index = widen(this.index, capacity);
    this.lo = widen(this.lo, capacity);
    this.hi = widen(this.hi, capacity);
    this.rowStart = widen(this.rowStart, capacity);
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
    this.move = widen(this.move, capacity);
    this.capacity = capacity;
  }
}

export function exploreDfs(sys: TransitionSystem, opts: ExploreOptions): ExploreResult {
  const meter = new SearchMeter(opts);
  const init = sys.initial();
  if ('violation' in init) {
    return meter.finish('dfs', 0, { kind: 'violation', violation: init.violation, schedule: [] });
  }
  const store = new FingerprintStore();
  store.roomFor = meter.tableRoom;
  return new DfsSearch(sys, opts, meter, store).run(init.state);
}

const PUSHED = 0;
const BACK = 1;
const OVER = 2;

class DfsSearch {
  private readonly T: number;
  private readonly stack: StateStack;
  private readonly fp = Footprint.NONE;
  private readonly fingerprint = new Fingerprinter();
  // cur is the state being entered or the top frame's state; next receives successors.
  // They swap when a successor is new, so each keeps its own byte view for the hasher.
  private cur: Int32Array;
  private next: Int32Array;
  private curBytes: Uint8Array;
  private nextBytes: Uint8Array;
  private cut = 0;
  private bound: Bound | null = null;
  private found: Found | null = null;
  /** The livelock check's graph: the candidates' rows, the targets of the states on the stack; a parent tree. */
  private readonly rows: CandidateLog | null;
  private readonly targets: RowStack | null;
  private readonly mayCycle: (s: Int32Array, t: number, out: Int32Array) => boolean;
  private readonly tree: ParentTree | null;
  /** What the store fingerprints for a state: its bytes, or its canonical form's (symmetry). */
  private readonly key: (state: Int32Array, bytes: Uint8Array) => Uint8Array;

  constructor(
    private readonly sys: TransitionSystem,
    private readonly opts: ExploreOptions,
    private readonly meter: SearchMeter,
    private readonly store: FingerprintStore,
  ) {
    this.T = sys.threadCount;
    this.stack = new StateStack(sys.stateWords);
    // Before the buffers: with symmetry, each has its canonical form's beside it (fingerprint.ts).
    this.key = this.fingerprint.storeKey(sys, opts.reduce);
    // In the hash's own memory, so that fingerprinting reads them in place (fingerprint.ts).
    ({ words: this.cur, bytes: this.curBytes } = this.fingerprint.buffer(sys.stateWords));
    ({ words: this.next, bytes: this.nextBytes } = this.fingerprint.buffer(sys.stateWords));
    const livelock = opts.livelock !== false;
    this.rows = livelock ? new CandidateLog() : null;
    this.targets = livelock ? new RowStack() : null;
    this.mayCycle = cycleFilter(sys);
    this.tree = livelock ? new ParentTree() : null;
  }

  run(initial: Int32Array): ExploreResult {
    const stats = this.meter.stats;
    const stack = this.stack;
    this.cur.set(initial);
    this.fingerprint.ofState(this.key(this.cur, this.curBytes));
    this.store.add(this.fingerprint.lo, this.fingerprint.hi);
    this.tree?.add(-1, 0);
    stats.states = 1;
    let fresh = true; // cur is a newly stored state, not yet pushed
    let freshMove = -1; // the move that produced it (-1: the initial state)
    let steps = 0;
    for (;;) {
      if (fresh) {
        fresh = false;
        const r = this.enter(freshMove);
        if (r === PUSHED) continue;
        if (r === OVER) break;
      }
      if ((steps++ & this.meter.mask) === 0) {
        this.bound = this.meter.poll(stack.top + 1);
        if (this.bound !== null) break;
      }
      const move = this.nextMove();
      if (move < 0) {
        this.closeRow();
        if (--stack.top < 0) break;
        stack.loadTop(this.cur);
        continue;
      }
      const r = this.take(move);
      if (r === OVER) break;
      if (r === PUSHED) {
        fresh = true;
        freshMove = move;
      }
    }
    // An initial state with no move ends the loop before its first poll: poll once, so that a
    // bound already passed (--max-memory under what the process holds) stops it as it stops
    // every other search, not a pass.
    if (steps === 0 && this.found === null) this.bound = this.meter.poll(0);
    if (this.found === null && this.bound === null && this.cut === 0) this.found = this.livelock();
    const rowBytes = (this.rows?.bytes ?? 0) + (this.targets?.bytes ?? 0);
    stats.storedBytes = this.store.storedBytes + rowBytes + (this.tree?.bytes ?? 0);
    this.fingerprint.release(); // cur, next and key's buffer are not used again
    const stop = { bound: this.bound, cut: this.cut, pending: stack.top + 1, pendingWhere: 'on the stack' };
    return this.meter.conclude('dfs', this.found, stop);
  }

  /**
   * A newly stored state `cur`, reached by `move`: PUSHED when it has moves to try, else
   * (terminal or at maxDepth) BACK with the top frame's state loaded, or OVER.
   */
  private enter(move: number): number {
    const { sys, stack, T } = this;
    const stats = this.meter.stats;
    const depth = stack.top + 1;
    if (depth > stats.maxDepth) stats.maxDepth = depth;
    let t = 0;
    let n = 0;
    for (; t < T; t++) {
      n = sys.choices(this.cur, t);
      if (n > 0) break;
    }
    if (t === T) {
      stats.executions++;
      const violation = sys.terminal(this.cur);
      if (violation) {
        this.found = { violation, schedule: stack.schedule(T, move) };
        return OVER;
      }
    } else if (depth >= this.opts.maxDepth) {
      this.cut++;
    } else {
      stack.push(this.cur, move, t, n, this.tree === null ? -1 : this.tree.size - 1);
      if (this.targets !== null) {
        // cur was just fingerprinted (take, or run for the initial state) and stored
        stack.lo[stack.top] = this.fingerprint.lo;
        stack.hi[stack.top] = this.fingerprint.hi;
        stack.rowStart[stack.top] = this.targets.size;
        stack.alive[stack.top] = 1;
      }
      return PUSHED;
    }
    if (stack.top < 0) return OVER;
    stack.loadTop(this.cur);
    return BACK;
  }

  /** The top frame's next move (choice * T + thread), its cursor advanced past it; -1 when none is left. */
  private nextMove(): number {
    const { sys, stack, T } = this;
    const f = stack.top;
    const t = stack.thread[f]!;
    if (t === T) return -1;
    const c = stack.choice[f]!;
    if (c + 1 < stack.count[f]!) {
      stack.choice[f] = c + 1;
    } else {
      let u = t + 1;
      let m = 0;
      for (; u < T; u++) {
        m = sys.choices(this.cur, u);
        if (m > 0) break;
      }
      stack.thread[f] = u;
      stack.choice[f] = 0;
      stack.count[f] = m;
    }
    return c * T + t;
  }

  /** Takes `move` from the top frame: PUSHED when it leads to a new state (then in cur), BACK when not, OVER. */
  private take(move: number): number {
    const { sys, T } = this;
    const stats = this.meter.stats;
    const t = move % T;
    const c = (move - t) / T;
    stats.transitions++;
    if (sys.step(this.cur, t, c, this.next, this.fp) === STEP_VIOLATION) {
      this.found = { violation: sys.lastViolation(), schedule: this.stack.schedule(T, move) };
      return OVER;
    }
    // The one place a successor is fingerprinted.
    const { fingerprint, store } = this;
    fingerprint.ofState(this.key(this.next, this.nextBytes));
    const from = this.stack.index[this.stack.top]!;
    if (store.size >= this.opts.maxStates) {
      if (!store.has(fingerprint.lo, fingerprint.hi)) {
        this.bound = 'max-states';
        return OVER;
      }
      this.edge(t);
      return BACK;
    }
    const fresh = store.add(fingerprint.lo, fingerprint.hi);
    this.edge(t);
    if (!fresh) return BACK;
    if (store.full) {
      this.bound = this.meter.memoryFull(`the table of visited states holds ${grouped(store.size)}`);
      return OVER;
    }
    this.tree?.add(from, move);
    stats.states++;
    const state = this.next;
    this.next = this.cur;
    this.cur = state;
    const bytes = this.nextBytes;
    this.nextBytes = this.curBytes;
    this.curBytes = bytes;
    return PUSHED;
  }

  /** The step from the top frame to the state just stored or found (fingerprint in `fingerprint`): on its row, or its state is no candidate. */
  private edge(t: number): void {
    const targets = this.targets;
    if (targets === null) return;
    const f = this.stack.top;
    if (this.stack.alive[f] === 0) return;
    if (this.mayCycle(this.cur, t, this.next)) targets.push(this.fingerprint.lo, this.fingerprint.hi);
    else this.stack.alive[f] = 0;
  }

  /** The top frame's state is done: its row is kept if it is a candidate, and leaves the RowStack. */
  private closeRow(): void {
    const { targets, rows, stack } = this;
    if (targets === null || rows === null) return;
    const f = stack.top;
    const from = stack.rowStart[f]!;
    if (stack.alive[f] === 1 && targets.size > from)
      rows.row(stack.index[f]!, stack.lo[f]!, stack.hi[f]!, targets.words, from, targets.size);
    targets.size = from;
  }

  /** After a complete search: a reachable loop nothing can leave (candidates.ts), or null. */
  private livelock(): Found | null {
    const { rows, tree, sys, fingerprint } = this;
    if (rows === null || tree === null) return null;
    const hash = (s: Int32Array): Fingerprinter => {
      fingerprint.ofState(this.key(s, bytesOf(s)));
      return fingerprint;
    };
    return candidateLivelock(sys, [rows.data()], (i) => tree.path(i, this.T), hash);
  }
}

/** The targets (lo, hi) of the states on the DFS stack, each state's above its ancestors'. */
class RowStack {
  size = 0;
  words = new Int32Array(256);

  push(lo: number, hi: number): void {
    if (this.size + 2 > this.words.length) {
      const words = new Int32Array(this.words.length * 2);
      words.set(this.words);
      this.words = words;
    }
    this.words[this.size++] = lo;
    this.words[this.size++] = hi;
  }

  get bytes(): number {
    return this.words.byteLength;
  }
}
