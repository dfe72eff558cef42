// The .mmspec lexer: text → tokens. It never fails: bad input becomes a Diagnostic plus the
// most useful token it can still produce, so the parser sees a well-formed stream.
import type { Span } from './ast.js';
import { type Diagnostic, error } from './diagnostics.js';

export type TokenKind = 'ident' | 'int' | 'string' | 'punct' | 'keyword' | 'eof';

/**
 * One token. `text` is the source text, except for strings, whose `text` is the decoded
 * contents (escapes applied, quotes dropped); `value` is set on ints only.
 */
export interface Token {
  kind: TokenKind;
  text: string;
  value?: number;
  span: Span;
}

/** Reserved everywhere: never an identifier. */
export const KEYWORDS: ReadonlySet<string> = new Set([
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
  'local',
  'if',
  'else',
  'while',
  'for',
  'goto',
  'return',
  'break',
  'continue',
  'await',
  'choose',
  'either',
  'assert',
  'BUG_ON',
  'invariant',
  'final',
  'scenario',
  'alloc',
  'null',
  'true',
  'false',
]);

// Longer punctuation is tried first, so `..` wins over `.`, `=>` over `=` and `<<=` over `<<`.
// The C forms (`->`, `++`, `+=`, `&`, `<<`, ...) are there so kernel code reads as written.
const PUNCT3: ReadonlySet<string> = new Set(['<<=', '>>=']);
const PUNCT2: ReadonlySet<string> = new Set([
  '..',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '=>',
  '->',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '<<',
  '>>',
]);
const PUNCT1 = '{}()[];:,.=<>+-*/%!&|^~';

export function lex(text: string, file: number): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const span = (start: number, end: number): Span => ({ file, start, end });
  let i = 0;
  // Start of a run of unexpected characters; a run is reported once, not once per character.
  let junkStart = -1;
  const flushJunk = (): void => {
    if (junkStart < 0) return;
    diagnostics.push(unexpectedCharacter(text, span(junkStart, i)));
    junkStart = -1;
  };

  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      flushJunk();
      i++;
      continue;
    }
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      flushJunk();
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      flushJunk();
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        diagnostics.push(error('MM002', span(i, i + 2), 'unterminated block comment', "add '*/' to close it"));
        i = text.length;
      } else {
        i = close + 2;
      }
      continue;
    }
    if (isIdentStart(c)) {
      flushJunk();
      const start = i;
      while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, span: span(start, i) });
      continue;
    }
    if (isDigit(c)) {
      flushJunk();
      i = lexNumber(text, i, span, tokens, diagnostics);
      continue;
    }
    if (c === 0x22 /* " */) {
      flushJunk();
      i = lexString(text, i, span, tokens, diagnostics);
      continue;
    }
    const three = text.slice(i, i + 3);
    if (PUNCT3.has(three)) {
      flushJunk();
      tokens.push({ kind: 'punct', text: three, span: span(i, i + 3) });
      i += 3;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      flushJunk();
      tokens.push({ kind: 'punct', text: two, span: span(i, i + 2) });
      i += 2;
      continue;
    }
    if (PUNCT1.includes(text[i] as string)) {
      flushJunk();
      tokens.push({ kind: 'punct', text: text[i] as string, span: span(i, i + 1) });
      i++;
      continue;
    }
    if (junkStart < 0) junkStart = i;
    i += (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
  }
  flushJunk();
  tokens.push({ kind: 'eof', text: '', span: span(text.length, text.length) });
  return { tokens, diagnostics };
}

function unexpectedCharacter(text: string, at: Span): Diagnostic {
  const cp = text.codePointAt(at.start) as number;
  const ch = String.fromCodePoint(cp);
  // Control and invisible characters are named by code point: quoting them would print nothing.
  const shown = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)
    ? `'${ch}'`
    : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const hint =
    ch === '?'
      ? 'there is no conditional operator: write `if (c) x = a; else x = b;`'
      : ch === "'"
        ? 'there are no character literals: use an int or an enum member'
        : undefined;
  return error('MM001', at, `unexpected character ${shown}`, hint);
}

function lexNumber(
  text: string,
  start: number,
  span: (s: number, e: number) => Span,
  tokens: Token[],
  diagnostics: Diagnostic[],
): number {
  let i = start;
  let value: number;
  let ok: boolean;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    i += 2;
    const digitsStart = i;
    while (i < text.length && isHexDigit(text.charCodeAt(i))) i++;
    ok = i > digitsStart;
    value = ok ? Number.parseInt(text.slice(digitsStart, i), 16) : 0;
  } else {
    const intStart = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const intPart = text.slice(intStart, i);
    let frac = '';
    // A '.' is a decimal point only when a digit follows, so `0..2` stays INT DOTDOT INT.
    if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
      const fracStart = ++i;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      frac = text.slice(fracStart, i);
    }
    let exp = 0;
    if (text[i] === 'e' || text[i] === 'E') {
      const sign = text[i + 1] === '-' || text[i + 1] === '+' ? 1 : 0;
      if (isDigit(text.charCodeAt(i + 1 + sign))) {
        const expStart = i + 1;
        i += 1 + sign;
        while (i < text.length && isDigit(text.charCodeAt(i))) i++;
        exp = Number(text.slice(expStart, i));
      }
    }
    ok = true;
    value = Number(text.slice(start, i));
    // Integrality is decided on the digits, not on the float: 5e-400 rounds to 0 but is not an integer.
    const digits = intPart + frac;
    const point = intPart.length + exp;
    if (point < digits.length && !/^0*$/.test(digits.slice(Math.max(point, 0)))) {
      const raw = text.slice(start, i);
      if (!isIdentPart(text.charCodeAt(i))) {
        diagnostics.push(error('MM006', span(start, i), `number literal '${raw}' is not an integer`));
        tokens.push({ kind: 'int', text: raw, value: 0, span: span(start, i) });
        return i;
      }
    }
  }
  // `12ab` or `0xfg`: swallow the whole word so the parser does not see a stray identifier.
  while (i < text.length && isIdentPart(text.charCodeAt(i))) {
    ok = false;
    i++;
  }
  const raw = text.slice(start, i);
  if (!ok) {
    diagnostics.push(error('MM005', span(start, i), `invalid number literal '${raw}'`));
    value = 0;
  } else if (!Number.isSafeInteger(value)) {
    diagnostics.push(error('MM007', span(start, i), `integer literal '${raw}' is too large`));
    value = 0;
  }
  tokens.push({ kind: 'int', text: raw, value, span: span(start, i) });
  return i;
}

function lexString(
  text: string,
  start: number,
  span: (s: number, e: number) => Span,
  tokens: Token[],
  diagnostics: Diagnostic[],
): number {
  let i = start + 1;
  let out = '';
  for (;;) {
    const c = text[i];
    // Strings do not span lines: stopping at the newline keeps the rest of the file lexable.
    if (c === undefined || c === '\n' || c === '\r') {
      diagnostics.push(
        error('MM003', span(start, i), 'unterminated string literal', "add '\"' before the end of the line"),
      );
      break;
    }
    if (c === '"') {
      i++;
      break;
    }
    if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined || e === '\n' || e === '\r') {
        i++;
        continue;
      }
      const escaped = e === '"' ? '"' : e === '\\' ? '\\' : e === 'n' ? '\n' : e === 't' ? '\t' : undefined;
      const width = (text.codePointAt(i + 1) as number) > 0xffff ? 2 : 1;
      if (escaped === undefined) {
        const seq = text.slice(i, i + 1 + width);
        diagnostics.push(
          error(
            'MM004',
            span(i, i + 1 + width),
            `unknown escape sequence '${seq}'`,
            'the escapes are \\" \\\\ \\n and \\t',
          ),
        );
        out += text.slice(i + 1, i + 1 + width);
      } else {
        out += escaped;
      }
      i += 1 + width;
      continue;
    }
    out += c;
    i++;
  }
  tokens.push({ kind: 'string', text: out, span: span(start, i) });
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xfeff;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
