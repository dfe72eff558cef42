// Lowering calls: a blocking built-in with a guard, a two-step one (synchronize_*,
// down_write) as its attempt and its wait, any other call as one op, and a multi-step fn
// inlined into the caller's table (its frame cleared on return).

import { builtinRequest, compileValue, type Place, storePlace } from './compile-expr.js';
import { assignFn, constantOf } from './compile-fast.js';
import type { Expr, Stmt } from './lang/ast.js';
import { localAddr, returnAddr } from './layout.js';
import { flow, localReads, placeKills, targetReads } from './lower-flow.js';
import { type Frame, labelTargets, type StepSink, type Target } from './lower-steps.js';
import { BUILTIN_DEFS, compileBuiltinCode, compileTwoStep } from './prims/index.js';
import { touchesShared } from './touches-shared.js';

export function lowerAssign(lw: StepSink, place: Place, value: Expr, s: Stmt, f: Frame, targetShared = false): void {
  const env = lw.envFor(f);
  const spec = env.spec;
  if (value.kind === 'call' && spec.fns.has(value.callee) && spec.fns.get(value.callee)!.macro === undefined) {
    lowerInlineCall(lw, value, place, s, f);
    return;
  }
  const store = storePlace(place, env);
  const at = lw.here();
  const reads = [...localReads(value, env), ...(s.kind === 'assign' ? targetReads(s.target, env) : [])];
  const assigns = flow(reads, placeKills(place), [at + 1]);
  if (value.kind === 'call' && BUILTIN_DEFS.get(value.callee)?.blocks === true) {
    const code = compileBuiltinCode(builtinRequest(value.callee, value.args, value, env));
    lw.emit({
      visible: true,
      span: s.span,
      text: lw.text(s.span),
      guard: code.guard ?? null,
      choices: null,
      exec: (st) => {
        store(st, code.exec(st));
        return at + 1;
      },
      flow: assigns,
    });
    return;
  }
  const v = compileValue(value, env);
  const visible = targetShared || place.shared || touchesShared(value, spec);
  const assign = assignFn(place, store, v, constantOf(value, env));
  lw.emit({
    visible,
    span: s.span,
    text: lw.text(s.span),
    guard: null,
    choices: null,
    exec: (st) => {
      assign(st);
      return at + 1;
    },
    flow: assigns,
    gen: { k: 'assign', place: s.kind === 'assign' ? s.target : place.constAddr, value, env, next: at + 1 },
  });
}

export function lowerCall(lw: StepSink, e: Expr, s: Stmt, f: Frame): void {
  if (e.kind !== 'call') return;
  const env = lw.envFor(f);
  const two = compileTwoStep(builtinRequest(e.callee, e.args, e, env));
  if (two !== undefined) {
    const at = lw.here();
    const text = lw.text(s.span);
    lw.emit({
      visible: true,
      span: s.span,
      text,
      guard: null,
      choices: null,
      exec: (st) => (two.attempt.exec(st) === 0 ? at + 2 : at + 1),
      flow: flow(localReads(e, env), [], [at + 1, at + 2]),
    });
    lw.emit({
      visible: true,
      span: s.span,
      text: `${text}  (${two.waiting})`,
      guard: two.wait.guard,
      choices: null,
      exec: (st) => {
        two.wait.exec(st);
        return at + 2;
      },
      flow: flow(localReads(e, env), [], [at + 2]),
    });
    return;
  }
  const fn = env.spec.fns.get(e.callee);
  const code =
    fn !== undefined
      ? { exec: compileValue(e, env), guard: undefined }
      : compileBuiltinCode(builtinRequest(e.callee, e.args, e, env));
  const at = lw.here();
  lw.emit({
    visible: touchesShared(e, env.spec),
    span: s.span,
    text: lw.text(s.span),
    guard: code.guard ?? null,
    choices: null,
    exec: (st) => {
      code.exec(st);
      return at + 1;
    },
    flow: flow(localReads(e, env), [], [at + 1]),
    gen: { k: 'eval', expr: e, env, next: at + 1 },
  });
}

/** Inline a multi-step fn: bind arguments (one step), run its body, store the result. */

export function lowerInlineCall(
  lw: StepSink,
  e: Extract<Expr, { kind: 'call' }>,
  result: Place | null,
  s: Stmt,
  f: Frame,
): void {
  const env = lw.envFor(f);
  const fn = env.spec.fns.get(e.callee)!;
  const t = env.thread!;
  const args = e.args.map((a) => compileValue(a, env));
  const addrs = fn.params.map((p) => localAddr(t, fn, p));
  const vals = new Int32Array(args.length);
  const at = lw.here();
  lw.emit({
    visible: e.args.some((a) => touchesShared(a, env.spec)),
    span: e.span,
    text: lw.text(e.span),
    guard: null,
    choices: null,
    exec: (st) => {
      for (let i = 0; i < args.length; i++) vals[i] = args[i]!(st);
      for (let i = 0; i < args.length; i++) st[addrs[i]!] = vals[i]!;
      return at + 1;
    },
    flow: flow(localReads(e.args, env), addrs, [at + 1]),
  });
  const exit: Target = { pc: 0 };
  const inner: Frame = { body: fn, labels: labelTargets(fn.body), exit };
  const outer = lw.loops;
  lw.loops = [];
  lw.block(fn.body, inner);
  lw.loops = outer;
  exit.pc = lw.here();
  const ret = returnAddr(t, fn);
  const frame = t.frames.get(fn)!;
  const words = fn.locals.length + 1;
  const store = result === null ? null : storePlace(result, env);
  const done = lw.here();
  // Storing the result and clearing the frame (dead locals would split equal states).
  lw.emit({
    visible: result?.shared === true,
    span: e.span,
    text: result === null ? `return from ${fn.name}` : `${lw.text(s.span)}  (result)`,
    guard: null,
    choices: null,
    exec: (st) => {
      if (store !== null) store(st, st[ret]!);
      st.fill(0, frame, frame + words);
      return done + 1;
    },
    flow: flow(
      [ret, ...(result === null || s.kind !== 'assign' ? [] : targetReads(s.target, env))],
      [...(result === null ? [] : placeKills(result)), ...Array.from({ length: words }, (_, i) => frame + i)],
      [done + 1],
    ),
  });
}
