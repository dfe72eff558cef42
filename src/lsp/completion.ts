// Completion: a struct's fields after `.` or `->`, the violation kinds inside
// `expect violation(`, the budget keys inside `budget(`, and otherwise the built-ins, the
// keywords and the declared names. Every list comes from the language's own tables.
import { type CompletionItem, CompletionItemKind, type Position } from 'vscode-languageserver/node';
import type { Expr, Span } from '../model/lang/ast.js';
import { BUILTINS } from '../model/lang/builtins.js';
import { KEYWORDS } from '../model/lang/lexer.js';
import { VIOLATION_KINDS } from '../model/lang/violation-kinds.js';
import { type Analysis, offsetOf } from './analysis.js';
import type { Def } from './defs.js';
import { builtinDoc, builtinSignature, declarationText, scopeAt } from './navigate.js';

/** The budget keys a scenario accepts (check-scenario.ts rejects any other). */
const BUDGET_KEYS = ['states', 'seconds', 'depth', 'executions'];

const KIND: Partial<Record<Def['kind'], CompletionItemKind>> = {
  thread: CompletionItemKind.Function,
  fn: CompletionItemKind.Function,
  struct: CompletionItemKind.Struct,
  global: CompletionItemKind.Variable,
  const: CompletionItemKind.Constant,
  enum: CompletionItemKind.Enum,
  member: CompletionItemKind.EnumMember,
  param: CompletionItemKind.Variable,
  local: CompletionItemKind.Variable,
};

/**
 * `current`: this document as typed (it may not parse: `v.` alone is an error); `fallback`:
 * its last analysis whose text parsed, for the declarations while the current one is broken.
 */
export function complete(current: Analysis, fallback: Analysis | undefined, pos: Position): CompletionItem[] {
  const offset = offsetOf(current, 0, pos);
  const text = current.docs[0]!.getText();
  const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const member = /([A-Za-z_]\w*(?:\s*(?:\.|->)\s*[A-Za-z_]\w*)*)\s*(?:\.|->)\s*\w*$/.exec(before);
  if (member !== undefined && member !== null) return fieldItems(current, fallback, offset, member[1]!);
  if (/\bviolation\s*\(\s*\w*$/.test(before))
    return [...VIOLATION_KINDS].map((k) => ({
      label: k,
      kind: CompletionItemKind.EnumMember,
      detail: 'violation kind',
    }));
  if (/\bexpect\s+\w*$/.test(before))
    return ['pass', 'violation'].map((k) => ({ label: k, kind: CompletionItemKind.Keyword }));
  if (/\bbudget\s*\([^)]*$/.test(before))
    return BUDGET_KEYS.map((k) => ({ label: k, kind: CompletionItemKind.Property, detail: 'scenario budget' }));
  return generalItems(fallback ?? current, offset);
}

/** The fields of the struct `chain` (`v`, `v->mm.x`) refers to; every struct's when unknown. */
function fieldItems(
  current: Analysis,
  fallback: Analysis | undefined,
  offset: number,
  chain: string,
): CompletionItem[] {
  const names = chain.split(/\s*(?:\.|->)\s*/);
  const span: Span = { file: 0, start: offset, end: offset };
  let e: Expr = { kind: 'name', name: names[0]!, span };
  for (const n of names.slice(1)) e = { kind: 'field', object: e, field: n, fieldSpan: span, span };
  let fields: Def[] = [];
  let from = current;
  for (const a of fallback === undefined ? [current] : [current, fallback]) {
    const { scope } = scopeAt(a, 0, Math.min(offset, a.docs[0]!.getText().length));
    const s = scope.structOf(e);
    from = a;
    fields = scope.fields(s);
    if (s !== undefined && fields.length > 0) break;
  }
  const seen = new Set<string>();
  return fields.flatMap((f) => {
    if (seen.has(f.name)) return [];
    seen.add(f.name);
    return [{ label: f.name, kind: CompletionItemKind.Field, detail: `${declarationText(from, f)} (${f.owner})` }];
  });
}

function generalItems(a: Analysis, offset: number): CompletionItem[] {
  const items: CompletionItem[] = [...BUILTINS.values()].map((b) => ({
    label: b.name,
    kind: CompletionItemKind.Function,
    detail: builtinSignature(b),
    documentation: { kind: 'markdown', value: builtinDoc(b) },
  }));
  for (const k of KEYWORDS) items.push({ label: k, kind: CompletionItemKind.Keyword });
  const { scope } = scopeAt(a, 0, Math.min(offset, a.docs[0]!.getText().length));
  const seen = new Set(items.map((i) => i.label));
  for (const d of [...scope.local, ...scope.top]) {
    const kind = KIND[d.kind];
    if (kind === undefined || seen.has(d.name)) continue;
    seen.add(d.name);
    items.push({ label: d.name, kind, detail: declarationText(a, d) });
  }
  return items;
}
