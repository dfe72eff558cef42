// Resolver and typechecker, calls: a built-in's or a fn's arguments (count, kind, type),
// where a call may stand (a blocking built-in or a multi-step fn only as a statement or the
// right side of an assignment), and the fn call graph for the recursion check.
import type { Expr } from './ast.js';
import { type ArgKind, BUILTINS, type Builtin, describeArg, syncHint } from './builtins.js';
import { ADDR_OK, type Ctx } from './check-context.js';
import { signature } from './check-hints.js';
import { didYouMean, error } from './diagnostics.js';
import { assignable, ERROR, type Ty, typeName, VOID, withArticle } from './types.js';

export type CallPlace = 'statement' | 'assignment' | 'expression';
export type CallExpr = Extract<Expr, { kind: 'call' }>;

/**
 * How arguments are checked: check-expr.ts passes its own functions in, since it checks
 * calls as expressions and so cannot be imported from here.
 */
export interface OperandChecks {
  /** The type of any expression, a sync object or an array included. */
  checkExpr(e: Expr, ctx: Ctx): Ty;
  /** The type of an expression used as a value (a scalar). */
  checkValue(e: Expr, ctx: Ctx): Ty;
}

export function typeBuiltinCall(e: CallExpr, b: Builtin, ctx: Ctx, place: CallPlace, check: OperandChecks): Ty {
  const { diags } = ctx;
  if ((ctx.where === 'invariant' || ctx.where === 'final') && b.name !== 'atomic_read') {
    diags.push(
      error(
        'MM317',
        e.calleeSpan,
        `'${b.name}' cannot be called in ${ctx.where === 'final' ? 'a final condition' : 'an invariant'}`,
        'conditions only read state',
      ),
    );
  }
  if (b.blocks && place === 'expression') {
    diags.push(
      error(
        'MM318',
        e.calleeSpan,
        `blocking call '${b.name}' must be a statement of its own`,
        b.returns.k === 'void' ? undefined : `write \`x = ${b.name}(...);\``,
      ),
    );
  }
  if (e.args.length !== b.args.length) {
    diags.push(
      error(
        'MM319',
        e.span,
        `'${b.name}' takes ${b.args.length} argument${b.args.length === 1 ? '' : 's'}, got ${e.args.length}`,
        `it is called as ${b.name}(${b.args.map(describeArg).join(', ')})`,
      ),
    );
    for (const a of e.args) check.checkExpr(a, ctx);
    return b.returns;
  }
  const types: Ty[] = [];
  e.args.forEach((a, i) => {
    types.push(checkBuiltinArg(a, b.args[i]!, b, ctx, check, types));
  });
  return b.returnsArg === undefined ? b.returns : (types[b.returnsArg] ?? ERROR);
}

/** A marked access's variable (READ_ONCE(x)): a global, a field or an element, not a local. */
function checkPlaceArg(a: Expr, want: { ref: boolean }, b: Builtin, ctx: Ctx, check: OperandChecks): Ty {
  const t = check.checkValue(a, ctx);
  const local = a.kind === 'name' && ctx.spec.names.get(a)?.k === 'local';
  if (local || (a.kind !== 'name' && a.kind !== 'field' && a.kind !== 'index')) {
    ctx.diags.push(
      error('MM320', a.span, `'${b.name}' needs a shared variable, field or element`, 'locals are private'),
    );
    return t;
  }
  if (want.ref && t.k !== 'ref' && t.k !== 'error')
    ctx.diags.push(error('MM320', a.span, `'${b.name}' needs a reference, got ${typeName(t)}`));
  return t;
}

function checkBuiltinArg(a: Expr, want: ArgKind, b: Builtin, ctx: Ctx, check: OperandChecks, before: Ty[]): Ty {
  const { diags } = ctx;
  if (want.k === 'place') return checkPlaceArg(a, want, b, ctx, check);
  if (want.k === 'local') {
    const t = check.checkValue(a, ctx);
    const local = a.kind === 'name' && ctx.spec.names.get(a)?.k === 'local';
    if (t.k !== 'error' && (!local || t.k !== 'int'))
      diags.push(error('MM320', a.span, `'${b.name}' needs an int local to store the flags in`));
    return t;
  }
  if (want.k === 'like') {
    const t = check.checkValue(a, ctx);
    const to = before[want.arg] ?? ERROR;
    if (!assignable(to, t))
      diags.push(error('MM320', a.span, `'${b.name}' stores ${withArticle(typeName(to))} here, got ${typeName(t)}`));
    return t;
  }
  if (want.k === 'sync') {
    ADDR_OK.add(a);
    // Only a bare name is the object itself; names inside `pt[i].ptl` are not.
    if (a.kind === 'name') ctx.wantSync = want.prims;
    const t = check.checkExpr(a, ctx);
    ctx.wantSync = undefined;
    if (t.k === 'error') return t;
    if (t.k !== 'sync' || !want.prims.includes(t.prim)) {
      diags.push(
        error(
          'MM320',
          a.span,
          `'${b.name}' needs ${withArticle(describeArg(want))}, got ${typeName(t)}`,
          syncHint(a, t, want.prims),
        ),
      );
    }
    return t;
  }
  const t = check.checkValue(a, ctx);
  if (want.k === 'int' && t.k !== 'int' && t.k !== 'error')
    diags.push(error('MM320', a.span, `'${b.name}' needs an int here, got ${typeName(t)}`));
  if (want.k === 'ref' && t.k !== 'ref' && t.k !== 'error')
    diags.push(error('MM320', a.span, `'${b.name}' needs a reference, got ${typeName(t)}`));
  return t;
}

export function typeFnCall(e: CallExpr, ctx: Ctx, place: CallPlace, check: OperandChecks): Ty {
  const { spec, diags } = ctx;
  const f = spec.fns.get(e.callee);
  if (f === undefined) {
    const hint = spec.threads.has(e.callee)
      ? `'${e.callee}' is a thread; start it from a scenario`
      : (didYouMean(e.callee, [...BUILTINS.keys(), ...spec.fns.keys()]) ??
        `declare it: \`fn ${e.callee}(...) { ... }\``);
    diags.push(error('MM321', e.calleeSpan, `undeclared function '${e.callee}'`, hint));
    for (const a of e.args) check.checkExpr(a, ctx);
    return ERROR;
  }
  ctx.calls.add(f.name);
  if (f.macro === undefined && (place === 'expression' || ctx.where === 'invariant' || ctx.where === 'final')) {
    diags.push(
      error(
        'MM322',
        e.calleeSpan,
        `call to fn '${f.name}' must be a statement or the right side of an assignment`,
        'it has several steps; store its result in a local first',
      ),
    );
  }
  // A fn with steps is inlined as steps: an atomic block, one step, cannot hold them.
  if (f.macro === undefined && ctx.inAtomic && place !== 'expression')
    diags.push(
      error(
        'MM242',
        e.calleeSpan,
        `fn '${f.name}' has several steps: it cannot be called inside atomic { }`,
        'an atomic block is one step: write its statements in the block, or call it before or after the block',
      ),
    );
  if (e.args.length !== f.params.length) {
    diags.push(
      error(
        'MM319',
        e.span,
        `fn '${f.name}' takes ${f.params.length} argument${f.params.length === 1 ? '' : 's'}, got ${e.args.length}`,
        `it is declared as ${signature(f)}`,
      ),
    );
    for (const a of e.args) check.checkExpr(a, ctx);
    return f.returns;
  }
  e.args.forEach((a, i) => {
    const p = f.params[i]!;
    const t = check.checkValue(a, ctx);
    if (!assignable(p.ty, t))
      diags.push(
        error(
          'MM323',
          a.span,
          `argument '${p.name}' of '${f.name}' is ${withArticle(typeName(p.ty))}, got ${typeName(t)}`,
        ),
      );
  });
  return f.returns.k === 'void' ? VOID : f.returns;
}
