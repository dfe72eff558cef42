// The stored-state partial-order reduction (`--reduce por`, model/por.ts) on hand-written
// specs whose reduced state counts are known, and the static footprints it relies on held to
// the recorded ones on the protocol specs. The random-spec property is in soundness.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import { buildSystem, compileFile, compileText } from '../../src/model/compile.js';
import type { ReductionSet } from '../../src/model/reductions.js';
import type { TransitionSystem } from '../../src/model/system.js';
import { footprintEscape } from '../support/por-check.js';

const NONE: ReductionSet = new Set();
const POR: ReductionSet = new Set(['por']);
const ALL: ReductionSet = new Set(['symmetry', 'dead-locals', 'por']);

async function bfs(text: string, reduce: ReductionSet) {
  const c = compileText(text, 'por.mmspec');
  if (!c.ok) assert.fail(c.diagnostics.map((d) => d.message).join('\n'));
  const sys: TransitionSystem = buildSystem(c.spec, c.spec.scenarios[0]!, { reduce });
  const r = await explore(sys, { mode: 'bfs', reduce });
  const init = sys.initial();
  const ample = sys.ample !== undefined && 'state' in init ? sys.ample(init.state) : null;
  const kind = r.verdict.kind === 'violation' ? r.verdict.violation.kind : null;
  return { verdict: r.verdict.kind, kind, states: r.stats.states, ample };
}

// Two threads, each writing a global nobody else touches: every state has an ample set.
const PRIVATE = `spec "por: private writes"
shared a: int;
shared b: int;
thread ta() { a = 1; a = 2; a = 3; }
thread tb() { b = 1; b = 2; b = 3; }
scenario s expect pass { ta(); tb(); }
`;

test('por: two threads on private globals store one interleaving (7 states of 16)', async () => {
  assert.deepEqual(await bfs(PRIVATE, NONE), { verdict: 'pass', kind: null, states: 16, ample: null });
  // ta first, then tb: 4 states of ta's steps, then 3 more of tb's.
  assert.deepEqual(await bfs(PRIVATE, POR), { verdict: 'pass', kind: null, states: 7, ample: 0 });
  assert.deepEqual(await bfs(PRIVATE, ALL), { verdict: 'pass', kind: null, states: 7, ample: 0 });
});

test('por: a step that writes a word an invariant reads is never reduced (16 states, as unreduced)', async () => {
  const text = PRIVATE.replace('scenario s', 'invariant sum: a + b <= 6;\nscenario s');
  assert.deepEqual(await bfs(text, NONE), { verdict: 'pass', kind: null, states: 16, ample: null });
  assert.deepEqual(await bfs(text, POR), { verdict: 'pass', kind: null, states: 16, ample: -1 });
  // The invariant over `a` alone: tb's steps are invisible and reduced, ta's are not.
  const onA = PRIVATE.replace('scenario s', 'invariant small: a <= 3;\nscenario s');
  assert.deepEqual(await bfs(onA, POR), { verdict: 'pass', kind: null, states: 7, ample: 1 });
});

test('por: the cycle proviso — a private spin loop is ample forever, the other thread still runs', async () => {
  // Without the proviso the search would expand `spinner` alone in both of its states and
  // never run `failer`: the violation would be missed (the ignoring problem).
  const text = `spec "por: proviso"
shared a: int;
shared b: int;
thread spinner() { while (true) { a = 1 - a; } }
thread failer() { b = 1; BUG_ON(b == 1); }
scenario s expect pass { spinner(); failer(); }
`;
  const want = { verdict: 'violation', kind: 'assertion', states: 4 };
  assert.deepEqual(await bfs(text, NONE), { ...want, ample: null });
  assert.deepEqual(await bfs(text, POR), { ...want, ample: 0 });
});

test('por: off by default, and not with the data_race or leak checks', async () => {
  const c = compileText(PRIVATE, 'por.mmspec');
  if (!c.ok) assert.fail('does not compile');
  const sc = c.spec.scenarios[0]!;
  const ample = (options: Parameters<typeof buildSystem>[2]): unknown =>
    (buildSystem(c.spec, sc, options) as TransitionSystem).ample;
  assert.equal(ample({}), undefined);
  assert.equal(typeof ample({ reduce: POR }), 'function');
  assert.equal(ample({ reduce: POR, leak: true }), undefined);
  assert.equal(ample({ reduce: POR, dataRace: true }), undefined);
});

test('por: every step of the protocol specs stays within its static footprint', () => {
  for (const path of ['specs/rfc-2008-fixed.mmspec', 'specs/bench/fault-vs-munmap.mmspec', 'specs/gup-fast.mmspec']) {
    const compiled = compileFile(path);
    if (!compiled.ok) assert.fail(`${path} does not compile`);
    for (const sc of compiled.spec.scenarios.slice(0, 6)) {
      const sys = buildSystem(compiled.spec, sc, { reduce: new Set(['dead-locals', 'por']) });
      assert.equal(footprintEscape(sys, 2_000), null, `${path} ${sc.name}`);
    }
  }
});
