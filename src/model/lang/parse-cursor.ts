// The parser's position in the token stream, and the error-reporting rules shared by the
// expression, statement and declaration parsers.
import type { Span } from './ast.js';
import type { DiagnosticCode } from './diagnostic-codes.js';
import { type Diagnostic, error, lineCol } from './diagnostics.js';
import type { Token } from './lexer.js';

/** Deeper nesting than this is reported instead of recursed into, so no input overflows the stack. */
export const MAX_NESTING = 200;

/** Keywords that only start a top-level declaration: seeing one inside a body means it ended. */
export const DECL_KEYWORDS: ReadonlySet<string> = new Set([
  'spec',
  'import',
  'const',
  'enum',
  'struct',
  'pool',
  'shared',
  'ghost',
  'init',
  'thread',
  'fn',
  'invariant',
  'final',
  'scenario',
]);

export interface Cursor {
  text: string;
  file: number;
  tokens: Token[];
  pos: number;
  diagnostics: Diagnostic[];
  depth: number;
  /** Set when nesting passed MAX_NESTING: everything unwinds silently to the top level. */
  tooDeep: boolean;
  /** Start offset of the last reported error; a second error at the same token is a cascade. */
  lastErrorAt: number;
  /** Sorted start offsets of the lexer's diagnostics. */
  lexErrors: number[];
}

export function newCursor(text: string, file: number, tokens: Token[], lexDiagnostics: Diagnostic[]): Cursor {
  return {
    text,
    file,
    tokens,
    pos: 0,
    diagnostics: [],
    depth: 0,
    tooDeep: false,
    lastErrorAt: -1,
    lexErrors: lexDiagnostics.map((d) => d.span.start).sort((a, b) => a - b),
  };
}

export function peek(p: Cursor, ahead = 0): Token {
  const last = p.tokens.length - 1;
  return p.tokens[Math.min(p.pos + ahead, last)] as Token;
}

/** Consume the current token (the eof token is never consumed). */
export function next(p: Cursor): Token {
  const t = peek(p);
  if (t.kind !== 'eof') p.pos++;
  return t;
}

/** The last consumed token, for the end of a span. */
export function prev(p: Cursor): Token {
  return p.tokens[Math.max(p.pos - 1, 0)] as Token;
}

export function isPunct(t: Token, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}
export function isKeyword(t: Token, text: string): boolean {
  return t.kind === 'keyword' && t.text === text;
}
/** A contextual keyword (`in`, `or`, `expect`, …): an identifier with that spelling. */
export function isWord(t: Token, text: string): boolean {
  return t.kind === 'ident' && t.text === text;
}
export function atEof(p: Cursor): boolean {
  return peek(p).kind === 'eof';
}
export function isDeclStart(t: Token): boolean {
  return t.kind === 'keyword' && DECL_KEYWORDS.has(t.text);
}

export function acceptPunct(p: Cursor, text: string): Token | undefined {
  return isPunct(peek(p), text) ? next(p) : undefined;
}

export function spanFrom(p: Cursor, start: Span): Span {
  return { file: p.file, start: start.start, end: Math.max(prev(p).span.end, start.end) };
}

export function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** How a token reads in a message: `'x'`, `string literal`, `end of file`. */
export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'string') return 'string literal';
  return `'${t.text}'`;
}

/**
 * Report an error. Silent when it would only be a consequence of an earlier one: a second
 * error at the same token, anything after "nesting too deep", or anything right after a
 * lexer error (a skipped character or an unterminated string leaves the tokens around it
 * looking wrong: that is one mistake, already reported).
 */
export function report(p: Cursor, code: DiagnosticCode, span: Span, message: string, hint?: string): void {
  if (p.tooDeep || span.start === p.lastErrorAt) return;
  p.lastErrorAt = span.start;
  const from = Math.min(prev(p).span.start, span.start);
  if (lexErrorBetween(p, from, Math.max(span.end, peek(p).span.start))) return;
  p.diagnostics.push(error(code, span, message, hint));
}

function lexErrorBetween(p: Cursor, from: number, to: number): boolean {
  let lo = 0;
  let hi = p.lexErrors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((p.lexErrors[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < p.lexErrors.length && (p.lexErrors[lo] as number) <= to;
}

/** `expected 'X' <context>, found 'Y'` at the current token. */
export function expectPunct(p: Cursor, text: string, context?: string, hint?: string): Token | undefined {
  const t = peek(p);
  if (isPunct(t, text)) return next(p);
  report(
    p,
    'MM010',
    t.span,
    `expected '${text}'${context === undefined ? '' : ` ${context}`}, found ${describe(t)}`,
    hint,
  );
  return undefined;
}

/**
 * A name. A reserved word used as a name (`shared init: int;`) is reported and then taken
 * as the name when punctuation follows it, so the declaration still parses; otherwise the
 * keyword probably starts something new (`local` on its own line before `thread`).
 */
export function expectName(p: Cursor): Token | undefined {
  const t = peek(p);
  if (t.kind === 'ident') return next(p);
  const reserved = t.kind === 'keyword';
  report(
    p,
    'MM010',
    t.span,
    `expected name, found ${describe(t)}`,
    reserved ? `'${t.text}' is a reserved word` : undefined,
  );
  return reserved && peek(p, 1).kind === 'punct' ? next(p) : undefined;
}

export function expectString(p: Cursor): Token | undefined {
  const t = peek(p);
  if (t.kind === 'string') return next(p);
  report(p, 'MM010', t.span, `expected string, found ${describe(t)}`);
  return undefined;
}

/**
 * The `;` that ends a statement or declaration. When it is missing but the statement clearly
 * ended (the next token is on a later line, closes the block, or starts a declaration) the
 * error is reported and parsing goes on as if it were there; otherwise the caller recovers.
 */
export function expectSemicolon(p: Cursor, after: 'statement' | 'declaration' | 'field' | 'thread'): boolean {
  const t = peek(p);
  if (isPunct(t, ';')) {
    next(p);
    return true;
  }
  report(p, 'MM011', t.span, `expected ';' after ${after}, found ${describe(t)}`);
  const newLine = p.text.slice(prev(p).span.end, t.span.start).includes('\n');
  return newLine || t.kind === 'eof' || isPunct(t, '}') || isDeclStart(t);
}

/** Enter one level of nesting; false (after one "nesting too deep") when the cap is reached. */
export function enter(p: Cursor): boolean {
  if (p.tooDeep) return false;
  if (p.depth >= MAX_NESTING) {
    report(
      p,
      'MM019',
      peek(p).span,
      'nesting too deep',
      `at most ${MAX_NESTING} levels of nested blocks, statements or parentheses are supported`,
    );
    p.tooDeep = true;
    return false;
  }
  p.depth++;
  return true;
}

export function leave(p: Cursor): void {
  p.depth--;
}

/** The 1-based line of an offset, for hints that point back at an opening brace. */
export function lineOf(p: Cursor, offset: number): number {
  return lineCol(p.text, offset).line;
}

/**
 * `local int i;` / `shared spinlock l;` / `fn f(int a)`: the C order, type before name. The
 * parser took the type for the name and now sees another name where ':' should be.
 */
const TYPE_WORDS: ReadonlySet<string> = new Set([
  'int',
  'bool',
  'ref',
  'atomic',
  'spinlock',
  'rwsem',
  'mutex',
  'seqcount',
  'srcu',
]);

export function typeFirstHint(p: Cursor, name: Token, keyword?: string): string | undefined {
  const t = peek(p);
  // Only when the "name" is a built-in type word: `a int` is a missing ':', not C order.
  if (t.kind !== 'ident' || !TYPE_WORDS.has(name.text) || TYPE_WORDS.has(t.text)) return undefined;
  const prefix = keyword === undefined ? '' : `${keyword} `;
  // `ref vma v`: the real name is one token further on.
  const after = peek(p, 1);
  if (name.text === 'ref' && after.kind === 'ident')
    return `the name comes first: \`${prefix}${after.text}: ref ${t.text}\``;
  return `the name comes first: \`${prefix}${t.text}: ${name.text}\``;
}
