// The data_race check (KCSAN's semantics, opt-in: `--data-race`, or a scenario that expects
// data_race). Programs compiled with it on log every access of a step to shared data — a
// global, array element or pool field that is not a sync object and not ghost — with a
// plain marker (compile-expr.ts loadPlace/storePlace). READ_ONCE, WRITE_ONCE, rcu_* and the
// statements of atomic { } are marked; sync objects are never data. Plain reads inside a
// seqcount read section are logged as marked, as KCSAN exempts them.
//
// Two accesses of different threads race when they touch one location, one writes, and one
// of them is a plain read. A conflict whose only plain accesses are writes is not reported:
// KCSAN's default (CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC=y) takes aligned word-sized plain
// writes as atomic, so a locked writer and a READ_ONCE reader do not race.
//
// "Concurrently" is decided in the state: when thread t takes a step from s, every other
// thread's next step that is enabled in s is run on a scratch copy and their logs compared.
// Every search mode runs steps, so each finds the race in a state it visits: BFS and DFS
// visit every reachable state; DPOR reverses each pair of dependent steps that are not
// ordered by happens-before, and in the reversed execution the second step runs while the
// first is still its thread's enabled next step. Off, nothing of this is compiled in.
import { ACC_PLAIN, ACC_WRITE, AccessLog } from './access-log.js';
import type { Span } from './lang/ast.js';
import type { Runtime } from './runtime.js';
import { Footprint, type StepInfo } from './system.js';

/** What the check needs of the system: each thread's next step, run on a copy. */
export interface RaceSteps {
  userThreads: number;
  /** The thread's next step in s: null when finished or blocked; else its choice count. */
  enabledChoices(s: Int32Array, u: number): number;
  /** Run thread u's next step (choice c) on `out`, a copy of the state; its accesses go to rt.acc. */
  runStep(out: Int32Array, u: number, c: number): void;
  /** Thread u's next step in s. */
  nextStepInfo(s: Int32Array, u: number): StepInfo;
  where(span: Span): string;
}

/** Do two logged accesses race? One writes, and one is a plain read. */
function races(a: number, b: number): boolean {
  if (((a | b) & ACC_WRITE) === 0) return false;
  return (a & (ACC_WRITE | ACC_PLAIN)) === ACC_PLAIN || (b & (ACC_WRITE | ACC_PLAIN)) === ACC_PLAIN;
}

function how(flags: number): string {
  return `${(flags & ACC_WRITE) !== 0 ? 'writes' : 'reads'} it${(flags & ACC_PLAIN) !== 0 ? ' (plain)' : ' (marked)'}`;
}

export class RaceCheck {
  private theirs: AccessLog;
  private scratch: Int32Array;

  constructor(
    private readonly rt: Runtime,
    private readonly steps: RaceSteps,
    words: number,
  ) {
    this.scratch = new Int32Array(words);
    this.theirs = new AccessLog();
  }

  /** Before thread t's step: its accesses go to a clean log. */
  begin(): void {
    this.rt.acc.clear();
  }

  /** After thread t's step from s (its accesses in rt.acc): raise data_race if one races. */
  check(s: Int32Array, t: number): void {
    const rt = this.rt;
    if (rt.acc.n === 0) return;
    const mine = rt.acc;
    const theirs = this.theirs;
    const fp = rt.fp;
    rt.acc = theirs;
    rt.fp = Footprint.NONE;
    try {
      for (let u = 0; u < this.steps.userThreads; u++) {
        if (u === t) continue;
        const n = this.steps.enabledChoices(s, u);
        for (let c = 0; c < n; c++) {
          theirs.clear();
          // A wrapping system's state may carry words after the program's (systems/).
          if (this.scratch.length !== s.length) this.scratch = new Int32Array(s.length);
          this.scratch.set(s);
          this.steps.runStep(this.scratch, u, c);
          const hit = this.conflict(mine, theirs);
          if (hit >= 0) this.report(s, t, u, mine, theirs, hit, fp);
        }
      }
    } finally {
      rt.acc = mine;
      this.theirs = theirs;
      rt.fp = fp;
      rt.thread = t;
    }
  }

  /** The first racing pair, as i * 65536 + j, or -1. */
  private conflict(a: AccessLog, b: AccessLog): number {
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < b.n; j++) {
        if (a.locs[i] === b.locs[j] && races(a.flags[i]!, b.flags[j]!)) return i * 65536 + j;
      }
    }
    return -1;
  }

  private report(s: Int32Array, t: number, u: number, a: AccessLog, b: AccessLog, hit: number, fp: Footprint): void {
    const rt = this.rt;
    rt.fp = fp;
    rt.thread = t;
    const i = Math.floor(hit / 65536);
    const j = hit % 65536;
    const loc = a.locs[i]!;
    const name = rt.nameOf(loc);
    const mine = this.steps.nextStepInfo(s, t);
    const me = this.describe(mine);
    const other = this.describe(this.steps.nextStepInfo(s, u));
    const tn = rt.threadName(t);
    const un = rt.threadName(u);
    rt.fail(
      'data_race',
      `data race on ${name}: ${tn} ${how(a.flags[i]!)} in ${me} while ${un}'s next step, enabled in the same state, ${how(b.flags[j]!)} in ${other}`,
      mine.span,
      [rt.note(loc, `${tn} ${how(a.flags[i]!)} in ${me}`), rt.note(loc, `${un} ${how(b.flags[j]!)} in ${other}`)],
    );
  }

  private describe(info: StepInfo): string {
    return info.span === undefined ? `\`${info.text}\`` : `\`${info.text}\` (${this.steps.where(info.span)})`;
  }
}
