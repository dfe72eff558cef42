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
  /** The host of a document on another machine (`file://host/…`), else ''. */
  host: string;
  /** The URI of a file the compilation names by path (an import), as the editor spells it when open. */
  uriOf: (path: string) => string;
  /** fileKey of every file it imports, those it could not read included (opening one rechecks it). */
  imports: string[];
}

/**
 * The editor's open document that names the same file as `uri`, however either is spelt
 * (`file://localhost/x` and `file:///x`; VS Code escapes `+` as `%2B`, node does not).
 */
export type OpenDocument = (uri: string) => { uri: string; text: string } | undefined;

/**
 * The file a `file:` URI names: its path, and its host when that is not this machine
 * (`file://host/x` on Linux and macOS: node makes no path of it); undefined for other schemes
 * (an unsaved `untitled:` document). Throws on a URI that names no file (`file:///a%2Fb`).
 */
export function placeOf(uri: string): { path: string; host: string } | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const url = new URL(uri);
  try {
    return { path: fileURLToPath(url), host: '' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_INVALID_FILE_URL_HOST') throw e;
    return { path: fileURLToPath(new URL(url.pathname, 'file:///')), host: url.hostname };
  }
}

/** The file a URI names, to compare two URIs by (the URI itself when it names no file). */
export function fileKey(uri: string): string {
  try {
    const place = placeOf(uri);
    return place === undefined ? uri : `${place.host}:${place.path}`;
  } catch {
    return uri;
  }
}

export function analyze(uri: string, text: string, open: OpenDocument): Analysis {
  // An unsaved (untitled:) document resolves its imports from the working directory.
  const place = placeOf(uri) ?? { path: resolve('untitled.mmspec'), host: '' };
  const host = place.host;
  const fileUri = (p: string): string => {
    const url = pathToFileURL(p);
    if (host !== '') url.hostname = host;
    return url.href;
  };
  const uriOf = (p: string): string => {
    const u = fileUri(p);
    return open(u)?.uri ?? u;
  };
  const imports: string[] = [];
  const read: ReadFile = (p) => {
    const u = fileUri(p);
    imports.push(fileKey(u));
    const doc = open(u);
    if (doc !== undefined) return doc.text;
    // Another machine's files cannot be read here: only the editor has them.
    if (host !== '') throw new Error(`it is on host ${host}, not this machine; open it in the editor`);
    return readSpecText(p);
  };
  const loaded = loadSources(place.path, read, text);
  const result = compileLoaded(loaded);
  const uris = result.sources.files.map((f, i) => (i === 0 ? uri : uriOf(resolve(f.path))));
  const docs = result.sources.files.map((f, i) => TextDocument.create(uris[i]!, 'mmspec', 0, f.text));
  return { uris, docs, files: loaded.files, result, host, uriOf, imports };
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
