// Hand-written TransitionSystems for explorer tests, small enough to count their states by
// hand (the counts are derived in the tests that pin them).
//
// ToyCounter: N threads, each doing `rounds` non-atomic increments of a shared counter:
//   read:   local = counter[k]
//   write:  local = local + 1 + choice; counter[k] = local   (`increments` choices, default 1)
//   check:  assert(counter[k] == local)                        (only with check: 'assert')
// where k = (thread + round) % counters. With check: 'final', a terminal state whose counters
// do not sum to threads * rounds is a 'final' violation (the lost update).
//
// ToyLocks: two threads, two locks; thread 0 takes A then B, thread 1 takes B then A
// (or A then B when ordered), each releasing in reverse. Unordered, it can deadlock.

import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import {
  Footprint,
  STEP_OK,
  STEP_VIOLATION,
  type StepInfo,
  type TransitionSystem,
  type Violation,
} from '../../src/model/system.js';

function violation(kind: ViolationKind, message: string, thread: number): Violation {
  return { kind, message, thread, objects: [] };
}

export interface ToyCounterOptions {
  threads: number;
  rounds?: number;
  counters?: number;
  increments?: number;
  check?: 'none' | 'assert' | 'final';
}

export class ToyCounter implements TransitionSystem {
  readonly stateWords: number;
  readonly locationCount: number;
  readonly threadCount: number;
  readonly userThreads: number;
  private readonly rounds: number;
  private readonly counters: number;
  private readonly increments: number;
  private readonly check: 'none' | 'assert' | 'final';
  private readonly stepsPerRound: number;
  private readonly end: number; // pc of a finished thread
  private violation: Violation = violation('assertion', 'none yet', -1);

  constructor(o: ToyCounterOptions) {
    this.threadCount = this.userThreads = o.threads;
    this.rounds = o.rounds ?? 1;
    this.counters = o.counters ?? 1;
    this.increments = o.increments ?? 1;
    this.check = o.check ?? 'none';
    this.stepsPerRound = this.check === 'assert' ? 3 : 2;
    this.end = this.rounds * this.stepsPerRound;
    // Layout: counters, then (pc, local) per thread.
    this.stateWords = this.locationCount = this.counters + 2 * o.threads;
  }

  threadName(t: number): string {
    return `inc${t}`;
  }
  threadWords(t: number): { start: number; end: number } {
    const start = this.counters + 2 * t;
    return { start, end: start + 2 };
  }
  initial(): { state: Int32Array } | { violation: Violation } {
    return { state: new Int32Array(this.stateWords) };
  }
  choices(s: Int32Array, t: number): number {
    const pc = s[this.counters + 2 * t]!;
    if (pc === this.end) return 0;
    return pc % this.stepsPerRound === 1 ? this.increments : 1;
  }
  guardFootprint(_s: Int32Array, _t: number, fp: Footprint): void {
    fp.clear();
  }
  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    out.set(s);
    fp.clear();
    const pcAt = this.counters + 2 * t;
    const pc = s[pcAt]!;
    const round = Math.floor(pc / this.stepsPerRound);
    const k = (t + round) % this.counters;
    out[pcAt] = pc + 1;
    switch (pc % this.stepsPerRound) {
      case 0:
        fp.read(k);
        out[pcAt + 1] = s[k]!;
        return STEP_OK;
      case 1:
        fp.write(k);
        out[k] = out[pcAt + 1] = s[pcAt + 1]! + 1 + choice;
        return STEP_OK;
      default:
        fp.read(k);
        if (s[k] === s[pcAt + 1]) return STEP_OK;
        this.violation = violation('assertion', `inc${t}: counter[${k}] is ${s[k]}, not ${s[pcAt + 1]}`, t);
        return STEP_VIOLATION;
    }
  }
  lastViolation(): Violation {
    return this.violation;
  }
  isFinished(s: Int32Array, t: number): boolean {
    return s[this.counters + 2 * t] === this.end;
  }
  terminal(s: Int32Array): Violation | null {
    if (this.check !== 'final') return null;
    let sum = 0;
    for (let k = 0; k < this.counters; k++) sum += s[k]!;
    const want = this.threadCount * this.rounds;
    return sum === want ? null : violation('final', `counters sum to ${sum}, not ${want}`, -1);
  }
  nextStepInfo(s: Int32Array, t: number): StepInfo {
    const pc = s[this.counters + 2 * t]!;
    return {
      step: pc,
      text: ['local = counter', 'counter = local + 1', 'assert(counter == local)'][pc % this.stepsPerRound]!,
    };
  }
}

export interface ToyLocksOptions {
  /** Both threads take A before B: no deadlock. */
  ordered: boolean;
  /** Report a stuck terminal state as 'deadlock' (default); off, to count every state. */
  deadlockIsViolation?: boolean;
}

const LOCK_A = 0;
const LOCK_B = 1;

export class ToyLocks implements TransitionSystem {
  // Layout: lock A owner+1, lock B owner+1, pc0, pc1. pc: 0 take first, 1 take second,
  // 2 release second, 3 release first, 4 finished.
  readonly stateWords = 4;
  readonly locationCount = 4;
  readonly threadCount = 2;
  readonly userThreads = 2;
  private readonly order: readonly (readonly [number, number])[];
  private readonly deadlockIsViolation: boolean;

  constructor(o: ToyLocksOptions) {
    this.order = [[LOCK_A, LOCK_B], o.ordered ? [LOCK_A, LOCK_B] : [LOCK_B, LOCK_A]];
    this.deadlockIsViolation = o.deadlockIsViolation ?? true;
  }

  threadName(t: number): string {
    return `locker${t}`;
  }
  threadWords(t: number): { start: number; end: number } {
    return { start: 2 + t, end: 3 + t };
  }
  initial(): { state: Int32Array } {
    return { state: new Int32Array(4) };
  }
  /** The lock thread t's next step takes or releases (-1 when finished). */
  private lockOf(pc: number, t: number): number {
    const [first, second] = this.order[t]!;
    return [first, second, second, first, -1][pc]!;
  }
  choices(s: Int32Array, t: number): number {
    const pc = s[2 + t]!;
    if (pc === 4) return 0;
    return pc >= 2 || s[this.lockOf(pc, t)] === 0 ? 1 : 0;
  }
  guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    fp.clear();
    const pc = s[2 + t]!;
    if (pc < 2) fp.read(this.lockOf(pc, t));
  }
  step(s: Int32Array, t: number, _choice: number, out: Int32Array, fp: Footprint): number {
    out.set(s);
    fp.clear();
    const pc = s[2 + t]!;
    const lock = this.lockOf(pc, t);
    fp.write(lock);
    out[lock] = pc < 2 ? t + 1 : 0;
    out[2 + t] = pc + 1;
    return STEP_OK;
  }
  lastViolation(): Violation {
    return violation('assertion', 'ToyLocks never fails a step', -1);
  }
  isFinished(s: Int32Array, t: number): boolean {
    return s[2 + t] === 4;
  }
  terminal(s: Int32Array): Violation | null {
    if (!this.deadlockIsViolation || (s[2] === 4 && s[3] === 4)) return null;
    return violation('deadlock', `locker0 at step ${s[2]}, locker1 at step ${s[3]}, both blocked`, -1);
  }
  nextStepInfo(s: Int32Array, t: number): StepInfo {
    const pc = s[2 + t]!;
    const name = this.lockOf(pc, t) === LOCK_A ? 'A' : 'B';
    return { step: pc, text: pc === 4 ? 'end' : `${pc < 2 ? 'lock' : 'unlock'}(${name})` };
  }
}

/**
 * An explicit graph with one thread: state [node], choice c follows edges[node][c]. An edge
 * to -1 is a step that fails an assertion; a node in `stuck` is a terminal deadlock.
 */
export class GraphSystem implements TransitionSystem {
  readonly stateWords = 1;
  readonly locationCount = 1;
  readonly threadCount = 1;
  readonly userThreads = 1;
  constructor(
    private readonly edges: readonly (readonly number[])[],
    private readonly stuck: ReadonlySet<number> = new Set(),
  ) {}
  threadName(): string {
    return 'walker';
  }
  threadWords(): { start: number; end: number } {
    return { start: 0, end: 1 };
  }
  initial(): { state: Int32Array } {
    return { state: new Int32Array(1) };
  }
  choices(s: Int32Array): number {
    return this.edges[s[0]!]!.length;
  }
  guardFootprint(_s: Int32Array, _t: number, fp: Footprint): void {
    fp.clear();
  }
  step(s: Int32Array, _t: number, choice: number, out: Int32Array, fp: Footprint): number {
    fp.clear();
    out[0] = this.edges[s[0]!]![choice]!;
    return out[0] < 0 ? STEP_VIOLATION : STEP_OK;
  }
  lastViolation(): Violation {
    return violation('assertion', 'edge to -1', 0);
  }
  isFinished(s: Int32Array): boolean {
    return this.edges[s[0]!]!.length === 0;
  }
  terminal(s: Int32Array): Violation | null {
    return this.stuck.has(s[0]!) ? violation('deadlock', `stuck at node ${s[0]}`, -1) : null;
  }
  nextStepInfo(s: Int32Array): StepInfo {
    return { step: s[0]!, text: `at ${s[0]}` };
  }
}

/** The same system with every state passed to terminal() copied into `seen`. */
export function logTerminals(sys: TransitionSystem, seen: Int32Array[]): TransitionSystem {
  const logged = Object.create(sys) as TransitionSystem;
  logged.terminal = (s) => {
    seen.push(s.slice());
    return sys.terminal.call(logged, s);
  };
  return logged;
}

/**
 * Plain exhaustive search with states as strings in a Set: slow and obviously right, the
 * reference the typed-array explorers are compared with. Ignores violations.
 */
export function referenceCounts(sys: TransitionSystem): {
  states: number;
  transitions: number;
  terminals: Set<string>;
} {
  const init = sys.initial();
  if (!('state' in init)) throw new Error('reference search needs an initial state');
  const seen = new Set<string>([init.state.join(',')]);
  const todo = [init.state];
  const terminals = new Set<string>();
  const fp = new Footprint();
  let transitions = 0;
  while (todo.length > 0) {
    const s = todo.pop()!;
    let enabled = false;
    for (let t = 0; t < sys.threadCount; t++) {
      for (let c = 0; c < sys.choices(s, t); c++) {
        enabled = true;
        transitions++;
        const out = new Int32Array(sys.stateWords);
        if (sys.step(s, t, c, out, fp) !== STEP_OK) continue;
        const key = out.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          todo.push(out);
        }
      }
    }
    if (!enabled) terminals.add(s.join(','));
  }
  return { states: seen.size, transitions, terminals };
}

/** Replays a schedule: the step results, and the final state. */
export function replay(
  sys: TransitionSystem,
  schedule: readonly { thread: number; choice: number }[],
): { results: number[]; state: Int32Array } {
  const init = sys.initial();
  if (!('state' in init)) return { results: [], state: new Int32Array(0) };
  let state = init.state;
  const results: number[] = [];
  const fp = new Footprint();
  for (const { thread, choice } of schedule) {
    if (choice >= sys.choices(state, thread)) throw new Error(`replay: ${thread}/${choice} is not enabled`);
    const out = new Int32Array(sys.stateWords);
    results.push(sys.step(state, thread, choice, out, fp));
    state = out;
  }
  return { results, state };
}
