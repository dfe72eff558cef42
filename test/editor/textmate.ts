// Loads the committed .mmspec grammar into vscode-textmate (the engine VS Code itself runs,
// with the same Oniguruma regex library as WebAssembly), so tests see the tokens an editor sees.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

/** The repository root (this file runs as dist/test/editor/textmate.js). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const GRAMMAR_FILE = `${ROOT}editors/vscode/syntaxes/mmspec.tmLanguage.json`;

export interface Tok {
  line: number;
  col: number;
  text: string;
  scopes: string[];
}

let loaded: Promise<textmate.IGrammar> | undefined;

/** The grammar, loaded once per process (Oniguruma may be initialised only once). */
export function loadGrammar(): Promise<textmate.IGrammar> {
  loaded ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.mmspec'
          ? textmate.parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE)
          : null,
    });
    const grammar = await registry.loadGrammar('source.mmspec');
    if (grammar === null) throw new Error('the grammar did not load');
    return grammar;
  })();
  return loaded;
}

/** Every token of `text`, line by line, carrying the rule stack across lines as an editor does. */
export function tokenise(grammar: textmate.IGrammar, text: string): Tok[] {
  const out: Tok[] = [];
  let stack = textmate.INITIAL;
  text.split(/\r?\n/).forEach((line, n) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens)
      out.push({ line: n + 1, col: t.startIndex + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

/**
 * A token the grammar failed on: non-whitespace text that got only the root scope (no rule
 * matched it), or text a rule marked invalid (the catch-all for characters the lexer rejects).
 */
export function unmatched(t: Tok): boolean {
  if (!/\S/.test(t.text)) return false;
  return t.scopes.length <= 1 || t.scopes.some((s) => s.startsWith('invalid.'));
}
