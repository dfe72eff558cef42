// Searching for an expected violation kind. `expect violation(premature_free)` means "some
// execution's first violation is a premature_free"; an execution that first hits another
// kind is cut there (what follows a kernel crash is meaningless) and the search goes on.
// Implemented as a TransitionSystem wrapper, so every explorer gets it unchanged: a step
// that raises another kind leads to a sink state (one extra word set to 1) that has no
// successors and is not a deadlock (one extra word: the sink flag). The first such
// violation is remembered for the report. The sink is visible to DPOR: every thread's guard
// reads its location and a cutting step writes it, so a cut is ordered against the steps of
// every other thread (left invisible, optimal DPOR lost executions around cuts).
//
// Warnings do not cut (docs/adr/005-warnings-do-not-cut.md): a premature_free or lock_order
// step, when another kind is expected, is taken in full and the execution goes on (the
// kernel goes on after lockdep's or KCSAN's report); the warning is remembered as a cut
// violation is, for the report.

import type { ViolationKind } from '../../model/lang/violation-kinds.js';
import {
  type Footprint,
  STEP_OK,
  STEP_VIOLATION,
  STEP_WARNING,
  type SymmetryTables,
  type TransitionSystem,
  type Violation,
  WARNING_KINDS,
} from '../../model/system.js';
import { WrappedSystem } from './wrapped.js';

export class TargetSystem extends WrappedSystem {
  /** Violations of other kinds cut from the search (first one kept), and how many. */
  other: Violation | null = null;
  otherCount = 0;
  /**
   * The store index of the state being expanded, set by the parallel BFS's threads
   * (parallel/level.ts); -1 elsewhere, and for the one-thread BFS before it hands over, whose
   * states all come first. `otherAt` is its value when `other` was cut: the threads' first
   * cuts are merged by it (addCuts), so that the first is the one-thread BFS's first.
   */
  at = -1;
  otherAt = -1;
  /** Every kind cut from the search. With target null, nothing stops the search: it
   *  collects the first violation of every execution (the reduction tests use this). */
  readonly cutKinds = new Set<ViolationKind>();

  /** `condition`: only a violation of this invariant or final condition is the target. */
  constructor(
    inner: TransitionSystem,
    readonly target: ViolationKind | null,
    readonly condition: string | null = null,
  ) {
    super(inner, 1, 1);
    this.passed = target === null ? null : new Set([...WARNING_KINDS].filter((k) => k !== target));
    // The sink flag names no thread: the inner canonical form with the flag kept is one too.
    const canonicalize = inner.canonicalize;
    if (canonicalize !== undefined)
      this.canonicalize = (s, out) => {
        if (!canonicalize(s, out)) return false;
        out[this.base] = s[this.base]!;
        return true;
      };
    // The same canonical form over one more word: the wasm canonicaliser copies it with the state.
    const tables = inner.symmetryTables;
    if (canonicalize !== undefined && tables?.words === inner.stateWords)
      this.symmetryTables = { ...tables, words: this.stateWords };
    // A cut is a step that raises a violation: the reduction keeps every such step reachable
    // as it keeps every violation (docs/reductions.md), so the inner ample set stands.
    const ample = inner.ample;
    if (ample !== undefined) this.ample = (s) => (s[this.base] === 1 ? -1 : ample(s));
  }
  readonly canonicalize?: (s: Int32Array, out: Int32Array) => boolean;
  readonly symmetryTables?: SymmetryTables;
  /** The inner ample set (model/por.ts); a sink has no successors. */
  readonly ample?: (s: Int32Array) => number;
  /** The warning kinds an execution goes on past (every one but the target; none without one). */
  private readonly passed: ReadonlySet<ViolationKind> | null;

  private isTarget(v: Violation): boolean {
    return v.kind === this.target && (this.condition === null || v.condition === this.condition);
  }

  override guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    this.inner.guardFootprint(s, t, fp);
    fp.read(this.locBase);
  }
  override choices(s: Int32Array, t: number): number {
    return s[this.base] === 1 ? 0 : this.inner.choices(s, t);
  }
  override step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    const inner = this.inner;
    inner.continuePast?.(this.passed);
    const r = inner.step(s, t, choice, out, fp);
    inner.continuePast?.(null);
    out[this.base] = 0;
    if (r === STEP_OK) return STEP_OK;
    const v = inner.lastViolation();
    if (r === STEP_WARNING) {
      this.cut(v);
      return STEP_OK;
    }
    if (this.isTarget(v)) return STEP_VIOLATION;
    this.cut(v);
    out[this.base] = 1;
    fp.write(this.locBase);
    return STEP_OK;
  }
  override isFinished(s: Int32Array, t: number): boolean {
    return s[this.base] === 1 || this.inner.isFinished(s, t);
  }
  override terminal(s: Int32Array): Violation | null {
    if (s[this.base] === 1) return null;
    const v = this.inner.terminal(s);
    if (v === null || this.isTarget(v)) return v;
    this.cut(v);
    return null;
  }
  private cut(v: Violation): void {
    if (this.other === null || this.at < this.otherAt) {
      this.other = v;
      this.otherAt = this.at;
    }
    this.otherCount++;
    this.cutKinds.add(v.kind);
  }
}

/**
 * What a TargetSystem has cut, as plain data: saved and restored around a trial run that must
 * not count (auto's DPOR attempts, DPOR's disabling probe), or posted from a worker thread
 * and added to the coordinating thread's counts.
 */
export interface CutCounts {
  other: Violation | null;
  /** TargetSystem.otherAt: the store index of the state `other` was cut in (-1: unknown, first). */
  at: number;
  count: number;
  kinds: ViolationKind[];
}

/** sys's cut counts, or null when sys searches for no expected kind. */
export function cutsOf(sys: TransitionSystem): CutCounts | null {
  return sys instanceof TargetSystem
    ? { other: sys.other, at: sys.otherAt, count: sys.otherCount, kinds: [...sys.cutKinds] }
    : null;
}

/** Sets sys's cut counts back to `saved` (from cutsOf). */
export function restoreCuts(sys: TransitionSystem, saved: CutCounts | null): void {
  if (saved === null || !(sys instanceof TargetSystem)) return;
  sys.other = saved.other;
  sys.otherAt = saved.at;
  sys.otherCount = saved.count;
  sys.cutKinds.clear();
  for (const k of saved.kinds) sys.cutKinds.add(k);
}

/**
 * Adds another thread's cut counts to sys's. The first cut violation kept is the one of the
 * lowest state (CutCounts.at), sys's own on a tie: a parallel BFS's threads expand the states
 * of a level in any order, each its own, and the one-thread BFS's first is the lowest state's.
 */
export function addCuts(sys: TransitionSystem, more: CutCounts | null): void {
  if (more === null || !(sys instanceof TargetSystem)) return;
  if (more.other !== null && (sys.other === null || more.at < sys.otherAt)) {
    sys.other = more.other;
    sys.otherAt = more.at;
  }
  sys.otherCount += more.count;
  for (const k of more.kinds) sys.cutKinds.add(k);
}
