// A worker thread of the parallel BFS builds its system from the recipe with its step code
// generated from the first step (worker.ts), unless MMCHECK_CODEGEN says otherwise; a build
// without that argument keeps the default tier-up (closures first).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildFromRecipe } from '../../../src/checker/parallel/recipe.js';
import type { SystemRecipe } from '../../../src/checker/result.js';
import { codegenDefault, TIER_UP_STEPS } from '../../../src/model/gen-step.js';
import type { ModelSystem } from '../../../src/model/model-system.js';

const recipe: SystemRecipe = {
  path: join(import.meta.dirname, '../../../../specs/bench/fault-vs-munmap.mmspec'),
  scenario: 'fixed_k2',
  leak: false,
  dataRace: false,
};

const generated = (sys: ModelSystem): boolean[] => sys.threads.map((t) => t.run !== undefined);

test('buildFromRecipe: step code generated before the first step when asked, else after the tier-up', () => {
  const saved = process.env.MMCHECK_CODEGEN;
  try {
    delete process.env.MMCHECK_CODEGEN;
    assert.equal(codegenDefault(0), 0);
    assert.equal(codegenDefault(), TIER_UP_STEPS);
    const now = buildFromRecipe(recipe, codegenDefault(0)) as ModelSystem;
    assert.deepEqual(generated(now), [true, true, true]);
    const later = buildFromRecipe(recipe) as ModelSystem;
    assert.deepEqual(generated(later), [false, false, false]);
    // The A/B switch wins over the caller: MMCHECK_CODEGEN=0 runs the closures only.
    process.env.MMCHECK_CODEGEN = '0';
    assert.equal(codegenDefault(0), false);
    assert.deepEqual(generated(buildFromRecipe(recipe, codegenDefault(0)) as ModelSystem), [false, false, false]);
  } finally {
    if (saved === undefined) delete process.env.MMCHECK_CODEGEN;
    else process.env.MMCHECK_CODEGEN = saved;
  }
});
