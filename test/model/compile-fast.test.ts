// The compiled steps' short cuts (model/compile-fast.ts): a binary operator with a constant
// operand, a local read or written in place, a field of a local reference, a local index.
// Each form must compute what the general closures compute, and raise the same violations.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { NO_REDUCTIONS } from '../../src/model/reductions.js';

const SPEC = `
spec "compile-fast"
const SIX = 6;
struct box { a: int[3]; n: int; }
pool box[1];
shared g: int = 5;
shared h: int;

thread t(k: int) {
  local x: int;
  local i: int;
  local b: ref box;
  x = 5;
  assert(x == 5 && x != 4 && x < SIX && !(x < 5) && x <= 5 && !(x <= 4));
  assert(x > 4 && !(x > 5) && x >= 5 && !(x >= SIX) && x + 1 == SIX && x - 7 == -2);
  assert(g == 5 && g != 6 && g < 6 && g <= 5 && g > 4 && g >= 5 && g + 1 == 6 && g - 1 == 4);
  h = 3;
  x = h + 1;
  assert(x == 4 && h == 3);
  b = alloc box { n: 9 };
  assert(b.n == 9 && b.n != 0);
  i = 2;
  b.a[i] = 7;
  assert(b.a[i] == 7 && b.a[2] == 7 && b.a[0] == 0);
  i = i + k;
  b.a[i] = 1;
}

scenario inside expect pass { t(0); }
scenario past_the_end expect violation(assertion) { t(1); }
`;

async function run(scenario: string) {
  const r = compileText(SPEC, 'compile-fast.mmspec');
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join('\n'));
  const sc = r.spec.scenarios.find((s) => s.name === scenario)!;
  return explore(buildSystem(r.spec, sc), { mode: 'bfs', reduce: NO_REDUCTIONS });
}

test('compile-fast: comparisons and sums with a constant, on locals, globals and fields, as written', async () => {
  const res = await run('inside');
  assert.equal(res.verdict.kind, 'pass', JSON.stringify(res.verdict));
});

test('compile-fast: a local index past the array end is an assertion violation naming the array', async () => {
  const res = await run('past_the_end');
  assert.equal(res.verdict.kind, 'violation');
  if (res.verdict.kind !== 'violation') return;
  assert.equal(res.verdict.violation.kind, 'assertion');
  assert.match(res.verdict.violation.message, /^index 3 out of bounds for box#0\.a\[3\]$/);
});
