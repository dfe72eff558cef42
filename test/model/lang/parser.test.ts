import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../src/model/lang/parser.js';
import { lineCol } from '../../../src/model/lang/diagnostics.js';
import type { Decl, Expr, Span, SpecFile, Stmt, TypeExpr } from '../../../src/model/lang/ast.js';
import { DESIGN_EXAMPLE, fuzzParserCases } from './parser-fuzz.js';

function parseOk(text: string): SpecFile {
  const r = parse(text, 0);
  assert.deepEqual(r.diagnostics, [], 'expected no diagnostics');
  return r.spec;
}

/** Diagnostics as `line:col message [hint]`, the form a golden file would show. */
function errors(text: string): string[] {
  return parse(text, 0).diagnostics.map((d) => {
    const { line, col } = lineCol(text, d.span.start);
    return `${line}:${col} ${d.message}${d.hint === undefined ? '' : ` [${d.hint}]`}`;
  });
}

function decl<K extends Decl['kind']>(spec: SpecFile, kind: K, name?: string): Extract<Decl, { kind: K }> {
  const d = spec.decls.find((x) => x.kind === kind && (name === undefined || ('name' in x && x.name === name)));
  assert.ok(d !== undefined, `no ${kind} ${name ?? ''}`);
  return d as Extract<Decl, { kind: K }>;
}

function body(stmts: string): Stmt[] {
  return decl(parseOk(`thread t() {\n${stmts}\n}`), 'thread').body;
}

/** An expression as an s-expression, so precedence reads at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'int':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'null':
      return 'null';
    case 'name':
      return e.name;
    case 'field':
      return `(. ${show(e.object)} ${e.field})`;
    case 'index':
      return `([] ${show(e.object)} ${show(e.index)})`;
    case 'unary':
      return `(${e.op === '-' ? 'neg' : '!'} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'call':
      return `(call ${[e.callee, ...e.args.map(show)].join(' ')})`;
    case 'alloc':
      return `(alloc ${[e.type, ...e.inits.map((i) => `${i.field}=${show(i.value)}`)].join(' ')})`;
  }
}

function expr(text: string): Expr {
  return decl(parseOk(`const X = ${text};`), 'const').value;
}

function showType(t: TypeExpr): string {
  switch (t.kind) {
    case 'int':
    case 'bool':
      return t.kind;
    case 'named':
      return t.name;
    case 'ref':
      return `ref ${t.target}`;
    case 'array':
      return `[${showType(t.elem)}; ${show(t.size)}]`;
  }
}

function at(text: string, span: Span): string {
  const { line, col } = lineCol(text, span.start);
  return `${line}:${col} ${text.slice(span.start, span.end)}`;
}

// ---- the DESIGN.md example ------------------------------------------------------------------

test('the DESIGN example parses with no diagnostics into the expected declarations', () => {
  const spec = parseOk(DESIGN_EXAMPLE);
  const names = spec.decls.map((d) =>
    d.kind === 'spec'
      ? `spec:${d.title}`
      : d.kind === 'pool'
        ? `pool:${d.type}`
        : 'name' in d
          ? `${d.kind}:${d.name}`
          : d.kind,
  );
  assert.deepEqual(names, [
    'spec:rfc-2008: SRCU-guarded lockless VMA lookup',
    'struct:vma',
    'struct:pte_page',
    'pool:vma',
    'pool:pte_page',
    'global:mmap_sem',
    'global:mm_srcu',
    'global:tree',
    'global:pmd',
    'global:unmapped',
    'init',
    'thread:fault',
    'thread:munmap',
    'invariant:no_pte_after_munmap',
    'scenario:fault_vs_munmap',
    'scenario:two_faults',
  ]);
});

test('DESIGN example: structs, globals and init in depth', () => {
  const spec = parseOk(DESIGN_EXAMPLE);
  const pte = decl(spec, 'struct', 'pte_page');
  assert.equal(pte.protectedBy?.kind, 'srcu');
  assert.equal(pte.protectedBy?.kind === 'srcu' && at(DESIGN_EXAMPLE, pte.protectedBy.domainSpan), '4:32 mm_srcu');
  assert.deepEqual(
    pte.fields.map((f) => `${f.name}: ${showType(f.type)}`),
    ['pte: [int; 2]', 'ptl: spinlock'],
  );
  assert.equal(decl(spec, 'struct', 'vma').protectedBy, undefined);
  const unmapped = decl(spec, 'global', 'unmapped');
  assert.deepEqual(
    [unmapped.ghost, showType(unmapped.type), unmapped.init && show(unmapped.init)],
    [true, 'bool', 'false'],
  );
  const tree = decl(spec, 'global', 'tree');
  assert.deepEqual([tree.ghost, showType(tree.type), tree.init], [false, 'ref vma', undefined]);
  assert.equal(show(decl(spec, 'pool').size), '2');
  const init = decl(spec, 'init').body;
  assert.equal(init.length, 1);
  const s = init[0] as Stmt;
  assert.equal(
    s.kind === 'assign' && `${show(s.target)} := ${show(s.value)}`,
    'tree := (alloc vma start=0 end=2 usage=1)',
  );
});

test('DESIGN example: the fault thread has its labels, gotos and nested ifs', () => {
  const fault = decl(parseOk(DESIGN_EXAMPLE), 'thread', 'fault');
  assert.deepEqual(
    fault.params.map((p) => `${p.name}: ${showType(p.type)}`),
    ['addr: int'],
  );
  assert.deepEqual(
    fault.body.map((s) => s.kind),
    [
      'local',
      'local',
      'local',
      'assign',
      'label',
      'assign',
      'if',
      'if',
      'assign',
      'if',
      'expr',
      'if',
      'if',
      'expr',
      'label',
      'expr',
    ],
  );
  const labels = fault.body.filter((s) => s.kind === 'label').map((s) => `${s.name} ${at(DESIGN_EXAMPLE, s.span)}`);
  assert.deepEqual(labels, ['retry 20:1 retry:', 'out 30:1 out:']);
  const first = fault.body[6] as Extract<Stmt, { kind: 'if' }>;
  assert.equal(show(first.cond), '(|| (== v null) (> (. v start) addr))');
  assert.equal(first.then.kind === 'goto' && first.then.label, 'out');
  const store = fault.body[12] as Extract<Stmt, { kind: 'if' }>;
  assert.equal(store.then.kind === 'assign' && show(store.then.target), '([] (. pt pte) addr)');
});

test('DESIGN example: await atomic_cmpxchg(...) == 1, the for loop, the invariant', () => {
  const spec = parseOk(DESIGN_EXAMPLE);
  const munmap = decl(spec, 'thread', 'munmap');
  const wait = munmap.body.find((s) => s.kind === 'await');
  assert.ok(wait?.kind === 'await');
  assert.equal(show(wait.cond), '(== (call atomic_cmpxchg (. v usage) 1 0) 1)');
  assert.equal(at(DESIGN_EXAMPLE, wait.span), '38:3 await atomic_cmpxchg(v.usage, 1, 0) == 1;');
  assert.ok(wait.cond.kind === 'binary' && wait.cond.left.kind === 'call');
  assert.equal(at(DESIGN_EXAMPLE, wait.cond.left.calleeSpan), '38:9 atomic_cmpxchg');

  const guarded = munmap.body.find((s) => s.kind === 'if');
  assert.ok(guarded?.kind === 'if' && guarded.then.kind === 'block');
  const loop = guarded.then.body[0] as Stmt;
  assert.ok(loop.kind === 'for');
  assert.deepEqual([loop.var, show(loop.from), show(loop.to), loop.body.kind], ['i', '0', '2', 'block']);
  assert.equal(at(DESIGN_EXAMPLE, loop.varSpan), '41:9 i');
  assert.ok(loop.body.kind === 'block');
  assert.deepEqual(
    loop.body.body.map((s) => s.kind),
    ['expr', 'assign', 'expr'],
  );

  const inv = decl(spec, 'invariant');
  assert.equal(
    show(inv.cond),
    '(=> unmapped (|| (== pmd null) (&& (== ([] (. pmd pte) 0) 0) (== ([] (. pmd pte) 1) 0))))',
  );
});

test('DESIGN example: scenarios expect violations and list their threads', () => {
  const spec = parseOk(DESIGN_EXAMPLE);
  const scenarios = spec.decls.filter((d) => d.kind === 'scenario');
  assert.deepEqual(
    scenarios.map((s) => [
      s.name,
      s.expect.kind === 'violation' ? s.expect.violation : 'pass',
      s.threads.map((t) => `${t.name}(${t.args.map(show).join(',')})`),
    ]),
    [
      ['fault_vs_munmap', 'premature_free', ['fault(1)', 'munmap()']],
      ['two_faults', 'premature_free', ['fault(0)', 'fault(1)', 'munmap()']],
    ],
  );
  const s = scenarios[0] as Extract<Decl, { kind: 'scenario' }>;
  assert.ok(s.expect.kind === 'violation');
  assert.equal(at(DESIGN_EXAMPLE, s.expect.violationSpan), '51:43 premature_free');
  assert.equal(at(DESIGN_EXAMPLE, s.expect.span), '51:26 expect violation(premature_free)');
  assert.equal(at(DESIGN_EXAMPLE, (s.threads[0] as { span: Span }).span), '51:61 fault(1);');
  assert.equal(
    DESIGN_EXAMPLE.slice(s.span.start, s.span.end),
    'scenario fault_vs_munmap expect violation(premature_free) { fault(1); munmap(); }',
  );
});

// ---- expressions ------------------------------------------------------------------------------

test('precedence and associativity', () => {
  const cases: [string, string][] = [
    ['a || b && c', '(|| a (&& b c))'],
    ['a && b || c', '(|| (&& a b) c)'],
    ['a => b => c', '(=> a (=> b c))'],
    ['a => b || c', '(=> a (|| b c))'],
    ['a || b => c', '(=> (|| a b) c)'],
    ['a == b < c', '(== a (< b c))'],
    ['a != b == c', '(== (!= a b) c)'],
    ['a < b + c * d', '(< a (+ b (* c d)))'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c * d', '(* (% (/ a b) c) d)'],
    ['-a * b', '(* (neg a) b)'],
    ['!a.b[1] == -x', '(== (! ([] (. a b) 1)) (neg x))'],
    ['!!a', '(! (! a))'],
    ['(a + b) * c', '(* (+ a b) c)'],
    ['a.b.c[i][j]', '([] ([] (. (. a b) c) i) j)'],
    ['f(a, g(b), 1 + 2)', '(call f a (call g b) (+ 1 2))'],
    ['f()', '(call f)'],
    ['alloc vma { start: 1, end: x + 1, }', '(alloc vma start=1 end=(+ x 1))'],
    ['alloc vma', '(alloc vma)'],
    ['null == true || false', '(|| (== null true) false)'],
    ['0x10 + 5e6', '(+ 16 5000000)'],
  ];
  for (const [text, want] of cases) assert.equal(show(expr(text)), want, text);
});

test('expression spans cover their whole text, parentheses included', () => {
  const text = 'const X = (a + b) * f(c).d;';
  const e = decl(parseOk(text), 'const').value;
  assert.equal(at(text, e.span), '1:11 (a + b) * f(c).d');
  assert.ok(e.kind === 'binary' && e.right.kind === 'field');
  assert.equal(at(text, e.left.span), '1:11 (a + b)');
  assert.equal(at(text, e.right.span), '1:21 f(c).d');
  assert.equal(at(text, e.right.fieldSpan), '1:26 d');
  assert.ok(e.right.object.kind === 'call');
  assert.equal(at(text, e.right.object.calleeSpan), '1:21 f');
  const a = 'const Y = alloc vma { start: 1 };';
  const alloc = decl(parseOk(a), 'const').value;
  assert.ok(alloc.kind === 'alloc');
  assert.equal(at(a, alloc.span), '1:11 alloc vma { start: 1 }');
  assert.equal(at(a, alloc.typeSpan), '1:17 vma');
  assert.equal(at(a, (alloc.inits[0] as { fieldSpan: Span }).fieldSpan), '1:23 start');
});

test('types: primitives, refs, named types and C-ordered arrays', () => {
  const text = 'shared a: int[2][3];\nshared b: ref vma[4];\nshared c: spinlock;\nghost d: bool;\nshared e: atomic;';
  const spec = parseOk(text);
  const types = spec.decls.map((d) => (d.kind === 'global' ? showType(d.type) : ''));
  assert.deepEqual(types, ['[[int; 3]; 2]', '[ref vma; 4]', 'spinlock', 'bool', 'atomic']);
  assert.equal(at(text, decl(spec, 'global', 'a').type.span), '1:11 int[2][3]');
  assert.equal(at(text, decl(spec, 'global', 'b').nameSpan), '2:8 b');
});

// ---- statements and declarations --------------------------------------------------------------

test('every statement form', () => {
  const stmts = body(`
    local n: int = 3; local r: ref vma;
    x = 1; f(x);
    if (x) y = 1; else { y = 2; }
    while (x < 3) x = x + 1;
    for i in 0..n break;
    { continue; }
    atomic { a = 1; b = 2; }
    again: goto again;
    return; return x + 1;
    await x == 0;
    choose v.slot in 0..n - 1;
    either { a = 1; } or { a = 2; } or { }
    assert(x > 0, "x must \\"stay\\" positive"); assert(y);
    BUG_ON(x == 0);
    ;`);
  assert.deepEqual(
    stmts.map((s) => s.kind),
    [
      'local',
      'local',
      'assign',
      'expr',
      'if',
      'while',
      'for',
      'block',
      'atomic',
      'label',
      'goto',
      'return',
      'return',
      'await',
      'choose',
      'either',
      'assert',
      'assert',
      'bug_on',
      'skip',
    ],
  );
  const [local, , , , ifs, , , , atomic, , , ret0, ret1, , choose, either, assert1, assert2] = stmts as Stmt[];
  assert.ok(local?.kind === 'local' && local.init !== undefined && show(local.init) === '3');
  assert.ok(ifs?.kind === 'if' && ifs.else?.kind === 'block');
  assert.ok(atomic?.kind === 'atomic' && atomic.body.length === 2);
  assert.ok(ret0?.kind === 'return' && ret0.value === undefined);
  assert.ok(ret1?.kind === 'return' && ret1.value !== undefined && show(ret1.value) === '(+ x 1)');
  assert.ok(choose?.kind === 'choose');
  assert.deepEqual([show(choose.target), show(choose.from), show(choose.to)], ['(. v slot)', '0', '(- n 1)']);
  assert.ok(either?.kind === 'either');
  assert.deepEqual(
    either.branches.map((b) => b.length),
    [1, 1, 0],
  );
  assert.ok(assert1?.kind === 'assert' && assert1.message === 'x must "stay" positive');
  assert.ok(assert2?.kind === 'assert' && !('message' in assert2));
});

test('contextual keywords are ordinary names outside their context', () => {
  const stmts = body('in = or + expect; atomic = 1; atomic: pass(violation);');
  assert.deepEqual(
    stmts.map((s) => s.kind),
    ['assign', 'assign', 'label', 'expr'],
  );
});

test('other declarations: import, const, enum, rcu struct, fn, final, scenario with budget', () => {
  const text = [
    'import "lib/mm.mmspec";',
    'const N = 2 * 3;',
    'enum state { IDLE, BUSY, DONE, };',
    'struct node rcu_protected { next: ref node; }',
    'fn get(n: ref node, i: int): int { return i; }',
    'fn put(n: ref node) { }',
    'final done: x == 1;',
    'scenario s budget(states: 5e6, seconds: 30) expect pass { worker(1, N); }',
  ].join('\n');
  const spec = parseOk(text);
  const imp = decl(spec, 'import');
  assert.deepEqual([imp.path, at(text, imp.pathSpan)], ['lib/mm.mmspec', '1:8 "lib/mm.mmspec"']);
  assert.equal(show(decl(spec, 'const', 'N').value), '(* 2 3)');
  assert.deepEqual(
    decl(spec, 'enum').members.map((m) => m.name),
    ['IDLE', 'BUSY', 'DONE'],
  );
  assert.deepEqual(decl(spec, 'struct').protectedBy, { kind: 'rcu' });
  const get = decl(spec, 'fn', 'get');
  assert.deepEqual([get.params.map((p) => p.name), get.returns && showType(get.returns)], [['n', 'i'], 'int']);
  assert.equal(decl(spec, 'fn', 'put').returns, undefined);
  assert.equal(show(decl(spec, 'final').cond), '(== x 1)');
  const sc = decl(spec, 'scenario');
  assert.deepEqual(
    sc.budget.map((b) => [b.key, b.value]),
    [
      ['states', 5_000_000],
      ['seconds', 30],
    ],
  );
  assert.equal(at(text, (sc.budget[1] as { keySpan: Span }).keySpan), '8:32 seconds');
  assert.equal(sc.expect.kind, 'pass');
  assert.deepEqual(
    sc.threads.map((t) => [t.name, t.args.map(show)]),
    [['worker', ['1', 'N']]],
  );
});

test('the keywords invariant and final are also violation kinds', () => {
  const spec = parseOk('scenario a expect violation(invariant) { t(); }\nscenario b expect violation(final) { t(); }');
  assert.deepEqual(
    spec.decls.map((d) => d.kind === 'scenario' && d.expect.kind === 'violation' && d.expect.violation),
    ['invariant', 'final'],
  );
});

test('statement and declaration spans', () => {
  const text = 'thread t(a: int) {\n  if (a) {\n    x = 1;\n  } else y = 2;\n  done: return;\n}\n';
  const t = decl(parseOk(text), 'thread');
  assert.equal(at(text, t.span), text.slice(0, -1).replace(/^/, '1:1 '));
  assert.equal(at(text, t.nameSpan), '1:8 t');
  assert.equal(at(text, (t.params[0] as { span: Span }).span), '1:10 a: int');
  const [ifs, label, ret] = t.body as [Stmt, Stmt, Stmt];
  assert.equal(at(text, ifs.span), '2:3 if (a) {\n    x = 1;\n  } else y = 2;');
  assert.equal(at(text, label.span), '5:3 done:');
  assert.equal(at(text, ret.span), '5:9 return;');
});

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
  for (const text of [deep('(', ')'), deep('-', ''), deep('a[', ']'), deep('f(', ')')]) {
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
