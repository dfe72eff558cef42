// The interface between a compiled model and every explorer (BFS, DFS, DPOR, random).
// A TransitionSystem is a deterministic function over flat Int32Array states:
// explorers never look inside a state except through these methods, and the model never
// keeps per-state objects. Everything here is allocation-free on the success path.
import type { Span } from './lang/ast.js';
import type { ViolationKind } from './lang/violation-kinds.js';

/** A pool object (or one of its fields) named in a violation or a view: `pte_page#0.ptl`. */
export interface ObjectRef {
  pool: string;
  slot: number;
  field?: string;
}

/** An object named in a violation message, e.g. pte_page#0 freed by munmap at step 9. */
export interface ObjectNote {
  object: string; // "pte_page#0"
  event: string; // "freed by munmap (rfc.mmspec:41)"
  /** The pool object the note is about (and its field), when it is one: {pool, slot, field?}. */
  ref?: ObjectRef;
}

export interface Violation {
  kind: ViolationKind;
  message: string;
  /** Scheduled entity that took the violating step, or -1 for a state/terminal check. */
  thread: number;
  /** Source of the violating statement or of the failed invariant/final condition. */
  span?: Span;
  objects: ObjectNote[];
  /** The invariant or final condition that failed (kinds invariant and final). */
  condition?: string;
}

/**
 * The dynamic footprint of one transition: the shared locations it read and wrote.
 * Locations are state word indices (every global, array element, pool slot field, sync
 * word) plus virtual locations >= stateWords (see TransitionSystem.locationCount).
 * Thread-private words (pc, locals) are never recorded: they commute with everything.
 * Two transitions of different threads are dependent iff some location is in both and
 * at least one of them wrote it. The buffers are reused: read them before the next step.
 */
export class Footprint {
  /**
   * Records nothing (n stays 0): for explorers that never read a footprint (the stored-state
   * searches), so that a step does no bookkeeping for them.
   */
  static readonly NONE = new Footprint(0, false);
  n = 0;
  locs: Int32Array;
  /** 1 = written (a write that stored the same value is still a write), 0 = only read. */
  writes: Uint8Array;
  constructor(
    capacity = 256,
    readonly recording = true,
  ) {
    this.locs = new Int32Array(capacity);
    this.writes = new Uint8Array(capacity);
  }
  clear(): void {
    this.n = 0;
  }
  read(loc: number): void {
    if (!this.recording) return;
    const n = this.n;
    if (n === this.locs.length) this.grow();
    this.locs[n] = loc;
    this.writes[n] = 0;
    this.n = n + 1;
  }
  write(loc: number): void {
    if (!this.recording) return;
    const n = this.n;
    if (n === this.locs.length) this.grow();
    this.locs[n] = loc;
    this.writes[n] = 1;
    this.n = n + 1;
  }
  private grow(): void {
    const locs = new Int32Array(this.locs.length * 2);
    locs.set(this.locs);
    const writes = new Uint8Array(this.writes.length * 2);
    writes.set(this.writes);
    this.locs = locs;
    this.writes = writes;
  }
}

export const STEP_OK = 0;
export const STEP_VIOLATION = 1;
/**
 * Only while continuePast is on: the step went on past a warning (lastViolation() names it)
 * and `out` is the state after the whole step.
 */
export const STEP_WARNING = 2;

/**
 * What a thread-symmetry canonicaliser reads of the program (symmetry.ts symmetryTables),
 * flattened, for a search that computes it in WebAssembly (checker/search/canon-wasm.ts).
 * Class c's members are i in classes[3c]..classes[3c+1), their blocks classes[3c+2] words
 * long; member i is thread tids[i], its block at word bases[i]. Owner words hold a thread id
 * + 1, mask words bit tid.
 */
export interface SymmetryTables {
  words: number;
  threads: number;
  classes: Int32Array;
  bases: Int32Array;
  tids: Int32Array;
  owners: Int32Array;
  masks: Int32Array;
}

/**
 * Violations the kernel reports as warnings and survives (lockdep's lock order, a premature
 * free, KCSAN's data race; leak is a check of the final state): an execution may go on past them to the
 * violation a scenario expects (docs/adr/005-warnings-do-not-cut.md).
 */
export const WARNING_KINDS: ReadonlySet<ViolationKind> = new Set<ViolationKind>([
  'premature_free',
  'lock_order',
  'leak',
  'data_race',
]);

export interface TransitionSystem {
  /** Words in one state. */
  readonly stateWords: number;
  /** Location ids are in [0, locationCount): state words, then virtual locations. */
  readonly locationCount: number;
  /**
   * Scheduled entities: the scenario's thread instances first (0..userThreads-1), then
   * environment entities (deferred RCU/SRCU callbacks), which are scheduled like threads.
   */
  readonly threadCount: number;
  readonly userThreads: number;
  threadName(t: number): string;
  /** The state words private to thread t ([start, end)): pc, status, locals. */
  threadWords(t: number): { start: number; end: number };

  /** The initial state after `init`, or the violation `init` itself raised. */
  initial(): { state: Int32Array } | { violation: Violation };

  /** How many different transitions thread t can take in s (0 = blocked or finished). */
  choices(s: Int32Array, t: number): number;

  /**
   * The locations whose values decide whether thread t's next step is enabled (a lock
   * word, the locations an `await` condition reads, an SRCU reader mask), recorded as reads
   * into fp (cleared first). Empty for a step that is always enabled. DPOR uses it to wake a
   * blocked thread and to treat spin loops as awaits.
   */
  guardFootprint(s: Int32Array, t: number, fp: Footprint): void;

  /**
   * Take transition `choice` of thread t from s, writing the successor into `out` (same
   * length, may not alias s) and the footprint into `fp` (cleared first). Returns STEP_OK, or
   * STEP_VIOLATION with details from lastViolation(). Invariants are checked on `out`.
   */
  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number;
  lastViolation(): Violation;
  /**
   * From now on, steps go on past warnings of these kinds (STEP_WARNING) instead of raising
   * them; null turns it off. Optional: a system without it raises every violation.
   */
  continuePast?(kinds: ReadonlySet<ViolationKind> | null): void;

  /** True when thread t has run to its end (environment entities: nothing pending). */
  isFinished(s: Int32Array, t: number): boolean;

  /**
   * Checks for a state in which no thread has a transition: deadlock (some thread not
   * finished), `final` conditions, and the opt-in leak check. null when it is fine.
   */
  terminal(s: Int32Array): Violation | null;

  /** Source position and text of the statement thread t would execute next (for traces). */
  nextStepInfo(s: Int32Array, t: number): StepInfo;

  /**
   * Present when some threads are interchangeable (model/symmetry.ts): the canonical member
   * of s's orbit, which a stored-state search fingerprints in place of s (with `symmetry` in
   * its reductions), written into `out` (true), or false when it is s itself. Reads and
   * writes only this system's words.
   */
  readonly canonicalize?: (s: Int32Array, out: Int32Array) => boolean;

  /**
   * With canonicalize, when it is exactly the program's thread symmetry over all of this
   * system's words (words past the program's copied as they are): its tables, for a search
   * that computes the same canonical form in WebAssembly (checker/search/canon-wasm.ts). A
   * wrapper whose canonical form renames its own words too leaves it out.
   */
  readonly symmetryTables?: SymmetryTables;

  /**
   * Present with the `por` reduction (model/por.ts): a user thread whose enabled step alone is
   * an invisible persistent set at s (a stored-state search may expand that thread alone,
   * under its cycle proviso), or -1 when s must be expanded in full.
   */
  readonly ample?: (s: Int32Array) => number;

  /**
   * Present when the system knows its control flow (model/cycles.ts): false when the step of
   * thread t from s to out can lie on no cycle of the state graph (t cannot come back to
   * where it was), so the livelock check need not keep that edge. true when it may.
   */
  mayCycle?(s: Int32Array, t: number, out: Int32Array): boolean;
}

export interface StepInfo {
  /** Stable step id within the thread's template (the pc of the statement). */
  step: number;
  span?: Span;
  text: string;
}
