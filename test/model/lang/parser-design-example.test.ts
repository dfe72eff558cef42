// The parser on the design example (specs/rfc-2008-example.mmspec's original text): every declaration, statement and scenario of a
// realistic spec, parsed with no diagnostics.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Decl, Span, Stmt } from '../../../src/model/lang/ast.js';
import { DESIGN_EXAMPLE } from './parser-fuzz.js';
import { at, decl, parseOk, show, showType } from './parser-views.js';

// ---- the design example ----------------------------------------------------------------------

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
