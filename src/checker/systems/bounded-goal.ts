// The system counterexample minimisation (trace/minimize.ts) searches: schedules with at
// most `bound` preemptions, in which only one violation, the goal, counts.
import type { ViolationKind } from '../../model/lang/violation-kinds.js';
import type { ThreadSymmetry } from '../../model/symmetry.js';
import {
  type Footprint,
  STEP_OK,
  STEP_VIOLATION,
  type TransitionSystem,
  type Violation,
  WARNING_KINDS,
} from '../../model/system.js';
import { isPreemption } from '../trace/preemptions.js';
import { WrappedSystem } from './wrapped.js';

/** Same kind at the same source position: what "the same violation" means for minimising and replay. */
export function sameViolation(a: Violation, b: Violation): boolean {
  const at = (v: Violation): string => (v.span === undefined ? '-' : `${v.span.file}:${v.span.start}`);
  return a.kind === b.kind && at(a) === at(b);
}

const SINK = 0;
const LAST = 1;
const USED = 2;

/**
 * The system restricted to schedules with at most `bound` preemptions, in which only `goal`
 * counts as a violation: a step raising any other violation leads to a sink state with no
 * successors (as in target.ts), except warnings of other kinds, which the execution goes on
 * past (docs/adr/005). Three words ride at the end of the state: the sink flag,
 * the last thread that stepped (-1 once it can no longer continue, so equal states merge)
 * and the preemptions used so far.
 *
 * Given the inner program's thread symmetry (model/symmetry.ts threadSymmetry), it offers a
 * canonical form too: renaming identical threads maps a schedule to one with the same
 * preemptions and steps, ending in the same violation (kind and position: the renamed
 * threads run the same code), provided the last-thread word is renamed with the blocks. The
 * bounded searches then store one state per orbit (5 faults of the seed twin: 6× fewer).
 */
export class BoundedGoalSystem extends WrappedSystem {
  private violation: Violation | null = null;
  private readonly passed: ReadonlySet<ViolationKind>;

  readonly canonicalize?: (s: Int32Array, out: Int32Array) => boolean;

  constructor(
    inner: TransitionSystem,
    readonly goal: Violation,
    readonly bound: number,
    symmetry: ThreadSymmetry | null = null,
  ) {
    super(inner, 3);
    this.passed = new Set([...WARNING_KINDS].filter((k) => k !== goal.kind));
    if (symmetry !== null) this.canonicalize = this.renamingLast(symmetry);
  }

  /** The inner canonical form with this wrapper's words copied and the last thread renamed. */
  private renamingLast({ canonicalize, order }: ThreadSymmetry): (s: Int32Array, out: Int32Array) => boolean {
    const at = this.base + LAST;
    return (s, out) => {
      if (!canonicalize(s, out)) return false;
      // rename() copied every word of s (same length) before moving blocks: only LAST names a thread.
      const last = s[at]!;
      for (let t = 0; t < order.length; t++) if (order[t] === last) out[at] = t;
      return true;
    };
  }

  override initial(): { state: Int32Array } | { violation: Violation } {
    const init = super.initial();
    if ('state' in init) init.state[this.base + LAST] = -1;
    return init;
  }
  override choices(s: Int32Array, t: number): number {
    if (s[this.base + SINK] === 1) return 0;
    const n = this.inner.choices(s, t);
    if (n === 0) return 0;
    if (s[this.base + USED]! >= this.bound && isPreemption(this.inner, s, s[this.base + LAST]!, t)) return 0;
    return n;
  }
  override step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    const b = this.base;
    const preempts = isPreemption(this.inner, s, s[b + LAST]!, t);
    this.inner.continuePast?.(this.passed);
    const r = this.inner.step(s, t, choice, out, fp);
    this.inner.continuePast?.(null);
    out[b + SINK] = 0;
    out[b + USED] = s[b + USED]! + (preempts ? 1 : 0);
    if (r === STEP_VIOLATION) {
      const v = this.inner.lastViolation();
      if (sameViolation(v, this.goal)) {
        this.violation = v;
        return STEP_VIOLATION;
      }
      out[b + SINK] = 1;
      out[b + LAST] = -1;
      return STEP_OK;
    }
    out[b + LAST] = this.inner.choices(out, t) > 0 ? t : -1;
    return STEP_OK;
  }
  override lastViolation(): Violation {
    return this.violation ?? this.inner.lastViolation();
  }
  override isFinished(s: Int32Array, t: number): boolean {
    return s[this.base + SINK] === 1 || this.inner.isFinished(s, t);
  }
  override terminal(s: Int32Array): Violation | null {
    if (s[this.base + SINK] === 1) return null;
    const v = this.inner.terminal(s);
    return v !== null && sameViolation(v, this.goal) ? v : null;
  }
}
