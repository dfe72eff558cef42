// Kernel C as written, in statements: compound assignments and `++` become assignments;
// the C forms that stay unsupported (a C declaration, a C for loop) are reported with the
// .mmspec form and skipped whole, so that they cause no further errors.
import type { BinaryOp, Expr, Span, Stmt } from './ast.js';
import {
  acceptPunct,
  atEof,
  type Cursor,
  cover,
  expectSemicolon,
  isKeyword,
  isPunct,
  next,
  peek,
  report,
  spanFrom,
} from './parse-cursor.js';
import { parseExpr, reportIncrement } from './parse-expr.js';

const C_INT_TYPES = new Set(
  'int long short char unsigned signed u8 u16 u32 u64 s8 s16 s32 s64 size_t ssize_t pgoff_t loff_t atomic_t'.split(' '),
);

/**
 * At a C declaration (`int x = 0;`, `unsigned long n;`, `struct vma *v;`, `pte_t *pte;`): the
 * .mmspec local it means, e.g. `local v: ref vma;`; undefined elsewhere. Two names in a row
 * start no statement, so this never mistakes a statement for a declaration.
 */
export function cDeclaration(p: Cursor): string | undefined {
  let i = 0;
  if (isKeyword(peek(p), 'struct')) i++;
  const words: string[] = [];
  while (peek(p, i).kind === 'ident' && (words.length === 0 || C_INT_TYPES.has(peek(p, i).text))) {
    words.push(peek(p, i).text);
    i++;
    if (!C_INT_TYPES.has(words[0]!)) break;
  }
  let pointer = false;
  while (isPunct(peek(p, i), '*')) {
    pointer = true;
    i++;
  }
  const name = peek(p, i);
  const after = peek(p, i + 1);
  if (words.length === 0 || name.kind !== 'ident') return undefined;
  // `a b;` is more often a lost operator (or a character the lexer dropped) than a local.
  const base = words[0]!;
  if (!pointer && i === words.length && !(C_INT_TYPES.has(base) || base === 'bool' || base.endsWith('_t')))
    return undefined;
  if (!(isPunct(after, ';') || isPunct(after, '=') || isPunct(after, ',') || isPunct(after, '['))) return undefined;
  const ty = pointer ? `ref ${base}` : base === 'bool' ? 'bool' : C_INT_TYPES.has(base) ? 'int' : base;
  return `local ${name.text}: ${ty};`;
}

/** Report the C declaration at the cursor and skip it (a leading `struct` would stop parseStmt's skip). */
export function skipCDeclaration(p: Cursor): Stmt {
  const t = peek(p);
  report(p, 'MM033', t.span, 'C-style declaration', `declare locals with \`${cDeclaration(p)}\``);
  while (!atEof(p) && !isPunct(peek(p), ';') && !isPunct(peek(p), '}')) next(p);
  acceptPunct(p, ';');
  return { kind: 'skip', span: spanFrom(p, t.span) };
}

/** `for (...)`, the `(` being the current token: reported, and skipped past its header. */
export function skipCFor(p: Cursor): undefined {
  report(
    p,
    'MM034',
    peek(p).span,
    'C-style for loop',
    'write `for i in 0..n { ... }` (i = 0, 1, ..., n - 1), or a `while (c) { ... }` loop',
  );
  // Past the header, whose `;`s would otherwise end parseStmt's skip early; the body is skipped after.
  for (let depth = 0; !atEof(p); ) {
    const t = next(p);
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')') && --depth === 0) break;
  }
  return undefined;
}

/** C's compound assignments: `x op= e` is `x = x op e`, one statement and one step. */
export const COMPOUND: ReadonlyMap<string, BinaryOp> = new Map([
  ['+=', '+'],
  ['-=', '-'],
  ['*=', '*'],
  ['/=', '/'],
  ['%=', '%'],
  ['&=', '&'],
  ['|=', '|'],
  ['^=', '^'],
  ['<<=', '<<'],
  ['>>=', '>>'],
] as const);

/** `target op= value` (and `target++`) as the assignment `target = target op value`. */
export function compound(p: Cursor, target: Expr, op: BinaryOp, value: Expr, written: string, start: Span): Stmt {
  // The target is read as well as written: a copy, so that every node stays one place in the tree.
  const read = structuredClone(target);
  const sum: Expr = { kind: 'binary', op, left: read, right: value, span: cover(target.span, value.span) };
  return { kind: 'assign', target, value: sum, span: spanFrom(p, start), op: written };
}

function isLvalue(e: Expr): boolean {
  return e.kind === 'name' || e.kind === 'field' || e.kind === 'index';
}

export function reportBadTarget(p: Cursor, e: Expr): void {
  if (!isLvalue(e)) {
    report(
      p,
      'MM016',
      e.span,
      'invalid assignment target',
      'only a variable, a field or an array element can be assigned',
    );
  }
}

/** `lvalue = expr;`, `lvalue op= expr;`, `lvalue++;` (or `++lvalue;`) or `call(args);`. */
export function parseExprStmt(p: Cursor): Stmt | undefined {
  const start = peek(p).span;
  const prefix = acceptPunct(p, '++') ?? acceptPunct(p, '--');
  const e = parseExpr(p);
  if (e === undefined) return undefined;
  const t = peek(p);
  const step = prefix ?? (isPunct(t, '++') || isPunct(t, '--') ? next(p) : undefined);
  if (step !== undefined) {
    reportBadTarget(p, e);
    if (!expectSemicolon(p, 'statement')) return undefined;
    const one: Expr = { kind: 'int', value: 1, span: step.span };
    return compound(p, e, step.text === '++' ? '+' : '-', one, step.text, start);
  }
  const op = COMPOUND.get(t.text);
  if (t.kind === 'punct' && (t.text === '=' || op !== undefined)) {
    next(p);
    const value = parseExpr(p);
    if (value === undefined) return undefined;
    reportBadTarget(p, e);
    if (isPunct(peek(p), '++') || isPunct(peek(p), '--')) {
      reportIncrement(p, peek(p));
      return undefined;
    }
    if (!expectSemicolon(p, 'statement')) return undefined;
    if (op !== undefined) return compound(p, e, op, value, t.text, start);
    return { kind: 'assign', target: e, value, span: spanFrom(p, start) };
  }
  if (e.kind !== 'call') {
    const hint = e.kind === 'binary' && e.op === '==' ? "did you mean '='?" : undefined;
    report(p, 'MM017', e.span, 'only a call can be used as a statement', hint);
    if (!acceptPunct(p, ';')) return undefined;
    return { kind: 'expr', expr: e, span: spanFrom(p, start) };
  }
  if (!expectSemicolon(p, 'statement')) return undefined;
  return { kind: 'expr', expr: e, span: spanFrom(p, start) };
}
