// Every committed counterexample in traces/ is replayed on every test run and must still
// reproduce: same violation kind, at the same step, at the same source position. A trace
// that stops reproducing fails here with where and why (docs/traces.md).

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkTraceFile } from '../../../src/checker/trace/replay.js';

const DIR = 'traces';
const traces = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(DIR, f))
  : [];

test('traces/: the directory holds at least the rfc-2008 counterexample', () => {
  assert.ok(traces.includes(join(DIR, 'rfc-2008-example.fault_vs_munmap.premature_free.json')), traces.join(', '));
});

for (const path of traces) {
  test(`traces/: ${path} reproduces`, () => {
    const r = checkTraceFile(path);
    assert.equal(r.detail, 'reproduces', `${path}: ${r.detail}`);
    assert.equal(r.reproduces, true);
  });
}
