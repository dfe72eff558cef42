// Expressions and types. Each function returns undefined after reporting an error; the
// statement or declaration that contains the expression decides how to recover.
import type { BinaryOp, Expr, FieldInit, Span, TypeExpr, UnaryOp } from './ast.js';
import type { Token } from './lexer.js';
import {
  acceptPunct,
  type Cursor,
  cover,
  describe,
  enter,
  expectName,
  expectPunct,
  isPunct,
  isWord,
  leave,
  MAX_NESTING,
  next,
  peek,
  report,
  spanFrom,
} from './parse-cursor.js';

// Heights of the expression trees built so far. Operator chains are parsed by loops, so
// `a && a && ...` or `a => a => ...` costs the parser no stack, but every later stage
// (checker, lowering, the compiled closures) recurses over the tree: a chain of a few
// thousand operators overflowed the checker's stack. parseExpr rejects a tree taller than
// MAX_NESTING, the same bound enter() puts on parentheses and blocks.
const heights = new WeakMap<Expr, number>();

function height(e: Expr): number {
  return heights.get(e) ?? 1;
}

/** Record e's height from its operands' and return it. */
function tall<E extends Expr>(e: E, ...kids: Expr[]): E {
  let h = 0;
  for (const k of kids) h = Math.max(h, height(k));
  heights.set(e, h + 1);
  return e;
}

/** The expression, or undefined after "expression too deeply nested" when it is too tall. */
function bounded(p: Cursor, e: Expr): Expr | undefined {
  if (height(e) <= MAX_NESTING) return e;
  report(
    p,
    'MM019',
    e.span,
    'expression too deeply nested',
    `at most ${MAX_NESTING} levels of operators, calls and brackets; split it with a local or an fn`,
  );
  p.tooDeep = true;
  return undefined;
}

// Binary operators from loosest to tightest, all left-associative, with C's precedence
// (so `x & 1 == 0` is `x & (1 == 0)`, a type error, as it is a bug in C); `=>` sits below
// them and is right-associative, so it is handled separately in parseExpr.
const LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

export function parseExpr(p: Cursor): Expr | undefined {
  // Iterative, so a long `a => b => c => …` chain costs no stack.
  const operands: Expr[] = [];
  for (;;) {
    const e = parseLevel(p, 0);
    if (e === undefined) return undefined;
    operands.push(e);
    if (!acceptPunct(p, '=>')) break;
  }
  let right = operands[operands.length - 1] as Expr;
  for (let i = operands.length - 2; i >= 0; i--) {
    const left = operands[i] as Expr;
    right = tall({ kind: 'binary', op: '=>', left, right, span: cover(left.span, right.span) }, left, right);
  }
  return bounded(p, right);
}

/**
 * An expression used as a condition. `=` here is almost always a typo for `==`; it is
 * reported and read as `==` so the rest of the statement still parses.
 */
export function parseCondition(p: Cursor): Expr | undefined {
  const left = parseExpr(p);
  if (left === undefined) return undefined;
  const eq = peek(p);
  if (!isPunct(eq, '=')) return left;
  report(p, 'MM015', eq.span, 'assignment in condition', "did you mean '=='?");
  next(p);
  const right = parseExpr(p);
  if (right === undefined) return undefined;
  return bounded(p, tall({ kind: 'binary', op: '==', left, right, span: cover(left.span, right.span) }, left, right));
}

function parseLevel(p: Cursor, level: number): Expr | undefined {
  if (level === LEVELS.length) return parseUnary(p);
  const ops = LEVELS[level] as readonly BinaryOp[];
  let left = parseLevel(p, level + 1);
  while (left !== undefined) {
    const t = peek(p);
    const op = ops.find((o) => isPunct(t, o));
    if (op === undefined) break;
    next(p);
    const right = parseLevel(p, level + 1);
    if (right === undefined) return undefined;
    left = tall({ kind: 'binary', op, left, right, span: cover(left.span, right.span) }, left, right);
  }
  return left;
}

function parseUnary(p: Cursor): Expr | undefined {
  const t = peek(p);
  const amp = isPunct(t, '&');
  if (!amp && !isPunct(t, '!') && !isPunct(t, '-') && !isPunct(t, '~')) return parsePostfix(p);
  if (!enter(p)) return undefined;
  next(p);
  const operand = parseUnary(p);
  leave(p);
  if (operand === undefined) return undefined;
  if (amp) return addressOf(p, t, operand);
  return tall({ kind: 'unary', op: t.text as UnaryOp, operand, span: cover(t.span, operand.span) }, operand);
}

/**
 * C's `&obj`, kept as a mark on the object (`addrOf`): `spin_lock(&v->lock)` reads as
 * written. Only a variable, field or element can carry it; the checker decides where.
 */
function addressOf(p: Cursor, amp: Token, operand: Expr): Expr | undefined {
  if (operand.kind !== 'name' && operand.kind !== 'field' && operand.kind !== 'index') {
    report(
      p,
      'MM030',
      cover(amp.span, operand.span),
      "'&' needs a variable or a field",
      'there are no pointers: `&` may only precede a sync object passed to a built-in, as in `spin_lock(&v->lock)`',
    );
    return undefined;
  }
  const e = { ...operand, addrOf: amp.span, span: cover(amp.span, operand.span) };
  heights.set(e, height(operand));
  return e;
}

function parsePostfix(p: Cursor): Expr | undefined {
  let e = parsePrimary(p);
  while (e !== undefined) {
    const t = peek(p);
    // `p->f` is `p.f`: a reference is the only way to reach a struct.
    if (isPunct(t, '.') || isPunct(t, '->')) {
      next(p);
      const f = peek(p);
      if (f.kind !== 'ident') {
        report(p, 'MM010', f.span, `expected field name after '${t.text}', found ${describe(f)}`);
        return undefined;
      }
      next(p);
      e = tall({ kind: 'field', object: e, field: f.text, fieldSpan: f.span, span: cover(e.span, f.span) }, e);
    } else if (isPunct(t, '[')) {
      if (!enter(p)) return undefined;
      next(p);
      const index = parseExpr(p);
      const inc = peek(p);
      if (index !== undefined && (isPunct(inc, '++') || isPunct(inc, '--'))) reportIncrement(p, inc);
      const close = index === undefined ? undefined : expectPunct(p, ']');
      leave(p);
      if (index === undefined || close === undefined) return undefined;
      e = tall({ kind: 'index', object: e, index, span: cover(e.span, close.span) }, e, index);
    } else if (isPunct(t, '(')) {
      report(p, 'MM018', t.span, 'only a named function can be called', 'call a function by its name: f(x)');
      return undefined;
    } else {
      break;
    }
  }
  return e;
}

function parsePrimary(p: Cursor): Expr | undefined {
  const t = peek(p);
  switch (t.kind) {
    case 'int':
      next(p);
      return { kind: 'int', value: t.value ?? 0, span: t.span };
    case 'ident':
      next(p);
      if (isPunct(peek(p), '(')) return parseCall(p, t);
      return { kind: 'name', name: t.text, span: t.span };
    case 'keyword':
      if (t.text === 'true' || t.text === 'false') {
        next(p);
        return { kind: 'bool', value: t.text === 'true', span: t.span };
      }
      if (t.text === 'null') {
        next(p);
        return { kind: 'null', span: t.span };
      }
      if (t.text === 'alloc') return parseAlloc(p);
      break;
    case 'punct':
      if (t.text === '(') return parseParenthesized(p);
      if (t.text === '*') {
        report(
          p,
          'MM031',
          t.span,
          "there is no '*' dereference",
          'a `ref T` reaches its object directly: write `p->f` or `p.f`, and `p` for the reference',
        );
        return undefined;
      }
      if (t.text === '++' || t.text === '--') {
        reportIncrement(p, t);
        return undefined;
      }
      break;
    case 'string':
    case 'eof':
      break;
  }
  report(p, 'MM010', t.span, `expected expression, found ${describe(t)}`);
  return undefined;
}

/** `++`/`--` where a value is wanted: C's `a[i++]` or `y = x++`. */
export function reportIncrement(p: Cursor, t: Token): void {
  report(
    p,
    'MM032',
    t.span,
    `'${t.text}' inside an expression`,
    `'${t.text}' is a statement of its own: write \`x${t.text};\` before or after`,
  );
}

function parseParenthesized(p: Cursor): Expr | undefined {
  if (!enter(p)) return undefined;
  const open = next(p);
  const inner = parseExpr(p);
  const close = inner === undefined ? undefined : expectPunct(p, ')');
  leave(p);
  if (inner === undefined || close === undefined) return undefined;
  // The parentheses belong to the expression's text, so its span grows to include them.
  const e = { ...inner, span: cover(open.span, close.span) };
  heights.set(e, height(inner));
  return e;
}

function parseCall(p: Cursor, callee: { text: string; span: Span }): Expr | undefined {
  const args = parseArgs(p);
  if (args === undefined) return undefined;
  return tall(
    { kind: 'call', callee: callee.text, calleeSpan: callee.span, args, span: spanFrom(p, callee.span) },
    ...args,
  );
}

/** `( expr, … )`, the current token being `(`. */
export function parseArgs(p: Cursor): Expr[] | undefined {
  if (!enter(p)) return undefined;
  const args = parseArgList(p);
  leave(p);
  return args;
}

function parseArgList(p: Cursor): Expr[] | undefined {
  if (expectPunct(p, '(') === undefined) return undefined;
  const args: Expr[] = [];
  if (acceptPunct(p, ')')) return args;
  for (;;) {
    const a = parseExpr(p);
    if (a === undefined) return undefined;
    args.push(a);
    if (acceptPunct(p, ',')) continue;
    if (acceptPunct(p, ')')) return args;
    report(p, 'MM010', peek(p).span, `expected ',' or ')' in argument list, found ${describe(peek(p))}`);
    return undefined;
  }
}

function parseAlloc(p: Cursor): Expr | undefined {
  const kw = next(p);
  const type = expectName(p);
  if (type === undefined) return undefined;
  const inits: FieldInit[] = [];
  // The init block is optional; `alloc T` alone leaves every field zero.
  if (isPunct(peek(p), '{')) {
    if (!enter(p)) return undefined;
    const ok = parseFieldInits(p, inits);
    leave(p);
    if (!ok) return undefined;
  }
  return tall(
    { kind: 'alloc', type: type.text, typeSpan: type.span, inits, span: spanFrom(p, kw.span) },
    ...inits.map((i) => i.value),
  );
}

function parseFieldInits(p: Cursor, inits: FieldInit[]): boolean {
  next(p);
  while (!acceptPunct(p, '}')) {
    const f = expectName(p);
    if (f === undefined || expectPunct(p, ':', 'after field name') === undefined) return false;
    const value = parseExpr(p);
    if (value === undefined) return false;
    inits.push({ field: f.text, fieldSpan: f.span, value });
    if (acceptPunct(p, ',')) continue;
    if (acceptPunct(p, '}')) return true;
    report(p, 'MM010', peek(p).span, `expected ',' or '}' in field initializers, found ${describe(peek(p))}`);
    return false;
  }
  return true;
}

/**
 * `int`, `bool`, `ref T`, a named type, then any number of `[size]`. As in C, the first
 * size is the outermost: `int[2][3]` is 2 arrays of `int[3]`, indexed `x[i][j]` with i < 2.
 */
export function parseType(p: Cursor): TypeExpr | undefined {
  const t = peek(p);
  let base: TypeExpr;
  if (isWord(t, 'int') || isWord(t, 'bool')) {
    next(p);
    base = { kind: t.text as 'int' | 'bool', span: t.span };
  } else if (isWord(t, 'ref')) {
    next(p);
    const target = expectName(p);
    if (target === undefined) return undefined;
    base = { kind: 'ref', target: target.text, span: cover(t.span, target.span) };
  } else if (t.kind === 'ident') {
    next(p);
    base = { kind: 'named', name: t.text, span: t.span };
  } else {
    report(p, 'MM010', t.span, `expected type, found ${describe(t)}`);
    return undefined;
  }
  const sizes: Expr[] = [];
  while (isPunct(peek(p), '[')) {
    if (!enter(p)) return undefined;
    next(p);
    const size = parseExpr(p);
    const close = size === undefined ? undefined : expectPunct(p, ']', 'after array size');
    leave(p);
    if (size === undefined || close === undefined) return undefined;
    sizes.push(size);
  }
  const span = spanFrom(p, t.span);
  let type = base;
  for (let i = sizes.length - 1; i >= 0; i--) type = { kind: 'array', elem: type, size: sizes[i] as Expr, span };
  return type;
}

/** Can this token start an expression? Used to tell "expected statement" from a bad expression. */
export function startsExpr(t: Token): boolean {
  if (t.kind === 'int' || t.kind === 'ident') return true;
  if (t.kind === 'keyword') return ['true', 'false', 'null', 'alloc'].includes(t.text);
  return t.kind === 'punct' && ['(', '!', '-', '~', '&', '*', '++', '--'].includes(t.text);
}
