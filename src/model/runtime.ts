// The context compiled steps run in: the footprint being recorded, the entity stepping,
// and the violation raised. One Runtime per compiled scenario; closures capture it.
// A violation is raised by throwing the VIOLATION_SIGNAL sentinel (violations are rare, and
// a try/catch that never throws costs nothing), never by returning objects on the hot path.

import { AccessLog } from './access-log.js';
import type { Span } from './lang/ast.js';
import type { CheckedSpec } from './lang/checked.js';
import { formatLine } from './lang/diagnostics.js';
import type { ViolationKind } from './lang/violation-kinds.js';
import type { Layout, ObjectRef } from './layout.js';
import { Footprint, type ObjectNote, type Violation } from './system.js';

/** Names and values of state words for messages (built by word-names.ts from the registry). */
export interface WordNaming {
  nameOf(addr: number): string;
  formatValue(addr: number, value: number): string;
  /** The pool object (and field) a word belongs to; undefined outside the pools. */
  refOf(addr: number): ObjectRef | undefined;
}

export const VIOLATION_SIGNAL: unique symbol = Symbol('mmcheck violation');

export class Runtime {
  fp: Footprint = new Footprint();
  /** The data accesses of the step running, for the data_race check (data-race.ts). */
  acc = new AccessLog();
  thread = -1;
  violation: Violation | null = null;
  /**
   * Warning kinds (system.ts WARNING_KINDS) the current step goes on past instead of raising
   * them (docs/adr/005): `warn` records the first in `warning`. null: every check raises.
   */
  continueKinds: ReadonlySet<ViolationKind> | null = null;
  warning: Violation | null = null;
  /** Arguments of macro fn calls: each call site owns a few words. */
  scratch = new Int32Array(16);
  private scratchUsed = 0;

  constructor(
    readonly spec: CheckedSpec,
    readonly layout: Layout,
    readonly entityNames: string[],
    private readonly words: WordNaming,
  ) {}

  allocScratch(): number {
    if (this.scratchUsed === this.scratch.length) {
      const grown = new Int32Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    return this.scratchUsed++;
  }

  threadName(t: number): string {
    return this.entityNames[t] ?? `#${t}`;
  }

  /** Raise a violation from inside a step. */
  fail(
    kind: ViolationKind,
    message: string,
    span: Span | undefined,
    objects: ObjectNote[] = [],
    condition?: string,
  ): never {
    const v: Violation = { kind, message, thread: this.thread, objects };
    if (span !== undefined) v.span = span;
    if (condition !== undefined) v.condition = condition;
    this.violation = v;
    throw VIOLATION_SIGNAL;
  }

  /**
   * A check lockdep or KCSAN reports as a warning while the kernel goes on (premature_free,
   * lock_order): raised as `fail` does, unless the step goes on past this kind; then it is
   * recorded (the first of the step) and the step continues.
   */
  warn(kind: ViolationKind, message: string, span: Span | undefined, objects: ObjectNote[] = []): void {
    if (this.continueKinds?.has(kind) !== true) this.fail(kind, message, span, objects);
    if (this.warning !== null) return;
    this.warning = { kind, message, thread: this.thread, objects };
    if (span !== undefined) this.warning.span = span;
  }

  /**
   * `path:line` of a span. Memoised per span: lineCol scans the file from its start, and a
   * step that frees names its position on every run (heap.ts), as a trace view does per step.
   */
  where(span: Span): string {
    let at = this.positions.get(span);
    if (at === undefined) {
      at = formatLine(this.spec.sources, span);
      this.positions.set(span, at);
    }
    return at;
  }
  private readonly positions = new WeakMap<Span, string>();

  /** A readable name for a state word: `tree`, `pte_page#0.pte[1]`, `fault.v`. */
  nameOf(addr: number): string {
    return this.words.nameOf(addr);
  }

  /** A word's value as a person reads it: `vma#0`, `null`, `true`, an enum member, a number. */
  formatValue(addr: number, value: number): string {
    return this.words.formatValue(addr, value);
  }

  /** A note about the object a word belongs to (named `object`, by default the word's name). */
  note(addr: number, event: string, object = this.nameOf(addr)): ObjectNote {
    const ref = this.words.refOf(addr);
    return ref === undefined ? { object, event } : { object, event, ref };
  }

  /** A note about pool object `pool#slot`. */
  objectNote(pool: string, slot: number, event: string): ObjectNote {
    return { object: `${pool}#${slot}`, event, ref: { pool, slot } };
  }
}
