// Generated step code (src/model/gen-step.ts) is the closures' semantics, state for state:
// every scenario of every spec in specs/ and random specs, with and without the reductions
// compiled into the steps (dead-locals), walked in lockstep against the closures
// (test/support/codegen-lockstep.ts). The default run takes each scenario once at 150 states
// and 100 random specs; MMCHECK_CODEGEN_FULL=1 takes 20,000 states per scenario and 3,000
// random specs (`npm run fuzz:codegen`).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildSystem, compileFile, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS } from '../../src/model/reductions.js';
import { lockstep, systemPair } from '../support/codegen-lockstep.js';
import { localsSpec, loopSpec, randomSpec, spinSpec } from '../support/random-spec.js';

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
        transitions += lockstep(gen, ref, FULL ? 20_000 : 150).transitions;
      }
      scenarios++;
    }
  }
  assert.ok(scenarios > 100, `${scenarios} scenarios`);
  assert.ok(transitions > (FULL ? 1_000_000 : 50_000), `${transitions} transitions`);
});

test('codegen: random specs step as the closures do', () => {
  const runs = FULL ? 3000 : 100;
  let states = 0;
  fc.assert(
    fc.property(fc.oneof(randomSpec, localsSpec, spinSpec, loopSpec), (spec) => {
      const r = compileText(spec.text);
      if (!r.ok) return;
      const sc = r.spec.scenarios[0]!;
      for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
        const [gen, ref] = systemPair(r.spec, sc, reduce);
        states += lockstep(gen, ref, FULL ? 3_000 : 500).states;
      }
    }),
    { numRuns: runs },
  );
  assert.ok(states > runs * 20, `${states} states`);
});

// Local runs past LOCAL_FUEL ops (the generated function stops there and LocalRun.long goes
// on), one that ends, one cut at LOCAL_RUN_LIMIT and one that repeats a local state.
const LOOPS = `shared x: int;
thread counts() { local i: int; local r: int; x = 1; for i in 0..2500 { r = r + i; } x = r; }
thread long_run() { local r: int; x = 2; while (r < 150000) { r = r + 1; } x = r; }
thread forever() { local r: int; x = 3; while (r >= 0) { r = 1 - r; } x = 4; }
scenario ends expect pass { counts(); }
scenario cut expect pass { long_run(); }
scenario loops expect violation(deadlock) { forever(); }
`;

test('codegen: long local runs end, are cut and are caught looping as with the closures', () => {
  const r = compileText(LOOPS, 'loops.mmspec');
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join('\n'));
  const seen: Record<string, [number, number]> = {};
  for (const sc of r.spec.scenarios) {
    const [gen, ref] = systemPair(r.spec, sc, NO_REDUCTIONS);
    const c = lockstep(gen, ref, 100);
    seen[sc.name] = [c.states, c.violations];
  }
  // cut: 300,000 local ops in steps of at most LOCAL_RUN_LIMIT; loops: its first step is the deadlock.
  assert.deepEqual(seen, { ends: [3, 0], cut: [7, 0], loops: [1, 1] });
});

// The default build runs the closures first and generates the step code after a number of
// steps (gen-step.ts TierUp), in the middle of a search: a system switching after 40 steps
// walks in lockstep with the closures past the switch, and the switch happened (the threads
// have their generated code), with dead-locals both times.
test('codegen: a program tiered up in the middle of a walk steps as the closures do', () => {
  const r = compileFile(join(SPECS, 'bench/fault-vs-munmap.mmspec'));
  assert.ok(r.ok);
  const sc = r.spec.scenarios.find((s) => s.name === 'fixed_k2')!;
  for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
    const lazy = buildSystem(r.spec, sc, { reduce, codegen: 40 });
    const ref = buildSystem(r.spec, sc, { reduce, codegen: false });
    assert.ok(
      lazy.threads.every((t) => t.run === undefined),
      'no generated code before the first step',
    );
    const c = lockstep(lazy, ref, 500);
    assert.equal(c.states, 500);
    assert.ok(c.transitions > 40, `${c.transitions} transitions`);
    assert.ok(
      lazy.threads.every((t) => t.run !== undefined && t.choices !== undefined),
      'every thread generated',
    );
    // Counted down to 0 by this system's steps, and not past it: the switch is made once.
    assert.equal(lazy.program.tierUp?.stepsLeft, 0);
  }
});
