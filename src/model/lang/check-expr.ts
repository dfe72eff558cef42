// Resolver and typechecker, expression level: the type of every expression and the meaning
// of every name, recorded in the CheckedSpec's side tables. Calls' arguments are in
// check-call.ts, statements in check-body.ts.
import type { Expr } from './ast.js';
import { BUILTINS } from './builtins.js';
import { type CallExpr, type CallPlace, type OperandChecks, typeBuiltinCall, typeFnCall } from './check-call.js';
import { ADDR_OK, type Ctx, syncCandidates, visibleNames } from './check-context.js';
import { unknownStructHint } from './check-hints.js';
import { evalConst, fitsInt, isConstantExpr } from './const-eval.js';
import { didYouMean, error } from './diagnostics.js';
import { assignable, BOOL, comparable, ERROR, INT, isScalar, NULL, type Ty, typeName, withArticle } from './types.js';

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
    if (
      (t.prim === 'atomic' || t.prim === 'seqcount' || t.prim === 'refcount') &&
      (ctx.where === 'invariant' || ctx.where === 'final')
    )
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
  if ('addrOf' in e && e.addrOf !== undefined && !ADDR_OK.has(e)) {
    ctx.diags.push(
      error(
        'MM340',
        e.addrOf,
        "'&' is only for a sync object passed to a built-in",
        'there are no pointers: pass the value itself, or a `ref T` to reach an object',
      ),
    );
  }
  const t = typeExpr(e, ctx);
  ctx.spec.types.set(e, t);
  if ((e.kind === 'binary' || e.kind === 'unary' || e.kind === 'int') && t.k !== 'error') checkFits(e, ctx);
  return t;
}

/**
 * A literal, or an operator on constants, must give a value of the 32-bit word: reported
 * once, at the innermost expression that does not fit (its operands evaluate silently).
 */
function checkFits(e: Extract<Expr, { kind: 'binary' | 'unary' | 'int' }>, ctx: Ctx): void {
  const { spec } = ctx;
  if (e.kind === 'int') {
    if (!fitsInt(e.value) && !NEGATED.has(e)) evalConst(e, spec, ctx.diags);
    return;
  }
  const kids = e.kind === 'unary' ? [e.operand] : [e.left, e.right];
  if (!kids.every((k) => isConstantExpr(k, spec) && evalConst(k, spec, []) !== undefined)) return;
  evalConst(e, spec, ctx.diags);
}

/** `-2147483648`: the literal 2147483648 under a minus, which fits once negated. */
const NEGATED = new WeakSet<Expr>();

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
      if (e.op === '-' && e.operand.kind === 'int' && e.operand.value === 2 ** 31) NEGATED.add(e.operand);
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
    return spec.constTypes.get(e.name) ?? INT;
  }
  for (const [name, members] of spec.enums) {
    const i = members.indexOf(e.name);
    if (i >= 0) {
      spec.names.set(e, { k: 'enum', value: i });
      return { k: 'enum', name };
    }
  }
  const hint =
    e.name === 'NULL'
      ? 'the empty reference is `null`'
      : spec.threads.has(e.name) || spec.fns.has(e.name)
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
        : a.k === 'bool' && b.k === 'bool' && (e.op === '&' || e.op === '|')
          ? `on bools, use '${e.op}${e.op}'`
          : (e.op === '&' || e.op === '|' || e.op === '^') && (e.right.kind === 'binary' || e.left.kind === 'binary')
            ? `'${e.op}' binds looser than '==' and '<', as in C: parenthesise, e.g. \`(x & 1) == 0\``
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
      if ((a.k !== 'int' && a.k !== 'error') || (b.k !== 'int' && b.k !== 'error')) {
        bad('ints');
        // `a & b` on bools meant `&&`: one message, not a second about the int it would give.
        if (e.op === '&' || e.op === '|' || e.op === '^') return ERROR;
      }
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
    const ft =
      f.ty.k === 'sync' && (f.ty.prim === 'atomic' || f.ty.prim === 'seqcount' || f.ty.prim === 'refcount')
        ? INT
        : f.ty;
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

/** The operand checks a call's arguments use (check-call.ts cannot import this file). */
const OPERANDS: OperandChecks = { checkExpr, checkValue };

export function checkCall(e: Expr, ctx: Ctx, place: CallPlace): Ty {
  if (e.kind !== 'call') return checkExpr(e, ctx);
  const t = typeCall(e, ctx, place);
  ctx.spec.types.set(e, t);
  return t;
}

function typeCall(e: CallExpr, ctx: Ctx, place: CallPlace): Ty {
  const b = BUILTINS.get(e.callee);
  return b !== undefined ? typeBuiltinCall(e, b, ctx, place, OPERANDS) : typeFnCall(e, ctx, place, OPERANDS);
}

export function checkAssignValue(target: Ty, value: Expr, ctx: Ctx, message?: (t: Ty) => string): void {
  const t = value.kind === 'call' ? checkCall(value, ctx, 'assignment') : checkValue(value, ctx);
  if (!assignable(target, t)) {
    ctx.diags.push(error('MM324', value.span, message?.(t) ?? `cannot assign ${typeName(t)} to ${typeName(target)}`));
  }
}
