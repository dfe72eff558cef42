// The language server (`mmcheck lsp`): every open document is compiled by the compiler the
// CLI uses on each change, and its diagnostics are published for it and for each file it
// imports; hover, definition, outline and completion read the same analysis.
import {
  type Connection,
  createConnection,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyze, diagnosticsByUri, fileKey, type OpenDocument } from './analysis.js';
import { complete } from './completion.js';
import { definition, hover } from './navigate.js';
import { documentSymbols } from './symbols.js';

/** Serve one client on a pair of streams until it exits; resolves when the connection closes. */
export function serveStreams(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  version: string,
): Promise<void> {
  const reader = new StreamMessageReader(input);
  // The reader re-arms a timer every 10 s while a message is incomplete, only to report it: an
  // editor that died mid-message left the server running for ever after its input had ended.
  reader.partialMessageTimeout = 0;
  const connection = createConnection(reader, new StreamMessageWriter(output));
  quietAfterClose(connection);
  return new Promise((done) => {
    connection.onExit(() => done());
    input.on('end', () => done());
    startServer(connection, version);
  });
}

/**
 * The library logs a message it cannot handle through the server's console (window/logMessage),
 * also after the input has ended: that send threw "Connection is closed" out of a promise,
 * and the process died as an internal bug (exit 70). A log line with nowhere to go is dropped.
 * So are diagnostics: messages queued when the input ended are still handled, and the
 * diagnostics of a document opened in them threw, printed with a stack on stderr.
 */
function quietAfterClose(connection: Connection): void {
  const remote = connection.console;
  for (const level of ['error', 'warn', 'info', 'log'] as const) {
    const send = remote[level].bind(remote);
    remote[level] = (message: string): void => {
      try {
        send(message);
      } catch {
        // The client has gone.
      }
    };
  }
  const publish = connection.sendDiagnostics.bind(connection);
  connection.sendDiagnostics = async (params) => {
    try {
      await publish(params);
    } catch {
      // The client has gone.
    }
  };
}

export function startServer(connection: Connection, version: string): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  /** Per open document, its last analysis whose own text parsed (completion's declarations). */
  const parsed = new Map<string, Analysis>();
  /** Per open document, the URIs it last published diagnostics for. */
  const published = new Map<string, string[]>();
  /** The open documents on another host that the log named (once each: not at every keystroke). */
  const remote = new Set<string>();
  const open: OpenDocument = (uri) => {
    const key = fileKey(uri);
    const doc = documents.get(uri) ?? documents.all().find((d) => fileKey(d.uri) === key);
    return doc === undefined ? undefined : { uri: doc.uri, text: doc.getText() };
  };

  const refresh = (doc: TextDocument): void => {
    let a: Analysis;
    try {
      a = analyze(doc.uri, doc.getText(), open);
    } catch (e) {
      connection.console.error(`mmcheck: cannot analyse ${doc.uri}: ${(e as Error).message}`);
      return;
    }
    if (a.host !== '' && !remote.has(doc.uri)) {
      remote.add(doc.uri);
      connection.console.warn(
        `mmcheck: ${doc.uri} is a file on host ${a.host}, not on this machine: its imports are read from the documents open in the editor only`,
      );
    }
    analyses.set(doc.uri, a);
    const ownParseErrors = a.result.diagnostics.some((d) => d.span.file === 0 && /^MM0\d\d$/.test(d.code));
    if (!ownParseErrors) parsed.set(doc.uri, a);
    const byUri = diagnosticsByUri(a);
    for (const uri of published.get(doc.uri) ?? []) if (!byUri.has(uri)) byUri.set(uri, []);
    for (const [uri, diagnostics] of byUri) connection.sendDiagnostics({ uri, diagnostics });
    published.set(doc.uri, a.uris);
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      completionProvider: { triggerCharacters: ['.', '>', '('] },
    },
    serverInfo: { name: 'mmcheck', version },
  }));
  documents.onDidChangeContent((e) => {
    refresh(e.document);
    // A document importing the changed one sees the edit too (the same file, however spelt),
    // and one whose import could not be read until the editor opened it.
    const key = fileKey(e.document.uri);
    for (const [uri, a] of analyses)
      if (uri !== e.document.uri && a.imports.includes(key)) {
        const other = documents.get(uri);
        if (other !== undefined) refresh(other);
      }
  });
  documents.onDidClose((e) => {
    for (const uri of published.get(e.document.uri) ?? []) connection.sendDiagnostics({ uri, diagnostics: [] });
    analyses.delete(e.document.uri);
    parsed.delete(e.document.uri);
    published.delete(e.document.uri);
    remote.delete(e.document.uri);
  });
  connection.onHover((p) => {
    const a = analyses.get(p.textDocument.uri);
    return a === undefined ? null : hover(a, 0, p.position);
  });
  connection.onDefinition((p) => {
    const a = analyses.get(p.textDocument.uri);
    return a === undefined ? [] : definition(a, 0, p.position);
  });
  connection.onDocumentSymbol((p) => {
    const a = analyses.get(p.textDocument.uri);
    return a === undefined ? [] : documentSymbols(a);
  });
  connection.onCompletion((p) => {
    const a = analyses.get(p.textDocument.uri);
    return a === undefined ? [] : complete(a, parsed.get(p.textDocument.uri), p.position);
  });
  documents.listen(connection);
  connection.listen();
}
