// Generated step code (src/model/gen-step.ts) is the closures' semantics, state for state:
// every scenario of every spec in specs/ and random specs, with and without the reductions
// compiled into the steps (dead-locals), walked in lockstep against the closures
// (test/support/codegen-lockstep.ts). The default run takes each scenario once at 150 states
// and 100 random specs; MMCHECK_CODEGEN_FULL=1 takes 20,000 states per scenario and 3,000
// random specs (`npm run fuzz:codegen`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildSystem, compileFile, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS } from '../../src/model/reductions.js';
import { lockstep, systemPair } from '../support/codegen-lockstep.js';
import { localsSpec, loopSpec, randomSpec, spinSpec } from '../support/random-spec.js';
import { SPECS, specFiles } from '../support/spec-files.js';

const FULL = process.env.MMCHECK_CODEGEN_FULL === '1';

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

// A thread's step code longer than PART_CHARS is split into functions of consecutive pcs
// (gen-step.ts: V8 optimises no function of more than 60 KiB of bytecode). Split here into one
// op a part, so that every jump crosses parts and the local-op budget and the dead-local reset
// are the caller's: the same successors as the closures, long local runs cut and caught
// looping as before, with and without dead-locals.
test('codegen: step code split into one function per op steps as the closures do', () => {
  const loops = compileText(LOOPS, 'loops.mmspec');
  if (!loops.ok) assert.fail(loops.diagnostics.map((d) => d.message).join('\n'));
  const seen: Record<string, [number, number]> = {};
  for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS])
    for (const sc of loops.spec.scenarios) {
      const [gen, ref] = systemPair(loops.spec, sc, reduce, 1);
      const c = lockstep(gen, ref, 100);
      seen[sc.name] = [c.states, c.violations];
    }
  assert.deepEqual(seen, { ends: [3, 0], cut: [7, 0], loops: [1, 1] });
  let transitions = 0;
  for (const [file, name] of [
    ['rfc-2008-stress.mmspec', 'stress'],
    ['bench/fault-vs-munmap.mmspec', 'fixed_k2'],
    ['bench/fault-vs-munmap.mmspec', 'buggy_k2'],
  ] as const) {
    const r = compileFile(join(SPECS, file));
    assert.ok(r.ok, file);
    const sc = r.spec.scenarios.find((s) => s.name === name)!;
    for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
      const [gen, ref] = systemPair(r.spec, sc, reduce, 1);
      assert.ok(
        gen.threads.every((t) => t.ops.length < 2 || t.run!.toString().includes('part1(')),
        `${name}: split`,
      );
      transitions += lockstep(gen, ref, 400).transitions;
    }
  }
  assert.ok(transitions > 2000, `${transitions} transitions`);
  // At the default size only the stress spec's longer threads are split.
  const stress = compileFile(join(SPECS, 'rfc-2008-stress.mmspec'));
  assert.ok(stress.ok);
  const split = (reduce: typeof NO_REDUCTIONS): string[] =>
    buildSystem(stress.spec, stress.spec.scenarios[0]!, { reduce, codegen: true })
      .threads.filter((t) => t.run!.toString().includes('part1('))
      .map((t) => t.layout.name);
  for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS])
    assert.deepEqual(split(reduce), ['fault#1', 'fault#2', 'fault#3', 'munmap']);
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
