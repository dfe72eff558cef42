// The parser's grammar: expressions (precedence, spans, types), every statement form and
// every declaration, contextual keywords, and the spans they record.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span, Stmt } from '../../../src/model/lang/ast.js';
import { at, body, decl, expr, parseOk, show, showType } from './parser-views.js';

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
