// The compile pipeline never throws (see compile-fuzz.ts for the property). 1,000 cases here,
// a fresh seed each run (fast-check prints it on failure); `npm run fuzz` runs 100,000.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSystem, compileText } from '../../../src/model/compile.js';
import { runCompileFuzz, VALID_DIR } from './compile-fuzz.js';

test('the valid seed specs compile without errors and build every scenario', () => {
  const files = readdirSync(VALID_DIR).filter((f) => f.endsWith('.mmspec'));
  assert.ok(files.length >= 4, `only ${files.length} valid specs in ${VALID_DIR}`);
  for (const f of files) {
    const r = compileText(readFileSync(join(VALID_DIR, f), 'utf8'), join(VALID_DIR, f));
    assert.ok(r.ok, `${f}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    assert.deepEqual(r.diagnostics, [], `${f} has warnings`);
    for (const s of r.spec.scenarios)
      assert.ok('state' in buildSystem(r.spec, s).initial(), `${f} ${s.name}: init fails`);
  }
});

test('property: mutated valid specs and random token streams compile, build and step without throwing (1,000 cases)', () => {
  const counts = runCompileFuzz(1000);
  // If edits stopped reaching buildSystem the property would pass vacuously.
  assert.ok(counts.compiled > 20, `only ${counts.compiled} of ${counts.cases} cases compiled`);
});

// Inputs too regular for the fuzzer to find, each of which once ended in a stack overflow or
// an allocation failure (or a hang) after the front end had accepted it.
test('oversized specs are diagnosed, not thrown on', () => {
  const spec = (decls: string, body = 'x = 1;'): string =>
    `spec "big";\nshared x: int;\n${decls}\nthread t() { ${body} }\nscenario s expect pass { t(); }\n`;
  const chain = (op: string, n: number): string => `x == 1${` ${op} x == 1`.repeat(n)}`;
  const fns = (n: number): string =>
    Array.from({ length: n }, (_, i) => (i === 0 ? 'fn f0() { x = 1; }' : `fn f${i}() { f${i - 1}(); }`)).join('\n');
  const cases: [string, string][] = [
    [spec(`invariant i: ${chain('&&', 5000)};`), 'expression too deeply nested'],
    [spec(`invariant i: ${chain('=>', 5000)};`), 'expression too deeply nested'],
    [spec(fns(3000), 'f2999();'), "calls from fn 'f100' nest more than 100 fns deep"],
    [
      spec('shared a: int[1024][1024][1024][1024];'),
      'the model state is too large: 1099511627777 words, at most 1048576',
    ],
  ];
  for (const [text, message] of cases) {
    const r = compileText(text, 'big.mmspec');
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      [message],
    );
  }
  // Just inside the bounds, the same shapes compile and build.
  for (const text of [spec(`invariant i: ${chain('&&', 150)};`), spec(fns(100), 'f99();')]) {
    const r = compileText(text, 'big.mmspec');
    assert.ok(r.ok, r.diagnostics.map((d) => d.message).join('; '));
    for (const s of r.spec.scenarios) buildSystem(r.spec, s).initial();
  }
});
