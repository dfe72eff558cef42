// Promela export, first half: a thread's statements lowered to ops over the model's state
// words, one op per op of lower.ts, at the same indices (export-promela.ts checks the count
// against the compiled Program and takes each op's visibility from it, so the steps are the
// model's by construction). The Program's ops are compiled closures with nothing left to
// read, so the exporter lowers the checked AST again, for the constructs whose semantics it
// states exactly, and refuses every other construct with its position and a code.
import type { Expr, Span, Stmt } from '../lang/ast.js';
import type { BodyInfo, CheckedSpec } from '../lang/checked.js';
import type { Layout, ThreadLayout } from '../layout.js';
import { localAddr, returnAddr } from '../layout.js';
import { labelTargets } from '../lower-steps.js';
import { lowerBuiltin, pureOf } from './builtins-promela.js';
import { ExprLowerer } from './lower-promela-expr.js';
import type { POp, Target } from './ops-promela.js';
import { bin, cst, type Lowered, not, type PExpr, PromelaRefusal, type PStmt, word } from './pexpr.js';
import { twoStepCall } from './sync-promela.js';

export type { POp, Target } from './ops-promela.js';
export { PromelaRefusal } from './pexpr.js';

interface Frame {
  body: BodyInfo;
  labels: Map<string, Target>;
  exit: Target | null;
}

const BLOCKING = /^(spin_lock|mutex_lock|read_seqcount_begin|down_read|down_write|wait_for_completion)$/;

/** Lower one thread's body (or init's) into ops indexed as lower.ts indexes them. */
export class ThreadLowerer {
  readonly ops: POp[] = [];
  private loops: { brk: Target; cont: Target }[] = [];
  readonly x: ExprLowerer;

  constructor(
    private readonly spec: CheckedSpec,
    layout: Layout,
    private readonly t: ThreadLayout,
    tid: number,
    temps: { n: number },
  ) {
    this.x = new ExprLowerer(spec, layout, t, tid, temps);
  }

  lower(): POp[] {
    this.block(this.t.body.body, { body: this.t.body, labels: labelTargets(this.t.body.body), exit: null });
    return this.ops;
  }

  private here = (): number => this.ops.length;
  private after = (): Target => ({ pc: this.ops.length + 1 });
  private step(body: PStmt[], span: Span, guard: PExpr | null = null, next = this.after()): void {
    this.ops.push({ k: 'step', guard, body, next, span });
  }
  private jump(to: Target, span: Span): void {
    this.step([], span, null, to);
  }

  private block(ss: Stmt[], f: Frame): void {
    for (const s of ss) this.stmt(s, f);
  }

  private stmt(s: Stmt, f: Frame): void {
    switch (s.kind) {
      case 'local':
        if (s.init !== undefined) {
          const a = localAddr(this.t, f.body, f.body.localByName.get(s.name)!);
          this.assign(() => ({ pre: [], e: cst(a) }), s.init, s);
        }
        return;
      case 'assign':
        this.assign(() => this.x.place(s.target), s.value, s);
        return;
      case 'expr':
        this.call(s.expr, s);
        return;
      case 'if':
        this.ifStmt(s, f);
        return;
      case 'while':
        this.whileStmt(s, f);
        return;
      case 'for':
        this.forStmt(s, f);
        return;
      case 'block':
        this.block(s.body, f);
        return;
      case 'label':
        f.labels.get(s.name)!.pc = this.here();
        return;
      case 'goto':
        this.jump(f.labels.get(s.label)!, s.span);
        return;
      case 'return':
        this.returnStmt(s, f);
        return;
      case 'break':
      case 'continue': {
        const loop = this.loops[this.loops.length - 1]!;
        this.jump(s.kind === 'break' ? loop.brk : loop.cont, s.span);
        return;
      }
      case 'await': {
        const guard = pureOf(this.x.guardValue(s.cond), s.span);
        this.step(this.x.value(s.cond).pre, s.span, guard);
        return;
      }
      case 'either': {
        const targets = s.branches.map(() => ({ pc: 0 }));
        const end = { pc: 0 };
        this.ops.push({ k: 'either', targets, span: s.span });
        s.branches.forEach((b, i) => {
          targets[i]!.pc = this.here();
          this.block(b, f);
          this.jump(end, s.span);
        });
        end.pc = this.here();
        return;
      }
      case 'assert':
      case 'bug_on': {
        const c = this.x.value(s.cond);
        const cond = s.kind === 'assert' ? c.e : not(c.e);
        this.step([...c.pre, { k: 'assert', kind: 'assertion', cond }], s.span);
        return;
      }
      case 'skip':
        return;
      case 'atomic':
        this.atomicStmt(s, f);
        return;
      case 'choose':
        this.chooseStmt(s);
        return;
      default: {
        // A statement kind added to the language later is refused until it is translated.
        const other = s as Stmt;
        throw new PromelaRefusal(other.span, 'PML01', `the '${other.kind}' statement is not exported`);
      }
    }
  }

  /**
   * chooseStmt (lower.ts): max(0, to - from) choices, counted on the state before the step
   * (none: the thread is blocked); the step stores from + c, the value before the place.
   */
  private chooseStmt(s: Extract<Stmt, { kind: 'choose' }>): void {
    const count = (effects: boolean): Lowered => {
      const { pre, es } = this.x.seq([() => this.x.value(s.to, effects), () => this.x.value(s.from, effects)]);
      return { pre, e: bin('-', es[0]!, es[1]!) };
    };
    const c0 = count(false);
    const guard = pureOf({ pre: c0.pre, e: bin('>', c0.e, cst(0)) }, s.span);
    const n = count(true);
    const k = this.x.fresh();
    const pre: PStmt[] = [...n.pre, { k: 'pick', n: k, count: n.e }];
    const { pre: store, es } = this.x.seq([
      () => {
        const from = this.x.value(s.from);
        return { pre: from.pre, e: bin('+', from.e, { k: 'tmp', n: k }) };
      },
      () => this.x.place(s.target),
    ]);
    const body = [...pre, ...store, { k: 'store' as const, addr: es[1]!, value: es[0]! }];
    this.ops.push({ k: 'choose', guard, body, next: this.after(), span: s.span });
  }

  /** lowerAtomic (lower-atomic.ts): one step, guarded by its first statement when that may block. */
  private atomicStmt(s: Extract<Stmt, { kind: 'atomic' }>, f: Frame): void {
    const first = s.body[0];
    let guard: PExpr | null = null;
    if (first?.kind === 'await') guard = pureOf(this.x.guardValue(first.cond), first.span);
    else if (first !== undefined) {
      const call = first.kind === 'expr' ? first.expr : first.kind === 'assign' ? first.value : undefined;
      if (call?.kind === 'call' && BLOCKING.test(call.callee)) guard = lowerBuiltin(this.x, call, false).guard ?? null;
    }
    this.step(
      s.body.flatMap((x) => this.straight(x, f)),
      s.span,
      guard,
    );
  }

  /** compileStraight (lower-atomic.ts): a statement inside atomic { }, run within the step. */
  private straight(s: Stmt, f: Frame): PStmt[] {
    const callOrValue = (e: Expr): Lowered => {
      if (e.kind === 'call' && this.fnCall(e) !== null)
        throw new PromelaRefusal(e.span, 'PML01', 'a multi-step fn call inside atomic { } is not exported');
      if (e.kind === 'call' && !this.spec.fns.has(e.callee)) {
        const b = lowerBuiltin(this.x, e, true);
        return { pre: b.pre, e: b.value };
      }
      return this.x.value(e);
    };
    switch (s.kind) {
      case 'local':
      case 'assign': {
        const value = s.kind === 'local' ? s.init : s.value;
        if (value === undefined) return [];
        const place =
          s.kind === 'local'
            ? (): Lowered => ({ pre: [], e: cst(localAddr(this.t, f.body, f.body.localByName.get(s.name)!)) })
            : (): Lowered => this.x.place(s.target);
        const { pre, es } = this.x.seq([() => callOrValue(value), place]);
        return [...pre, { k: 'store', addr: es[1]!, value: es[0]! }];
      }
      case 'expr':
        return callOrValue(s.expr).pre;
      case 'if': {
        const c = this.x.value(s.cond);
        const no = s.else === undefined ? [] : this.straight(s.else, f);
        return [...c.pre, { k: 'if', cond: c.e, yes: this.straight(s.then, f), no }];
      }
      case 'block':
        return s.body.flatMap((x) => this.straight(x, f));
      case 'for': {
        const a = localAddr(this.t, f.body, f.body.localByName.get(s.var)!);
        const from = this.x.value(s.from);
        const test = this.x.seq([() => ({ pre: [], e: word(a) }), () => this.x.value(s.to)]);
        const step: PStmt = { k: 'store', addr: cst(a), value: bin('+', word(a), cst(1)) };
        const body = [...this.straight(s.body, f), step];
        const loop: PStmt = { k: 'while', pre: test.pre, cond: bin('<', test.es[0]!, test.es[1]!), body };
        return [...from.pre, { k: 'store', addr: cst(a), value: from.e }, loop];
      }
      case 'await':
        return this.x.value(s.cond).pre;
      case 'assert':
      case 'bug_on': {
        const c = this.x.value(s.cond);
        return [...c.pre, { k: 'assert', kind: 'assertion', cond: s.kind === 'assert' ? c.e : not(c.e) }];
      }
      case 'skip':
        return [];
      default:
        throw new PromelaRefusal(s.span, 'PML01', `the '${s.kind}' statement inside atomic { } is not exported`);
    }
  }

  /** A multi-step fn call: inlined (lowerInlineCall). */
  private fnCall(e: Expr): Extract<Expr, { kind: 'call' }> | null {
    if (e.kind !== 'call') return null;
    const fn = this.spec.fns.get(e.callee);
    return fn !== undefined && fn.macro === undefined ? e : null;
  }

  /** lowerAssign (lower-call.ts): the value first, then the place it is stored to. */
  private assign(place: () => Lowered, value: Expr, s: Stmt): void {
    const fn = this.fnCall(value);
    if (fn !== null) {
      this.inlineCall(fn, place);
      return;
    }
    if (value.kind === 'call' && BLOCKING.test(value.callee)) {
      const b = lowerBuiltin(this.x, value, true);
      const { pre, es } = this.x.seq([() => ({ pre: b.pre, e: b.value }), place]);
      this.step([...pre, { k: 'store', addr: es[1]!, value: es[0]! }], s.span, b.guard ?? null);
      return;
    }
    const { pre, es } = this.x.seq([() => this.x.value(value), place]);
    this.step([...pre, { k: 'store', addr: es[1]!, value: es[0]! }], s.span);
  }

  private call(e: Expr, s: Stmt): void {
    const fn = this.fnCall(e);
    if (fn !== null) {
      this.inlineCall(fn, null);
      return;
    }
    if (e.kind !== 'call') throw new PromelaRefusal(e.span, 'PML01', 'an expression statement that is not a call');
    if (this.spec.fns.has(e.callee)) {
      this.step(this.x.value(e).pre, s.span);
      return;
    }
    const two = twoStepCall(this.x, e);
    if (two !== null) {
      // Two ops (lower-call.ts lowerCall): the attempt, which goes on to the wait or past it.
      const wait = { pc: this.here() + 1 };
      this.ops.push({
        k: 'branch',
        pre: two.attempt,
        cond: two.waits,
        yes: wait,
        no: { pc: wait.pc + 1 },
        span: s.span,
      });
      this.step(two.wait, s.span, two.guard);
      return;
    }
    const b = lowerBuiltin(this.x, e, true);
    this.step(b.pre, s.span, b.guard ?? null);
  }

  private branch(cond: Lowered, span: Span): { yes: Target; no: Target } {
    const yes = this.after();
    const no = { pc: 0 };
    this.ops.push({ k: 'branch', pre: cond.pre, cond: cond.e, yes, no, span });
    return { yes, no };
  }

  private ifStmt(s: Extract<Stmt, { kind: 'if' }>, f: Frame): void {
    const { no } = this.branch(this.x.value(s.cond), s.cond.span);
    this.stmt(s.then, f);
    if (s.else !== undefined) {
      const end = { pc: 0 };
      this.jump(end, s.span);
      no.pc = this.here();
      this.stmt(s.else, f);
      end.pc = this.here();
    } else no.pc = this.here();
  }

  private whileStmt(s: Extract<Stmt, { kind: 'while' }>, f: Frame): void {
    const head = { pc: this.here() };
    const { no } = this.branch(this.x.value(s.cond), s.cond.span);
    this.loops.push({ brk: no, cont: head });
    this.stmt(s.body, f);
    this.loops.pop();
    this.jump(head, s.span);
    no.pc = this.here();
  }

  private forStmt(s: Extract<Stmt, { kind: 'for' }>, f: Frame): void {
    const a = localAddr(this.t, f.body, f.body.localByName.get(s.var)!);
    const from = this.x.value(s.from);
    this.step([...from.pre, { k: 'store', addr: cst(a), value: from.e }], s.from.span);
    const head = { pc: this.here() };
    const { pre, es } = this.x.seq([() => ({ pre: [], e: word(a) }), () => this.x.value(s.to)]);
    const { no } = this.branch({ pre, e: bin('<', es[0]!, es[1]!) }, s.span);
    const cont = { pc: 0 };
    this.loops.push({ brk: no, cont });
    this.stmt(s.body, f);
    this.loops.pop();
    cont.pc = this.here();
    this.step([{ k: 'store', addr: cst(a), value: bin('+', word(a), cst(1)) }], s.varSpan, null, head);
    no.pc = this.here();
  }

  private returnStmt(s: Extract<Stmt, { kind: 'return' }>, f: Frame): void {
    if (f.exit === null) {
      this.ops.push({ k: 'end', span: s.span });
      return;
    }
    if (s.value === undefined) {
      this.jump(f.exit, s.span);
      return;
    }
    const v = this.x.value(s.value);
    const ret = returnAddr(this.t, f.body);
    this.step([...v.pre, { k: 'store', addr: cst(ret), value: v.e }], s.span, null, f.exit);
  }

  /** lowerInlineCall (lower-call.ts): bind the arguments, run the body, store the result and clear the frame. */
  private inlineCall(e: Extract<Expr, { kind: 'call' }>, result: (() => Lowered) | null): void {
    const fn = this.spec.fns.get(e.callee)!;
    const { pre, es } = this.x.seq(e.args.map((a) => () => this.x.value(a)));
    const vals = es.map((v) => this.x.snap(pre, v));
    fn.params.forEach((p, i) => {
      pre.push({ k: 'store', addr: cst(localAddr(this.t, fn, p)), value: vals[i]! });
    });
    this.step(pre, e.span);
    const exit = { pc: 0 };
    const outer = this.loops;
    this.loops = [];
    this.block(fn.body, { body: fn, labels: labelTargets(fn.body), exit });
    this.loops = outer;
    exit.pc = this.here();
    const ret = returnAddr(this.t, fn);
    const frame = this.t.frames.get(fn)!;
    const out: PStmt[] = [];
    if (result !== null) {
      const p = result();
      out.push(...p.pre, { k: 'store', addr: p.e, value: word(ret) });
    }
    for (let i = 0; i <= fn.locals.length; i++) out.push({ k: 'store', addr: cst(frame + i), value: cst(0) });
    this.step(out, e.span);
  }
}
