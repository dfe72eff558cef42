// atomic { }: the whole block is one step, straight-line code run within it; a blocking
// statement may only come first, and its guard is the step's. Also the assert/BUG_ON check
// both kinds of lowering share.

import { builtinRequest, type CompileEnv, compilePlace, compileValue, storePlace, type Val } from './compile-expr.js';
import { assignFn, constantOf } from './compile-fast.js';
import type { Span, Stmt } from './lang/ast.js';
import { localAddr } from './layout.js';
import { straightFlow } from './lower-flow.js';
import type { CheckStmt, Frame, StepSink } from './lower-steps.js';
import { BUILTIN_DEFS, compileBuiltinCode } from './prims/index.js';

export function lowerAtomic(lw: StepSink, s: Extract<Stmt, { kind: 'atomic' }>, f: Frame): void {
  const env = lw.envFor(f);
  const first = s.body[0];
  let guard: Val | null = null;
  const guardEnv = { ...env, effects: false };
  if (first?.kind === 'await') guard = compileValue(first.cond, guardEnv);
  else if (first !== undefined) {
    const call = first.kind === 'expr' ? first.expr : first.kind === 'assign' ? first.value : undefined;
    if (call?.kind === 'call' && BUILTIN_DEFS.get(call.callee)?.blocks === true) {
      guard =
        compileBuiltinCode(builtinRequest(call.callee, call.args, call, { ...env, effects: false })).guard ?? null;
    }
  }
  // The block is indivisible: its accesses are marked for the data_race check.
  const body = s.body.map((st) => compileStraight(st, { ...env, marked: true }, lw.text));
  const at = lw.here();
  lw.emit({
    visible: true,
    span: s.span,
    // A statement's text is its first line: a nested block shows as `{ … }`, so what follows
    // the block is not read as its body.
    text: `atomic { ${s.body.map((x) => lw.text(x.span).replace(/\{$/, '{ … }')).join(' ')} }`,
    guard,
    choices: null,
    exec: (st) => {
      for (const b of body) b(st);
      return at + 1;
    },
    flow: straightFlow(s.body, env, [at + 1]),
    gen: { k: 'atomic', body: s.body, runs: body, env: { ...env, marked: true }, next: at + 1 },
    ...(first?.kind === 'await' ? { guardGen: { cond: first.cond, env: guardEnv } } : {}),
  });
}

export function compileCheck(s: CheckStmt, env: CompileEnv, condText: string): (st: Int32Array) => void {
  const cond = compileValue(s.cond, env);
  const fail = checkFail(s, env, condText);
  if (s.kind === 'assert')
    return (st) => {
      if (cond(st) === 0) fail();
    };
  return (st) => {
    if (cond(st) !== 0) fail();
  };
}

/** The violation an assert (its condition 0) or a BUG_ON (its condition not 0) raises. */
export function checkFail(s: CheckStmt, env: CompileEnv, condText: string): () => never {
  const rt = env.rt;
  const who = env.thread?.name ?? 'init';
  if (s.kind === 'assert') {
    const msg = s.message ?? `assert(${condText})`;
    return () => rt.fail('assertion', `assertion failed in ${who}: ${msg}`, s.span);
  }
  return () => rt.fail('assertion', `BUG_ON(${condText}) fired in ${who}`, s.span);
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
        value.kind === 'call' && BUILTIN_DEFS.has(value.callee)
          ? compileBuiltinCode(builtinRequest(value.callee, value.args, value, env)).exec
          : compileValue(value, env);
      return assignFn(place, store, v, constantOf(value, env));
    }
    case 'expr': {
      const v =
        s.expr.kind === 'call' && BUILTIN_DEFS.has(s.expr.callee)
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
