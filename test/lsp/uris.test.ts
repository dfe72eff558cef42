// The language server and the URIs an editor names files with: compared by the file they
// name, not by their spelling, and a document on another host (file://host/…), which node
// makes no path of on Linux, checked from the editor's text (src/lsp/analysis.ts placeOf).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startClient, type TestClient, uriOf } from './client.js';

let c: TestClient;
const at = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: at(l1, c1), end: at(l2, c2) });
const open = (uri: string, text: string): Promise<void> =>
  c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'mmspec', version: 1, text } });

before(async () => {
  c = await startClient();
});
after(async () => {
  await c.close();
});

// An editor may spell a file's URI otherwise than node's pathToFileURL: VS Code escapes `+`
// (file:///a%2Bb/x), and `file://localhost/x` names file:///x. The server compared URIs as
// strings: the unsaved text of an open imported file was not read (the disk's was), and an edit
// to it did not recheck the document importing it.
test('an open imported file is the same file however its URI is spelt: its unsaved text counts, its edits recheck', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-lsp-'));
  try {
    mkdirSync(join(dir, 'a+b'));
    writeFileSync(join(dir, 'a+b', 'lib.mmspec'), 'shared a: int = 0;\n');
    const vscode = (path: string): string => uriOf(path).replaceAll('+', '%2B');
    const main = vscode(join(dir, 'a+b', 'main.mmspec'));
    const libUri = uriOf(join(dir, 'a+b', 'lib.mmspec')).replace('file://', 'file://localhost');
    open(libUri, 'shared a: nosuchtype;\n');
    assert.equal((await c.diagnostics(libUri)).diagnostics[0]?.code, 'MM112');
    open(main, 'import "lib.mmspec";\nthread t() { a = 1; }\n');
    assert.deepEqual(await c.diagnostics(main), { uri: main, diagnostics: [] });
    // Published for the editor's URI of the file, from its unsaved text.
    assert.equal((await c.diagnostics(libUri)).diagnostics[0]?.code, 'MM112');
    // Fixing the imported file's buffer rechecks the document that imports it.
    c.rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri: libUri, version: 2 },
      contentChanges: [{ text: 'shared c: int = 0;\n' }],
    });
    const rechecked = await c.diagnostics(main);
    assert.deepEqual(
      rechecked.diagnostics.map((d) => d.code),
      ['MM307'],
      'main now reads `a`, which lib no longer declares',
    );
    for (const u of [main, libUri]) c.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// file://host/x names a file on another machine: node refuses to make it a path on Linux, and
// the server logged `cannot analyse …: File URL host must be "localhost" or empty on linux` at
// each keystroke and published nothing, not even the document's own errors.
test('a document on another host (file://host/…): its own text is checked, its imports read from open documents, said once in the log', async () => {
  const main = 'file://otherhost/srv/specs/main.mmspec';
  const libUri = 'file://otherhost/srv/specs/lib.mmspec';
  const before = c.logs.length;
  open(main, 'import "lib.mmspec";\nthread t() { a = 1; }\n');
  const unread = [
    'MM420',
    "cannot read imported file 'lib.mmspec': it is on host otherhost, not this machine; open it in the editor\nhint: imports are relative to /srv/specs/main.mmspec",
  ];
  const codes = async (): Promise<string[][]> =>
    (await c.diagnostics(main)).diagnostics.map((d) => [String(d.code), String(d.message)]);
  assert.deepEqual(await codes(), [unread]);
  c.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: main, version: 2 },
    contentChanges: [{ range: range(1, 13, 1, 14), text: 'a' }],
  });
  assert.deepEqual(await codes(), [unread]);
  open(libUri, 'shared a: int = 0;\n');
  assert.deepEqual(await c.diagnostics(libUri), { uri: libUri, diagnostics: [] });
  // The open imported file is read from the editor, and main is checked again with it.
  assert.deepEqual(await codes(), []);
  c.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: main, version: 3 },
    contentChanges: [{ range: range(1, 13, 1, 14), text: 'z' }],
  });
  assert.deepEqual(await codes(), [['MM307', "undeclared name 'z'\nhint: did you mean 'a'?"]]);
  assert.deepEqual(c.logs.slice(before), [
    `mmcheck: ${main} is a file on host otherhost, not on this machine: its imports are read from the documents open in the editor only`,
    `mmcheck: ${libUri} is a file on host otherhost, not on this machine: its imports are read from the documents open in the editor only`,
  ]);
  for (const u of [main, libUri]) c.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
});
