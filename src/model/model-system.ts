// A compiled scenario as a TransitionSystem: the explorers' only view of a spec. It runs a
// Program (program.ts) and keeps no state of its own between calls but scratch buffers.

import { stepMayCycle } from './cycles.js';
import { RaceCheck, type RaceSteps } from './data-race.js';
import type { TierUp } from './gen-step.js';
import type { Span } from './lang/ast.js';
import type { ScenarioInfo } from './lang/checked.js';
import type { ViolationKind } from './lang/violation-kinds.js';
import { type Layout, SLOT_LIVE } from './layout.js';
import { LocalRun } from './local-run.js';
import { END } from './lower.js';
import { porAmple } from './por.js';
import type { CallbackEntity, Program, ThreadSteps } from './program.js';
import type { ReductionSet } from './reductions.js';
import { type Runtime, VIOLATION_SIGNAL } from './runtime.js';
import { type StateView, viewState } from './state-view.js';
import { type Canonicalizer, symmetryTables, threadCanonicalizer, wantsSymmetry } from './symmetry.js';
import {
  Footprint,
  STEP_OK,
  STEP_VIOLATION,
  STEP_WARNING,
  type StepInfo,
  type SymmetryTables,
  type TransitionSystem,
  type Violation,
} from './system.js';
import { deadlock, exitChecks, failedFinal, findLeak } from './terminal.js';

export { LOCAL_RUN_LIMIT } from './local-run.js';

export interface SystemOptions {
  /** Report objects unreachable from shared state at termination (opt-in `leak`). */
  leak?: boolean;
  /** The reductions the compiled system applies (dead-locals; symmetry's canonical form). */
  reduce?: ReductionSet;
  /** The data_race check (data-race.ts); buildSystem compiles the program for it. */
  dataRace?: boolean;
  /** Generated step code (gen-step.ts): from the first step (true), after n steps, or never (false); CompileChecks.codegen. */
  codegen?: boolean | number;
  /** Source characters per generated function (CompileChecks.codegenPartChars). */
  codegenPartChars?: number;
  /** dead-locals clears every dead word (CompileChecks.clearAllDead, the tests' oracle). */
  clearAllDead?: boolean;
}

export class ModelSystem implements TransitionSystem {
  readonly stateWords: number;
  readonly locationCount: number;
  readonly threadCount: number;
  readonly userThreads: number;
  /** Words below the first thread's: globals, sync objects, pools (the shared state). */
  readonly sharedWords: number;
  readonly scenario: ScenarioInfo;
  readonly threads: ThreadSteps[];
  private readonly layout: Layout;
  private readonly rt: Runtime;
  private readonly callbacks: CallbackEntity[];
  /** Where choices() and init record what they read: nobody reads it back. */
  private readonly scratchFp = Footprint.NONE;
  /** The state words some invariant may read (program.invariantReads), as a list. */
  private readonly invariantWords: Int32Array;
  private readonly init: { state: Int32Array } | { violation: Violation };
  /** The program's deferred step code generation (gen-step.ts TierUp), until it has run. */
  private tierUp: TierUp | null;
  /** Runs the local ops after a step's visible op (local-run.ts). */
  private readonly local: LocalRun;
  readonly canonicalize?: Canonicalizer;
  readonly symmetryTables?: SymmetryTables;
  readonly mayCycle: (s: Int32Array, t: number, out: Int32Array) => boolean;
  /** The data_race check, when the program was compiled for it. */
  private readonly races: RaceCheck | null;

  constructor(
    readonly program: Program,
    readonly options: SystemOptions = {},
  ) {
    ({ layout: this.layout, rt: this.rt, scenario: this.scenario, threads: this.threads } = program);
    this.callbacks = program.callbacks;
    this.tierUp = program.tierUp;
    this.userThreads = program.threads.length;
    this.threadCount = program.entityNames.length;
    this.stateWords = program.layout.words;
    this.locationCount = program.layout.locations;
    this.sharedWords = program.layout.threads[0]?.base ?? this.stateWords;
    this.invariantWords = wordsMarked(program.invariantReads, this.stateWords);
    this.local = new LocalRun(this.rt, this.layout);
    this.init = this.buildInitial();
    this.races = program.dataRace ? new RaceCheck(this.rt, this.raceSteps(), this.stateWords) : null;
    const canonical = wantsSymmetry(options.reduce) ? threadCanonicalizer(program) : null;
    if (canonical !== null) {
      this.canonicalize = canonical;
      this.symmetryTables = symmetryTables(program)!;
    }
    this.mayCycle = stepMayCycle(program.threads);
    Object.assign(this, porAmple(program, options, this)); // ample (TransitionSystem), with por
  }

  private buildInitial(): { state: Int32Array } | { violation: Violation } {
    const s = new Int32Array(this.stateWords);
    const rt = this.rt;
    rt.fp = this.scratchFp;
    for (const g of this.program.globalInits) s[g.addr] = g.value;
    try {
      this.runInit(s);
      for (let tid = 0; tid < this.threads.length; tid++) {
        const th = this.threads[tid]!;
        const frame = th.layout.frames.get(th.layout.body)!;
        th.layout.args.forEach((a, i) => {
          s[frame + i] = a;
        });
        rt.thread = tid;
        s[th.layout.pc] = th.ops.length === 0 ? this.local.finish(s, th) : this.local.run(s, th, 0);
      }
      rt.thread = -1;
      this.checkInvariants(s);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return { violation: rt.violation! };
    }
    return { state: s };
  }

  /** Run `init` to its end (it is one uninterleaved sequence), then clear its words. */
  private runInit(s: Int32Array): void {
    const { ops, layout } = this.program.init;
    const rt = this.rt;
    rt.thread = -1;
    let pc = ops.length > 0 ? 0 : END;
    while (pc !== END) {
      if (pc >= ops.length) break;
      const op = ops[pc]!;
      this.scratchFp.clear();
      if (op.guard !== null && op.guard(s) === 0) rt.fail('deadlock', `init blocks at \`${op.text}\``, op.span);
      pc = op.exec(s, 0);
    }
    exitChecks(rt, this.layout, s, layout);
    s.fill(0, layout.base, layout.end);
  }

  initial(): { state: Int32Array } | { violation: Violation } {
    return 'state' in this.init ? { state: this.init.state.slice() } : this.init;
  }

  threadName(t: number): string {
    return this.rt.threadName(t);
  }

  threadWords(t: number): { start: number; end: number } {
    const th = this.threads[t];
    // pc, frame, and the bookkeeping words after it (locks held, read-section depths, ...):
    // a spin iteration that changes any of them is not a repetition.
    return th === undefined ? { start: 0, end: 0 } : { start: th.layout.base, end: th.layout.end };
  }

  choices(s: Int32Array, t: number): number {
    if (t >= this.userThreads) return this.callbacks[t - this.userThreads]!.ready(s) ? 1 : 0;
    const th = this.threads[t]!;
    const pc = s[th.layout.pc]!;
    if (pc === END) return 0;
    const op = th.ops[pc]!;
    const rt = this.rt;
    rt.fp = this.scratchFp;
    this.scratchFp.clear();
    rt.thread = t;
    try {
      if (th.choices !== undefined) return th.choices(s, pc);
      if (op.guard !== null && op.guard(s) === 0) return 0;
      return op.choices === null ? 1 : op.choices(s);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return 1; // the step itself will raise the violation
    }
  }

  guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    fp.clear();
    this.rt.fp = fp;
    this.rt.thread = t;
    if (t >= this.userThreads) {
      this.callbacks[t - this.userThreads]!.guardFootprint();
      return;
    }
    const th = this.threads[t]!;
    const pc = s[th.layout.pc]!;
    const op = pc === END ? undefined : th.ops[pc];
    if (op?.guard == null) return;
    try {
      op.guard(s);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
    }
  }

  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    const up = this.tierUp;
    if (up !== null && --up.stepsLeft <= 0) {
      up.generate();
      this.tierUp = null;
    }
    out.set(s);
    fp.clear();
    const rt = this.rt;
    rt.fp = fp;
    rt.thread = t;
    rt.warning = null;
    try {
      if (t >= this.userThreads) this.callbacks[t - this.userThreads]!.exec(out);
      else {
        const th = this.threads[t]!;
        if (th.run !== undefined) out[th.layout.pc] = this.local.generated(out, th, choice);
        else {
          const op = th.ops[out[th.layout.pc]!]!;
          if (this.races !== null) {
            this.races.begin();
            fp.write(th.layout.pc); // its position, which the data_race check of others reads
          }
          out[th.layout.pc] = this.local.run(out, th, op.exec(out, choice));
          this.races?.check(s, t);
        }
      }
      // A step that writes a word some invariant may read checks the invariants in the state it
      // leads to, as an assertion of its own: the words they read there join its footprint as
      // reads, so DPOR orders the check against every write that could change its outcome.
      // Checking only here loses nothing: a state that breaks an invariant has the invariant
      // words of the state just after the last step that wrote one (docs/dpor.md).
      if (this.program.invariants.length > 0 && this.touchesInvariant(fp, s, out)) this.checkInvariants(out);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return STEP_VIOLATION;
    }
    if (rt.warning === null) return STEP_OK;
    rt.violation = rt.warning;
    return STEP_WARNING;
  }

  continuePast(kinds: ReadonlySet<ViolationKind> | null): void {
    this.rt.continueKinds = kinds;
  }

  lastViolation(): Violation {
    return this.rt.violation!;
  }

  isFinished(s: Int32Array, t: number): boolean {
    if (t >= this.userThreads) return !this.callbacks[t - this.userThreads]!.pending(s);
    return s[this.threads[t]!.layout.pc] === END;
  }

  terminal(s: Int32Array): Violation | null {
    const stuck: { tid: number; name: string; span?: Span; text: string }[] = [];
    for (let t = 0; t < this.threadCount; t++) {
      if (this.isFinished(s, t)) continue;
      const info = this.nextStepInfo(s, t);
      stuck.push({ tid: t, name: this.threadName(t), ...(info.span ? { span: info.span } : {}), text: info.text });
    }
    if (stuck.length > 0) return deadlock(this.program, s, stuck);
    this.rt.thread = -1;
    try {
      const f = failedFinal(this.program, s);
      if (f !== null) return f;
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return this.rt.violation;
    }
    return this.options.leak === true ? findLeak(this.program.spec, this.layout, s) : null;
  }

  nextStepInfo(s: Int32Array, t: number): StepInfo {
    if (t >= this.userThreads) {
      const cb = this.callbacks[t - this.userThreads]!;
      return { step: 0, text: `deferred free: ${cb.name}` };
    }
    const th = this.threads[t]!;
    const pc = s[th.layout.pc]!;
    if (pc === END) return { step: END, text: '(finished)' };
    const op = th.ops[pc]!;
    return { step: pc, span: op.span, text: op.text };
  }

  /** State `s` decoded for people and tools; `where` formats positions (default: where()). */
  viewState(s: Int32Array, where?: (span: Span) => string): StateView {
    return viewState(this, s, where);
  }

  /** A source position as `file:line:col`. */
  where(span: Span): string {
    return this.rt.where(span);
  }

  /** A readable name for a state word: `tree`, `pte_page#0.pte[1]`, `sem.writer`, `fault.v`. */
  wordName(addr: number): string {
    return this.rt.nameOf(addr);
  }

  /** A word's value as a person reads it: `vma#0`, `null`, `held by fault`, a number. */
  formatWord(addr: number, value: number): string {
    return this.rt.formatValue(addr, value);
  }

  /** The words of thread t's own locals (its body's frame); empty for an environment entity. */
  localWords(t: number): { start: number; end: number } {
    const th = this.program.layout.threads[t];
    if (th === undefined) return { start: -1, end: -1 };
    const frame = th.frames.get(th.body)!;
    return { start: frame, end: frame + th.body.locals.length };
  }

  /** Whether pool object `ref` (`pool#slot`) is allocated in state s. */
  isAllocated(s: Int32Array, ref: { pool: string; slot: number }): boolean {
    const pool = this.layout.pools.get(ref.pool);
    return pool !== undefined && s[pool.base + ref.slot * pool.slotWords] === SLOT_LIVE;
  }

  /** What the data_race check runs: another thread's next step, on a scratch copy. */
  private raceSteps(): RaceSteps {
    return {
      userThreads: this.userThreads,
      enabledChoices: (s, u) => this.choices(s, u),
      runStep: (out, u, c) => {
        const th = this.threads[u]!;
        const warning = this.rt.warning; // another thread's step on a scratch copy warns nothing
        this.rt.thread = u;
        try {
          th.ops[out[th.layout.pc]!]!.exec(out, c);
        } catch (e) {
          if (e !== VIOLATION_SIGNAL) throw e;
        } finally {
          this.rt.warning = warning;
        }
      },
      nextStepInfo: (s, u) => this.nextStepInfo(s, u),
      guardFootprint: (s, u, fp) => this.guardFootprint(s, u, fp),
      positionLoc: (u) => this.threads[u]!.layout.pc,
      where: (span) => this.rt.where(span),
    };
  }

  /**
   * Did the step write a word some invariant reads? Without a recorded footprint: did it
   * change one (the same verdicts: an invariant over unchanged words holds as in `s`).
   */
  private touchesInvariant(fp: Footprint, s: Int32Array, out: Int32Array): boolean {
    if (!fp.recording) {
      const words = this.invariantWords;
      for (let i = 0; i < words.length; i++) if (s[words[i]!] !== out[words[i]!]) return true;
      return false;
    }
    const inv = this.program.invariantReads;
    for (let i = 0; i < fp.n; i++) if (fp.writes[i] === 1 && inv[fp.locs[i]!] === 1) return true;
    return false;
  }

  private checkInvariants(s: Int32Array): void {
    const rt = this.rt;
    for (const inv of this.program.invariants) {
      if (inv.cond(s) === 0)
        rt.fail('invariant', `invariant ${inv.name} does not hold: ${inv.explain(s)}`, inv.span, [], inv.name);
    }
  }
}

/** The indices below `words` whose mark is 1. */
function wordsMarked(marks: Uint8Array, words: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < words; i++) if (marks[i] === 1) out.push(i);
  return Int32Array.from(out);
}
