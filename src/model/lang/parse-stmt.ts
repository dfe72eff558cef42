// Statements and blocks. A statement that fails to parse is reported once, skipped up to
// its `;` (or past its braces), and left out of the block, so the next one parses cleanly.
import type { Expr, Span, Stmt } from './ast.js';
import type { Token } from './lexer.js';
import { cDeclaration, parseExprStmt, reportBadTarget, skipCDeclaration, skipCFor } from './parse-c.js';
import {
  acceptPunct,
  type Cursor,
  describe,
  enter,
  expectName,
  expectPunct,
  expectSemicolon,
  expectString,
  isDeclStart,
  isKeyword,
  isPunct,
  isWord,
  leave,
  lineOf,
  next,
  peek,
  report,
  spanFrom,
  typeFirstHint,
} from './parse-cursor.js';
import { parseCondition, parseExpr, parseType, startsExpr } from './parse-expr.js';

/** `{ stmts }`, the `{` being the current token. Undefined only when there is no `{`. */
export function parseBlock(p: Cursor, context?: string): { body: Stmt[]; span: Span } | undefined {
  const open = expectPunct(p, '{', context);
  if (open === undefined) return undefined;
  const body: Stmt[] = [];
  for (;;) {
    const t = peek(p);
    if (p.tooDeep || endsBlock(t, p)) break;
    if (isKeyword(t, 'else')) {
      // A stray `else` is dropped and the statement after it parsed as usual. After
      // `if (...) { ... };` the culprit is the ';', which ended the if: say so.
      const [before, last] = body.slice(-2);
      const hint =
        last?.kind === 'skip' && before?.kind === 'if' && before.else === undefined
          ? "remove the ';' before 'else': it ends the 'if'"
          : undefined;
      report(p, 'MM013', t.span, "'else' without 'if'", hint);
      next(p);
      continue;
    }
    const before = p.pos;
    const s = parseStmt(p);
    if (s !== undefined) body.push(s);
    if (p.pos === before && !endsBlock(peek(p))) next(p);
  }
  const close = peek(p);
  if (isPunct(close, '}')) next(p);
  else
    report(
      p,
      'MM012',
      close.span,
      `expected '}', found ${describe(close)}`,
      `to close the '{' at line ${lineOf(p, open.span.start)}`,
    );
  return { body, span: spanFrom(p, open.span) };
}

/** A `}`, the end of the file, or a declaration keyword (a body cannot contain one). */
function endsBlock(t: Token, p?: Cursor): boolean {
  // `struct vma *v;` in a body is a C local, not the next declaration.
  if (p !== undefined && isKeyword(t, 'struct') && cDeclaration(p) !== undefined) return false;
  return t.kind === 'eof' || isPunct(t, '}') || isDeclStart(t);
}

/** One statement; undefined after an error, with the tokens up to the next statement skipped. */
export function parseStmt(p: Cursor): Stmt | undefined {
  const start = p.pos;
  if (!enter(p)) return undefined;
  const s = parseStmtKind(p, peek(p));
  leave(p);
  if (s === undefined && !p.tooDeep) skipStatement(p, start);
  return s;
}

/** A statement nested in another (a loop body, a branch): a failed one becomes a `skip`. */
function parseSubStmt(p: Cursor): Stmt | undefined {
  const from = peek(p).span;
  const s = parseStmt(p);
  if (s !== undefined || p.tooDeep) return s;
  return { kind: 'skip', span: spanFrom(p, from) };
}

/**
 * Skip to where the next statement starts: past a `;` or past a `{ … }` group at the failed
 * statement's own level, or up to a `}` that closes the enclosing block. Braces are counted
 * from the statement's first token, so an error inside `alloc T { … }` or inside an `if`
 * header skips the braces that follow rather than ending the block early.
 */
function skipStatement(p: Cursor, start: number): void {
  const errorAt = p.pos;
  let depth = 0;
  for (let i = start; i < p.tokens.length; i++) {
    const t = p.tokens[i] as Token;
    const reached = i >= errorAt;
    if (t.kind === 'eof' || (reached && isDeclStart(t))) {
      p.pos = i;
      return;
    }
    if (t.kind !== 'punct') continue;
    if (t.text === '{') {
      depth++;
    } else if (t.text === '}') {
      if (depth === 0) {
        if (reached) {
          p.pos = i;
          return;
        }
        continue;
      }
      depth--;
      const after = p.tokens[i + 1] as Token;
      // `} else {` and `} or {` continue the same statement.
      if (depth === 0 && reached && !isKeyword(after, 'else') && !isWord(after, 'or')) {
        p.pos = isPunct(after, ';') ? i + 2 : i + 1;
        return;
      }
    } else if (t.text === ';' && depth === 0 && reached) {
      p.pos = i + 1;
      return;
    }
  }
}

function parseStmtKind(p: Cursor, t: Token): Stmt | undefined {
  if (isPunct(t, '{')) {
    const b = parseBlock(p);
    return b && { kind: 'block', body: b.body, span: b.span };
  }
  if (isPunct(t, ';')) {
    next(p);
    return { kind: 'skip', span: t.span };
  }
  if (t.kind === 'keyword') {
    switch (t.text) {
      case 'local':
        return parseLocal(p);
      case 'if':
        return parseIf(p);
      case 'while':
        return parseWhile(p);
      case 'for':
        return parseFor(p);
      case 'goto':
        return parseGoto(p);
      case 'return':
        return parseReturn(p);
      case 'break':
      case 'continue': {
        next(p);
        if (!expectSemicolon(p, 'statement')) return undefined;
        return { kind: t.text, span: spanFrom(p, t.span) };
      }
      case 'await':
        return parseAwait(p);
      case 'choose':
        return parseChoose(p);
      case 'either':
        return parseEither(p);
      case 'assert':
      case 'BUG_ON':
        return parseAssert(p);
      case 'else':
        report(p, 'MM013', t.span, "'else' without 'if'");
        return undefined;
    }
  }
  if ((t.kind === 'ident' || isKeyword(t, 'struct')) && cDeclaration(p) !== undefined) return skipCDeclaration(p);
  if (t.kind === 'ident') {
    const after = peek(p, 1);
    if (isPunct(after, ':')) {
      next(p);
      next(p);
      return { kind: 'label', name: t.text, span: spanFrom(p, t.span) };
    }
    if (isWord(t, 'atomic') && isPunct(after, '{')) {
      next(p);
      const b = parseBlock(p, "after 'atomic'");
      return b && { kind: 'atomic', body: b.body, span: spanFrom(p, t.span) };
    }
    if (isWord(t, 'or') && isPunct(after, '{')) {
      report(p, 'MM014', t.span, "'or' without 'either'");
      return undefined;
    }
  }
  if (startsExpr(t)) return parseExprStmt(p);
  report(p, 'MM010', t.span, `expected statement, found ${describe(t)}`);
  return undefined;
}

function parseLocal(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined || expectPunct(p, ':', 'after variable name', typeFirstHint(p, name, 'local')) === undefined)
    return undefined;
  const type = parseType(p);
  if (type === undefined) return undefined;
  let init: Expr | undefined;
  if (acceptPunct(p, '=')) {
    init = parseExpr(p);
    if (init === undefined) return undefined;
  }
  if (!expectSemicolon(p, 'statement')) return undefined;
  const span = spanFrom(p, kw.span);
  return init === undefined
    ? { kind: 'local', name: name.text, nameSpan: name.span, type, span }
    : { kind: 'local', name: name.text, nameSpan: name.span, type, init, span };
}

/** `( cond )` after `if` or `while`. */
function parseParenCondition(p: Cursor, keyword: string): Expr | undefined {
  if (expectPunct(p, '(', `after '${keyword}'`) === undefined) return undefined;
  const cond = parseCondition(p);
  if (cond === undefined || expectPunct(p, ')', 'after condition') === undefined) return undefined;
  return cond;
}

function parseIf(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const cond = parseParenCondition(p, 'if');
  if (cond === undefined) return undefined;
  const then = parseSubStmt(p);
  if (then === undefined) return undefined;
  if (!isKeyword(peek(p), 'else')) return { kind: 'if', cond, then, span: spanFrom(p, kw.span) };
  next(p);
  const otherwise = parseSubStmt(p);
  if (otherwise === undefined) return undefined;
  return { kind: 'if', cond, then, else: otherwise, span: spanFrom(p, kw.span) };
}

function parseWhile(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const cond = parseParenCondition(p, 'while');
  if (cond === undefined) return undefined;
  const body = parseSubStmt(p);
  if (body === undefined) return undefined;
  return { kind: 'while', cond, body, span: spanFrom(p, kw.span) };
}

/** `in a .. b`, shared by `for` and `choose`. */
function parseRange(p: Cursor, context: string): { from: Expr; to: Expr } | undefined {
  const t = peek(p);
  if (!isWord(t, 'in')) {
    report(p, 'MM010', t.span, `expected 'in' ${context}, found ${describe(t)}`);
    return undefined;
  }
  next(p);
  const from = parseExpr(p);
  if (from === undefined || expectPunct(p, '..', 'in range') === undefined) return undefined;
  const to = parseExpr(p);
  return to && { from, to };
}

function parseFor(p: Cursor): Stmt | undefined {
  const kw = next(p);
  if (isPunct(peek(p), '(')) return skipCFor(p);
  const v = expectName(p);
  if (v === undefined) return undefined;
  const range = parseRange(p, 'after loop variable');
  if (range === undefined) return undefined;
  const body = parseSubStmt(p);
  if (body === undefined) return undefined;
  return {
    kind: 'for',
    var: v.text,
    varSpan: v.span,
    from: range.from,
    to: range.to,
    body,
    span: spanFrom(p, kw.span),
  };
}

function parseChoose(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const target = parseExpr(p);
  if (target === undefined) return undefined;
  reportBadTarget(p, target);
  const range = parseRange(p, "after 'choose' target");
  if (range === undefined || !expectSemicolon(p, 'statement')) return undefined;
  return { kind: 'choose', target, from: range.from, to: range.to, span: spanFrom(p, kw.span) };
}

function parseGoto(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const label = expectName(p);
  if (label === undefined || !expectSemicolon(p, 'statement')) return undefined;
  return { kind: 'goto', label: label.text, labelSpan: label.span, span: spanFrom(p, kw.span) };
}

function parseReturn(p: Cursor): Stmt | undefined {
  const kw = next(p);
  let value: Expr | undefined;
  if (startsExpr(peek(p))) {
    value = parseExpr(p);
    if (value === undefined) return undefined;
  }
  if (!expectSemicolon(p, 'statement')) return undefined;
  const span = spanFrom(p, kw.span);
  return value === undefined ? { kind: 'return', span } : { kind: 'return', value, span };
}

function parseAwait(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const cond = parseCondition(p);
  if (cond === undefined || !expectSemicolon(p, 'statement')) return undefined;
  return { kind: 'await', cond, span: spanFrom(p, kw.span) };
}

function parseEither(p: Cursor): Stmt | undefined {
  const kw = next(p);
  const first = parseBlock(p, "after 'either'");
  if (first === undefined) return undefined;
  const branches = [first.body];
  while (isWord(peek(p), 'or') && !p.tooDeep) {
    next(p);
    const b = parseBlock(p, "after 'or'");
    if (b === undefined) return undefined;
    branches.push(b.body);
  }
  if (branches.length === 1) {
    const t = peek(p);
    report(
      p,
      'MM010',
      t.span,
      `expected 'or' after 'either' block, found ${describe(t)}`,
      "'either' chooses between two or more blocks",
    );
  }
  return { kind: 'either', branches, span: spanFrom(p, kw.span) };
}

/** `assert(cond[, "message"]);` and `BUG_ON(cond);`. */
function parseAssert(p: Cursor): Stmt | undefined {
  const kw = next(p);
  if (expectPunct(p, '(', `after '${kw.text}'`) === undefined) return undefined;
  const cond = parseCondition(p);
  if (cond === undefined) return undefined;
  let message: string | undefined;
  if (kw.text === 'assert' && acceptPunct(p, ',')) {
    const m = expectString(p);
    if (m === undefined) return undefined;
    message = m.text;
  }
  if (expectPunct(p, ')', 'after condition') === undefined || !expectSemicolon(p, 'statement')) return undefined;
  const span = spanFrom(p, kw.span);
  if (kw.text === 'BUG_ON') return { kind: 'bug_on', cond, span };
  return message === undefined ? { kind: 'assert', cond, span } : { kind: 'assert', cond, message, span };
}
