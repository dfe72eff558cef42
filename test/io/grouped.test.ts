import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { grouped } from '../../src/io/grouped.js';

test('grouped: the same text as toLocaleString("en-US") for every number the reports print', () => {
  for (const n of [0, 7, 999, 1000, -1000, 123456, 1234567, -987654321, 2 ** 53 - 1, Infinity, Number.NaN, 2.5]) {
    assert.equal(grouped(n), Number.isFinite(n) ? n.toLocaleString('en-US') : String(n));
  }
  fc.assert(
    fc.property(fc.maxSafeInteger(), (n) => {
      assert.equal(grouped(n), n.toLocaleString('en-US'));
    }),
  );
});
