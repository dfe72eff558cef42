// The golden diagnostics of the invalid-spec corpus: every test/fixtures/invalid/NN-name.mmspec
// has NN-name.expected with exactly what renderDiagnostics prints for it. The test
// (test/model/lang/diagnostics.test.ts) and the regeneration (scripts/update-golden.ts,
// `npm run golden`) both render through renderFixture, so they can never disagree.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileFile } from '../../src/model/compile.js';
import { renderDiagnostics } from '../../src/model/lang/diagnostics.js';

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
