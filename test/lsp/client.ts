// A language client for tests: the server runs in this process on a pair of streams, and the
// test speaks JSON-RPC to it as an editor would.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  type MessageConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { serveStreams } from '../../src/lsp/server.js';

export interface TestClient {
  rpc: MessageConnection;
  /** The next diagnostics published for `uri` (queued if they came already). */
  diagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  /** The server's log lines so far (window/logMessage). */
  logs: string[];
  close(): Promise<void>;
}

export const uriOf = (path: string): string => pathToFileURL(resolve(path)).href;
export const textOf = (path: string): string => readFileSync(path, 'utf8');

export async function startClient(): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  void serveStreams(toServer, toClient, 'test');
  const rpc = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const queued = new Map<string, PublishDiagnosticsParams[]>();
  const waiting = new Map<string, (p: PublishDiagnosticsParams) => void>();
  rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const w = waiting.get(p.uri);
    if (w !== undefined) {
      waiting.delete(p.uri);
      w(p);
    } else queued.set(p.uri, [...(queued.get(p.uri) ?? []), p]);
  });
  const logs: string[] = [];
  rpc.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  rpc.listen();
  await rpc.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  rpc.sendNotification('initialized', {});
  return {
    rpc,
    logs,
    diagnostics: (uri) => {
      const q = queued.get(uri);
      if (q !== undefined && q.length > 0) return Promise.resolve(q.shift()!);
      return new Promise((done) => waiting.set(uri, done));
    },
    // No `exit` notification: the library answers it with process.exit, which would end the
    // test run (the CLI test below checks that exit on a process of its own).
    close: async () => {
      await rpc.sendRequest('shutdown');
      rpc.dispose();
    },
  };
}
