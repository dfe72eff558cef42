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
// first is still its thread's enabled next step. The outcome of a step depends on where the
// others are, which no footprint showed: with the check on, each step writes its thread's pc
// word, and a step with data accesses reads every other thread's pc word and the locations
// its guard and next step read (readsOf), so DPOR orders it against the steps that move
// them (test/fixtures/footprint-gaps/data-race-position.mmspec). Off, nothing of this is
// compiled in.
import { ACC_PLAIN, ACC_WRITE, AccessLog } from './access-log.js';
import type { Span } from './lang/ast.js';
import type { Runtime } from './runtime.js';
import { Footprint, type StepInfo, WARNING_KINDS } from './system.js';

/** What the check needs of the system: each thread's next step, run on a copy. */
export interface RaceSteps {
  userThreads: number;
  /** The thread's next step in s: null when finished or blocked; else its choice count. */
  enabledChoices(s: Int32Array, u: number): number;
  /** Run thread u's next step (choice c) on `out`, a copy of the state; its accesses go to rt.acc. */
  runStep(out: Int32Array, u: number, c: number): void;
  /** Thread u's next step in s. */
  nextStepInfo(s: Int32Array, u: number): StepInfo;
  /** The locations deciding whether thread u's next step is enabled, into fp. */
  guardFootprint(s: Int32Array, u: number, fp: Footprint): void;
  /** The word standing for thread u's position (its pc): every step of u writes it. */
  positionLoc(u: number): number;
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
  /** What the other threads' next steps read and write, for a recording footprint. */
  private readonly probe = new Footprint();
  /** The first race found by check(): the other thread (-1: none), the location, both flags. */
  private readonly hit = { u: -1, loc: 0, mine: 0, theirs: 0 };

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

  /**
   * After thread t's step from s (its accesses in rt.acc): raise data_race if one races. It
   * is a warning (system.ts WARNING_KINDS: KCSAN reports and the kernel goes on), so a search
   * for another kind takes the step in full past it.
   */
  check(s: Int32Array, t: number): void {
    const rt = this.rt;
    if (rt.acc.n === 0) return;
    const mine = rt.acc;
    const theirs = this.theirs;
    const { fp, warning, continueKinds } = rt;
    rt.acc = theirs;
    rt.fp = Footprint.NONE;
    // The other threads' steps run in full, whatever warnings they meet, and leave none.
    rt.continueKinds = WARNING_KINDS;
    const hit = this.hit;
    hit.u = -1;
    try {
      for (let u = 0; u < this.steps.userThreads; u++) {
        if (u === t) continue;
        // The outcome depends on where u is and on what decides its next step: DPOR sees it
        // as reads (u's position word, its guard's and its next step's locations).
        if (fp.recording) this.readsOf(s, u, fp);
        if (hit.u >= 0) continue;
        const n = this.steps.enabledChoices(s, u);
        for (let c = 0; c < n && hit.u < 0; c++) {
          theirs.clear();
          // A wrapping system's state may carry words after the program's (systems/).
          if (this.scratch.length !== s.length) this.scratch = new Int32Array(s.length);
          this.scratch.set(s);
          this.steps.runStep(this.scratch, u, c);
          this.conflict(mine, theirs, u);
        }
      }
    } finally {
      rt.acc = mine;
      rt.fp = fp;
      rt.thread = t;
      rt.warning = warning;
      rt.continueKinds = continueKinds;
    }
    if (hit.u >= 0) this.report(s, t);
  }

  /** Record as reads into fp what decides thread u's next step and its accesses. */
  private readsOf(s: Int32Array, u: number, fp: Footprint): void {
    const probe = this.probe;
    fp.read(this.steps.positionLoc(u));
    this.steps.guardFootprint(s, u, probe);
    for (let i = 0; i < probe.n; i++) fp.read(probe.locs[i]!);
    const n = this.steps.enabledChoices(s, u);
    if (this.scratch.length !== s.length) this.scratch = new Int32Array(s.length);
    for (let c = 0; c < n; c++) {
      probe.clear();
      this.rt.fp = probe;
      this.scratch.set(s);
      this.steps.runStep(this.scratch, u, c);
      this.rt.fp = Footprint.NONE;
      for (let i = 0; i < probe.n; i++) fp.read(probe.locs[i]!);
    }
  }

  /** Note the first racing pair of a and b (b: thread u's next step) in `hit`. */
  private conflict(a: AccessLog, b: AccessLog, u: number): void {
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < b.n; j++) {
        if (a.locs[i] === b.locs[j] && races(a.flags[i]!, b.flags[j]!)) {
          const hit = this.hit;
          hit.u = u;
          hit.loc = a.locs[i]!;
          hit.mine = a.flags[i]!;
          hit.theirs = b.flags[j]!;
          return;
        }
      }
    }
  }

  private report(s: Int32Array, t: number): void {
    const rt = this.rt;
    const { u, loc } = this.hit;
    const name = rt.nameOf(loc);
    const mine = this.steps.nextStepInfo(s, t);
    const me = this.describe(mine);
    const other = this.describe(this.steps.nextStepInfo(s, u));
    const tn = rt.threadName(t);
    const un = rt.threadName(u);
    const a = how(this.hit.mine);
    const b = how(this.hit.theirs);
    rt.warn(
      'data_race',
      `data race on ${name}: ${tn} ${a} in ${me} while ${un}'s next step, enabled in the same state, ${b} in ${other}`,
      mine.span,
      [rt.note(loc, `${tn} ${a} in ${me}`), rt.note(loc, `${un} ${b} in ${other}`)],
    );
  }

  private describe(info: StepInfo): string {
    return info.span === undefined ? `\`${info.text}\`` : `\`${info.text}\` (${this.steps.where(info.span)})`;
  }
}
