// A TransitionSystem that delegates everything to another, with `extraWords` words of its
// own after the inner state (the inner model only touches its own words, so the longer
// arrays are passed through as they are) and `extraLocations` footprint locations after the
// inner ones (for state of its own that decides what is enabled, which DPOR must see). The search wrappers — expected-kind search
// (target.ts), preemption-bounded minimisation (trace/minimize.ts) — override what they change.
import type { ViolationKind } from '../../model/lang/violation-kinds.js';
import type { Footprint, StepInfo, TransitionSystem, Violation } from '../../model/system.js';

export class WrappedSystem implements TransitionSystem {
  readonly stateWords: number;
  readonly locationCount: number;
  readonly threadCount: number;
  readonly userThreads: number;
  /** Index of the first word of this wrapper's own (= inner.stateWords). */
  protected readonly base: number;
  /** Its first footprint location (= inner.locationCount). */
  protected readonly locBase: number;

  constructor(
    readonly inner: TransitionSystem,
    extraWords = 0,
    extraLocations = 0,
  ) {
    this.base = inner.stateWords;
    this.locBase = inner.locationCount;
    this.stateWords = inner.stateWords + extraWords;
    this.locationCount = inner.locationCount + extraLocations;
    this.threadCount = inner.threadCount;
    this.userThreads = inner.userThreads;
  }

  threadName(t: number): string {
    return this.inner.threadName(t);
  }
  threadWords(t: number): { start: number; end: number } {
    return this.inner.threadWords(t);
  }
  /** The inner initial state, widened with this wrapper's words (zero). */
  initial(): { state: Int32Array } | { violation: Violation } {
    const init = this.inner.initial();
    if (!('state' in init) || this.stateWords === this.base) return init;
    const s = new Int32Array(this.stateWords);
    s.set(init.state);
    return { state: s };
  }
  choices(s: Int32Array, t: number): number {
    return this.inner.choices(s, t);
  }
  guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    this.inner.guardFootprint(s, t, fp);
  }
  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    return this.inner.step(s, t, choice, out, fp);
  }
  /** The inner system's answer (a wrapper's own words never bring a thread back). */
  mayCycle(s: Int32Array, t: number, out: Int32Array): boolean {
    return this.inner.mayCycle?.(s, t, out) ?? true;
  }
  lastViolation(): Violation {
    return this.inner.lastViolation();
  }
  continuePast(kinds: ReadonlySet<ViolationKind> | null): void {
    this.inner.continuePast?.(kinds);
  }
  isFinished(s: Int32Array, t: number): boolean {
    return this.inner.isFinished(s, t);
  }
  terminal(s: Int32Array): Violation | null {
    return this.inner.terminal(s);
  }
  nextStepInfo(s: Int32Array, t: number): StepInfo {
    return this.inner.nextStepInfo(s, t);
  }
}
