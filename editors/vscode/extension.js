// The mmcheck VS Code client: starts `mmcheck lsp` (the language server shipped with mmcheck)
// over stdio for .mmspec files. Plain CommonJS, so the extension needs no build step.
'use strict';
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** `mmcheck.path` split into a command and its arguments, with `lsp` appended. */
function serverCommand() {
  const setting = vscode.workspace.getConfiguration('mmcheck').get('path', 'npx mmcheck');
  const words = setting.trim().split(/\s+/).filter((w) => w.length > 0);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // A relative path like `bin/mmcheck.js` names a file of the workspace, not of VS Code's cwd.
  const relative = (w) => !w.startsWith('-') && /[\\/]/.test(w) && !path.isAbsolute(w);
  const resolve = (w) => (folder !== undefined && relative(w) ? path.join(folder, w) : w);
  const [command = 'npx', ...args] = words.length > 0 ? words.map(resolve) : ['npx', 'mmcheck'];
  return { command, args: [...args, 'lsp'], cwd: folder };
}

async function start(context) {
  const { command, args, cwd } = serverCommand();
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = {
    command,
    args,
    transport: TransportKind.stdio,
    // npx and globally installed bins are .cmd files on Windows, which only a shell runs.
    options: { cwd, shell: process.platform === 'win32' },
  };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [{ language: 'mmspec' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.mmspec') },
  };
  client = new LanguageClient('mmcheck', 'mmcheck', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `mmcheck: could not start \`${[command, ...args].join(' ')}\` (${err?.message ?? err}). ` +
        'Set "mmcheck.path" to the command that runs mmcheck.',
    );
  }
  context.subscriptions.push({ dispose: () => client?.stop() });
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('mmcheck.restartServer', async () => {
      await client?.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('mmcheck.path')) return;
      await client?.stop();
      await start(context);
    }),
  );
  await start(context);
}

async function deactivate() {
  await client?.stop();
}

module.exports = { activate, deactivate, serverCommand };
