// Names and where they are declared, from the parsed files alone: navigation keeps working
// while the spec has type errors (the checker's tables exist only for a spec that checks).
import type { Decl, Expr, Span, SpecFile, TypeExpr } from '../model/lang/ast.js';

export type DefKind =
  | 'thread'
  | 'fn'
  | 'struct'
  | 'field'
  | 'global'
  | 'const'
  | 'enum'
  | 'member'
  | 'pool'
  | 'invariant'
  | 'final'
  | 'scenario'
  | 'param'
  | 'local'
  | 'label';

export interface Def {
  name: string;
  kind: DefKind;
  nameSpan: Span;
  span: Span;
  /** The struct of a field, the enum of a member, the thread or fn of a param or local. */
  owner?: string;
  type?: TypeExpr;
}

/** A node of the tree: an expression, statement or declaration (with a `kind`), or a part. */
export interface AnyNode {
  kind?: unknown;
  span?: Span;
  [key: string]: unknown;
}

const def = (d: Def): Def => d;

/** Every name declared at the top level of the files (fields and enum members included). */
export function topDefs(files: readonly SpecFile[]): Def[] {
  return files.flatMap((f) => f.decls.flatMap(declDefs));
}

function declDefs(d: Decl): Def[] {
  switch (d.kind) {
    case 'thread':
    case 'fn':
    case 'const':
    case 'invariant':
    case 'final':
    case 'scenario':
      return [def({ name: d.name, kind: d.kind, nameSpan: d.nameSpan, span: d.span })];
    case 'global':
      return [def({ name: d.name, kind: 'global', nameSpan: d.nameSpan, span: d.span, type: d.type })];
    case 'struct':
      return [
        def({ name: d.name, kind: 'struct', nameSpan: d.nameSpan, span: d.span }),
        ...d.fields.map((f) =>
          def({ name: f.name, kind: 'field', nameSpan: f.nameSpan, span: f.span, owner: d.name, type: f.type }),
        ),
      ];
    case 'enum':
      return [
        def({ name: d.name, kind: 'enum', nameSpan: d.nameSpan, span: d.span }),
        ...d.members.map((m) => def({ name: m.name, kind: 'member', nameSpan: m.span, span: m.span, owner: d.name })),
      ];
    default:
      return [];
  }
}

/** The params, locals, `for` variables and labels of a thread, fn or init block. */
export function bodyDefs(d: AnyNode): Def[] {
  const owner = typeof d.name === 'string' ? d.name : String(d.kind);
  const out: Def[] = [];
  if (Array.isArray(d.params))
    for (const p of d.params as { name: string; nameSpan: Span; span: Span; type: TypeExpr }[])
      out.push({ name: p.name, kind: 'param', nameSpan: p.nameSpan, span: p.span, owner, type: p.type });
  const visit = (x: unknown): void =>
    walkNodes(x, (n) => {
      const span = n.span as Span;
      if (n.kind === 'local')
        out.push({
          name: n.name as string,
          kind: 'local',
          nameSpan: n.nameSpan as Span,
          span,
          owner,
          type: n.type as TypeExpr,
        });
      else if (n.kind === 'for') {
        const type: TypeExpr = { kind: 'int', span: n.varSpan as Span };
        out.push({ name: n.var as string, kind: 'local', nameSpan: n.varSpan as Span, span, owner, type });
      } else if (n.kind === 'label') out.push({ name: n.name as string, kind: 'label', nameSpan: span, span, owner });
      return true;
    });
  visit(d.body);
  visit(d.init);
  return out;
}

/** Calls `enter` on every syntax node under `x` (spans skipped); children only when it returns true. */
function walkNodes(x: unknown, enter: (n: AnyNode) => boolean): void {
  if (Array.isArray(x)) {
    for (const y of x) walkNodes(y, enter);
    return;
  }
  if (x === null || typeof x !== 'object') return;
  const n = x as AnyNode;
  if (!enter(n)) return;
  for (const [k, v] of Object.entries(n)) if (typeof v === 'object' && !k.endsWith('pan')) walkNodes(v, enter);
}

/** The nodes whose span contains `offset`, outermost (a declaration) first. */
export function chainAt(file: SpecFile, offset: number): AnyNode[] {
  const out: AnyNode[] = [];
  const visit = (x: unknown): void =>
    walkNodes(x, (n) => {
      const s = n.span;
      if (s !== undefined && (offset < s.start || offset > s.end)) return false;
      if (typeof n.kind === 'string' && s !== undefined) out.push(n);
      return true;
    });
  visit(file.decls);
  return out;
}

/** Resolves names inside one body: its own names first, then the files' top level. */
export class Scope {
  constructor(
    readonly top: Def[],
    readonly local: Def[],
  ) {}

  /** What a name in an expression or type means (locals shadow globals; fields and labels excluded). */
  lookup(name: string): Def[] {
    const mine = this.local.filter((d) => d.name === name && d.kind !== 'label');
    if (mine.length > 0) return mine;
    return this.top.filter((d) => d.name === name && d.kind !== 'field');
  }

  fields(struct: string | undefined): Def[] {
    return this.top.filter((d) => d.kind === 'field' && (struct === undefined || d.owner === struct));
  }

  /** The struct an expression's value refers to, from the declared types along the way. */
  structOf(e: Expr): string | undefined {
    const t = this.typeOf(e);
    return t?.kind === 'ref' ? t.target : t?.kind === 'named' ? t.name : undefined;
  }

  typeOf(e: Expr): TypeExpr | undefined {
    if (e.kind === 'name') return this.lookup(e.name).find((d) => d.type !== undefined)?.type;
    if (e.kind === 'field') {
      const s = this.structOf(e.object);
      return this.fields(s).find((f) => f.name === e.field)?.type;
    }
    if (e.kind === 'index') {
      const t = this.typeOf(e.object);
      return t?.kind === 'array' ? t.elem : undefined;
    }
    if (e.kind === 'alloc') return { kind: 'ref', target: e.type, span: e.typeSpan };
    if (e.kind === 'call' && e.args[0] !== undefined && /^(READ_ONCE|rcu_dereference)$/.test(e.callee))
      return this.typeOf(e.args[0]);
    return undefined;
  }
}

/** The identifier around `offset` in `text`, if there is one. */
export function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  const isWord = (i: number): boolean => /[A-Za-z0-9_]/.test(text[i] ?? '');
  let start = offset;
  while (start > 0 && isWord(start - 1)) start--;
  let end = offset;
  while (end < text.length && isWord(end)) end++;
  if (start === end || /[0-9]/.test(text[start]!)) return undefined;
  return { word: text.slice(start, end), start, end };
}
