// Lowering: a thread's statements become a table of ops, each one atomic statement.
// An op is *visible* when it touches shared state, may block, or is a nondeterministic
// choice; otherwise it is *local* (thread-locals, constants, control flow only).
//
// The fusion rule (docs/language.md): a step is one visible op followed by every local op
// after it, up to the next visible op or the end of the thread. The local ops a thread
// starts with run when the thread is created. Locals are invisible to other threads, so
// this changes no verdict, and a thread's pc always rests on a visible op.
import type { Expr, Span, Stmt } from './lang/ast.js';
import { BUILTINS } from './lang/builtins.js';
import type { BodyInfo } from './lang/checked.js';
import {
  builtinRequest,
  compilePlace,
  compileValue,
  storePlace,
  touchesShared,
  type CompileEnv,
  type Val,
} from './compile-expr.js';
import { localAddr, returnAddr } from './layout.js';
import { compileBuiltinCode, compileTwoStep } from './prims/index.js';

export const END = -1;

export interface Op {
  visible: boolean;
  span: Span;
  text: string;
  /** 1 when the op may run now (blocking ops only). Records what it reads. */
  guard: Val | null;
  /** Number of alternatives (choose / either), else null (one). */
  choices: Val | null;
  /** Run the op on s (already a copy); returns the next pc, or END. */
  exec: (s: Int32Array, choice: number) => number;
}

interface Target {
  pc: number;
}

interface Frame {
  body: BodyInfo;
  labels: Map<string, Target>;
  /** Where `return` jumps (fns: the code storing the result); null in a thread: the end. */
  exit: Target | null;
}

export class Lowerer {
  readonly ops: Op[] = [];
  private loops: { brk: Target; cont: Target }[] = [];

  constructor(
    private env: CompileEnv,
    private text: (span: Span) => string,
  ) {}

  lowerBody(body: BodyInfo): void {
    const frame: Frame = { body, labels: labelTargets(body.body), exit: null };
    this.block(body.body, frame);
  }

  private envFor(frame: Frame): CompileEnv {
    return frame.body === this.env.body ? this.env : { ...this.env, body: frame.body };
  }

  private emit(op: Op): number {
    this.ops.push(op);
    return this.ops.length - 1;
  }

  private here(): number {
    return this.ops.length;
  }

  private jump(to: Target, span: Span, text: string): void {
    this.emit({ visible: false, span, text, guard: null, choices: null, exec: () => to.pc });
  }

  private block(stmts: Stmt[], f: Frame): void {
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
          this.assign({ addr: () => a, constAddr: a, shared: false, ty: local.ty, span: s.nameSpan }, s.init, s, f);
        }
        return;
      case 'assign':
        this.assign(compilePlace(s.target, env), s.value, s, f, touchesShared(s.target, spec));
        return;
      case 'expr':
        if (s.expr.kind === 'call' && spec.fns.get(s.expr.callee)?.macro === undefined && spec.fns.has(s.expr.callee)) {
          this.inlineCall(s.expr, null, s, f);
          return;
        }
        this.call(s.expr, s, f);
        return;
      case 'if': {
        const cond = compileValue(s.cond, env);
        const elseT: Target = { pc: 0 };
        const endT: Target = { pc: 0 };
        const at = this.emit({
          visible: touchesShared(s.cond, spec),
          span: s.cond.span,
          text: `if (${this.text(s.cond.span)})`,
          guard: null,
          choices: null,
          exec: (st) => (cond(st) !== 0 ? at + 1 : elseT.pc),
        });
        this.stmt(s.then, f);
        if (s.else !== undefined) {
          this.jump(endT, s.span, 'else');
          elseT.pc = next();
          this.stmt(s.else, f);
        } else elseT.pc = next();
        endT.pc = next();
        return;
      }
      case 'while': {
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
        });
        this.loops.push({ brk: endT, cont: headT });
        this.stmt(s.body, f);
        this.loops.pop();
        this.jump(headT, s.span, 'loop');
        endT.pc = next();
        return;
      }
      case 'for': {
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
        });
        const head = next();
        this.emit({
          visible: touchesShared(s.to, spec),
          span: s.span,
          text: `for ${s.var} < ${this.text(s.to.span)}`,
          guard: null,
          choices: null,
          exec: (st) => (st[a]! < to(st) ? head + 1 : endT.pc),
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
        });
        endT.pc = next();
        return;
      }
      case 'block':
        this.block(s.body, f);
        return;
      case 'atomic':
        this.atomic(s, f);
        return;
      case 'label':
        f.labels.get(s.name)!.pc = next();
        return;
      case 'goto':
        this.jump(f.labels.get(s.label)!, s.span, `goto ${s.label}`);
        return;
      case 'return': {
        if (f.exit === null) {
          this.emit({ visible: false, span: s.span, text: 'return', guard: null, choices: null, exec: () => END });
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
        });
        return;
      }
      case 'break':
      case 'continue': {
        const loop = this.loops[this.loops.length - 1]!;
        this.jump(s.kind === 'break' ? loop.brk : loop.cont, s.span, s.kind);
        return;
      }
      case 'await': {
        const guard = compileValue(s.cond, { ...env, effects: false });
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
        });
        return;
      }
      case 'choose': {
        const target = storePlace(compilePlace(s.target, env), env);
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
        });
        return;
      }
      case 'either': {
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
        });
        s.branches.forEach((b, i) => {
          starts[i]!.pc = next();
          this.block(b, f);
          this.jump(endT, s.span, 'or');
        });
        endT.pc = next();
        return;
      }
      case 'assert':
      case 'bug_on': {
        const check = compileCheck(s, env, this.text(s.cond.span));
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
        });
        return;
      }
      case 'skip':
        return;
    }
  }

  private assign(place: ReturnType<typeof compilePlace>, value: Expr, s: Stmt, f: Frame, targetShared = false): void {
    const env = this.envFor(f);
    const spec = env.spec;
    if (value.kind === 'call' && spec.fns.has(value.callee) && spec.fns.get(value.callee)!.macro === undefined) {
      this.inlineCall(value, place, s, f);
      return;
    }
    const store = storePlace(place, env);
    const at = this.here();
    if (value.kind === 'call' && BUILTINS.get(value.callee)?.blocks === true) {
      const code = compileBuiltinCode(builtinRequest(value.callee, value.args, value, env));
      this.emit({
        visible: true,
        span: s.span,
        text: this.text(s.span),
        guard: code.guard ?? null,
        choices: null,
        exec: (st) => {
          store(st, code.exec(st));
          return at + 1;
        },
      });
      return;
    }
    const v = compileValue(value, env);
    const visible = targetShared || place.shared || touchesShared(value, spec);
    this.emit({
      visible,
      span: s.span,
      text: this.text(s.span),
      guard: null,
      choices: null,
      exec: (st) => {
        store(st, v(st));
        return at + 1;
      },
    });
  }

  private call(e: Expr, s: Stmt, f: Frame): void {
    if (e.kind !== 'call') return;
    const env = this.envFor(f);
    const two = compileTwoStep(builtinRequest(e.callee, e.args, e, env));
    if (two !== undefined) {
      const at = this.here();
      const text = this.text(s.span);
      this.emit({
        visible: true,
        span: s.span,
        text,
        guard: null,
        choices: null,
        exec: (st) => (two.attempt.exec(st) === 0 ? at + 2 : at + 1),
      });
      this.emit({
        visible: true,
        span: s.span,
        text: `${text}  (${two.waiting})`,
        guard: two.wait.guard,
        choices: null,
        exec: (st) => {
          two.wait.exec(st);
          return at + 2;
        },
      });
      return;
    }
    const fn = env.spec.fns.get(e.callee);
    const code =
      fn !== undefined
        ? { exec: compileValue(e, env), guard: undefined }
        : compileBuiltinCode(builtinRequest(e.callee, e.args, e, env));
    const at = this.here();
    this.emit({
      visible: touchesShared(e, env.spec),
      span: s.span,
      text: this.text(s.span),
      guard: code.guard ?? null,
      choices: null,
      exec: (st) => {
        code.exec(st);
        return at + 1;
      },
    });
  }

  /** Inline a multi-step fn: bind arguments (one step), run its body, store the result. */
  private inlineCall(
    e: Extract<Expr, { kind: 'call' }>,
    result: ReturnType<typeof compilePlace> | null,
    s: Stmt,
    f: Frame,
  ): void {
    const env = this.envFor(f);
    const fn = env.spec.fns.get(e.callee)!;
    const t = env.thread!;
    const args = e.args.map((a) => compileValue(a, env));
    const addrs = fn.params.map((p) => localAddr(t, fn, p));
    const vals = new Int32Array(args.length);
    const at = this.here();
    this.emit({
      visible: e.args.some((a) => touchesShared(a, env.spec)),
      span: e.span,
      text: this.text(e.span),
      guard: null,
      choices: null,
      exec: (st) => {
        for (let i = 0; i < args.length; i++) vals[i] = args[i]!(st);
        for (let i = 0; i < args.length; i++) st[addrs[i]!] = vals[i]!;
        return at + 1;
      },
    });
    const exit: Target = { pc: 0 };
    const inner: Frame = { body: fn, labels: labelTargets(fn.body), exit };
    const outer = this.loops;
    this.loops = [];
    this.block(fn.body, inner);
    this.loops = outer;
    exit.pc = this.here();
    const ret = returnAddr(t, fn);
    const frame = t.frames.get(fn)!;
    const words = fn.locals.length + 1;
    const store = result === null ? null : storePlace(result, env);
    const done = this.here();
    // Storing the result and clearing the frame (dead locals would split equal states).
    this.emit({
      visible: result !== null && result.shared,
      span: e.span,
      text: result === null ? `return from ${fn.name}` : `${this.text(s.span)}  (result)`,
      guard: null,
      choices: null,
      exec: (st) => {
        if (store !== null) store(st, st[ret]!);
        st.fill(0, frame, frame + words);
        return done + 1;
      },
    });
  }

  private atomic(s: Extract<Stmt, { kind: 'atomic' }>, f: Frame): void {
    const env = this.envFor(f);
    const first = s.body[0];
    let guard: Val | null = null;
    if (first?.kind === 'await') guard = compileValue(first.cond, { ...env, effects: false });
    else if (first !== undefined) {
      const call = first.kind === 'expr' ? first.expr : first.kind === 'assign' ? first.value : undefined;
      if (call?.kind === 'call' && BUILTINS.get(call.callee)?.blocks === true) {
        guard =
          compileBuiltinCode(builtinRequest(call.callee, call.args, call, { ...env, effects: false })).guard ?? null;
      }
    }
    const body = s.body.map((st) => compileStraight(st, env, this.text));
    const at = this.here();
    this.emit({
      visible: true,
      span: s.span,
      text: `atomic { ${s.body.map((x) => this.text(x.span)).join(' ')} }`,
      guard,
      choices: null,
      exec: (st) => {
        for (const b of body) b(st);
        return at + 1;
      },
    });
  }
}

function labelTargets(body: Stmt[]): Map<string, Target> {
  const labels = new Map<string, Target>();
  const walk = (s: Stmt): void => {
    if (s.kind === 'label') labels.set(s.name, { pc: -2 });
    else if (s.kind === 'if') {
      walk(s.then);
      if (s.else) walk(s.else);
    } else if (s.kind === 'while' || s.kind === 'for') walk(s.body);
    else if (s.kind === 'block' || s.kind === 'atomic') s.body.forEach(walk);
    else if (s.kind === 'either') s.branches.forEach((b) => b.forEach(walk));
  };
  body.forEach(walk);
  return labels;
}

function compileCheck(
  s: Extract<Stmt, { kind: 'assert' | 'bug_on' }>,
  env: CompileEnv,
  condText: string,
): (st: Int32Array) => void {
  const cond = compileValue(s.cond, env);
  const rt = env.rt;
  const who = env.thread?.name ?? 'init';
  if (s.kind === 'assert') {
    const msg = s.message ?? `assert(${condText})`;
    return (st) => {
      if (cond(st) === 0) rt.fail('assertion', `assertion failed in ${who}: ${msg}`, s.span);
    };
  }
  return (st) => {
    if (cond(st) !== 0) rt.fail('assertion', `BUG_ON(${condText}) fired in ${who}`, s.span);
  };
}

/** A statement inside atomic { }: straight-line code run within one step. */
function compileStraight(s: Stmt, env: CompileEnv, text: (span: Span) => string): (st: Int32Array) => void {
  switch (s.kind) {
    case 'local':
    case 'assign': {
      const value = s.kind === 'local' ? s.init : s.value;
      if (value === undefined) return () => {};
      const place =
        s.kind === 'local'
          ? (() => {
              const l = env.body!.localByName.get(s.name)!;
              const a = localAddr(env.thread!, env.body!, l);
              return { addr: () => a, constAddr: a, shared: false, ty: l.ty, span: s.nameSpan };
            })()
          : compilePlace(s.target, env);
      const store = storePlace(place, env);
      const v =
        value.kind === 'call' && BUILTINS.has(value.callee)
          ? compileBuiltinCode(builtinRequest(value.callee, value.args, value, env)).exec
          : compileValue(value, env);
      return (st) => store(st, v(st));
    }
    case 'expr': {
      const v =
        s.expr.kind === 'call' && BUILTINS.has(s.expr.callee)
          ? compileBuiltinCode(builtinRequest(s.expr.callee, s.expr.args, s.expr, env)).exec
          : compileValue(s.expr, env);
      return (st) => {
        v(st);
      };
    }
    case 'if': {
      const cond = compileValue(s.cond, env);
      const then = compileStraight(s.then, env, text);
      const els = s.else === undefined ? null : compileStraight(s.else, env, text);
      return (st) => {
        if (cond(st) !== 0) then(st);
        else if (els !== null) els(st);
      };
    }
    case 'block': {
      const body = s.body.map((x) => compileStraight(x, env, text));
      return (st) => {
        for (const b of body) b(st);
      };
    }
    case 'for': {
      const l = env.body!.localByName.get(s.var)!;
      const a = localAddr(env.thread!, env.body!, l);
      const from = compileValue(s.from, env);
      const to = compileValue(s.to, env);
      const body = compileStraight(s.body, env, text);
      return (st) => {
        for (st[a] = from(st); st[a]! < to(st); st[a] = st[a]! + 1) body(st);
      };
    }
    case 'await': {
      const cond = compileValue(s.cond, env);
      return (st) => {
        cond(st);
      };
    }
    case 'assert':
    case 'bug_on':
      return compileCheck(s, env, text(s.cond.span));
    default:
      return () => {};
  }
}
