// Regenerates the golden diagnostics of the invalid-spec corpus: for every
// test/fixtures/invalid/NN-name.mmspec, writes NN-name.expected with exactly what
// renderDiagnostics prints for it. Run from the repository root with `npm run golden`
// (the rendered paths are relative to the working directory, and the goldens expect
// `test/fixtures/invalid/...`). Review the diff before committing: a golden file is a
// promise about what a user sees.
//
// The test (test/model/lang/diagnostics.test.ts) imports renderFixture from here, so the
// test and the regeneration can never disagree about how a fixture is rendered.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFile } from '../src/model/compile.js';
import { renderDiagnostics } from '../src/model/lang/diagnostics.js';

export const INVALID_DIR = 'test/fixtures/invalid';

/** The fixture specs, sorted by name, as paths relative to the repository root. */
export function listFixtures(dir = INVALID_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mmspec'))
    .sort()
    .map((f) => join(dir, f));
}

export function expectedPath(spec: string): string {
  return spec.replace(/\.mmspec$/, '.expected');
}

/** Compile one fixture and render its diagnostics; the text ends with one newline. */
export function renderFixture(spec: string): { text: string; errors: number; warnings: number } {
  const r = compileFile(spec);
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  return { text: `${renderDiagnostics(r.sources, r.diagnostics)}\n`, errors, warnings: r.diagnostics.length - errors };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fixtures = listFixtures();
  for (const spec of fixtures) {
    const { text, errors, warnings } = renderFixture(spec);
    writeFileSync(expectedPath(spec), text);
    console.log(`${spec}: ${errors} error(s), ${warnings} warning(s)`);
  }
  console.log(`${fixtures.length} golden files written under ${INVALID_DIR}/`);
}
