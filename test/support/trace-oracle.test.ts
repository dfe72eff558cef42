// The trace oracle on programs whose interleavings and traces are counted by hand, and the
// two-pass oracle (enumerateTraces) against the plain enumeration (enumerateAll) on random
// toy and .mmspec programs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import type { TransitionSystem } from '../../src/model/system.js';
import { FUZZ_KINDS } from './dpor-fuzz.js';
import { propertyRuns } from './fc-global.js';
import { invariantSpec, tinySpec } from './random-spec.js';
import { disjointWriters, lockedCounter, nWriters, philosophers } from './toy-classics.js';
import { toyProgramArb } from './toy-programs.js';
import { type ToyProgram, ToySystem } from './toy-system.js';
import { enumerateAll, enumerateTraces, normalForm, type OracleResult } from './trace-oracle.js';

/** Both oracles on a fresh system each; they must agree on everything. */
function both(make: () => TransitionSystem, maxExecutions = Infinity): OracleResult {
  const fast = enumerateTraces(make(), 1000, maxExecutions);
  const all = enumerateAll(make(), 1000, maxExecutions);
  assert.equal(fast.cut > 0, all.cut > 0, 'cut');
  if (all.cut > 0) return fast;
  assert.deepEqual(fast, all);
  return fast;
}

const run = (p: ToyProgram) => both(() => new ToySystem(p));

test('oracle: n writers of one variable — n! interleavings, all different traces', () => {
  for (const [n, f] of [
    [1, 1],
    [2, 2],
    [3, 6],
    [4, 24],
  ] as const) {
    const r = run(nWriters(n));
    assert.equal(r.executions, f);
    assert.equal(r.traces, f);
    assert.equal(r.terminalStates.size, n); // the last writer decides
  }
});

test('oracle: disjoint writers — 6!/(2!2!2!) = 90 interleavings, one trace', () => {
  const r = run(disjointWriters(3, 2));
  assert.equal(r.executions, 90);
  assert.equal(r.traces, 1);
  assert.equal(r.terminalStates.size, 1);
  assert.equal(r.violations.size, 0);
});

test('oracle: two readers commute; a read and a write do not', () => {
  const readers: ToyProgram = {
    vars: 1,
    locks: 0,
    regs: 1,
    threads: [[{ op: 'read', x: 0, r: 0 }], [{ op: 'read', x: 0, r: 0 }]],
  };
  assert.deepEqual([run(readers).executions, run(readers).traces], [2, 1]);
  const rw: ToyProgram = {
    vars: 1,
    locks: 0,
    regs: 1,
    threads: [[{ op: 'read', x: 0, r: 0 }], [{ op: 'write', x: 0, v: 1 }]],
  };
  assert.deepEqual([run(rw).executions, run(rw).traces], [2, 2]);
});

test('oracle: a lock serialises the critical sections — 2 executions, 2 traces', () => {
  const r = run(lockedCounter(2));
  assert.equal(r.executions, 2);
  assert.equal(r.traces, 2);
  assert.equal(r.terminalStates.size, 2); // x = 2 either way; the registers tell who was first
});

test('oracle: choices multiply — choose r in 0..2; x = r  ||  read x: 9 executions, 6 traces', () => {
  const p: ToyProgram = {
    vars: 1,
    locks: 0,
    regs: 1,
    threads: [
      [
        { op: 'choose', r: 0, k: 3 },
        { op: 'writeReg', x: 0, r: 0 },
      ],
      [{ op: 'read', x: 0, r: 0 }],
    ],
  };
  const r = run(p);
  assert.equal(r.executions, 9);
  assert.equal(r.traces, 6);
  assert.equal(r.terminalStates.size, 5); // with choice 0, reading before or after the write both give 0
});

test('oracle: violations are collected from steps and terminal states', () => {
  const p: ToyProgram = {
    vars: 1,
    locks: 1,
    regs: 1,
    threads: [
      [
        { op: 'read', x: 0, r: 0 },
        { op: 'assert', r: 0, c: 1 },
      ],
      [
        { op: 'write', x: 0, v: 1 },
        { op: 'unlock', l: 0 },
      ],
    ],
  };
  assert.deepEqual([...run(p).violations].sort(), ['assertion', 'lock_misuse']);
  const d = run(philosophers(2));
  assert.ok(d.violations.has('deadlock'));
  assert.equal(d.traces, 3); // P0 first, P1 first, or each holds its left fork
});

test('oracle: the normal form is the same for equivalent orders only', () => {
  const ev = (thread: number, locs: number[], writes: boolean[]) => ({ thread, choice: 0, locs, writes });
  const a = ev(0, [0], [true]);
  const b = ev(1, [1], [true]);
  const c = ev(1, [0], [false]);
  assert.equal(normalForm([a, b]), normalForm([b, a]));
  assert.notEqual(normalForm([a, c]), normalForm([c, a]));
});

test("oracle: the two-pass oracle gives the plain enumeration's traces, interleavings, terminal states and violations (random toy programs)", () => {
  for (const gen of FUZZ_KINDS) {
    fc.assert(
      fc.property(toyProgramArb(gen), (p) => {
        both(() => new ToySystem(p));
      }),
      { numRuns: propertyRuns(30) },
    );
  }
});

test("oracle: the two-pass oracle gives the plain enumeration's answers on random .mmspec programs, cut at their first violation", () => {
  let compared = 0;
  fc.assert(
    fc.property(fc.oneof(tinySpec, invariantSpec), (s) => {
      const c = compileText(s.text, 'random.mmspec');
      if (!c.ok) assert.fail(`generated spec does not compile:\n${s.text}`);
      const sc = c.spec.scenarios[0]!;
      const make = () => new TargetSystem(buildSystem(c.spec, sc), null);
      if (both(make, 5_000).cut === 0) compared++;
    }),
    { numRuns: propertyRuns(40) },
  );
  assert.ok(compared >= 25, `only ${compared} of 40 programs were small enough`);
});
