import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './textmate.js';

const EXT = join(ROOT, 'editors/vscode');
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8'));

test('the extension manifest points at files that exist and agree with the grammar', () => {
  assert.ok(existsSync(join(EXT, manifest.main)), manifest.main);
  const [lang] = manifest.contributes.languages;
  assert.deepEqual([lang.id, lang.extensions], ['mmspec', ['.mmspec']]);
  const conf = JSON.parse(readFileSync(join(EXT, lang.configuration), 'utf8'));
  assert.deepEqual(conf.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  const [grammar] = manifest.contributes.grammars;
  const tm = JSON.parse(readFileSync(join(EXT, grammar.path), 'utf8'));
  assert.equal(grammar.scopeName, tm.scopeName);
  assert.equal(manifest.contributes.configuration.properties['mmcheck.path'].default, 'npx mmcheck');
});

/** extension.js loaded with stand-ins for the modules only VS Code provides. */
function loadExtension(setting: string | undefined, folder: string | undefined) {
  const vscode = {
    workspace: {
      getConfiguration: () => ({ get: (_key: string, dflt: string) => setting ?? dflt }),
      workspaceFolders: folder === undefined ? undefined : [{ uri: { fsPath: folder } }],
    },
  };
  const stubs: Record<string, unknown> = { vscode, 'vscode-languageclient/node': { TransportKind: { stdio: 0 } } };
  const mod = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  mod._load = (req: string, ...rest: unknown[]) => (req in stubs ? stubs[req] : load(req, ...rest));
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve(join(EXT, 'extension.js'));
    delete require.cache[file];
    return require(file) as { serverCommand: () => { command: string; args: string[]; cwd?: string } };
  } finally {
    mod._load = load;
  }
}

test('the client runs `<mmcheck.path> lsp`, relative paths from the workspace folder', () => {
  assert.deepEqual(loadExtension(undefined, '/ws').serverCommand(), {
    command: 'npx',
    args: ['mmcheck', 'lsp'],
    cwd: '/ws',
  });
  assert.deepEqual(loadExtension('  node bin/mmcheck.js ', '/ws').serverCommand(), {
    command: 'node',
    args: ['/ws/bin/mmcheck.js', 'lsp'],
    cwd: '/ws',
  });
  assert.deepEqual(loadExtension('/opt/mmcheck/bin/mmcheck.js --no-color', undefined).serverCommand(), {
    command: '/opt/mmcheck/bin/mmcheck.js',
    args: ['--no-color', 'lsp'],
    cwd: undefined,
  });
  assert.deepEqual(loadExtension('', undefined).serverCommand().args, ['mmcheck', 'lsp']);
});
