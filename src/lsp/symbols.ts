// The outline of a document: its own declarations (an imported file has its own outline).
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver/node';
import type { Decl } from '../model/lang/ast.js';
import { type Analysis, rangeOf } from './analysis.js';
import { declarationText } from './navigate.js';

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  return a.files[0]!.decls.flatMap((d) => {
    const s = symbolOf(a, d);
    return s === undefined ? [] : [s];
  });
}

function symbolOf(a: Analysis, d: Decl): DocumentSymbol | undefined {
  const sym = (name: string, kind: SymbolKind, nameSpan: typeof d.span, detail: string): DocumentSymbol => ({
    name,
    detail,
    kind,
    range: rangeOf(a, d.span),
    selectionRange: rangeOf(a, nameSpan),
  });
  switch (d.kind) {
    case 'thread':
      return sym(d.name, SymbolKind.Function, d.nameSpan, 'thread');
    case 'fn':
      return sym(d.name, SymbolKind.Function, d.nameSpan, 'fn');
    case 'struct':
      return {
        ...sym(d.name, SymbolKind.Struct, d.nameSpan, 'struct'),
        children: d.fields.map((f) => ({
          name: f.name,
          detail: declarationText(a, { name: f.name, kind: 'field', nameSpan: f.nameSpan, span: f.span }),
          kind: SymbolKind.Field,
          range: rangeOf(a, f.span),
          selectionRange: rangeOf(a, f.nameSpan),
        })),
      };
    case 'global':
      return sym(d.name, SymbolKind.Variable, d.nameSpan, d.ghost ? 'ghost' : 'shared');
    case 'const':
      return sym(d.name, SymbolKind.Constant, d.nameSpan, 'const');
    case 'enum':
      return sym(d.name, SymbolKind.Enum, d.nameSpan, 'enum');
    case 'invariant':
    case 'final':
      return sym(d.name, SymbolKind.Property, d.nameSpan, d.kind);
    case 'scenario':
      return sym(d.name, SymbolKind.Event, d.nameSpan, `scenario expect ${expectText(d.expect)}`);
    default:
      return undefined;
  }
}

function expectText(e: Extract<Decl, { kind: 'scenario' }>['expect']): string {
  if (e.kind === 'pass') return 'pass';
  return `violation(${e.violation}${e.condition === undefined ? '' : ` ${e.condition.name}`})`;
}
