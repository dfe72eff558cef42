// The trace oracle on programs whose interleavings and traces are counted by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disjointWriters, lockedCounter, nWriters, philosophers } from './toy-classics.js';
import { type ToyProgram, ToySystem } from './toy-system.js';
import { enumerateTraces, normalForm } from './trace-oracle.js';

const run = (p: ToyProgram) => enumerateTraces(new ToySystem(p));

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
