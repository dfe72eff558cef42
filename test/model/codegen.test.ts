// Generated step code (src/model/gen-step.ts) is the closures' semantics, state for state:
// every scenario of every spec in specs/ and random specs, with and without the reductions
// compiled into the steps (dead-locals), walked in lockstep against the closures
// (test/support/codegen-lockstep.ts). The default run takes each scenario once at 250 states
// and 150 random specs; MMCHECK_CODEGEN_FULL=1 takes 20,000 states per scenario and 3,000
// random specs (about 8 minutes of one core).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileFile, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS } from '../../src/model/reductions.js';
import { lockstep, systemPair } from '../support/codegen-lockstep.js';
import { randomSpec, localsSpec } from '../support/random-spec.js';

const FULL = process.env.MMCHECK_CODEGEN_FULL === '1';
const SPECS = join(import.meta.dirname, '../../../specs');

function specFiles(): string[] {
  const out: string[] = [];
  for (const dir of [SPECS, join(SPECS, 'bench')])
    for (const f of readdirSync(dir)) if (f.endsWith('.mmspec')) out.push(join(dir, f));
  return out.sort();
}

test('codegen: every scenario in specs/ steps as the closures do', () => {
  let scenarios = 0;
  let transitions = 0;
  for (const file of specFiles()) {
    const r = compileFile(file);
    assert.ok(r.ok, file);
    for (const sc of r.spec.scenarios) {
      // The default run takes each scenario once, with and without dead-locals in turn.
      const sets = FULL
        ? [NO_REDUCTIONS, DEFAULT_REDUCTIONS]
        : [scenarios % 2 === 0 ? NO_REDUCTIONS : DEFAULT_REDUCTIONS];
      for (const reduce of sets) {
        const [gen, ref] = systemPair(r.spec, sc, reduce);
        transitions += lockstep(gen, ref, FULL ? 20_000 : 250).transitions;
      }
      scenarios++;
    }
  }
  assert.ok(scenarios > 100, `${scenarios} scenarios`);
  assert.ok(transitions > (FULL ? 1_000_000 : 50_000), `${transitions} transitions`);
});

test('codegen: random specs step as the closures do', () => {
  const runs = FULL ? 3000 : 150;
  let states = 0;
  fc.assert(
    fc.property(fc.oneof(randomSpec, localsSpec), (spec) => {
      const r = compileText(spec.text);
      if (!r.ok) return;
      const sc = r.spec.scenarios[0]!;
      for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
        const [gen, ref] = systemPair(r.spec, sc, reduce);
        states += lockstep(gen, ref, FULL ? 3_000 : 600).states;
      }
    }),
    { numRuns: runs },
  );
  assert.ok(states > runs * 20, `${states} states`);
});
