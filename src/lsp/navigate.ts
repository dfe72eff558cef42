// Hover and go-to-definition: what the identifier under the cursor names, and where it is
// declared. Built-ins are described from the primitive registry's signature and flags.
import { dirname, relative, resolve } from 'node:path';
import type { Hover, Location, Position } from 'vscode-languageserver/node';
import type { Expr, Span } from '../model/lang/ast.js';
import { BUILTINS, type Builtin, describeArg } from '../model/lang/builtins.js';
import { typeName } from '../model/lang/types.js';
import type { BuiltinName } from '../model/prims/index.js';
import { type Analysis, offsetOf, placeOf, rangeOf } from './analysis.js';
import { BUILTIN_DOCS } from './builtin-docs.js';
import { type AnyNode, bodyDefs, chainAt, type Def, Scope, topDefs, wordAt } from './defs.js';

export type Target =
  | { kind: 'builtin'; builtin: Builtin; span: Span }
  | { kind: 'defs'; defs: Def[]; span: Span }
  | { kind: 'import'; uri: string; span: Span };

const contains = (s: Span, offset: number): boolean => offset >= s.start && offset <= s.end;

/** The scope of the body around `offset` (its locals), or the top level alone. */
export function scopeAt(a: Analysis, file: number, offset: number): { scope: Scope; chain: AnyNode[] } {
  const chain = chainAt(a.files[file]!, offset);
  const body = chain[0];
  const local = body === undefined ? [] : bodyDefs(body);
  return { scope: new Scope(topDefs(a.files), local), chain };
}

/** What the identifier (or import path) at `offset` of file `file` refers to. */
export function targetAt(a: Analysis, file: number, offset: number): Target | undefined {
  const { scope, chain } = scopeAt(a, file, offset);
  const decl = chain[0];
  if (decl?.kind === 'import' && contains(decl.pathSpan as Span, offset)) {
    // An unsaved (untitled:) document resolves its imports from the working directory, as analyze does.
    const from = placeOf(a.uris[file]!)?.path ?? resolve('untitled.mmspec');
    const uri = a.uriOf(resolve(dirname(from), decl.path as string));
    return { kind: 'import', uri, span: decl.pathSpan as Span };
  }
  const w = wordAt(a.docs[file]!.getText(), offset);
  if (w === undefined) return undefined;
  const span = { file, start: w.start, end: w.end };
  const found = (defs: Def[]): Target | undefined => (defs.length > 0 ? { kind: 'defs', defs, span } : undefined);
  const node = chain[chain.length - 1];
  if (node?.kind === 'field' && contains(node.fieldSpan as Span, offset)) {
    const e = node as unknown as Extract<Expr, { kind: 'field' }>;
    const s = scope.structOf(e.object);
    return found(scope.fields(s).filter((f) => f.name === w.word));
  }
  if (node?.kind === 'alloc') {
    const init = (node.inits as { fieldSpan: Span }[]).find((i) => contains(i.fieldSpan, offset));
    if (init !== undefined) return found(scope.fields(node.type as string).filter((f) => f.name === w.word));
  }
  if (node?.kind === 'goto' && contains(node.labelSpan as Span, offset))
    return found(scope.local.filter((d) => d.kind === 'label' && d.name === w.word));
  const defs = scope.lookup(w.word);
  if (defs.length > 0) return { kind: 'defs', defs, span };
  const builtin = BUILTINS.get(w.word);
  if (builtin !== undefined) return { kind: 'builtin', builtin, span };
  // A declaration's own name (a field or label) when nothing else is called so.
  return found(
    scope.top
      .concat(scope.local)
      .filter((d) => d.name === w.word && d.nameSpan.file === file && contains(d.nameSpan, offset)),
  );
}

export function definition(a: Analysis, file: number, pos: Position): Location[] {
  const t = targetAt(a, file, offsetOf(a, file, pos));
  if (t === undefined || t.kind === 'builtin') return [];
  const zero = { line: 0, character: 0 };
  if (t.kind === 'import') return [{ uri: t.uri, range: { start: zero, end: zero } }];
  return t.defs.map((d) => ({ uri: a.uris[d.nameSpan.file]!, range: rangeOf(a, d.nameSpan) }));
}

export function hover(a: Analysis, file: number, pos: Position): Hover | null {
  const t = targetAt(a, file, offsetOf(a, file, pos));
  if (t === undefined) return null;
  const range = rangeOf(a, t.span);
  if (t.kind === 'import') return { contents: { kind: 'markdown', value: `imports \`${t.uri}\`` }, range };
  if (t.kind === 'builtin') return { contents: { kind: 'markdown', value: builtinMarkdown(t.builtin) }, range };
  const value = t.defs.map((d) => describeDef(a, d)).join('\n\n---\n\n');
  return { contents: { kind: 'markdown', value }, range };
}

/** `spin_lock(spinlock)`, `atomic_cmpxchg(atomic, int, int): int`. */
export function builtinSignature(b: Builtin): string {
  const args = b.args.map(describeArg).join(', ');
  const returns =
    b.returnsArg !== undefined
      ? `: type of argument ${b.returnsArg + 1}`
      : b.returns.k === 'void'
        ? ''
        : `: ${typeName(b.returns)}`;
  return `${b.name}(${args})${returns}`;
}

export function builtinDoc(b: Builtin): string {
  const flags = `blocks: ${b.blocks ? 'yes' : 'no'} · sleeps: ${b.sleeps ? 'yes' : 'no'}`;
  return `${BUILTIN_DOCS[b.name as BuiltinName]}\n\n${flags}${b.noAtomicForm ? ' · not inside atomic { }' : ''}`;
}

export function builtinMarkdown(b: Builtin): string {
  return `\`\`\`mmspec\n${builtinSignature(b)}\n\`\`\`\n${builtinDoc(b)}`;
}

const ROLE: Record<Def['kind'], string> = {
  thread: 'thread',
  fn: 'fn',
  struct: 'struct',
  field: 'field of struct',
  global: 'global',
  const: 'constant',
  enum: 'enum',
  member: 'member of enum',
  pool: 'pool',
  invariant: 'invariant',
  final: 'final condition',
  scenario: 'scenario',
  param: 'parameter of',
  local: 'local of',
  label: 'label in',
};

/** The declaration as written (a body's header only), and what it is. */
export function declarationText(a: Analysis, d: Def): string {
  const text = a.docs[d.span.file]!.getText().slice(d.span.start, d.span.end);
  if (d.kind === 'member') return d.name;
  if (d.kind === 'label') return `${d.name}:`;
  const brace = text.indexOf('{');
  const cut =
    (d.kind === 'thread' || d.kind === 'fn' || d.kind === 'scenario') && brace >= 0 ? text.slice(0, brace) : text;
  return cut.replace(/\s+/g, ' ').trim();
}

function describeDef(a: Analysis, d: Def): string {
  const role = d.owner === undefined ? ROLE[d.kind] : `${ROLE[d.kind]} ${d.owner}`;
  return `\`\`\`mmspec\n${declarationText(a, d)}\n\`\`\`\n${role}${fromImport(a, d.nameSpan.file)}`;
}

/** For a name declared in an imported file: which one, as the document's import names it. */
function fromImport(a: Analysis, file: number): string {
  const files = a.result.sources.files;
  if (file === 0 || files[file] === undefined) return '';
  return ` · in \`${relative(dirname(resolve(files[0]!.path)), resolve(files[file]!.path))}\``;
}
