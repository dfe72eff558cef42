// The parser's diagnostics: each message at its exact position, nesting limits, recovery
// after an error (at the next statement or declaration), and that no input makes it throw.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Decl } from '../../../src/model/lang/ast.js';
import { parse } from '../../../src/model/lang/parser.js';
import { fuzzParserCases } from './parser-fuzz.js';
import { decl, errors, expr, parseOk, show } from './parser-views.js';

// ---- diagnostics ------------------------------------------------------------------------------

test('each error message at its exact position', () => {
  const cases: [string, string[]][] = [
    ['thread t() {\n  if (a = b) x = 1;\n}', ["2:9 assignment in condition [did you mean '=='?]"]],
    ['thread t() {\n  x = 1\n  y = 2;\n}', ["3:3 expected ';' after statement, found 'y'"]],
    ['thread t() { x = 1 y = 2; z = 3; }', ["1:20 expected ';' after statement, found 'y'"]],
    ['thread t() { x = }', ["1:18 expected expression, found '}'"]],
    ['spec "abc\n', ["1:6 unterminated string literal [add '\"' before the end of the line]"]],
    ['thread t() { else x = 1; }', ["1:14 'else' without 'if'"]],
    ['thread t() { or { x = 1; } }', ["1:14 'or' without 'either'"]],
    [
      'x = 1;\nconst A = 1;',
      ["1:1 expected declaration, found 'x' [statements belong inside an 'init', 'thread' or 'fn' body]"],
    ],
    ['}', ["1:1 expected declaration, found '}' [this '}' has no matching '{']"]],
    ['thread t() {\n  x = 1;\n', ["3:1 expected '}', found end of file [to close the '{' at line 1]"]],
    ['thread t() { x == 1; }', ["1:14 only a call can be used as a statement [did you mean '='?]"]],
    [
      'thread t() { f(x) = 1; }',
      ['1:14 invalid assignment target [only a variable, a field or an array element can be assigned]'],
    ],
    ['thread t() { a.lock(x); }', ['1:20 only a named function can be called [call a function by its name: f(x)]']],
    ['thread t() { a.(x); }', ["1:16 expected field name after '.', found '('"]],
    ['thread t() { f(a b); }', ["1:18 expected ',' or ')' in argument list, found 'b'"]],
    [
      'scenario s { f(); }',
      ["1:12 expected 'expect', found '{' [a scenario states its outcome: 'expect pass' or 'expect violation(kind)']"],
    ],
    ['scenario s expect fail { f(); }', ["1:19 expected 'pass' or 'violation', found 'fail'"]],
    ['scenario s budget(states: x) expect pass { }', ["1:27 expected integer, found 'x'"]],
    ['scenario s expect pass { f(1) g(); }', ["1:31 expected ';' after thread, found 'g'"]],
    ['shared init: int;', ["1:8 expected name, found 'init' ['init' is a reserved word]"]],
    ['shared x: ;', ["1:11 expected type, found ';'"]],
    ['struct s { a: int }', ["1:19 expected ';' after field, found '}'"]],
    ['enum e { A B }', ["1:12 expected ',' or '}' in enum, found 'B'"]],
    ['import lib;', ["1:8 expected string, found 'lib'"]],
    ['const A 1;', ["1:9 expected '=' after constant name, found '1'"]],
    ['thread t() { for i 0..2 {} }', ["1:20 expected 'in' after loop variable, found '0'"]],
    ['thread t() { choose x in 0 2; }', ["1:28 expected '..' in range, found '2'"]],
    ['thread t() { while x) {} }', ["1:20 expected '(' after 'while', found 'x'"]],
    ['thread t() { if (x {} }', ["1:20 expected ')' after condition, found '{'"]],
    [
      'thread t() { either { } x = 1; }',
      ["1:25 expected 'or' after 'either' block, found 'x' ['either' chooses between two or more blocks]"],
    ],
    ['thread t() { ) }', ["1:14 expected statement, found ')'"]],
    ['fn f(a int) {}', ["1:8 expected ':' after parameter name, found 'int'"]],
    ['fn f(a: int; b: int) {}', ["1:12 expected ',' or ')' in parameter list, found ';'"]],
    ['thread t() x = 1;', ["1:12 expected '{' to start the body, found 'x'"]],
    ['thread t() { x = 1.5; }', ["1:18 number literal '1.5' is not an integer"]],
    ['thread t() { x = a @ b; }', ["1:20 unexpected character '@'"]],
    ['thread t() { x = 1; } /* rest', ["1:23 unterminated block comment [add '*/' to close it]"]],
  ];
  for (const [text, want] of cases) assert.deepEqual(errors(text), want, text);
});

test('nesting too deep is reported once and parsing resumes at the next declaration', () => {
  const deep = (open: string, close: string): string =>
    `const A = ${open.repeat(10_000)}1${close.repeat(10_000)};\nconst B = 2;`;
  for (const text of [deep('(', ')'), deep('- ', ''), deep('a[', ']'), deep('f(', ')')]) {
    const r = parse(text, 0);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ['nesting too deep'],
    );
    assert.deepEqual(
      r.spec.decls.map((d) => d.kind === 'const' && d.name),
      ['B'],
    );
  }
  const blocks = `thread t() ${'{'.repeat(10_000)}${'}'.repeat(10_000)}\nconst B = 2;`;
  const ifs = `thread t() { ${'if (x) '.repeat(10_000)} y = 1; }\nconst B = 2;`;
  for (const text of [blocks, ifs]) {
    const r = parse(text, 0);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ['nesting too deep'],
    );
    assert.equal(r.spec.decls.at(-1)?.kind === 'const' && r.spec.decls.at(-1)?.span.start, text.indexOf('const B'));
  }
  // 150 levels is fine.
  assert.equal(show(expr(`${'('.repeat(150)}1${')'.repeat(150)}`)), '1');
});

test('three unrelated errors give exactly three diagnostics, and the good parts survive', () => {
  const text = [
    'struct s { a: int; b int; c: bool; }', // 1: field without ':'
    'thread t() {',
    '  x = 1 +;', //                          2: missing operand
    '  if (x) { y = 2; } else { y = 3; }',
    '  z = 4;',
    '}',
    'const C = ;', //                         3: missing value
    'thread u() { w = 5; }',
  ].join('\n');
  const r = parse(text, 0);
  assert.deepEqual(errors(text), [
    "1:22 expected ':' after field name, found 'int'",
    "3:10 expected expression, found ';'",
    "7:11 expected expression, found ';'",
  ]);
  assert.deepEqual(
    r.spec.decls.map((d) => ('name' in d ? d.name : d.kind)),
    ['s', 't', 'u'],
  );
  const s = r.spec.decls[0] as Extract<Decl, { kind: 'struct' }>;
  assert.deepEqual(
    s.fields.map((f) => f.name),
    ['a', 'c'],
  );
  const t = r.spec.decls[1] as Extract<Decl, { kind: 'thread' }>;
  assert.deepEqual(
    t.body.map((st) => st.kind),
    ['if', 'assign'],
  );
});

test('statement errors recover at the next statement, even across braces', () => {
  const text = [
    'thread t() {',
    '  if x) { a = 1; } else { a = 2; }', //  skipped up to the end of the else block
    '  b = alloc vma { start: , end: 1 };', // skipped past the alloc block and its ';'
    '  c = 1 2;', //                         skipped to ';'
    '  d = 4;',
    '  either { e = 1; } or { e = ; }', //   error inside a branch stays inside it
    '}',
  ].join('\n');
  assert.deepEqual(errors(text), [
    "2:6 expected '(' after 'if', found 'x'",
    "3:26 expected expression, found ','",
    "4:9 expected ';' after statement, found '2'",
    "6:30 expected expression, found ';'",
  ]);
  const t = decl(parse(text, 0).spec, 'thread');
  assert.deepEqual(
    t.body.map((s) => s.kind),
    ['assign', 'either'],
  );
});

test('a missing } before the next declaration is one error, not one per open block', () => {
  const text = 'thread t() {\n  if (x) {\n    y = 1;\n\nthread u() { }';
  assert.deepEqual(errors(text), ["5:1 expected '}', found 'thread' [to close the '{' at line 2]"]);
  assert.deepEqual(
    parse(text, 0).spec.decls.map((d) => d.kind === 'thread' && d.name),
    ['t', 'u'],
  );
});

test('a lexer error does not also produce parser errors around it', () => {
  assert.deepEqual(errors('thread t() { assert(x, "oops); y = 1; }\nconst A = 1;'), [
    "1:24 unterminated string literal [add '\"' before the end of the line]",
  ]);
  assert.deepEqual(errors('thread t() { a @ b; }'), ["1:16 unexpected character '@'"]);
});

test('junk and empty input never throw', () => {
  for (const text of [
    '',
    '\u0000\u0001\uffff',
    '\ud800',
    '"',
    '/*',
    '{{{{',
    '}}}}',
    ';;;',
    'thread',
    'scenario s expect violation(',
  ]) {
    const r = parse(text, 0);
    assert.ok(Array.isArray(r.spec.decls) && Array.isArray(r.diagnostics), JSON.stringify(text));
  }
  assert.deepEqual(parseOk('').decls, []);
});

test('property: random token streams, mutated examples and junk never throw (1,000 runs each)', () => {
  fuzzParserCases(1000);
});
