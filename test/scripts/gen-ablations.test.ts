// The ablation specs (specs/rfc-2008-fixed-without-<fix>.mmspec) are generated from
// specs/rfc-2008-fixed.mmspec by scripts/gen-ablations.ts: a committed one that differs from
// the script's output (the fixed spec was edited, or the ablation by hand) fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ABLATIONS, ablations, ablationText } from '../../scripts/gen-ablations.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGEN = 'run `npx tsc -p tsconfig.json && node dist/scripts/gen-ablations.js`';

test('every committed ablation spec is the one scripts/gen-ablations.ts generates', () => {
  for (const { path, text } of ablations(ROOT))
    assert.equal(readFileSync(join(ROOT, path), 'utf8'), text, `${path}: ${REGEN}`);
});

test('the generated specs are exactly the ablation specs in specs/', () => {
  const committed = readdirSync(join(ROOT, 'specs'))
    .filter((f) => f.startsWith('rfc-2008-fixed-without-'))
    .map((f) => `specs/${f}`)
    .sort();
  assert.deepEqual(
    committed,
    ablations(ROOT)
      .map((a) => a.path)
      .sort(),
  );
  assert.equal(committed.length, 26);
});

test('a fix that no longer appears in the fixed spec is an error, not a silent copy', () => {
  const fixed = readFileSync(join(ROOT, 'specs/rfc-2008-fixed.mmspec'), 'utf8');
  const edited = fixed.replace('fn wp_recheck(): bool { return true; }', 'fn wp_recheck(): bool { return 1 == 1; }');
  const a = ABLATIONS.find((x) => x.name === 'q6-wp-recheck')!;
  assert.throws(() => ablationText(edited, a), /exactly once: "fn wp_recheck\(\): bool \{ return true; \}"/);
  // The ablation keeps one scenario, expecting the violation; the fixed spec's others are gone.
  const text = ablationText(fixed, a);
  assert.deepEqual(
    text.split('\n').filter((l) => l.startsWith('scenario ')),
    [
      'scenario q6b_wp_after_merge_and_mprotect expect violation(invariant no_writable_pte_after_mprotect) { fault(1, true); mprotect(0, 1, true); mprotect(0, 2, false); }',
    ],
  );
});
