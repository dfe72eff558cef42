// Breadth-first search over stored states: every reachable state is expanded once, and the
// first violation found is one with the fewest transitions (a shortest counterexample).
//
// Memory per stored state: its fingerprint (fingerprint-store.ts, 8 bytes / load) plus a
// parent link (4 bytes) and the move taken from the parent (4 bytes), so the schedule is
// rebuilt by walking parents rather than by re-running the search. The frontier holds full
// states in one ring of Int32Array words; no per-state objects exist anywhere.
import { storeKey } from '../../model/symmetry.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry, Stats } from '../result.js';
import { FingerprintStore, type StateHasher } from './fingerprint-store.js';
import { type Found, POLL_MASK, SearchMeter } from './meter.js';
import { decodeMove } from './move.js';

/**
 * States shorter than this are copied word by word; longer ones with one typed-array copy
 * (whose view costs an allocation). Measured: a 7-word toy state copies 10% faster by loop,
 * a 68-word spec state 4% faster and the 423-word RFC stress state 15% faster by set().
 */
const COPY_LOOP_MAX = 32;

/** Full states in FIFO order, in one ring of words, each with its dense store index. */
class StateQueue {
  length = 0;
  private head = 0;
  private capacity = 1024;
  private words: Int32Array;
  private index = new Int32Array(this.capacity);

  constructor(private readonly stateWords: number) {
    this.words = new Int32Array(this.capacity * stateWords);
  }

  push(state: Int32Array, index: number): void {
    if (this.length === this.capacity) this.grow();
    let slot = this.head + this.length;
    if (slot >= this.capacity) slot -= this.capacity;
    const w = this.stateWords;
    if (w >= COPY_LOOP_MAX) this.words.set(state, slot * w);
    else for (let i = 0, o = slot * w, words = this.words; i < w; i++) words[o + i] = state[i];
    this.index[slot] = index;
    this.length++;
  }

  /** Copies the oldest state into `into` and returns its store index. */
  shift(into: Int32Array): number {
    const slot = this.head;
    const w = this.stateWords;
    const o = slot * w;
    if (w >= COPY_LOOP_MAX) into.set(this.words.subarray(o, o + w));
    else for (let i = 0, words = this.words; i < w; i++) into[i] = words[o + i];
    this.head = slot + 1 === this.capacity ? 0 : slot + 1;
    this.length--;
    return this.index[slot];
  }

  get bytes(): number {
    return this.words.byteLength + this.index.byteLength;
  }

  /** Doubles the ring, unrolling it so the oldest state is at slot 0. */
  private grow(): void {
    const w = this.stateWords;
    const capacity = this.capacity * 2;
    const words = new Int32Array(capacity * w);
    const index = new Int32Array(capacity);
    const first = this.capacity - this.head; // slots from head to the end of the old ring
    words.set(this.words.subarray(this.head * w), 0);
    words.set(this.words.subarray(0, this.head * w), first * w);
    index.set(this.index.subarray(this.head), 0);
    index.set(this.index.subarray(0, this.head), first);
    this.words = words;
    this.index = index;
    this.head = 0;
    this.capacity = capacity;
  }
}

/** Parent link and incoming move of every stored state, by dense store index. */
class ParentTree {
  size = 0;
  private parent = new Int32Array(1024);
  private move = new Int32Array(1024);

  add(parent: number, move: number): void {
    if (this.size === this.parent.length) {
      const parents = new Int32Array(this.size * 2);
      const moves = new Int32Array(this.size * 2);
      parents.set(this.parent);
      moves.set(this.move);
      this.parent = parents;
      this.move = moves;
    }
    this.parent[this.size] = parent;
    this.move[this.size] = move;
    this.size++;
  }

  /** The schedule from the initial state (index 0) to state `index`. */
  path(index: number, threadCount: number): ScheduleEntry[] {
    const schedule: ScheduleEntry[] = [];
    for (let i = index; i > 0; i = this.parent[i]) schedule.push(decodeMove(this.move[i], threadCount));
    return schedule.reverse();
  }

  get bytes(): number {
    return this.parent.byteLength + this.move.byteLength;
  }
}

export function exploreBfs(sys: TransitionSystem, opts: ExploreOptions, hasher: StateHasher): ExploreResult {
  const meter = new SearchMeter(opts);
  const stats = meter.stats;
  const init = sys.initial();
  if ('violation' in init) {
    return meter.finish('bfs', 0, { kind: 'violation', violation: init.violation, schedule: [] });
  }
  const T = sys.threadCount;
  const store = new FingerprintStore(hasher);
  const tree = new ParentTree();
  const queue = new StateQueue(sys.stateWords);
  const fp = new Footprint();
  const cur = new Int32Array(sys.stateWords);
  const next = new Int32Array(sys.stateWords);
  const nextBytes = new Uint8Array(next.buffer); // the one view the hasher reads
  const key = storeKey(sys, opts.reduce); // next's bytes, or its canonical form's (symmetry)
  next.set(init.state);
  store.addState(key(next, nextBytes));
  tree.add(-1, 0);
  queue.push(next, 0);
  stats.states = 1;

  let depth = 0; // of the states being expanded
  let levelLeft = 1; // states of this depth still in the queue
  let nextLevel = 0; // states of depth + 1 queued so far
  let cut = 0;
  let expansions = 0;
  let bound: Bound | null = null;
  let found: Found | null = null;

  search: while (queue.length > 0) {
    if (levelLeft === 0) {
      depth++;
      levelLeft = nextLevel;
      nextLevel = 0;
    }
    if ((expansions++ & POLL_MASK) === 0 && (bound = meter.poll(queue.length)) !== null) break;
    const index = queue.shift(cur);
    levelLeft--;
    let enabled = false;
    for (let t = 0; t < T; t++) {
      const n = sys.choices(cur, t);
      if (n === 0) continue;
      enabled = true;
      if (depth >= opts.maxDepth) {
        cut++;
        break;
      }
      for (let c = 0; c < n; c++) {
        stats.transitions++;
        if (sys.step(cur, t, c, next, fp) === STEP_VIOLATION) {
          const schedule = tree.path(index, T);
          schedule.push({ thread: t, choice: c });
          found = { violation: sys.lastViolation(), schedule };
          // A terminal violation later in this level has a schedule one step shorter.
          found = terminalInLevel(sys, queue, levelLeft, cur, tree, stats) ?? found;
          break search;
        }
        if (store.size >= opts.maxStates) {
          if (store.hasState(key(next, nextBytes))) continue;
          bound = 'max-states';
          break search;
        }
        if (store.addState(key(next, nextBytes))) {
          tree.add(index, c * T + t);
          queue.push(next, tree.size - 1);
          nextLevel++;
          stats.states++;
          stats.maxDepth = depth + 1;
        }
      }
    }
    if (!enabled && (found = terminalViolation(sys, cur, tree, index, stats)) !== null) break;
  }
  stats.storedBytes = store.storedBytes;
  return meter.conclude('bfs', found, { bound, cut, pending: queue.length, pendingWhere: 'queued' });
}

/** The first terminal violation among the next `left` queued states (all of one depth). */
function terminalInLevel(
  sys: TransitionSystem,
  queue: StateQueue,
  left: number,
  scratch: Int32Array,
  tree: ParentTree,
  stats: Stats,
): Found | null {
  for (; left > 0; left--) {
    const index = queue.shift(scratch);
    let enabled = false;
    for (let t = 0; t < sys.threadCount && !enabled; t++) enabled = sys.choices(scratch, t) > 0;
    if (enabled) continue;
    const found = terminalViolation(sys, scratch, tree, index, stats);
    if (found !== null) return found;
  }
  return null;
}

/** Checks the terminal state `s` (store index `index`); its violation with the schedule to it. */
function terminalViolation(
  sys: TransitionSystem,
  s: Int32Array,
  tree: ParentTree,
  index: number,
  stats: Stats,
): Found | null {
  stats.executions++;
  const violation = sys.terminal(s);
  return violation === null ? null : { violation, schedule: tree.path(index, sys.threadCount) };
}
