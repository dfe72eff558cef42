// The golden corpus of invalid specs: every test/fixtures/invalid/NN-name.mmspec is compiled
// and its rendered diagnostics compared, byte for byte, with NN-name.expected. The goldens
// are what a user sees; a change to any message, position or hint shows up here as a diff.
//
// To accept an intended change: `npm run golden`, then review `git diff test/fixtures/`.
//
// Paths in the goldens are relative to the repository root, which is the working directory
// of `npm test`; the test refuses to run from anywhere else rather than fail confusingly.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { compileText } from '../../../src/model/compile.js';
import { renderDiagnostics } from '../../../src/model/lang/diagnostics.js';
import { expectedPath, INVALID_DIR, listFixtures, renderFixture } from '../../support/golden-diagnostics.js';

const fixtures = existsSync(INVALID_DIR) ? listFixtures() : [];

test('the invalid corpus is present and large enough (run from the repository root)', () => {
  assert.ok(existsSync(INVALID_DIR), `${INVALID_DIR} not found: run the tests from the repository root`);
  assert.ok(fixtures.length >= 45, `only ${fixtures.length} fixtures`);
  for (const f of fixtures) {
    assert.match(basename(f), /^\d\d-[a-z0-9-]+\.mmspec$/, 'fixtures are named NN-short-name.mmspec');
    assert.ok(existsSync(expectedPath(f)), `${f} has no .expected file: run \`npm run golden\``);
  }
});

for (const spec of fixtures) {
  test(`golden: ${basename(spec)}`, () => {
    const { text, errors, warnings } = renderFixture(spec);
    const want = readFileSync(expectedPath(spec), 'utf8');
    assert.equal(text, want, `rendered diagnostics differ from ${expectedPath(spec)} (accept with \`npm run golden\`)`);
    if (basename(spec).endsWith('-warning.mmspec')) {
      // A warnings-only fixture compiles; it is here for the text of its warning.
      assert.equal(errors, 0, 'a *-warning fixture must produce no error');
      assert.ok(warnings > 0, 'a *-warning fixture must produce a warning');
    } else {
      assert.ok(errors > 0, 'an invalid fixture must produce at least one error');
    }
  });
}

test('a diagnostic shows the control characters of its source line escaped, the caret under its column', () => {
  // An escape sequence in a comment (retitle the window, clear the screen) reached the
  // terminal as it was; a binary file's line printed its NULs.
  const src = 'shared x: int; thread t() { /* \x1b]0;x\x07 */ x = y; } // \x1b[2J\x00';
  const r = compileText(`${src}\n`, 'esc.mmspec');
  const shown = 'shared x: int; thread t() { /* \\x1b]0;x\\x07 */ x = y; } // \\x1b[2J\\x00';
  assert.equal(
    renderDiagnostics(r.sources, r.diagnostics),
    [
      `esc.mmspec:1:${src.indexOf('y;') + 1}: error[MM307]: undeclared name 'y'`,
      `    ${shown}`,
      `    ${' '.repeat(shown.indexOf('y;'))}^`,
      "    hint: did you mean 'x'?",
    ].join('\n'),
  );
});

test('the caret sits under the span by terminal columns: wide CJK and emoji count two, a combining mark none', () => {
  // It counted UTF-16 code units: two spaces too few under 漢字, one too many under e + U+0301,
  // one caret under the two columns of 漢. The header's column stays in code units (README).
  const src = 'shared x: int; thread t() { /* 漢字 🙂 e\u0301 */\tx = yy; }';
  const r = compileText(`${src}\n`, 'wide.mmspec');
  const [header, line, caret] = renderDiagnostics(r.sources, r.diagnostics).split('\n');
  assert.equal(header, `wide.mmspec:1:${src.indexOf('yy') + 1}: error[MM307]: undeclared name 'yy'`);
  assert.equal(line, `    ${src}`);
  // 31 columns of ASCII, 漢字 4, a space, 🙂 2, a space, é 1, ' */' 3; the tab kept; 'x = '.
  assert.equal(caret, `    ${' '.repeat(31 + 4 + 1 + 2 + 1 + 1 + 3)}\t${' '.repeat(4)}^^`);
  const wide = compileText('shared x: int; thread t() { x = 漢; }\n', 'wide.mmspec');
  const [, , under] = renderDiagnostics(wide.sources, wide.diagnostics).split('\n');
  assert.equal(under, `    ${' '.repeat('shared x: int; thread t() { x = '.length)}^^`);
});

test('a diagnostic on a very long line shows the part around its column, the caret under it', () => {
  // A generated spec on one line printed the whole line and as long a caret line: 1.4 MB
  // for one error in a 700 KB line.
  const body = 'x = 1; '.repeat(100_000);
  const r = compileText(`shared x: int;\nthread t() { ${body}y = 2; ${body}}\n`, 'long.mmspec');
  const d = r.diagnostics.filter((x) => x.code === 'MM307');
  assert.equal(d.length, 1);
  const [header, line, caret, hint] = renderDiagnostics(r.sources, d).split('\n');
  assert.equal(header, `long.mmspec:2:${14 + body.length}: error[MM307]: undeclared name 'y'`);
  // 240 columns: `…` and the 99 before the column, then the 140 from it, the last one `…`.
  assert.equal(line, `    … ${'x = 1; '.repeat(14)}${`y = 2; ${'x = 1; '.repeat(20)}`.slice(0, 139)}…`);
  assert.equal(caret, `    ${' '.repeat(line!.indexOf('y = 2') - 4)}^`);
  assert.equal(hint, "    hint: did you mean 'x'?");
});

test('a long line cut around the column never splits an emoji (a surrogate pair) in two', () => {
  const emoji = '😀'.repeat(200);
  for (const pad of ['', 'a']) {
    const text = `shared x: int;\nthread t() { /* ${pad}${emoji} */ y = 2; /* ${pad}${emoji} */ }\n`;
    const r = compileText(text, 'emoji.mmspec');
    const out = renderDiagnostics(
      r.sources,
      r.diagnostics.filter((d) => d.code === 'MM307'),
    );
    const [, line, caret] = out.split('\n');
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    assert.doesNotMatch(line!, lone, `pad '${pad}': half an emoji`);
    assert.match(line!, /^ {4}…(?:😀)+ \*\/ y = 2; \/\* a?(?:😀)+…$/u);
    assert.equal(caret!.trimEnd().at(-1), '^');
  }
});
