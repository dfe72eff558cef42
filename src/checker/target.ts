// Searching for an expected violation kind. `expect violation(premature_free)` means "some
// execution's first violation is a premature_free"; an execution that first hits another
// kind is cut there (what follows a kernel crash is meaningless) and the search goes on.
// Implemented as a TransitionSystem wrapper, so every explorer gets it unchanged: a step
// that raises another kind leads to a sink state (one extra word set to 1) that has no
// successors and is not a deadlock. The first such violation is remembered for the report.
import { Footprint, STEP_OK, STEP_VIOLATION, type StepInfo, type TransitionSystem, type Violation, type ViolationKind } from '../model/system.js';

export class TargetSystem implements TransitionSystem {
  readonly stateWords: number;
  readonly locationCount: number;
  readonly threadCount: number;
  readonly userThreads: number;
  /** Violations of other kinds cut from the search (first one kept), and how many. */
  other: Violation | null = null;
  otherCount = 0;
  /** Every kind cut from the search. With target null, nothing stops the search: it
   *  collects the first violation of every execution (the reduction tests use this). */
  readonly cutKinds = new Set<ViolationKind>();
  private readonly sink: number;

  constructor(readonly inner: TransitionSystem, readonly target: ViolationKind | null) {
    this.sink = inner.stateWords;
    this.stateWords = inner.stateWords + 1;
    this.locationCount = inner.locationCount;
    this.threadCount = inner.threadCount;
    this.userThreads = inner.userThreads;
  }

  threadName(t: number): string {
    return this.inner.threadName(t);
  }
  threadWords(t: number): { start: number; end: number } {
    return this.inner.threadWords(t);
  }
  initial(): { state: Int32Array } | { violation: Violation } {
    const init = this.inner.initial();
    if (!('state' in init)) return init;
    const s = new Int32Array(this.stateWords);
    s.set(init.state);
    return { state: s };
  }
  choices(s: Int32Array, t: number): number {
    return s[this.sink] === 1 ? 0 : this.inner.choices(s, t);
  }
  guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    this.inner.guardFootprint(s, t, fp);
  }
  // The inner model only touches its own words, so the longer arrays are passed as they are
  // (no per-step views): the sink word rides along at the end.
  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    const r = this.inner.step(s, t, choice, out, fp);
    out[this.sink] = 0;
    if (r === STEP_OK) return STEP_OK;
    const v = this.inner.lastViolation();
    if (v.kind === this.target) return STEP_VIOLATION;
    this.cut(v);
    out[this.sink] = 1;
    return STEP_OK;
  }
  lastViolation(): Violation {
    return this.inner.lastViolation();
  }
  isFinished(s: Int32Array, t: number): boolean {
    return s[this.sink] === 1 || this.inner.isFinished(s, t);
  }
  terminal(s: Int32Array): Violation | null {
    if (s[this.sink] === 1) return null;
    const v = this.inner.terminal(s);
    if (v === null || v.kind === this.target) return v;
    this.cut(v);
    return null;
  }
  private cut(v: Violation): void {
    if (this.other === null) this.other = v;
    this.otherCount++;
    this.cutKinds.add(v.kind);
  }
  nextStepInfo(s: Int32Array, t: number): StepInfo {
    return this.inner.nextStepInfo(s, t);
  }
}
