// Lowering: a thread's statements become a table of ops, each one atomic statement.
// An op is *visible* when it touches shared state, may block, or is a nondeterministic
// choice; otherwise it is *local* (thread-locals, constants, control flow only).
//
// The fusion rule (docs/language.md): a step is one visible op followed by every local op
// after it, up to the next visible op or the end of the thread. The local ops a thread
// starts with run when the thread is created. Locals are invisible to other threads, so
// this changes no verdict, and a thread's pc always rests on a visible op.

import { type CompileEnv, compilePlace, compileValue, storePlace } from './compile-expr.js';
import type { Span, Stmt } from './lang/ast.js';
import type { BodyInfo } from './lang/checked.js';
import { localAddr, returnAddr } from './layout.js';
import { checkFail, compileCheck, lowerAtomic } from './lower-atomic.js';
import { lowerAssign, lowerCall, lowerInlineCall } from './lower-call.js';
import { flow, localReads, placeKills, targetReads } from './lower-flow.js';
import { END, type Frame, labelTargets, type Op, type OpGen, type StepSink, type Target } from './lower-steps.js';
import { touchesShared } from './touches-shared.js';

export { END, type Op } from './lower-steps.js';

export class Lowerer implements StepSink {
  readonly ops: Op[] = [];
  loops: { brk: Target; cont: Target }[] = [];

  constructor(
    private readonly env: CompileEnv,
    readonly text: (span: Span) => string,
  ) {}

  lowerBody(body: BodyInfo): void {
    const frame: Frame = { body, labels: labelTargets(body.body), exit: null };
    this.block(body.body, frame);
  }

  envFor(frame: Frame): CompileEnv {
    return frame.body === this.env.body ? this.env : { ...this.env, body: frame.body };
  }

  emit(op: Op): number {
    this.ops.push(op);
    return this.ops.length - 1;
  }

  here(): number {
    return this.ops.length;
  }

  private jump(to: Target, span: Span, text: string): void {
    const gen: OpGen = { k: 'goto', to };
    this.emit({
      visible: false,
      span,
      text,
      guard: null,
      choices: null,
      exec: () => to.pc,
      flow: flow([], [], [to]),
      gen,
    });
  }

  block(stmts: Stmt[], f: Frame): void {
    for (const s of stmts) this.stmt(s, f);
  }

  private stmt(s: Stmt, f: Frame): void {
    const env = this.envFor(f);
    const spec = env.spec;
    const next = (): number => this.here();
    switch (s.kind) {
      case 'local':
        if (s.init !== undefined) {
          const local = f.body.localByName.get(s.name)!;
          const a = localAddr(env.thread!, f.body, local);
          lowerAssign(
            this,
            { addr: () => a, constAddr: a, shared: false, ty: local.ty, span: s.nameSpan },
            s.init,
            s,
            f,
          );
        }
        return;
      case 'assign':
        lowerAssign(this, compilePlace(s.target, env), s.value, s, f, touchesShared(s.target, spec));
        return;
      case 'expr':
        if (s.expr.kind === 'call' && spec.fns.get(s.expr.callee)?.macro === undefined && spec.fns.has(s.expr.callee)) {
          lowerInlineCall(this, s.expr, null, s, f);
          return;
        }
        lowerCall(this, s.expr, s, f);
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
      case 'atomic':
        lowerAtomic(this, s, f);
        return;
      case 'label':
        f.labels.get(s.name)!.pc = next();
        return;
      case 'goto':
        this.jump(f.labels.get(s.label)!, s.span, `goto ${s.label}`);
        return;
      case 'return':
        this.returnStmt(s, f);
        return;
      case 'break':
      case 'continue': {
        const loop = this.loops[this.loops.length - 1]!;
        this.jump(s.kind === 'break' ? loop.brk : loop.cont, s.span, s.kind);
        return;
      }
      case 'await':
        this.awaitStmt(s, f);
        return;
      case 'choose':
        this.chooseStmt(s, f);
        return;
      case 'either':
        this.eitherStmt(s, f);
        return;
      case 'assert':
      case 'bug_on':
        this.checkStmt(s, f);
        return;
      case 'skip':
        return;
    }
  }

  private ifStmt(s: Extract<Stmt, { kind: 'if' }>, f: Frame): void {
    const env = this.envFor(f);
    const spec = env.spec;
    const next = (): number => this.here();
    const cond = compileValue(s.cond, env);
    const elseT: Target = { pc: 0 };
    const endT: Target = { pc: 0 };
    const at = this.here();
    this.emit({
      visible: touchesShared(s.cond, spec),
      span: s.cond.span,
      text: `if (${this.text(s.cond.span)})`,
      guard: null,
      choices: null,
      exec: (st) => (cond(st) !== 0 ? at + 1 : elseT.pc),
      flow: flow(localReads(s.cond, env), [], [at + 1, elseT]),
      gen: { k: 'branch', cond: s.cond, env, yes: at + 1, no: elseT },
    });
    this.stmt(s.then, f);
    if (s.else !== undefined) {
      this.jump(endT, s.span, 'else');
      elseT.pc = next();
      this.stmt(s.else, f);
    } else elseT.pc = next();
    endT.pc = next();
  }

  private whileStmt(s: Extract<Stmt, { kind: 'while' }>, f: Frame): void {
    const env = this.envFor(f);
    const spec = env.spec;
    const next = (): number => this.here();
    const cond = compileValue(s.cond, env);
    const endT: Target = { pc: 0 };
    const head = next();
    const headT: Target = { pc: head };
    this.emit({
      visible: touchesShared(s.cond, spec),
      span: s.cond.span,
      text: `while (${this.text(s.cond.span)})`,
      guard: null,
      choices: null,
      exec: (st) => (cond(st) !== 0 ? head + 1 : endT.pc),
      flow: flow(localReads(s.cond, env), [], [head + 1, endT]),
      gen: { k: 'branch', cond: s.cond, env, yes: head + 1, no: endT },
    });
    this.loops.push({ brk: endT, cont: headT });
    this.stmt(s.body, f);
    this.loops.pop();
    this.jump(headT, s.span, 'loop');
    endT.pc = next();
  }

  private forStmt(s: Extract<Stmt, { kind: 'for' }>, f: Frame): void {
    const env = this.envFor(f);
    const spec = env.spec;
    const next = (): number => this.here();
    const local = f.body.localByName.get(s.var)!;
    const a = localAddr(env.thread!, f.body, local);
    const from = compileValue(s.from, env);
    const to = compileValue(s.to, env);
    const endT: Target = { pc: 0 };
    const contT: Target = { pc: 0 };
    const at = this.here();
    this.emit({
      visible: touchesShared(s.from, spec),
      span: s.from.span,
      text: `${s.var} = ${this.text(s.from.span)}`,
      guard: null,
      choices: null,
      exec: (st) => {
        st[a] = from(st);
        return at + 1;
      },
      flow: flow(localReads(s.from, env), [a], [at + 1]),
      gen: { k: 'forInit', addr: a, from: s.from, env, next: at + 1 },
    });
    const head = next();
    this.emit({
      visible: touchesShared(s.to, spec),
      span: s.span,
      text: `for ${s.var} < ${this.text(s.to.span)}`,
      guard: null,
      choices: null,
      exec: (st) => (st[a]! < to(st) ? head + 1 : endT.pc),
      flow: flow([a, ...localReads(s.to, env)], [], [head + 1, endT]),
      gen: { k: 'forTest', addr: a, to: s.to, env, body: head + 1, end: endT },
    });
    this.loops.push({ brk: endT, cont: contT });
    this.stmt(s.body, f);
    this.loops.pop();
    contT.pc = next();
    this.emit({
      visible: false,
      span: s.varSpan,
      text: `${s.var}++`,
      guard: null,
      choices: null,
      exec: (st) => {
        st[a] = st[a]! + 1;
        return head;
      },
      flow: flow([a], [], [head]),
      gen: { k: 'forInc', addr: a, head },
    });
    endT.pc = next();
  }

  private returnStmt(s: Extract<Stmt, { kind: 'return' }>, f: Frame): void {
    const env = this.envFor(f);
    const spec = env.spec;
    if (f.exit === null) {
      const exec = (): number => END;
      this.emit({
        visible: false,
        span: s.span,
        text: 'return',
        guard: null,
        choices: null,
        exec,
        flow: flow([], [], []),
        gen: { k: 'end' },
      });
      return;
    }
    const exit = f.exit;
    if (s.value === undefined) {
      this.jump(exit, s.span, 'return');
      return;
    }
    const ret = returnAddr(env.thread!, f.body);
    const v = compileValue(s.value, env);
    this.emit({
      visible: touchesShared(s.value, spec),
      span: s.span,
      text: this.text(s.span),
      guard: null,
      choices: null,
      exec: (st) => {
        st[ret] = v(st);
        return exit.pc;
      },
      flow: flow(localReads(s.value, env), [ret], [exit]),
    });
  }

  private awaitStmt(s: Extract<Stmt, { kind: 'await' }>, f: Frame): void {
    const env = this.envFor(f);
    const guardEnv = { ...env, effects: false };
    const guard = compileValue(s.cond, guardEnv);
    const cond = compileValue(s.cond, env);
    const at = this.here();
    this.emit({
      visible: true,
      span: s.span,
      text: this.text(s.span),
      guard,
      choices: null,
      exec: (st) => {
        cond(st);
        return at + 1;
      },
      flow: flow(localReads(s.cond, env), [], [at + 1]),
      gen: { k: 'eval', expr: s.cond, env, next: at + 1 },
      guardGen: { cond: s.cond, env: guardEnv },
    });
  }

  private chooseStmt(s: Extract<Stmt, { kind: 'choose' }>, f: Frame): void {
    const env = this.envFor(f);
    const place = compilePlace(s.target, env);
    const target = storePlace(place, env);
    const from = compileValue(s.from, env);
    const to = compileValue(s.to, env);
    const at = this.here();
    this.emit({
      visible: true,
      span: s.span,
      text: this.text(s.span),
      guard: null,
      choices: (st) => Math.max(0, to(st) - from(st)),
      exec: (st, c) => {
        target(st, from(st) + c);
        return at + 1;
      },
      flow: flow([...localReads([s.from, s.to], env), ...targetReads(s.target, env)], placeKills(place), [at + 1]),
    });
  }

  private eitherStmt(s: Extract<Stmt, { kind: 'either' }>, f: Frame): void {
    const next = (): number => this.here();
    const starts: Target[] = s.branches.map(() => ({ pc: 0 }));
    const endT: Target = { pc: 0 };
    const n = s.branches.length;
    this.emit({
      visible: true,
      span: s.span,
      text: 'either',
      guard: null,
      choices: () => n,
      exec: (_st, c) => starts[c]!.pc,
      flow: flow([], [], starts),
    });
    s.branches.forEach((b, i) => {
      starts[i]!.pc = next();
      this.block(b, f);
      this.jump(endT, s.span, 'or');
    });
    endT.pc = next();
  }

  private checkStmt(s: Extract<Stmt, { kind: 'assert' | 'bug_on' }>, f: Frame): void {
    const env = this.envFor(f);
    const spec = env.spec;
    const check = compileCheck(s, env, this.text(s.cond.span));
    const fail = checkFail(s, env, this.text(s.cond.span));
    const at = this.here();
    this.emit({
      visible: touchesShared(s.cond, spec),
      span: s.span,
      text: this.text(s.span),
      guard: null,
      choices: null,
      exec: (st) => {
        check(st);
        return at + 1;
      },
      flow: flow(localReads(s.cond, env), [], [at + 1]),
      gen: { k: 'check', stmt: s, fail, env, next: at + 1 },
    });
  }
}
