// DPOR (src/checker/dpor/search.ts): against the enumeration oracle on random programs,
// exact execution counts on classic programs, blocking, choices, spin loops, bounds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { exploreDpor } from '../../../src/checker/dpor/search.js';
import { DEFAULT_OPTIONS, type ExploreOptions, type PorVariant } from '../../../src/checker/result.js';
import { TargetSystem } from '../../../src/checker/systems/target.js';
import type { TransitionSystem, Violation } from '../../../src/model/system.js';
import { compareWithOracle, FUZZ_KINDS, replayKind, runCollecting, runDporFuzz } from '../../support/dpor-fuzz.js';
import { propertyRuns } from '../../support/fc-global.js';
import {
  disjointWriters,
  indexer,
  lastzero,
  lockedCounter,
  nWriters,
  philosophers,
} from '../../support/toy-classics.js';
import { toyProgramArb } from '../../support/toy-programs.js';
import { type ToyOp, type ToyProgram, ToySystem } from '../../support/toy-system.js';
import { enumerateTraces } from '../../support/trace-oracle.js';

const VARIANTS: PorVariant[] = ['optimal', 'source'];
const dpor = (p: ToyProgram, o: Partial<ExploreOptions> = {}) =>
  exploreDpor(new ToySystem(p), { ...DEFAULT_OPTIONS, ...o }, { strict: true });

// 1,000 programs (`npm run fuzz:dpor` runs 100,000). The oracle walks only the executions in
// normal form, one per trace (support/trace-oracle.ts); the plain enumeration of every
// interleaving, 2.3 million executions for 2,000 programs, was most of this file's CPU.
test('dpor: random programs — same terminal states and violations as the oracle, one execution per trace (1,000 programs)', () => {
  const per = Math.ceil(propertyRuns(1000) / FUZZ_KINDS.length);
  FUZZ_KINDS.forEach((gen, i) => {
    runDporFuzz(per, 20240 + i, gen);
  });
});

test('dpor: under the expected-kind search, where a cut violation stops every thread unseen by footprints — same terminal states and cut kinds as plain enumeration (300 programs)', () => {
  const gen = toyProgramArb({ blocking: true, choice: true, maxInterleavings: 2000 });
  fc.assert(
    fc.property(gen, (p) => {
      const plain = new TargetSystem(new ToySystem(p), null);
      const ref = enumerateTraces(plain);
      const live = (s: Iterable<string>) => [...s].filter((x) => !x.endsWith(',1')).sort();
      for (const por of VARIANTS) {
        const sys = new TargetSystem(new ToySystem(p), null);
        const terminals = new Set<string>();
        const r = exploreDpor(
          sys,
          { ...DEFAULT_OPTIONS, por },
          {
            onTerminal: (s) => {
              terminals.add(s.join(','));
            },
          },
        );
        assert.equal(r.verdict.kind, 'pass');
        assert.deepEqual(live(terminals), live(ref.terminalStates), `${por}: terminal states`);
        assert.deepEqual([...sys.cutKinds].sort(), [...plain.cutKinds].sort(), `${por}: cut kinds`);
      }
    }),
    { numRuns: propertyRuns(300) },
  );
});

test('dpor: n writers of one variable — n! executions; with a reader (n + 1)!', () => {
  for (const por of VARIANTS) {
    for (const [n, f] of [
      [1, 1],
      [2, 2],
      [3, 6],
      [4, 24],
      [5, 120],
    ] as const) {
      const r = dpor(nWriters(n), { por });
      assert.equal(r.verdict.kind, 'pass');
      assert.equal(r.stats.executions, f, `${por} ${n} writers`);
      assert.equal(r.stats.sleepBlocked, 0);
      assert.equal(dpor(nWriters(n, true), { por }).stats.executions, f * (n + 1), `${por} ${n} writers + reader`);
    }
  }
});

test('dpor: threads writing disjoint variables — one execution, one path', () => {
  for (const por of VARIANTS) {
    const r = dpor(disjointWriters(4, 3), { por });
    assert.equal(r.stats.executions, 1);
    assert.equal(r.stats.sleepBlocked, 0);
    assert.equal(r.stats.transitions, 12);
    assert.equal(r.stats.states, 13);
    assert.equal(r.stats.maxDepth, 12);
  }
});

test("dpor: lastzero — the oracle's trace counts; optimal explores no sleep-blocked execution, source does", () => {
  // N = 1..3 against the oracle; N = 5 has 64 traces (GenMC's count for lastzero(5) under SC)
  const expected = [2, 5, 12, 28, 64];
  for (let n = 1; n <= 5; n++) {
    const p = lastzero(n);
    if (n <= 3) assert.equal(enumerateTraces(new ToySystem(p)).traces, expected[n - 1]);
    const opt = dpor(p, { por: 'optimal' });
    assert.equal(opt.stats.executions, expected[n - 1], `optimal lastzero(${n})`);
    assert.equal(opt.stats.sleepBlocked, 0);
    assert.equal(dpor(p, { por: 'source' }).stats.executions, expected[n - 1], `source lastzero(${n})`);
  }
  assert.ok(dpor(lastzero(5), { por: 'source' }).stats.sleepBlocked > 0);
});

test('dpor: indexer — colliding compare-and-swap inserts against the oracle', () => {
  const programs = [
    indexer(2, [[{ value: 1, hash: 0 }], [{ value: 2, hash: 0 }]]),
    indexer(3, [
      [
        { value: 1, hash: 0 },
        { value: 3, hash: 1 },
      ],
      [{ value: 2, hash: 1 }],
    ]),
    indexer(2, [[{ value: 1, hash: 0 }], [{ value: 2, hash: 1 }], [{ value: 3, hash: 0 }]]),
  ];
  for (const p of programs) compareWithOracle(p);
  const n = indexer(4, [
    [{ value: 1, hash: 0 }],
    [{ value: 2, hash: 1 }],
    [{ value: 3, hash: 2 }],
    [{ value: 4, hash: 3 }],
  ]);
  assert.equal(dpor(n).stats.executions, 1); // no collisions: one trace
});

test('dpor: locks — n! orders of the critical sections; a lock-order inversion deadlocks', () => {
  for (const por of VARIANTS) {
    for (const [n, f] of [
      [2, 2],
      [3, 6],
      [4, 24],
    ] as const) {
      const r = dpor(lockedCounter(n), { por });
      assert.equal(r.verdict.kind, 'pass');
      assert.equal(r.stats.executions, f, `${por} locked counter ${n}`);
    }
    const d = dpor(philosophers(3), { por });
    assert.equal(d.verdict.kind, 'violation');
    if (d.verdict.kind === 'violation') {
      assert.equal(d.verdict.violation.kind, 'deadlock');
      assert.equal(replayKind(new ToySystem(philosophers(3)), d.verdict.schedule), 'deadlock');
    }
    compareWithOracle(philosophers(3));
  }
});

test('dpor: a write that disables an await races with it (the await between two writes is found)', () => {
  // T0: x = 1; x = 0.  T1: await x == 1; y = 1.  Either T1 passes between the writes, or it deadlocks.
  const p: ToyProgram = {
    vars: 2,
    locks: 0,
    regs: 1,
    threads: [
      [
        { op: 'write', x: 0, v: 1 },
        { op: 'write', x: 0, v: 0 },
      ],
      [
        { op: 'await', x: 0, c: 1 },
        { op: 'write', x: 1, v: 1 },
      ],
    ],
  };
  for (const por of VARIANTS) {
    const r = runCollecting(new ToySystem(p), por);
    assert.deepEqual([...r.kinds], ['deadlock']);
    assert.ok(
      [...r.terminals].some((s) => s.startsWith('0,1,')),
      'T1 got through',
    );
    assert.equal(r.result.stats.executions, enumerateTraces(new ToySystem(p)).traces);
  }
  // a lock taken before the other thread even reaches its lock: the other order is found too
  const late: ToyProgram = {
    vars: 2,
    locks: 1,
    regs: 1,
    threads: [
      [
        { op: 'lock', l: 0 },
        { op: 'write', x: 0, v: 1 },
        { op: 'unlock', l: 0 },
      ],
      [
        { op: 'write', x: 1, v: 1 },
        { op: 'lock', l: 0 },
        { op: 'read', x: 0, r: 0 },
        { op: 'unlock', l: 0 },
      ],
    ],
  };
  compareWithOracle(late);
});

test('dpor: nondeterministic choices — every choice explored, one execution per trace', () => {
  const p: ToyProgram = {
    vars: 2,
    locks: 0,
    regs: 2,
    threads: [
      [
        { op: 'choose', r: 0, k: 3 },
        { op: 'writeReg', x: 0, r: 0 },
        { op: 'read', x: 1, r: 1 },
      ],
      [
        { op: 'read', x: 0, r: 0 },
        { op: 'choose', r: 1, k: 2 },
        { op: 'writeReg', x: 1, r: 1 },
      ],
      [
        { op: 'read', x: 0, r: 0 },
        { op: 'assert', r: 0, c: 2 },
      ],
    ],
  };
  compareWithOracle(p);
  for (const por of VARIANTS) {
    const r = dpor(p, { por });
    assert.equal(r.verdict.kind, 'violation'); // only the choice 2 makes x0 = 2
    if (r.verdict.kind === 'violation') assert.ok(r.verdict.schedule.some((s) => s.thread === 0 && s.choice === 2));
  }
});

/** T0 waits for x == 1 by spinning (or with await); T1 writes x = 2, then x = 1 (or only x = 2). */
function spinProgram(kind: 'spin1' | 'spin2' | 'await', writes: number[]): ToyProgram {
  const wait: ToyOp[] =
    kind === 'spin1'
      ? [{ op: 'jne', x: 0, c: 1, to: 0 }]
      : kind === 'spin2'
        ? [
            { op: 'read', x: 0, r: 0 },
            { op: 'jneReg', r: 0, c: 1, to: 0 },
          ]
        : [{ op: 'await', x: 0, c: 1 }];
  const t0: ToyOp[] = [...wait, { op: 'write', x: 1, v: 1 }];
  return { vars: 2, locks: 0, regs: 1, threads: [t0, writes.map((v) => ({ op: 'write', x: 0, v }) as ToyOp)] };
}

test('dpor: spin loops end as waits — same terminal states as await, a stuck spinner is a deadlock', () => {
  for (const por of VARIANTS) {
    for (const writes of [[1], [2, 1], [2, 1, 0]]) {
      const ref = runCollecting(new ToySystem(spinProgram('await', writes)), por);
      for (const kind of ['spin1', 'spin2'] as const) {
        const sys = new ToySystem(spinProgram(kind, writes));
        const got = runCollecting(sys, por);
        assert.equal(got.result.verdict.kind, 'pass', `${kind} ${writes}`);
        // compare the shared variables (the spinner's pc and register differ between versions)
        const shared = (s: Set<string>) => [...new Set([...s].map((x) => x.split(',').slice(0, 2).join(',')))].sort();
        assert.deepEqual(shared(got.terminals), shared(ref.terminals), `${kind} ${writes}`);
        assert.deepEqual([...got.kinds].sort(), [...ref.kinds].sort());
        assert.ok(got.result.stats.maxDepth <= 12, `${kind} ${writes}: depth ${got.result.stats.maxDepth}`);
      }
    }
    const stuck = dpor(spinProgram('spin2', [2]), { por });
    assert.equal(stuck.verdict.kind, 'violation');
    if (stuck.verdict.kind === 'violation') assert.equal(stuck.verdict.violation.kind, 'deadlock');
  }
});

test('dpor: a loop that keeps writing shared state hits maxDepth: incomplete, never pass', () => {
  const p: ToyProgram = {
    vars: 1,
    locks: 0,
    regs: 1,
    threads: [
      [
        { op: 'faa', x: 0, r: 0, k: 1 },
        { op: 'jneReg', r: 0, c: -1, to: 0 },
      ],
      [{ op: 'read', x: 0, r: 0 }],
    ],
  };
  for (const por of VARIANTS) {
    const r = dpor(p, { por, maxDepth: 20 });
    assert.equal(r.verdict.kind, 'incomplete');
    if (r.verdict.kind === 'incomplete') assert.equal(r.verdict.bound, 'max-depth');
  }
});

test('dpor: maxStates, shouldStop and maxSeconds stop the search as incomplete', () => {
  const p = nWriters(6);
  const states = dpor(p, { maxStates: 50 });
  assert.deepEqual(
    [states.verdict.kind, states.verdict.kind === 'incomplete' && states.verdict.bound],
    ['incomplete', 'max-states'],
  );
  assert.ok(states.stats.states <= 51);
  const stop = dpor(p, { shouldStop: () => true });
  assert.deepEqual(
    [stop.verdict.kind, stop.verdict.kind === 'incomplete' && stop.verdict.bound],
    ['incomplete', 'interrupted'],
  );
  const time = dpor(p, { maxSeconds: 0 });
  assert.deepEqual(
    [time.verdict.kind, time.verdict.kind === 'incomplete' && time.verdict.bound],
    ['incomplete', 'max-seconds'],
  );
});

test('dpor: preemption bound — incomplete when it pruned a schedule, pass when it pruned nothing', () => {
  // the assertion needs T1 to run between T0's two writes: one preemption
  const p: ToyProgram = {
    vars: 1,
    locks: 0,
    regs: 1,
    threads: [
      [
        { op: 'write', x: 0, v: 1 },
        { op: 'write', x: 0, v: 2 },
      ],
      [
        { op: 'read', x: 0, r: 0 },
        { op: 'assert', r: 0, c: 1 },
      ],
    ],
  };
  for (const por of VARIANTS) {
    const none = dpor(p, { por, preemptionBound: 0 });
    assert.equal(none.verdict.kind, 'incomplete');
    if (none.verdict.kind === 'incomplete') assert.equal(none.verdict.bound, 'preemption-bound');
    assert.equal(dpor(p, { por, preemptionBound: 1 }).verdict.kind, 'violation');
    assert.equal(dpor(disjointWriters(3), { por, preemptionBound: 0 }).verdict.kind, 'pass');
  }
});

test('dpor: a violation in the initial state, and the schedule of a step violation', () => {
  const v: Violation = { kind: 'invariant', message: 'broken at init', thread: -1, objects: [] };
  const base = new ToySystem(nWriters(2));
  const broken: TransitionSystem = Object.assign(Object.create(base) as ToySystem, {
    initial: () => ({ violation: v }),
  });
  const r = exploreDpor(broken, DEFAULT_OPTIONS);
  assert.deepEqual(r.verdict, { kind: 'violation', violation: v, schedule: [] });
  const p: ToyProgram = {
    vars: 1,
    locks: 0,
    regs: 1,
    threads: [
      [{ op: 'write', x: 0, v: 1 }],
      [
        { op: 'read', x: 0, r: 0 },
        { op: 'assert', r: 0, c: 1 },
      ],
    ],
  };
  const found = dpor(p);
  assert.equal(found.verdict.kind, 'violation');
  if (found.verdict.kind === 'violation') {
    assert.deepEqual(found.verdict.schedule, [
      { thread: 0, choice: 0 },
      { thread: 1, choice: 0 },
      { thread: 1, choice: 0 },
    ]);
    assert.equal(found.verdict.violation.kind, 'assertion');
  }
});

test('dpor: stats add up', () => {
  const r = dpor(nWriters(5, true));
  assert.equal(r.mode, 'dpor');
  assert.equal(r.por, 'optimal');
  assert.equal(r.stats.states, r.stats.transitions + 1);
  assert.equal(r.stats.executions, 720);
  assert.ok(r.stats.seconds >= 0 && r.stats.statesPerSecond > 0);
});
