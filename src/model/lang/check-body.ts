// Resolver and typechecker, body level: statements of threads, fns and inits, labels,
// locals and assignment targets; invariants and finals as conditions. Expressions are in
// check-expr.ts.
import type { Expr, Span, Stmt } from './ast.js';
import { checkAtomicWaits } from './check-atomic.js';
import { type Ctx, exprCtx, isEnumMember, type Where } from './check-context.js';
import { checkAssignValue, checkCall, checkExpr, expectBool, expectInt } from './check-expr.js';
import { checkGlobalInit } from './check-global-init.js';
import { canFallOff, reportRecursion } from './check-graph.js';
import { reportInlinedSize } from './check-inlined.js';
import type { BodyInfo, CheckedSpec, LocalInfo } from './checked.js';
import { type Diagnostic, didYouMean, error, formatLine, warning } from './diagnostics.js';
import { resolveType } from './resolve-type.js';
import { ERROR, INT, type Ty, typeName, withArticle } from './types.js';

/**
 * A scenario's `init { }`: checked in a body that starts as a copy of the global init's (its
 * locals are visible), and which runs the global blocks and then these statements.
 */
export function checkScenarioInit(stmts: Stmt[], span: Span, spec: CheckedSpec, diags: Diagnostic[]): BodyInfo {
  const g = spec.init;
  const body: BodyInfo = {
    ...g,
    locals: [...g.locals],
    localByName: new Map(g.localByName),
    body: [...g.body, ...stmts],
    // What init ends with (a lock still held) is reported here: the scenario's block runs last.
    span,
  };
  const ctx: Ctx = {
    spec,
    diags,
    body,
    where: 'init',
    labels: collectLabels(stmts, spec, diags),
    loops: 0,
    inAtomic: false,
    calls: new Set(),
  };
  checkBlock(stmts, ctx);
  warnUnused(body.locals.slice(g.locals.length), body, diags);
  return body;
}

function warnUnused(locals: LocalInfo[], body: BodyInfo, diags: Diagnostic[]): void {
  for (const l of locals)
    if (!l.used && !body.params.includes(l)) diags.push(warning('MM202', l.span, `unused local '${l.name}'`));
}

export function checkBodies(spec: CheckedSpec, diags: Diagnostic[]): void {
  const callGraph = new Map<string, Set<string>>();
  const run = (body: BodyInfo, where: Where): Set<string> => {
    const ctx: Ctx = {
      spec,
      diags,
      body,
      where,
      labels: collectLabels(body.body, spec, diags),
      loops: 0,
      inAtomic: false,
      calls: new Set(),
    };
    checkBlock(body.body, ctx);
    if (body.kind === 'fn' && body.returns.k !== 'void' && canFallOff(body.body)) {
      // Falling off the end would leave the result undefined.
      diags.push(
        error(
          'MM201',
          body.span,
          `fn '${body.name}' can reach its end without returning ${withArticle(typeName(body.returns))}`,
          'end every path with `return VALUE;`',
        ),
      );
    }
    warnUnused(body.locals, body, diags);
    return ctx.calls;
  };
  for (const g of spec.globals.values()) checkGlobalInit(g, spec, diags);
  for (const f of spec.fns.values()) callGraph.set(f.name, run(f, 'fn'));
  for (const t of spec.threads.values()) run(t, 'thread');
  run(spec.init, 'init');
  for (const inv of spec.invariants) expectBool(inv.cond, exprCtx(spec, diags, 'invariant'), 'invariant');
  for (const f of spec.finals) expectBool(f.cond, exprCtx(spec, diags, 'final'), 'final condition');
  const before = diags.length;
  reportRecursion(spec, callGraph, diags);
  if (diags.length === before) reportInlinedSize(spec, diags);
}

function collectLabels(body: Stmt[], spec: CheckedSpec, diags: Diagnostic[]): Map<string, Span> {
  const labels = new Map<string, Span>();
  const walk = (s: Stmt): void => {
    switch (s.kind) {
      case 'label': {
        const first = labels.get(s.name);
        if (first !== undefined)
          diags.push(
            error(
              'MM203',
              s.span,
              `duplicate label '${s.name}'`,
              `'${s.name}' is already a label at ${formatLine(spec.sources, first)}; rename one of them`,
            ),
          );
        else labels.set(s.name, s.span);
        break;
      }
      case 'if':
        walk(s.then);
        if (s.else) walk(s.else);
        break;
      case 'while':
      case 'for':
        walk(s.body);
        break;
      case 'block':
      case 'atomic':
        s.body.forEach(walk);
        break;
      case 'either':
        for (const b of s.branches) b.forEach(walk);
        break;
      default:
        break;
    }
  };
  body.forEach(walk);
  return labels;
}

// ---- statements -------------------------------------------------------------------------

function checkBlock(stmts: Stmt[], ctx: Ctx): void {
  let dead = false;
  for (const s of stmts) {
    if (s.kind === 'label') dead = false;
    else if (dead && s.kind !== 'skip') {
      ctx.diags.push(warning('MM204', s.span, 'unreachable statement', 'nothing jumps here; add a label or remove it'));
      dead = false;
    }
    checkStmt(s, ctx);
    if (s.kind === 'goto' || s.kind === 'return' || s.kind === 'break' || s.kind === 'continue') dead = true;
  }
}

function checkStmt(s: Stmt, ctx: Ctx): void {
  const { diags } = ctx;
  switch (s.kind) {
    case 'local':
      checkLocal(s, ctx);
      return;
    case 'assign': {
      const t = checkLvalue(s.target, ctx);
      checkAssignValue(t, s.value, ctx);
      return;
    }
    case 'expr':
      // The parser has rejected an expression statement that is not a call (MM017).
      checkCall(s.expr, ctx, 'statement');
      return;
    case 'if':
      expectBool(s.cond, ctx, 'if condition');
      checkStmt(s.then, ctx);
      if (s.else) checkStmt(s.else, ctx);
      return;
    case 'while':
      checkWhile(s, ctx);
      return;
    case 'for':
      checkFor(s, ctx);
      return;
    case 'block':
      checkBlock(s.body, ctx);
      return;
    case 'atomic':
      checkAtomic(s, ctx);
      return;
    case 'label':
      if (ctx.inAtomic) diags.push(error('MM205', s.span, 'labels are not allowed inside atomic { }'));
      return;
    case 'goto':
      checkGoto(s, ctx);
      return;
    case 'return':
      checkReturn(s, ctx);
      return;
    case 'break':
    case 'continue':
      if (ctx.loops === 0)
        diags.push(
          error(
            'MM208',
            s.span,
            `'${s.kind}' outside a loop`,
            `'${s.kind}' belongs in a while or for loop; to leave a block, use goto`,
          ),
        );
      return;
    case 'await':
      expectBool(s.cond, ctx, 'await condition');
      return;
    case 'choose': {
      const t = checkLvalue(s.target, ctx);
      if (t.k !== 'int' && t.k !== 'error')
        diags.push(error('MM209', s.target.span, `choose needs an int target, got ${typeName(t)}`));
      expectInt(s.from, ctx);
      expectInt(s.to, ctx);
      return;
    }
    case 'either':
      if (ctx.inAtomic) diags.push(error('MM205', s.span, "'either' is not allowed inside atomic { }"));
      for (const b of s.branches) checkBlock(b, ctx);
      return;
    case 'assert':
      expectBool(s.cond, ctx, 'assertion');
      return;
    case 'bug_on':
      expectBool(s.cond, ctx, 'BUG_ON condition');
      return;
    case 'skip':
      return;
  }
}

function checkLocal(s: Extract<Stmt, { kind: 'local' }>, ctx: Ctx): void {
  const { diags } = ctx;
  const ty = resolveType(s.type, ctx.spec, diags, false);
  if (ty.k === 'array') diags.push(error('MM210', s.type.span, 'locals must be scalars (int, bool, enum or ref)'));
  if (s.init !== undefined) checkAssignValue(ty, s.init, ctx);
  declareLocal(ctx.body!, s.name, s.nameSpan, ty, diags, ctx);
}

function checkWhile(s: Extract<Stmt, { kind: 'while' }>, ctx: Ctx): void {
  if (ctx.inAtomic)
    ctx.diags.push(
      error(
        'MM205',
        s.span,
        "'while' is not allowed inside atomic { }",
        'an atomic block is one step; loop outside it',
      ),
    );
  expectBool(s.cond, ctx, 'while condition');
  ctx.loops++;
  checkStmt(s.body, ctx);
  ctx.loops--;
}

function checkFor(s: Extract<Stmt, { kind: 'for' }>, ctx: Ctx): void {
  const { diags } = ctx;
  const body = ctx.body!;
  expectInt(s.from, ctx);
  expectInt(s.to, ctx);
  const existing = body.localByName.get(s.var);
  if (existing === undefined) declareLocal(body, s.var, s.varSpan, INT, diags, ctx).used = true;
  else if (existing.ty.k !== 'int')
    diags.push(error('MM211', s.varSpan, `loop variable '${s.var}' must be an int, it is ${typeName(existing.ty)}`));
  else existing.used = true;
  ctx.loops++;
  checkStmt(s.body, ctx);
  ctx.loops--;
}

function checkAtomic(s: Extract<Stmt, { kind: 'atomic' }>, ctx: Ctx): void {
  if (ctx.inAtomic) ctx.diags.push(error('MM206', s.span, 'nested atomic { } blocks'));
  const was = ctx.inAtomic;
  ctx.inAtomic = true;
  checkAtomicWaits(s, ctx.diags);
  checkBlock(s.body, ctx);
  ctx.inAtomic = was;
}

function checkGoto(s: Extract<Stmt, { kind: 'goto' }>, ctx: Ctx): void {
  const { diags } = ctx;
  const body = ctx.body!;
  if (ctx.inAtomic)
    diags.push(
      error(
        'MM205',
        s.span,
        "'goto' is not allowed inside atomic { }",
        'an atomic block is one step: decide inside it, jump after it',
      ),
    );
  if (!ctx.labels.has(s.label)) {
    const known = [...ctx.labels.keys()];
    const hint =
      didYouMean(s.label, known) ??
      (known.length > 0
        ? `the labels in ${body.name} are: ${known.join(', ')}`
        : `label a statement with \`${s.label}:\``);
    diags.push(error('MM212', s.labelSpan, `goto to undefined label '${s.label}'`, hint));
  }
}

function checkReturn(s: Extract<Stmt, { kind: 'return' }>, ctx: Ctx): void {
  const { diags } = ctx;
  const body = ctx.body!;
  if (ctx.inAtomic) diags.push(error('MM205', s.span, "'return' is not allowed inside atomic { }"));
  if (body.kind !== 'fn') {
    if (s.value !== undefined)
      diags.push(
        error(
          'MM213',
          s.value.span,
          `${withArticle(body.kind)} cannot return a value`,
          'write `return;`, and keep results in a shared or ghost global',
        ),
      );
  } else if (s.value === undefined) {
    if (body.returns.k !== 'void')
      diags.push(
        error(
          'MM214',
          s.span,
          `fn '${body.name}' must return ${withArticle(typeName(body.returns))}`,
          'write `return VALUE;`',
        ),
      );
  } else if (body.returns.k === 'void') {
    diags.push(
      error(
        'MM215',
        s.value.span,
        `fn '${body.name}' returns nothing`,
        'declare a return type: `fn name(...): int { ... }`',
      ),
    );
  } else if (
    s.value.kind === 'call' &&
    ctx.spec.fns.get(s.value.callee)?.macro === undefined &&
    ctx.spec.fns.has(s.value.callee)
  )
    // `return f(...)` of a multi-step fn: neither a return step nor an expression fn (a fn that
    // is only `return e;` is inlined as an expression) can hold f's steps (MM322).
    checkCall(s.value, ctx, 'expression');
  else
    checkAssignValue(
      body.returns,
      s.value,
      ctx,
      (t) => `fn '${body.name}' returns ${withArticle(typeName(body.returns))}, got ${typeName(t)}`,
    );
}

function declareLocal(body: BodyInfo, name: string, span: Span, ty: Ty, diags: Diagnostic[], ctx: Ctx): LocalInfo {
  const prev = body.localByName.get(name);
  if (prev !== undefined) {
    // Locals belong to the whole body (one frame per thread), not to the enclosing block.
    diags.push(
      error(
        'MM216',
        span,
        `duplicate local '${name}'`,
        `'${name}' is already declared at ${formatLine(ctx.spec.sources, prev.span)}; a local belongs to the whole ${body.kind}, not to its block`,
      ),
    );
  } else if (ctx.spec.globals.has(name) || ctx.spec.consts.has(name)) {
    diags.push(warning('MM217', span, `local '${name}' shadows a global of the same name`));
  }
  const info: LocalInfo = { name, ty, index: body.locals.length, span, used: false };
  if (prev === undefined) {
    body.locals.push(info);
    body.localByName.set(name, info);
  }
  return prev ?? info;
}

/** The type of an assignment target: the parser has rejected targets that are not a
 * variable, a field or an element (MM016). */
function checkLvalue(e: Expr, ctx: Ctx): Ty {
  if (e.kind === 'name') {
    const sym = ctx.body?.localByName.get(e.name);
    if (sym === undefined && (ctx.spec.consts.has(e.name) || isEnumMember(ctx.spec, e.name))) {
      ctx.diags.push(
        error(
          'MM218',
          e.span,
          `cannot assign to constant '${e.name}'`,
          'a value that changes must be a `shared`, `ghost` or `local` variable',
        ),
      );
      return ERROR;
    }
  }
  const t = checkExpr(e, ctx);
  if (t.k === 'sync') {
    const how = t.prim === 'atomic' ? 'use atomic_set()' : `use the ${t.prim} built-ins`;
    ctx.diags.push(error('MM219', e.span, `cannot assign to ${withArticle(t.prim)}`, how));
    return ERROR;
  }
  if (t.k === 'array') {
    ctx.diags.push(error('MM220', e.span, 'cannot assign a whole array', 'assign its elements one by one'));
    return ERROR;
  }
  return t;
}
