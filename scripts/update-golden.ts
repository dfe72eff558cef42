// Regenerates every golden file from what mmcheck prints today: the diagnostics of the
// invalid-spec corpus (test/fixtures/invalid/*.expected) and the terminal renderings of the
// golden traces (test/fixtures/traces/*.txt). Run from the repository root with
// `npm run golden` (rendered paths are relative to the working directory), then review the
// diff before committing: a golden file is a promise about what a user sees.
import { writeFileAtomic } from '../src/io/write-atomic.js';
import { expectedPath, INVALID_DIR, listFixtures, renderFixture } from '../test/support/golden-diagnostics.js';
import { GOLDEN_TRACES, goldenPath, renderTraceGolden } from '../test/support/golden-traces.js';

const fixtures = listFixtures();
for (const spec of fixtures) {
  const { text, errors, warnings } = renderFixture(spec);
  writeFileAtomic(expectedPath(spec), text);
  console.log(`${spec}: ${errors} error(s), ${warnings} warning(s)`);
}
console.log(`${fixtures.length} golden files written under ${INVALID_DIR}/`);

for (const trace of GOLDEN_TRACES) {
  const { text, code } = await renderTraceGolden(trace);
  writeFileAtomic(goldenPath(trace), text);
  console.log(`${goldenPath(trace)}: replay exit ${code}`);
}
