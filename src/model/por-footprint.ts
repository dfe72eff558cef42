// Static footprints for the partial-order reduction (por.ts): what each compiled op may read
// and write, as classes of locations (por-classes.ts), from the text of the statement it
// was lowered from. Over-approximations only: an op is mapped to the innermost statement
// whose span holds its span, and that whole statement counts (an `if` op counts its
// branches, a call counts the called fn's whole body, transitively); a field is every slot's
// field; an array is the whole array; a built-in counts its arguments as written, and the
// built-ins of the families that reach past their argument (rcu, heap, irq, and any family
// this file does not know) count every class but the globals and fields besides. A visible
// op that lies in no statement is TOP (every class). `checkStaticFootprint` (por.ts) holds
// every step a search runs to these sets in the tests.
import type { Expr, Span, Stmt } from './lang/ast.js';
import type { BodyInfo, CheckedSpec } from './lang/checked.js';
import type { Layout } from './layout.js';
import { DEFER, LOCKDEP, type PorClasses } from './por-classes.js';
import { BUILTIN_DEFS } from './prims/index.js';

/** Built-ins of those families that only read their arguments. */
const READ_ONLY = new Set([
  'atomic_read',
  'read_seqcount_begin',
  'raw_read_seqcount',
  'read_seqcount_retry',
  'READ_ONCE',
  'rcu_dereference',
  'refcount_read',
]);
/** Families whose built-ins touch the words of their arguments and nothing else. */
const PLACE_FAMILIES = new Set(['atomic', 'completion', 'seqcount', 'marked', 'refcount']);
/** Families whose built-ins touch their arguments and lockdep's lock-order words. */
const LOCK_FAMILIES = new Set(['spinlock', 'mutex', 'rwsem', 'sleep']);
/**
 * Entering a read section sets the thread's own reader bit and section words; leaving it
 * also releases the grace periods and deferred frees that wait for it (rcu.ts leaveSection).
 */
const READ_LOCKS = new Set(['rcu_read_lock', 'srcu_read_lock']);
const READ_UNLOCKS = new Set(['rcu_read_unlock', 'srcu_read_unlock']);

/** What an op may touch. `self`: its own thread's block (OWN of the thread running it). */
export interface StaticAccess {
  r: Set<number>;
  w: Set<number>;
  self: boolean;
  top: boolean;
}

export function emptyAccess(): StaticAccess {
  return { r: new Set(), w: new Set(), self: false, top: false };
}

function merge(into: StaticAccess, a: StaticAccess): void {
  for (const c of a.r) into.r.add(c);
  for (const c of a.w) into.w.add(c);
  into.self ||= a.self;
  into.top ||= a.top;
}

/** The static access of the statement each op span lies in, for one scenario. */
export class SpecFootprints {
  private readonly stmts: { stmt: Stmt; span: Span }[] = [];
  private readonly bySpan = new Map<string, StaticAccess | null>();
  private readonly byStmt = new Map<Stmt, StaticAccess>();
  private readonly byFn = new Map<string, StaticAccess>();

  constructor(
    private readonly spec: CheckedSpec,
    private readonly layout: Layout,
    private readonly classes: PorClasses,
    bodies: readonly BodyInfo[],
  ) {
    const visit = (s: Stmt): void => {
      this.stmts.push({ stmt: s, span: s.span });
      if (s.kind === 'if') {
        visit(s.then);
        if (s.else) visit(s.else);
      } else if (s.kind === 'while' || s.kind === 'for') visit(s.body);
      else if (s.kind === 'block' || s.kind === 'atomic') s.body.forEach(visit);
      else if (s.kind === 'either') for (const b of s.branches) b.forEach(visit);
    };
    for (const b of [...bodies, ...spec.fns.values()]) b.body.forEach(visit);
  }

  /** The access of the innermost statement holding `span`, or null when none does. */
  ofSpan(span: Span): StaticAccess | null {
    const key = `${span.file}:${span.start}:${span.end}`;
    const known = this.bySpan.get(key);
    if (known !== undefined) return known;
    let best: { stmt: Stmt; span: Span } | null = null;
    for (const x of this.stmts) {
      const sp = x.span;
      if (sp.file !== span.file || sp.start > span.start || sp.end < span.end) continue;
      if (best === null || sp.end - sp.start < best.span.end - best.span.start) best = x;
    }
    const a = best === null ? null : this.ofStmt(best.stmt);
    this.bySpan.set(key, a);
    return a;
  }

  /**
   * An op lowered from a compound statement itself (not from a statement inside it) is its
   * test and jump: `if` and `while` evaluate the condition, `for` its bounds, `either` picks
   * a branch; the statements inside have ops (and spans) of their own. `atomic` is one op.
   */
  private ofStmt(s: Stmt): StaticAccess {
    const known = this.byStmt.get(s);
    if (known !== undefined) return known;
    const a = emptyAccess();
    if (s.kind === 'if' || s.kind === 'while') this.expr(s.cond, a, false);
    else if (s.kind === 'for') {
      this.expr(s.from, a, false);
      this.expr(s.to, a, false);
    } else if (s.kind !== 'either') this.stmt(s, a);
    this.byStmt.set(s, a);
    return a;
  }

  private stmt(s: Stmt, a: StaticAccess): void {
    const e = (x: Expr | undefined, w = false): void => {
      if (x !== undefined) this.expr(x, a, w);
    };
    const body = (xs: readonly Stmt[]): void => {
      for (const x of xs) this.stmt(x, a);
    };
    switch (s.kind) {
      case 'local':
        e(s.init);
        return;
      case 'assign':
        e(s.target, true);
        e(s.value);
        return;
      case 'expr':
        e(s.expr);
        return;
      case 'if':
        e(s.cond);
        body(s.else === undefined ? [s.then] : [s.then, s.else]);
        return;
      case 'while':
        e(s.cond);
        body([s.body]);
        return;
      case 'for':
        e(s.from);
        e(s.to);
        body([s.body]);
        return;
      case 'block':
      case 'atomic':
        body(s.body);
        return;
      case 'either':
        for (const b of s.branches) body(b);
        return;
      case 'return':
        e(s.value);
        return;
      case 'await':
      case 'assert':
      case 'bug_on':
        e(s.cond);
        return;
      case 'choose':
        e(s.target, true);
        e(s.from);
        e(s.to);
        return;
      case 'label':
      case 'goto':
      case 'break':
      case 'continue':
      case 'skip':
        return;
      default:
        a.top = true; // a statement this analysis does not know
    }
  }

  private add(a: StaticAccess, c: number, write: boolean): void {
    if (c < 0) return;
    a.r.add(c);
    if (write) a.w.add(c);
  }

  /** `write`: the expression is a place the op may write (an assignment's target, a built-in's argument). */
  private expr(x: Expr, a: StaticAccess, write: boolean): void {
    const spec = this.spec;
    const ty = spec.types.get(x);
    // Loading a reference reads its slot's allocation and callback words (the checks of a
    // stale reference);
    // of an RCU/SRCU-protected type inside a read section, it marks it in the thread's own
    // `loaded` word, which frees of other threads read.
    if (ty?.k === 'ref') {
      this.add(a, this.classes.alloc(ty.struct), false);
      this.add(a, this.classes.callback(ty.struct), false);
      if ((this.layout.pools.get(ty.struct)?.protectedIndex ?? -1) >= 0) a.self = true;
    }
    switch (x.kind) {
      case 'int':
      case 'bool':
      case 'null':
        return;
      case 'name': {
        const sym = spec.names.get(x);
        if (sym?.k === 'global') this.add(a, this.classes.global(sym.global.name), write || x.addrOf !== undefined);
        else if (sym === undefined) a.top = true;
        return;
      }
      case 'field': {
        const w = write || x.addrOf !== undefined;
        const oty = spec.types.get(x.object);
        if (oty?.k === 'ref') {
          this.add(a, this.classes.field(oty.struct, x.field), w);
          this.add(a, this.classes.alloc(oty.struct), false);
          this.expr(x.object, a, false);
        } else this.expr(x.object, a, w);
        return;
      }
      case 'index':
        this.expr(x.object, a, write || x.addrOf !== undefined);
        this.expr(x.index, a, false);
        return;
      case 'unary':
        this.expr(x.operand, a, false);
        return;
      case 'binary':
        this.expr(x.left, a, false);
        this.expr(x.right, a, false);
        return;
      case 'call':
        this.call(x, a);
        return;
      case 'alloc':
        // The lowest free slot: every allocation word read, the slot's words written (heap.ts).
        this.add(a, this.classes.alloc(x.type), true);
        this.add(a, this.classes.callback(x.type), true);
        for (const c of this.classes.fields(x.type)) this.add(a, c, true);
        a.self = true;
        for (const i of x.inits) this.expr(i.value, a, false);
        return;
      default:
        a.top = true;
    }
  }

  private call(x: Extract<Expr, { kind: 'call' }>, a: StaticAccess): void {
    const fn = this.spec.fns.get(x.callee);
    if (fn !== undefined) {
      for (const arg of x.args) this.expr(arg, a, false);
      merge(a, this.ofFn(fn));
      return;
    }
    const family = BUILTIN_DEFS.get(x.callee)?.family;
    // A read section's own words and reader bit are the thread's (OWN): the domain's index
    // word is only read, its readers mask is the threads' reader locations.
    const reads = READ_ONLY.has(x.callee) || READ_LOCKS.has(x.callee) || READ_UNLOCKS.has(x.callee);
    for (const arg of x.args) this.expr(arg, a, !reads);
    if (family !== undefined && PLACE_FAMILIES.has(family)) return;
    if (family !== undefined && LOCK_FAMILIES.has(family)) {
      this.add(a, LOCKDEP, true);
      return;
    }
    if (READ_LOCKS.has(x.callee) || READ_UNLOCKS.has(x.callee)) {
      a.self = true;
      if (READ_UNLOCKS.has(x.callee)) for (const c of this.classes.waits) this.add(a, c, true);
      return;
    }
    // Arming a deferred free: the deferred frees count from here on (PartialOrder.ample).
    if (family === undefined || BUILTIN_DEFS.get(x.callee)?.defersFree !== undefined) this.add(a, DEFER, true);
    // rcu, heap, irq and any family not listed above: everything but unrelated globals and fields.
    const structs: string[] = [];
    for (const arg of x.args) {
      const t = this.spec.types.get(arg);
      if (t?.k === 'ref') structs.push(t.struct);
    }
    this.wide(a, ...structs);
  }

  private wide(a: StaticAccess, ...structs: string[]): void {
    for (const c of this.classes.wide) this.add(a, c, true);
    for (const st of structs) for (const c of this.classes.fields(st)) this.add(a, c, true);
    a.self = true;
  }

  private ofFn(fn: BodyInfo): StaticAccess {
    const known = this.byFn.get(fn.name);
    if (known !== undefined) return known;
    const a = emptyAccess();
    a.top = true; // while it is being computed: a recursive call is TOP
    this.byFn.set(fn.name, a);
    const out = emptyAccess();
    for (const s of fn.body) this.stmt(s, out);
    if (fn.macro !== undefined) this.expr(fn.macro, out, false);
    this.byFn.set(fn.name, out);
    return out;
  }
}
