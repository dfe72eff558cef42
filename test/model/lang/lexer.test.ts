import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lex, type Token } from '../../../src/model/lang/lexer.js';

function kinds(text: string): string[] {
  return lex(text, 0).tokens.map((t) => `${t.kind}:${t.text}`);
}

function only(text: string): Token {
  const { tokens, diagnostics } = lex(text, 0);
  assert.deepEqual(diagnostics, []);
  assert.equal(tokens.length, 2, `one token and eof in ${JSON.stringify(text)}`);
  return tokens[0] as Token;
}

function messages(text: string): { message: string; start: number; end: number; hint?: string }[] {
  return lex(text, 0).diagnostics.map((d) =>
    d.hint === undefined
      ? { message: d.message, start: d.span.start, end: d.span.end }
      : { message: d.message, start: d.span.start, end: d.span.end, hint: d.hint },
  );
}

test('identifiers, keywords and contextual keywords', () => {
  assert.deepEqual(kinds('spec BUG_ON alloc null x_1 _y in or expect atomic int ref bug_on'), [
    'keyword:spec',
    'keyword:BUG_ON',
    'keyword:alloc',
    'keyword:null',
    'ident:x_1',
    'ident:_y',
    'ident:in',
    'ident:or',
    'ident:expect',
    'ident:atomic',
    'ident:int',
    'ident:ref',
    'ident:bug_on',
    'eof:',
  ]);
});

test('every punctuation token, two-character ones preferred', () => {
  const all = '{ } ( ) [ ] ; : , . .. = == != < <= > >= + - * / % ! && || =>';
  assert.deepEqual(
    lex(all, 0)
      .tokens.filter((t) => t.kind === 'punct')
      .map((t) => t.text),
    all.split(' '),
  );
  assert.deepEqual(kinds('a<=b=>c'), ['ident:a', 'punct:<=', 'ident:b', 'punct:=>', 'ident:c', 'eof:']);
  assert.deepEqual(kinds('!==='), ['punct:!=', 'punct:==', 'eof:']);
});

test('0..2 lexes as INT DOTDOT INT', () => {
  const { tokens, diagnostics } = lex('0..2', 0);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    tokens.map((t) => [t.kind, t.text, t.value, t.span.start, t.span.end]),
    [
      ['int', '0', 0, 0, 1],
      ['punct', '..', undefined, 1, 3],
      ['int', '2', 2, 3, 4],
      ['eof', '', undefined, 4, 4],
    ],
  );
  assert.deepEqual(kinds('x.y'), ['ident:x', 'punct:.', 'ident:y', 'eof:']);
});

test('integer forms: decimal, hex, exponent', () => {
  assert.equal(only('42').value, 42);
  assert.equal(only('0x1F').value, 31);
  assert.equal(only('0XfF').value, 255);
  assert.equal(only('5e6').value, 5_000_000);
  assert.equal(only('5E+2').value, 500);
  assert.equal(only('50e-1').value, 5);
  assert.equal(only('1.5e1').value, 15);
  assert.equal(only('5e6').text, '5e6');
});

test('non-integer and malformed numbers are diagnosed and still give an int token', () => {
  assert.deepEqual(messages('1.5'), [{ message: "number literal '1.5' is not an integer", start: 0, end: 3 }]);
  assert.deepEqual(messages('x = 5e-1;'), [{ message: "number literal '5e-1' is not an integer", start: 4, end: 8 }]);
  assert.deepEqual(messages('5e-400'), [{ message: "number literal '5e-400' is not an integer", start: 0, end: 6 }]);
  assert.deepEqual(messages('0x'), [{ message: "invalid number literal '0x'", start: 0, end: 2 }]);
  assert.deepEqual(messages('0xfg'), [{ message: "invalid number literal '0xfg'", start: 0, end: 4 }]);
  assert.deepEqual(messages('12ab;'), [{ message: "invalid number literal '12ab'", start: 0, end: 4 }]);
  assert.deepEqual(messages('1e400'), [{ message: "integer literal '1e400' is too large", start: 0, end: 5 }]);
  assert.deepEqual(messages('99999999999999999999'), [
    { message: "integer literal '99999999999999999999' is too large", start: 0, end: 20 },
  ]);
  const t = lex('12ab', 0).tokens[0] as Token;
  assert.deepEqual([t.kind, t.value], ['int', 0]);
});

test('strings decode their escapes', () => {
  const t = only('"a\\"b\\\\c\\nd\\te"');
  assert.equal(t.kind, 'string');
  assert.equal(t.text, 'a"b\\c\nd\te');
  assert.deepEqual([t.span.start, t.span.end], [0, 15]);
});

test('unterminated string: error at its start, stops at the end of the line', () => {
  const { tokens, diagnostics } = lex('x = "abc;\ny', 0);
  assert.deepEqual(messages('x = "abc;\ny'), [
    { message: 'unterminated string literal', start: 4, end: 9, hint: "add '\"' before the end of the line" },
  ]);
  assert.equal(diagnostics.length, 1);
  assert.deepEqual(
    tokens.map((t) => `${t.kind}:${t.text}`),
    ['ident:x', 'punct:=', 'string:abc;', 'ident:y', 'eof:'],
  );
  assert.deepEqual(messages('"abc'), [
    { message: 'unterminated string literal', start: 0, end: 4, hint: "add '\"' before the end of the line" },
  ]);
});

test('unknown escape sequence', () => {
  assert.deepEqual(messages('"a\\qb"'), [
    { message: "unknown escape sequence '\\q'", start: 2, end: 4, hint: 'the escapes are \\" \\\\ \\n and \\t' },
  ]);
});

test('comments are skipped; an unterminated block comment is an error at its start', () => {
  assert.deepEqual(kinds('a // b c\nd /* e\n f */ g'), ['ident:a', 'ident:d', 'ident:g', 'eof:']);
  assert.deepEqual(kinds('a/**/b'), ['ident:a', 'ident:b', 'eof:']);
  assert.deepEqual(messages('x\n  /* never closed\n y'), [
    { message: 'unterminated block comment', start: 4, end: 6, hint: "add '*/' to close it" },
  ]);
});

test('unexpected characters are reported, skipped, and a run of them reported once', () => {
  assert.deepEqual(kinds('a @ b'), ['ident:a', 'ident:b', 'eof:']);
  assert.deepEqual(messages('a @ b'), [{ message: "unexpected character '@'", start: 2, end: 3 }]);
  assert.deepEqual(messages('a @#$ b `'), [
    { message: "unexpected character '@'", start: 2, end: 5 },
    { message: "unexpected character '`'", start: 8, end: 9 },
  ]);
  assert.deepEqual(messages('a\u0001b'), [{ message: 'unexpected character U+0001', start: 1, end: 2 }]);
  assert.deepEqual(messages('a ? b'), [
    {
      message: "unexpected character '?'",
      start: 2,
      end: 3,
      hint: 'there is no conditional operator: write `if (c) x = a; else x = b;`',
    },
  ]);
  assert.deepEqual(messages('😀'), [{ message: "unexpected character '😀'", start: 0, end: 2 }]);
});

test('spans carry the file index and the eof token sits at the end', () => {
  const { tokens } = lex('ab  cd', 3);
  assert.deepEqual(
    tokens.map((t) => t.span),
    [
      { file: 3, start: 0, end: 2 },
      { file: 3, start: 4, end: 6 },
      { file: 3, start: 6, end: 6 },
    ],
  );
  assert.deepEqual(kinds(''), ['eof:']);
});
