// Promela export: expressions and places lowered to the IR (pexpr.ts) in the model's order of
// evaluation. A value is a list of statements run first (checks, the effects of calls, and
// snapshots into hidden temporaries) and a pure expression read after them. The rule that
// keeps left-to-right evaluation exact: when an operand to the right runs statements, the
// operands to its left are read into temporaries before them; a right operand of && or ||
// runs its statements only when the left one lets it (compile-expr.ts's short circuit).
// The checks are the model's: a zero divisor, a shift count outside 0..31, an index out of
// bounds (each an `assertion`, compile-expr.ts).
import type { Expr } from '../lang/ast.js';
import type { CheckedSpec, LocalInfo } from '../lang/checked.js';
import { typeWords } from '../lang/types.js';
import type { Layout, ThreadLayout } from '../layout.js';
import { localAddr } from '../layout.js';
import { lowerBuiltin } from './builtins-promela.js';
import { lowerAlloc, protectedLoad, slotWord } from './heap-promela.js';
import {
  bin,
  cst,
  dyn,
  type LowerCtx,
  type Lowered,
  type PExpr,
  PromelaRefusal,
  type PStmt,
  readsWords,
  word,
} from './pexpr.js';

export type { Lowered } from './pexpr.js';

const PLAIN = new Set(['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '&', '|', '^']);

/** The lowering context of one thread (or of conditions: thread null). */
export class ExprLowerer implements LowerCtx {
  /** Macro fn parameters in scope: the temporaries holding their arguments. */
  private macroArgs = new Map<LocalInfo, PExpr>();

  constructor(
    readonly spec: CheckedSpec,
    readonly layout: Layout,
    readonly thread: ThreadLayout | null,
    readonly tid: number,
    private readonly temps: { n: number },
    /** The kind a failing dereference raises: its own, or the condition's (compile-expr.ts derefSlot). */
    private readonly derefKind: 'normal' | 'invariant' | 'final' = 'normal',
  ) {}

  /** Lowering a guard: no effects, so (as in a condition) nothing is kept in a temporary. */
  private pureMode = false;

  /** A guard's value: its checks and short circuits fold into one expression (pureOf). */
  guardValue(e: Expr): Lowered {
    const was = this.pureMode;
    this.pureMode = true;
    try {
      return this.value(e, false);
    } finally {
      this.pureMode = was;
    }
  }

  fresh(): number {
    return this.temps.n++;
  }

  /** Read e into a temporary unless it reads no word (addresses never do); returns what reads it back. */
  snap(pre: PStmt[], e: PExpr): PExpr {
    // A guard has no effects: a word reads the same at any point of it, so nothing is kept
    // in a temporary and the guard folds into one expression (pureOf).
    if (!readsWords(e) || this.pureMode) return e;
    // An address keeps its candidates: only the expression computing it is read now.
    if (e.k === 'dyn') return dyn(this.snap(pre, e.a), e.cands);
    const n = this.fresh();
    pre.push({ k: 'tmp', n, value: e });
    return { k: 'tmp', n };
  }

  /** Lower operands left to right, snapshotting the earlier ones when a later one runs statements. */
  seq(parts: (() => Lowered)[]): { pre: PStmt[]; es: PExpr[] } {
    const pre: PStmt[] = [];
    const es: PExpr[] = [];
    for (const p of parts) {
      const l = p();
      if (l.pre.length > 0) for (let i = 0; i < es.length; i++) es[i] = this.snap(pre, es[i]!);
      pre.push(...l.pre);
      es.push(l.e);
    }
    return { pre, es };
  }

  value(e: Expr, effects = true): Lowered {
    switch (e.kind) {
      case 'int':
        return { pre: [], e: cst(e.value | 0) };
      case 'bool':
        return { pre: [], e: cst(e.value ? 1 : 0) };
      case 'null':
        return { pre: [], e: cst(0) };
      case 'name': {
        const sym = this.spec.names.get(e);
        if (sym?.k === 'const' || sym?.k === 'enum') return { pre: [], e: cst(sym.value) };
        if (sym?.k === 'local' && this.macroArgs.has(sym.local)) return { pre: [], e: this.macroArgs.get(sym.local)! };
        return this.load(e, effects);
      }
      case 'index':
      case 'field':
        return this.load(e, effects);
      case 'unary': {
        const a = this.value(e.operand, effects);
        return { pre: a.pre, e: { k: 'un', op: e.op as '!' | '-' | '~', a: a.e } };
      }
      case 'binary':
        return this.binary(e, effects);
      case 'call':
        return this.call(e, effects);
      case 'alloc':
        return lowerAlloc(this, e, effects);
    }
  }

  /**
   * loadPlace (compile-expr.ts): the word at a place; a shared reference to an rcu/srcu
   * protected object, loaded with effects inside a read section, is remembered (protectedLoad).
   */
  load(e: Expr, effects = true): Lowered {
    const p = this.place(e);
    const ty = this.spec.types.get(e);
    if (!effects || ty === undefined || !sharedPlace(this.spec, e)) return { pre: p.pre, e: word(p.e) };
    const pre = [...p.pre];
    const v = this.snap(pre, word(p.e));
    pre.push(...protectedLoad(this, ty, v));
    return { pre, e: v };
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, effects: boolean): Lowered {
    if (e.op === '&&' || e.op === '||' || e.op === '=>') {
      const a = this.value(e.left, effects);
      const b = this.value(e.right, effects);
      const left = e.op === '=>' ? { k: 'un' as const, op: '!' as const, a: a.e } : a.e;
      const op = e.op === '&&' ? '&&' : '||';
      if (b.pre.length === 0) return { pre: a.pre, e: bin(op, left, b.e) };
      const pre = [...a.pre];
      const l = this.snap(pre, left);
      // The right operand's statements run only where the model evaluates it.
      pre.push({ k: 'if', cond: l, yes: op === '&&' ? b.pre : [], no: op === '&&' ? [] : b.pre });
      return { pre, e: bin(op, l, b.e) };
    }
    const { pre, es } = this.seq([() => this.value(e.left, effects), () => this.value(e.right, effects)]);
    const [a, b] = es as [PExpr, PExpr];
    if (PLAIN.has(e.op)) return { pre, e: bin(e.op, a, b) };
    if (e.op === '/' || e.op === '%') {
      pre.push({ k: 'assert', kind: 'assertion', cond: bin('!=', b, cst(0)) });
      return { pre, e: bin(e.op, a, b) };
    }
    if (e.op === '<<' || e.op === '>>') {
      pre.push({ k: 'assert', kind: 'assertion', cond: bin('&&', bin('>=', b, cst(0)), bin('<=', b, cst(31))) });
      return { pre, e: bin(e.op, a, b) };
    }
    throw new PromelaRefusal(e.span, 'PML02', `operator '${e.op}' is not exported`);
  }

  private call(e: Extract<Expr, { kind: 'call' }>, effects: boolean): Lowered {
    const fn = this.spec.fns.get(e.callee);
    if (fn === undefined) {
      const r = lowerBuiltin(this, e, effects);
      return { pre: r.pre, e: r.value };
    }
    if (fn.macro === undefined)
      throw new Error(`[mmcheck internal bug] fn '${fn.name}' reached the Promela expression lowering`);
    // A `return e;` fn: its arguments are read once, in order, then its body is evaluated.
    const { pre, es } = this.seq(e.args.map((a) => () => this.value(a, effects)));
    const saved = this.macroArgs;
    this.macroArgs = new Map(saved);
    fn.params.forEach((p, i) => {
      this.macroArgs.set(p, this.snap(pre, es[i]!));
    });
    try {
      const body = this.value(fn.macro, effects);
      return { pre: [...pre, ...body.pre], e: body.e };
    } finally {
      this.macroArgs = saved;
    }
  }

  /** The address of a place (a word of W) and the statements computing it. */
  place(e: Expr): Lowered {
    if (e.kind === 'name') {
      const sym = this.spec.names.get(e);
      if (sym?.k === 'global') return { pre: [], e: cst(this.layout.globals.get(sym.global.name)!) };
      if (sym?.k === 'local' && this.thread !== null && !this.macroArgs.has(sym.local))
        return { pre: [], e: cst(localAddr(this.thread, sym.body, sym.local)) };
      throw new PromelaRefusal(e.span, 'PML02', `'${e.name}' is not exported as a place here`);
    }
    if (e.kind === 'index') {
      const arrTy = this.spec.types.get(e.object);
      if (arrTy?.k !== 'array') throw new Error('[mmcheck internal bug] index of a non-array');
      const { pre, es } = this.seq([() => this.place(e.object), () => this.value(e.index)]);
      const base = es[0]!;
      const i = this.snap(pre, es[1]!);
      const cond = bin('&&', bin('>=', i, cst(0)), bin('<', i, cst(arrTy.size)));
      if (i.k !== 'const') pre.push({ k: 'assert', kind: 'assertion', cond });
      else if (i.v < 0 || i.v >= arrTy.size) pre.push({ k: 'assert', kind: 'assertion', cond: cst(0) });
      const w = typeWords(arrTy.elem);
      const off = w === 1 ? i : bin('*', i, cst(w));
      if (base.k === 'const' && off.k === 'const') return { pre, e: cst(base.v + off.v) };
      const bases = base.k === 'const' ? [base.v] : base.k === 'dyn' ? base.cands : null;
      if (bases === null) throw new Error('[mmcheck internal bug] an array at an address without candidates');
      const offs = off.k === 'const' ? [off.v] : Array.from({ length: arrTy.size }, (_, j) => j * w);
      const cands = bases.flatMap((b) => offs.map((o) => b + o));
      return { pre, e: dyn(bin('+', base.k === 'dyn' ? base.a : base, off), cands) };
    }
    if (e.kind === 'field') return this.field(e);
    throw new Error(`[mmcheck internal bug] ${e.kind} is not a place`);
  }

  /** A field through a reference: the reference read, then derefSlot's checks, then the address. */
  private field(e: Extract<Expr, { kind: 'field' }>): Lowered {
    const objTy = this.spec.types.get(e.object);
    if (objTy?.k !== 'ref') throw new Error('[mmcheck internal bug] field of a non-ref');
    const pool = this.layout.pools.get(objTy.struct);
    const field = this.spec.structs.get(objTy.struct)!.fieldByName.get(e.field)!;
    const o = this.value(e.object);
    const pre = [...o.pre];
    const r = this.snap(pre, o.e);
    const kind = (normal: string): string => (this.derefKind === 'normal' ? normal : this.derefKind);
    pre.push({ k: 'assert', kind: kind('null_deref'), cond: bin('!=', r, cst(0)) });
    if (pool === undefined) {
      pre.push({ k: 'assert', kind: kind('use_after_free'), cond: cst(0) });
      return { pre, e: cst(0) };
    }
    const at = (off: number): PExpr => slotWord(pool, r, off);
    // A freed slot of a SLAB_TYPESAFE_BY_RCU pool may still be read inside an RCU read side.
    const t = this.thread;
    const stale =
      pool.typesafe && t !== null
        ? bin(
            '&&',
            bin('==', word(at(0)), cst(2)),
            bin('||', bin('>', word(t.rcuDepth), cst(0)), bin('>', word(t.irqOff), cst(0))),
          )
        : cst(0);
    const live = bin('||', bin('==', word(at(0)), cst(1)), stale);
    pre.push({ k: 'assert', kind: kind('use_after_free'), cond: bin('&&', bin('<=', r, cst(pool.size)), live) });
    return { pre, e: at(1 + field.offset) };
  }
}

/** A place whose word other threads see: a global, an element of a shared array, a field. */
function sharedPlace(spec: CheckedSpec, e: Expr): boolean {
  if (e.kind === 'field') return true;
  if (e.kind === 'index') return sharedPlace(spec, e.object);
  return e.kind === 'name' && spec.names.get(e)?.k === 'global';
}

/** Lower an invariant or final condition: one pure expression (its checks fold into "fails"). */
export function lowerCondition(
  spec: CheckedSpec,
  layout: Layout,
  cond: Expr,
  temps: { n: number },
  kind: 'invariant' | 'final',
): Lowered {
  return new ExprLowerer(spec, layout, null, -1, temps, kind).value(cond, false);
}
