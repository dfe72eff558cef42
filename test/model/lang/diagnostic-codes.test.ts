// The diagnostic codes of src/model/lang/diagnostic-codes.ts: every code is produced by a
// fixture of the invalid corpus (so each has a golden file showing its code, position and
// span), raised at one place in the source unless it is listed below as deliberately shared,
// and documented in docs/diagnostics.md.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../../src/model/lang/diagnostic-codes.js';

const CODES = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

/** Codes raised at several places on purpose: one meaning, several places that detect it. */
const SHARED: Partial<Record<DiagnosticCode, string>> = {
  MM010: 'every `expected X, found Y` of the parser, whatever X is',
  MM012: "the missing '}' of a statement block and of a declaration's body",
  MM013: "a dangling 'else' at the start of a block and after a statement",
  MM019: 'nesting of blocks and statements (parse-cursor) and of expressions (parse-expr)',
  MM104: 'an unknown struct in a `ref` type, a pool and an alloc',
  MM114: "the two operators that divide, '/' and '%'",
  MM115: 'a non-constant operator and a non-constant kind of expression',
  MM205: "'while', 'goto', 'return', 'either' and labels in atomic { }",
  MM306: 'unary and binary operators',
  MM309: 'a field access and an alloc field initialiser',
  MM319: 'a built-in call and a fn call',
  MM320: 'a sync, an int and a reference argument of a built-in',
};

/** Every `'MMnnn'` literal in src/ (outside the table) and where it is. */
function raisedCodes(): Map<string, string[]> {
  const sites = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && entry.name !== 'diagnostic-codes.ts') {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/'(MM\d{3})'/g)) {
          const line = text.slice(0, m.index).split('\n').length;
          sites.set(m[1]!, [...(sites.get(m[1]!) ?? []), `${path}:${line}`]);
        }
      }
    }
  };
  walk('src');
  return sites;
}

test('every diagnostic code is produced by at least one invalid fixture', () => {
  // The goldens, read directly: they are what `npm run golden` wrote and the golden test checks.
  const dir = 'test/fixtures/invalid';
  const produced = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.expected'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^\S+:\d+:\d+: (?:error|warning)\[(MM\d{3})\]/gm))
      produced.add(m[1]!);
  }
  const missing = CODES.filter((c) => !produced.has(c));
  assert.deepEqual(missing, [], 'add a fixture under test/fixtures/invalid for each, then `npm run golden`');
  const unknown = [...produced].filter((c) => !(c in DIAGNOSTIC_CODES));
  assert.deepEqual(unknown, [], 'the goldens show codes the table does not declare');
});

test('each code is raised at one place, unless it is deliberately shared', () => {
  const sites = raisedCodes();
  for (const code of CODES) assert.ok(sites.has(code), `${code} is declared but never raised`);
  for (const [code, where] of sites) {
    assert.ok(code in DIAGNOSTIC_CODES, `${code} at ${where.join(', ')} is not in the table`);
    if (where.length > 1 && SHARED[code as DiagnosticCode] === undefined)
      assert.fail(`${code} is raised at ${where.join(', ')}: give each message its own code, or list it in SHARED`);
  }
  for (const code of Object.keys(SHARED))
    assert.ok((sites.get(code)?.length ?? 0) > 1, `${code} is listed as shared but raised at one place`);
});

test('codes are banded by phase and each has a one-line meaning', () => {
  for (const code of CODES) {
    assert.match(code, /^MM[0-4]\d\d$/);
    const meaning = DIAGNOSTIC_CODES[code];
    assert.ok(meaning.length > 0 && !meaning.includes('\n'), `${code}: one line`);
  }
});

test('docs/diagnostics.md documents every code, and no other', () => {
  const doc = readFileSync('docs/diagnostics.md', 'utf8');
  const documented = [...doc.matchAll(/^\| (MM\d{3}) \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented, CODES);
});
