// How the parser tests look at what the parser returns: a spec that must parse cleanly,
// diagnostics as `line:col message [hint]`, expressions as s-expressions (so precedence
// reads at a glance), types and spans as text.
import assert from 'node:assert/strict';
import type { Decl, Expr, Span, SpecFile, Stmt, TypeExpr } from '../../../src/model/lang/ast.js';
import { lineCol } from '../../../src/model/lang/diagnostics.js';
import { parse } from '../../../src/model/lang/parser.js';

export function parseOk(text: string): SpecFile {
  const r = parse(text, 0);
  assert.deepEqual(r.diagnostics, [], 'expected no diagnostics');
  return r.spec;
}

/** Diagnostics as `line:col message [hint]`, the form a golden file would show. */
export function errors(text: string): string[] {
  return parse(text, 0).diagnostics.map((d) => {
    const { line, col } = lineCol(text, d.span.start);
    return `${line}:${col} ${d.message}${d.hint === undefined ? '' : ` [${d.hint}]`}`;
  });
}

export function decl<K extends Decl['kind']>(spec: SpecFile, kind: K, name?: string): Extract<Decl, { kind: K }> {
  const d = spec.decls.find((x) => x.kind === kind && (name === undefined || ('name' in x && x.name === name)));
  assert.ok(d !== undefined, `no ${kind} ${name ?? ''}`);
  return d as Extract<Decl, { kind: K }>;
}

export function body(stmts: string): Stmt[] {
  return decl(parseOk(`thread t() {\n${stmts}\n}`), 'thread').body;
}

/** An expression as an s-expression, so precedence reads at a glance. */
export function show(e: Expr): string {
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

export function expr(text: string): Expr {
  return decl(parseOk(`const X = ${text};`), 'const').value;
}

export function showType(t: TypeExpr): string {
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

export function at(text: string, span: Span): string {
  const { line, col } = lineCol(text, span.start);
  return `${line}:${col} ${text.slice(span.start, span.end)}`;
}
