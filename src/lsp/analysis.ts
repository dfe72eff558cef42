// One document compiled the way `explore` and `check` compile it (model/compile.ts), with
// the parsed files kept for navigation and each file's URI for positions. Open documents
// are read from the editor's buffers, so an unsaved imported file counts as it is shown.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Diagnostic, DiagnosticSeverity, type Position, type Range } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type CompileResult, compileLoaded, loadSources, type ReadFile, readSpecText } from '../model/compile.js';
import type { Span, SpecFile } from '../model/lang/ast.js';

export interface Analysis {
  /** Per file index (Span.file): its URI, its text as a document, its parse. */
  uris: string[];
  docs: TextDocument[];
  files: SpecFile[];
  result: CompileResult;
}

/** The editor's text of a URI, when it has the document open. */
export type OpenText = (uri: string) => string | undefined;

export function analyze(uri: string, text: string, open: OpenText): Analysis {
  const path = uri.startsWith('file:') ? fileURLToPath(uri) : resolve('untitled.mmspec');
  const read: ReadFile = (p) => open(pathToFileURL(p).href) ?? readSpecText(p);
  const loaded = loadSources(path, read, text);
  const result = compileLoaded(loaded);
  const uris = result.sources.files.map((f, i) => (i === 0 ? uri : pathToFileURL(resolve(f.path)).href));
  const docs = result.sources.files.map((f, i) => TextDocument.create(uris[i]!, 'mmspec', 0, f.text));
  return { uris, docs, files: loaded.files, result };
}

export function rangeOf(a: Analysis, span: Span): Range {
  const doc = a.docs[span.file]!;
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function offsetOf(a: Analysis, file: number, pos: Position): number {
  return a.docs[file]!.offsetAt(pos);
}

/**
 * The compiler's diagnostics per URI: every file of the compilation gets an entry (empty when
 * clean), so that fixing an imported file clears it. A diagnostic's hint is the message's
 * second line, `hint: …` as on the command line. (It was a Hint-severity diagnostic of its
 * own: VS Code lists those nowhere and shows them only over the range's first two characters.)
 */
export function diagnosticsByUri(a: Analysis): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>(a.uris.map((u) => [u, []]));
  for (const d of a.result.diagnostics) {
    const list = out.get(a.uris[d.span.file] ?? '');
    if (list === undefined) continue;
    const range = rangeOf(a, d.span);
    const severity = d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
    const message = d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`;
    list.push({ range, severity, code: d.code, source: 'mmcheck', message });
  }
  return out;
}
