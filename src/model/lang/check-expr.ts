// Resolver and typechecker, expression level: the type of every expression, the meaning of
// every name, and the built-in calls' arguments, recorded in the CheckedSpec's side tables.
// Statements are in check-body.ts.
import type { Expr } from './ast.js';
import { type ArgKind, type Builtin, BUILTINS, describeArg, syncHint } from './builtins.js';
import { didYouMean, error } from './diagnostics.js';
import { signature, unknownStructHint } from './check-hints.js';
import { type Ctx, syncCandidates, visibleNames } from './check-context.js';
import { evalConst, isConstantExpr } from './const-eval.js';
import {
  assignable,
  BOOL,
  comparable,
  ERROR,
  INT,
  isScalar,
  NULL,
  typeName,
  VOID,
  withArticle,
  type Ty,
} from './types.js';

export function expectBool(e: Expr, ctx: Ctx, what: string): void {
  const t = checkValue(e, ctx);
  if (t.k !== 'bool' && t.k !== 'error') {
    const hint =
      t.k === 'int'
        ? 'compare it, e.g. `x != 0`'
        : t.k === 'ref'
          ? 'compare it with null, e.g. `v != null`'
          : undefined;
    ctx.diags.push(error('MM301', e.span, `${what} must be a bool, got ${typeName(t)}`, hint));
  }
}

export function expectInt(e: Expr, ctx: Ctx): void {
  const t = checkValue(e, ctx);
  if (t.k !== 'int' && t.k !== 'error') ctx.diags.push(error('MM302', e.span, `expected an int, got ${typeName(t)}`));
}

/** An expression used as a value: must be a scalar. Atomics read directly only in invariants. */
export function checkValue(e: Expr, ctx: Ctx): Ty {
  const t = e.kind === 'call' ? checkCall(e, ctx, 'expression') : checkExpr(e, ctx);
  if (t.k === 'sync') {
    if ((t.prim === 'atomic' || t.prim === 'seqcount') && (ctx.where === 'invariant' || ctx.where === 'final'))
      return INT;
    const hint = t.prim === 'atomic' ? 'read it with atomic_read()' : `pass it to ${withArticle(t.prim)} built-in`;
    ctx.diags.push(error('MM303', e.span, `${withArticle(t.prim)} is not a value`, hint));
    return ERROR;
  }
  if (t.k === 'array') {
    ctx.diags.push(error('MM304', e.span, 'an array is not a value', 'index it'));
    return ERROR;
  }
  if (t.k === 'void') {
    ctx.diags.push(error('MM305', e.span, 'this call returns nothing'));
    return ERROR;
  }
  return t;
}

export function checkExpr(e: Expr, ctx: Ctx): Ty {
  const t = typeExpr(e, ctx);
  ctx.spec.types.set(e, t);
  return t;
}

function typeExpr(e: Expr, ctx: Ctx): Ty {
  const { diags } = ctx;
  switch (e.kind) {
    case 'int':
      return INT;
    case 'bool':
      return BOOL;
    case 'null':
      return NULL;
    case 'name':
      return typeNameExpr(e, ctx);
    case 'field':
      return typeField(e, ctx);
    case 'index':
      return typeIndex(e, ctx);
    case 'unary': {
      const t = checkValue(e.operand, ctx);
      const want = e.op === '!' ? BOOL : INT;
      if (t.k !== want.k && t.k !== 'error')
        diags.push(error('MM306', e.span, `operator '${e.op}' needs ${withArticle(want.k)}, got ${typeName(t)}`));
      return want;
    }
    case 'binary':
      return typeBinary(e, ctx);
    case 'call':
      return checkCall(e, ctx, 'expression');
    case 'alloc':
      return typeAlloc(e, ctx);
  }
}

function typeNameExpr(e: Extract<Expr, { kind: 'name' }>, ctx: Ctx): Ty {
  const { spec, diags } = ctx;
  const local = ctx.body?.localByName.get(e.name);
  if (local !== undefined) {
    local.used = true;
    spec.names.set(e, { k: 'local', body: ctx.body!, local });
    return local.ty;
  }
  const g = spec.globals.get(e.name);
  if (g !== undefined) {
    spec.names.set(e, { k: 'global', global: g });
    return g.ty;
  }
  const c = spec.consts.get(e.name);
  if (c !== undefined) {
    spec.names.set(e, { k: 'const', value: c });
    return INT;
  }
  for (const [name, members] of spec.enums) {
    const i = members.indexOf(e.name);
    if (i >= 0) {
      spec.names.set(e, { k: 'enum', value: i });
      return { k: 'enum', name };
    }
  }
  const hint =
    spec.threads.has(e.name) || spec.fns.has(e.name)
      ? `'${e.name}' is a ${spec.fns.has(e.name) ? 'fn' : 'thread'}, not a value`
      : (didYouMean(e.name, visibleNames(ctx)) ??
        syncCandidates(ctx) ??
        'declare it as a `local`, `shared` or `ghost` variable, or a `const`');
  diags.push(error('MM307', e.span, `undeclared name '${e.name}'`, hint));
  return ERROR;
}

function typeField(e: Extract<Expr, { kind: 'field' }>, ctx: Ctx): Ty {
  const { spec, diags } = ctx;
  const ot = checkExpr(e.object, ctx);
  if (ot.k === 'error') return ERROR;
  if (ot.k !== 'ref') {
    diags.push(
      error(
        'MM308',
        e.fieldSpan,
        `field access '.${e.field}' on ${withArticle(typeName(ot))}`,
        'only references to structs have fields',
      ),
    );
    return ERROR;
  }
  const st = spec.structs.get(ot.struct);
  const f = st?.fieldByName.get(e.field);
  if (f === undefined) {
    diags.push(
      error(
        'MM309',
        e.fieldSpan,
        `struct ${ot.struct} has no field '${e.field}'`,
        st && st.fields.length > 0 ? `its fields: ${st.fields.map((x) => x.name).join(', ')}` : undefined,
      ),
    );
    return ERROR;
  }
  return f.ty;
}

function typeIndex(e: Extract<Expr, { kind: 'index' }>, ctx: Ctx): Ty {
  const { spec, diags } = ctx;
  const ot = checkExpr(e.object, ctx);
  const it = checkValue(e.index, ctx);
  if (it.k !== 'int' && it.k !== 'error')
    diags.push(error('MM310', e.index.span, `array index must be an int, got ${typeName(it)}`));
  if (ot.k === 'error') return ERROR;
  if (ot.k !== 'array') {
    diags.push(error('MM311', e.span, `indexing ${withArticle(typeName(ot))}, which is not an array`));
    return ERROR;
  }
  // A constant index is checked now rather than left to fail on every path at run time.
  if (it.k === 'int' && isConstantExpr(e.index, spec)) {
    const i = evalConst(e.index, spec, []);
    if (i !== undefined && (i < 0 || i >= ot.size))
      diags.push(
        error(
          'MM312',
          e.index.span,
          `index ${i} is out of bounds for ${typeName(ot)}`,
          `the indexes are 0 to ${ot.size - 1}`,
        ),
      );
  }
  return ot.elem;
}

function typeBinary(e: Extract<Expr, { kind: 'binary' }>, ctx: Ctx): Ty {
  const a = checkValue(e.left, ctx);
  const b = checkValue(e.right, ctx);
  const bad = (want: string): void => {
    // Comparing a reference with 0 is C's null test; here the empty reference is `null`.
    const hint =
      (a.k === 'ref' && b.k === 'int') || (a.k === 'int' && b.k === 'ref')
        ? 'an empty reference is `null`, not 0'
        : undefined;
    ctx.diags.push(
      error('MM306', e.span, `operator '${e.op}' needs ${want}, got ${typeName(a)} and ${typeName(b)}`, hint),
    );
  };
  switch (e.op) {
    case '&&':
    case '||':
    case '=>':
      if ((a.k !== 'bool' && a.k !== 'error') || (b.k !== 'bool' && b.k !== 'error')) bad('bools');
      return BOOL;
    case '==':
    case '!=':
      if (!comparable(a, b)) bad('two values of the same type');
      return BOOL;
    case '<':
    case '<=':
    case '>':
    case '>=':
      if ((a.k !== 'int' && a.k !== 'error') || (b.k !== 'int' && b.k !== 'error')) bad('ints');
      return BOOL;
    default:
      if ((a.k !== 'int' && a.k !== 'error') || (b.k !== 'int' && b.k !== 'error')) bad('ints');
      return INT;
  }
}

function typeAlloc(e: Extract<Expr, { kind: 'alloc' }>, ctx: Ctx): Ty {
  const { spec, diags } = ctx;
  if (ctx.where === 'invariant' || ctx.where === 'final') {
    diags.push(
      error('MM313', e.span, `alloc is not allowed in ${ctx.where === 'final' ? 'a final condition' : 'an invariant'}`),
    );
    return ERROR;
  }
  const st = spec.structs.get(e.type);
  if (st === undefined) {
    diags.push(error('MM104', e.typeSpan, `unknown struct '${e.type}'`, unknownStructHint(spec, e.type)));
    return ERROR;
  }
  if (!spec.pools.has(e.type)) {
    diags.push(error('MM314', e.typeSpan, `no pool for struct '${e.type}'`, `declare one: \`pool ${e.type}[2];\``));
  }
  const seen = new Set<string>();
  for (const init of e.inits) {
    const f = st.fieldByName.get(init.field);
    if (f === undefined) {
      diags.push(
        error(
          'MM309',
          init.fieldSpan,
          `struct ${e.type} has no field '${init.field}'`,
          st.fields.length > 0 ? `its fields: ${st.fields.map((x) => x.name).join(', ')}` : undefined,
        ),
      );
      checkValue(init.value, ctx);
      continue;
    }
    if (seen.has(init.field)) diags.push(error('MM315', init.fieldSpan, `field '${init.field}' initialised twice`));
    seen.add(init.field);
    const ft = f.ty.k === 'sync' && (f.ty.prim === 'atomic' || f.ty.prim === 'seqcount') ? INT : f.ty;
    if (!isScalar(ft)) {
      diags.push(
        error(
          'MM316',
          init.fieldSpan,
          `field '${init.field}' is ${withArticle(typeName(f.ty))} and cannot be initialised`,
          'sync objects start unlocked; arrays start zeroed',
        ),
      );
      continue;
    }
    checkAssignValue(ft, init.value, ctx);
  }
  return { k: 'ref', struct: e.type };
}

type CallPlace = 'statement' | 'assignment' | 'expression';
type CallExpr = Extract<Expr, { kind: 'call' }>;

export function checkCall(e: Expr, ctx: Ctx, place: CallPlace): Ty {
  if (e.kind !== 'call') return checkExpr(e, ctx);
  const t = typeCall(e, ctx, place);
  ctx.spec.types.set(e, t);
  return t;
}

function typeCall(e: CallExpr, ctx: Ctx, place: CallPlace): Ty {
  const b = BUILTINS.get(e.callee);
  return b !== undefined ? typeBuiltinCall(e, b, ctx, place) : typeFnCall(e, ctx, place);
}

function typeBuiltinCall(e: CallExpr, b: Builtin, ctx: Ctx, place: CallPlace): Ty {
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
    e.args.forEach((a) => checkExpr(a, ctx));
    return b.returns;
  }
  e.args.forEach((a, i) => checkBuiltinArg(a, b.args[i]!, b, ctx));
  return b.returns;
}

function checkBuiltinArg(a: Expr, want: ArgKind, b: Builtin, ctx: Ctx): void {
  const { diags } = ctx;
  if (want.k === 'sync') {
    // Only a bare name is the object itself; names inside `pt[i].ptl` are not.
    if (a.kind === 'name') ctx.wantSync = want.prims;
    const t = checkExpr(a, ctx);
    ctx.wantSync = undefined;
    if (t.k === 'error') return;
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
  } else {
    const t = checkValue(a, ctx);
    if (want.k === 'int' && t.k !== 'int' && t.k !== 'error')
      diags.push(error('MM320', a.span, `'${b.name}' needs an int here, got ${typeName(t)}`));
    if (want.k === 'ref' && t.k !== 'ref' && t.k !== 'error')
      diags.push(error('MM320', a.span, `'${b.name}' needs a reference, got ${typeName(t)}`));
  }
}

function typeFnCall(e: CallExpr, ctx: Ctx, place: CallPlace): Ty {
  const { spec, diags } = ctx;
  const f = spec.fns.get(e.callee);
  if (f === undefined) {
    const hint = spec.threads.has(e.callee)
      ? `'${e.callee}' is a thread; start it from a scenario`
      : (didYouMean(e.callee, [...BUILTINS.keys(), ...spec.fns.keys()]) ??
        `declare it: \`fn ${e.callee}(...) { ... }\``);
    diags.push(error('MM321', e.calleeSpan, `undeclared function '${e.callee}'`, hint));
    e.args.forEach((a) => checkExpr(a, ctx));
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
  if (e.args.length !== f.params.length) {
    diags.push(
      error(
        'MM319',
        e.span,
        `fn '${f.name}' takes ${f.params.length} argument${f.params.length === 1 ? '' : 's'}, got ${e.args.length}`,
        `it is declared as ${signature(f)}`,
      ),
    );
    e.args.forEach((a) => checkExpr(a, ctx));
    return f.returns;
  }
  e.args.forEach((a, i) => {
    const p = f.params[i]!;
    const t = checkValue(a, ctx);
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

export function checkAssignValue(target: Ty, value: Expr, ctx: Ctx, message?: (t: Ty) => string): void {
  const t = value.kind === 'call' ? checkCall(value, ctx, 'assignment') : checkValue(value, ctx);
  if (!assignable(target, t)) {
    ctx.diags.push(error('MM324', value.span, message?.(t) ?? `cannot assign ${typeName(t)} to ${typeName(target)}`));
  }
}
