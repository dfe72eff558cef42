// The .mmspec parser: text → SpecFile + Diagnostics. Recursive descent over the lexer's
// tokens; declarations here, scenarios in parse-scenario.ts, statements in parse-stmt.ts,
// expressions and types in parse-expr.ts. It never throws: a declaration that fails to
// parse is reported once and skipped up to the next declaration keyword, so one run
// reports every independent error.
import type { Decl, Expr, Param, Span, SpecFile } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import {
  acceptPunct,
  atEof,
  type Cursor,
  describe,
  expectName,
  expectPunct,
  expectSemicolon,
  expectString,
  isDeclStart,
  isPunct,
  isWord,
  lineOf,
  newCursor,
  next,
  peek,
  prev,
  report,
  spanFrom,
  typeFirstHint,
} from './parse-cursor.js';
import { parseCondition, parseExpr, parseType } from './parse-expr.js';
import { parseItems, parseScenario } from './parse-scenario.js';
import { parseBlock } from './parse-stmt.js';

export function parse(text: string, file: number): { spec: SpecFile; diagnostics: Diagnostic[] } {
  const lexed = lex(text, file);
  const p = newCursor(text, file, lexed.tokens, lexed.diagnostics);
  const decls: Decl[] = [];
  while (!atEof(p)) {
    if (acceptPunct(p, ';')) continue;
    const start = p.pos;
    const d = parseDecl(p);
    if (d !== undefined) decls.push(d);
    if (d === undefined || p.tooDeep) {
      p.tooDeep = false;
      p.depth = 0;
      skipToDecl(p, start);
    }
  }
  const diagnostics = [...lexed.diagnostics, ...p.diagnostics].sort((a, b) => a.span.start - b.span.start);
  return { spec: { file, decls }, diagnostics };
}

function skipToDecl(p: Cursor, start: number): void {
  if (p.pos === start) next(p);
  while (!atEof(p) && !isDeclStart(peek(p))) next(p);
}

function parseDecl(p: Cursor): Decl | undefined {
  const t = peek(p);
  if (t.kind === 'keyword') {
    switch (t.text) {
      case 'spec': {
        next(p);
        const title = expectString(p);
        if (title === undefined) return undefined;
        acceptPunct(p, ';');
        return { kind: 'spec', title: title.text, span: spanFrom(p, t.span) };
      }
      case 'import': {
        next(p);
        const path = expectString(p);
        if (path === undefined || !expectSemicolon(p, 'declaration')) return undefined;
        return { kind: 'import', path: path.text, pathSpan: path.span, span: spanFrom(p, t.span) };
      }
      case 'const':
        return parseConst(p);
      case 'enum':
        return parseEnum(p);
      case 'struct':
        return parseStruct(p);
      case 'pool':
        return parsePool(p);
      case 'shared':
      case 'ghost':
        return parseGlobal(p);
      case 'init': {
        next(p);
        const b = parseBlock(p, "after 'init'");
        return b && { kind: 'init', body: b.body, span: spanFrom(p, t.span) };
      }
      case 'thread':
      case 'fn':
        return parseRoutine(p);
      case 'invariant':
      case 'final':
        return parseProperty(p);
      case 'scenario':
        return parseScenario(p);
    }
  }
  // `int counter = 0;` is a C global: name the .mmspec form rather than talk about statements.
  const after = peek(p, 1);
  const hint = isPunct(t, '}')
    ? "this '}' has no matching '{'"
    : t.kind === 'ident' && after.kind === 'ident'
      ? `declare a global as \`shared ${after.text}: ${t.text};\``
      : t.kind === 'ident' || t.kind === 'keyword'
        ? "statements belong inside an 'init', 'thread' or 'fn' body"
        : undefined;
  report(p, 'MM010', t.span, `expected declaration, found ${describe(t)}`, hint);
  return undefined;
}

function parseConst(p: Cursor): Decl | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined || expectPunct(p, '=', 'after constant name') === undefined) return undefined;
  const value = parseExpr(p);
  if (value === undefined || !expectSemicolon(p, 'declaration')) return undefined;
  return { kind: 'const', name: name.text, nameSpan: name.span, value, span: spanFrom(p, kw.span) };
}

function parseEnum(p: Cursor): Decl | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined || expectPunct(p, '{', 'after enum name') === undefined) return undefined;
  const members: { name: string; span: Span }[] = [];
  while (!acceptPunct(p, '}')) {
    const m = expectName(p);
    if (m === undefined) return undefined;
    members.push({ name: m.text, span: m.span });
    if (acceptPunct(p, ',')) continue;
    if (acceptPunct(p, '}')) break;
    report(p, 'MM010', peek(p).span, `expected ',' or '}' in enum, found ${describe(peek(p))}`);
    return undefined;
  }
  acceptPunct(p, ';');
  return { kind: 'enum', name: name.text, nameSpan: name.span, members, span: spanFrom(p, kw.span) };
}

function parseStruct(p: Cursor): Decl | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined) return undefined;
  type Protection = { kind: 'srcu'; domain: string; domainSpan: Span } | { kind: 'rcu' };
  let protectedBy: Protection | undefined;
  const t = peek(p);
  if (isWord(t, 'rcu_protected')) {
    next(p);
    protectedBy = { kind: 'rcu' };
  } else if (isWord(t, 'srcu_protected')) {
    next(p);
    if (expectPunct(p, '(', "after 'srcu_protected'") === undefined) return undefined;
    const domain = expectName(p);
    if (domain === undefined || expectPunct(p, ')', 'after SRCU domain') === undefined) return undefined;
    protectedBy = { kind: 'srcu', domain: domain.text, domainSpan: domain.span };
  }
  const open = expectPunct(p, '{', 'after struct name');
  if (open === undefined) return undefined;
  const fields: Extract<Decl, { kind: 'struct' }>['fields'] = [];
  parseItems(p, open, () => {
    const f = expectName(p);
    if (f === undefined || expectPunct(p, ':', 'after field name') === undefined) return false;
    const type = parseType(p);
    if (type === undefined || !expectSemicolon(p, 'field')) return false;
    fields.push({ name: f.text, nameSpan: f.span, type, span: spanFrom(p, f.span) });
    return true;
  });
  acceptPunct(p, ';');
  const span = spanFrom(p, kw.span);
  return protectedBy === undefined
    ? { kind: 'struct', name: name.text, nameSpan: name.span, fields, span }
    : { kind: 'struct', name: name.text, nameSpan: name.span, protectedBy, fields, span };
}

function parsePool(p: Cursor): Decl | undefined {
  const kw = next(p);
  const type = expectName(p);
  if (type === undefined || expectPunct(p, '[', 'after pool type') === undefined) return undefined;
  const size = parseExpr(p);
  if (size === undefined || expectPunct(p, ']', 'after pool size') === undefined) return undefined;
  // `pool T[N] typesafe_by_rcu;`: a SLAB_TYPESAFE_BY_RCU cache (docs/language.md).
  const typesafe = isWord(peek(p), 'typesafe_by_rcu');
  if (typesafe) next(p);
  if (!expectSemicolon(p, 'declaration')) return undefined;
  const span = spanFrom(p, kw.span);
  return typesafe
    ? { kind: 'pool', type: type.text, typeSpan: type.span, size, typesafeByRcu: true, span }
    : { kind: 'pool', type: type.text, typeSpan: type.span, size, span };
}

function parseGlobal(p: Cursor): Decl | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined || expectPunct(p, ':', 'after variable name', typeFirstHint(p, name, kw.text)) === undefined)
    return undefined;
  const type = parseType(p);
  if (type === undefined) return undefined;
  let init: Expr | undefined;
  if (acceptPunct(p, '=')) {
    init = parseExpr(p);
    if (init === undefined) return undefined;
  }
  if (!expectSemicolon(p, 'declaration')) return undefined;
  const ghost = kw.text === 'ghost';
  const span = spanFrom(p, kw.span);
  return init === undefined
    ? { kind: 'global', ghost, name: name.text, nameSpan: name.span, type, span }
    : { kind: 'global', ghost, name: name.text, nameSpan: name.span, type, init, span };
}

/** `thread NAME(params) { … }` and `fn NAME(params) [: type] { … }`. */
function parseRoutine(p: Cursor): Decl | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined) return undefined;
  const params = parseParams(p);
  if (params === undefined) return undefined;
  if (kw.text === 'thread') {
    const b = parseBlock(p, 'to start the body');
    return (
      b && { kind: 'thread', name: name.text, nameSpan: name.span, params, body: b.body, span: spanFrom(p, kw.span) }
    );
  }
  const returns = acceptPunct(p, ':') ? parseType(p) : undefined;
  if (isPunct(prev(p), ':') && returns === undefined) return undefined;
  const b = parseBlock(p, 'to start the body');
  if (b === undefined) return undefined;
  const base = {
    kind: 'fn' as const,
    name: name.text,
    nameSpan: name.span,
    params,
    body: b.body,
    span: spanFrom(p, kw.span),
  };
  return returns === undefined ? base : { ...base, returns };
}

function parseParams(p: Cursor): Param[] | undefined {
  if (expectPunct(p, '(', 'after name') === undefined) return undefined;
  const params: Param[] = [];
  if (acceptPunct(p, ')')) return params;
  for (;;) {
    const name = expectName(p);
    if (name === undefined || expectPunct(p, ':', 'after parameter name', typeFirstHint(p, name)) === undefined)
      return undefined;
    const type = parseType(p);
    if (type === undefined) return undefined;
    params.push({ name: name.text, nameSpan: name.span, type, span: spanFrom(p, name.span) });
    if (acceptPunct(p, ',')) continue;
    if (acceptPunct(p, ')')) return params;
    report(p, 'MM010', peek(p).span, `expected ',' or ')' in parameter list, found ${describe(peek(p))}`);
    return undefined;
  }
}

/** The anonymous conditions' names given so far in a file. */
const ANONYMOUS = new WeakMap<Cursor, Set<string>>();

/**
 * `invariant NAME: cond;` and `final NAME: cond;`, or anonymous, `invariant cond;`: named by
 * its line then, `invariant@12` (with the column too if one line has two of a kind).
 */
function parseProperty(p: Cursor): Decl | undefined {
  const kw = next(p);
  const kind = kw.text as 'invariant' | 'final';
  const named = peek(p).kind === 'ident' && isPunct(peek(p, 1), ':');
  const name = named ? next(p) : undefined;
  if (name !== undefined) next(p);
  const cond = parseCondition(p);
  if (cond === undefined || !expectSemicolon(p, 'declaration')) return undefined;
  if (name !== undefined) return { kind, name: name.text, nameSpan: name.span, cond, span: spanFrom(p, kw.span) };
  const line = lineOf(p, kw.span.start);
  const at = `${kind}@${line}`;
  const seen = ANONYMOUS.get(p) ?? new Set<string>();
  ANONYMOUS.set(p, seen);
  const taken = seen.has(at);
  seen.add(at);
  const col = kw.span.start - p.text.lastIndexOf('\n', kw.span.start - 1);
  return { kind, name: taken ? `${at}:${col}` : at, nameSpan: kw.span, cond, span: spanFrom(p, kw.span) };
}
