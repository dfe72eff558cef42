// Finding the specs of a gate run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSpecs } from '../../../src/checker/gate/discover.js';

const F = 'test/fixtures/check';

test('findSpecs: recursive, in name order, each file once', () => {
  assert.deepEqual(findSpecs([F, `${F}/locked.mmspec`]), [
    `${F}/broken.mmspec`,
    `${F}/budget.mmspec`,
    `${F}/lib/counter.mmspec`,
    `${F}/lib/hooked.mmspec`,
    `${F}/locked.mmspec`,
    `${F}/unbounded.mmspec`,
    `${F}/unexpected.mmspec`,
  ]);
});
