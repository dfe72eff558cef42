// fast-check generators of random toy programs (test/support/toy-system.ts) small enough
// for the plain-enumeration oracle: 2-4 threads of 1-8 ops, trimmed until the number of
// interleavings (the multinomial of the thread lengths times the choices) is at most
// `maxInterleavings`.
import fc from 'fast-check';
import type { ToyOp, ToyProgram } from './toy-system.js';

export interface ToyGenOptions {
  blocking: boolean; // lock/unlock and await
  choice: boolean; // nondeterministic choose
  maxInterleavings: number;
}

function opArb(vars: number, locks: number, o: ToyGenOptions): fc.Arbitrary<ToyOp> {
  const x = fc.integer({ min: 0, max: vars - 1 });
  const r = fc.integer({ min: 0, max: 1 });
  const v = fc.integer({ min: 0, max: 2 });
  const ops: fc.WeightedArbitrary<ToyOp>[] = [
    { weight: 4, arbitrary: fc.record({ op: fc.constant('read' as const), x, r }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('write' as const), x, v }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('writeReg' as const), x, r }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('faa' as const), x, r, k: fc.integer({ min: 1, max: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cas' as const), x, expect: v, v, r }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('readInd' as const), x, r }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('assert' as const), r, c: v }) },
  ];
  if (o.choice)
    ops.push({
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('choose' as const), r, k: fc.integer({ min: 2, max: 3 }) }),
    });
  if (o.blocking) {
    const l = fc.integer({ min: 0, max: locks - 1 });
    ops.push({ weight: 1, arbitrary: fc.record({ op: fc.constant('lock' as const), l }) });
    ops.push({ weight: 1, arbitrary: fc.record({ op: fc.constant('unlock' as const), l }) });
    ops.push({
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('await' as const), x, c: fc.integer({ min: 0, max: 2 }) }),
    });
  }
  return fc.oneof(...ops);
}

/** A thread: random ops, and when blocking, sometimes a critical section lock(l)..unlock(l) around some of them. */
function threadArb(vars: number, locks: number, o: ToyGenOptions): fc.Arbitrary<ToyOp[]> {
  const body = fc.array(opArb(vars, locks, o), { minLength: 1, maxLength: 8 });
  if (!o.blocking) return body;
  return fc
    .tuple(body, fc.option(fc.tuple(fc.integer({ min: 0, max: locks - 1 }), fc.nat(), fc.nat()), { freq: 2 }))
    .map(([ops, cs]) => {
      if (cs === null) return ops;
      const [l, a, b] = cs;
      const i = a % (ops.length + 1);
      const j = i + (b % (ops.length - i + 1));
      return [
        ...ops.slice(0, i),
        { op: 'lock', l },
        ...ops.slice(i, j),
        { op: 'unlock', l },
        ...ops.slice(j),
      ] as ToyOp[];
    });
}

/** Multinomial of the thread lengths times the product of the choices. */
export function interleavingBound(threads: readonly ToyOp[][]): number {
  let total = 0;
  let count = 1;
  for (const ops of threads) {
    for (let i = 1; i <= ops.length; i++) {
      total++;
      count = (count * total) / i;
      const op = ops[i - 1]!;
      if (op.op === 'choose') count *= op.k;
    }
  }
  return count;
}

function trim(threads: ToyOp[][], max: number): ToyOp[][] {
  const out = threads.map((ops) => ops.slice());
  while (interleavingBound(out) > max) {
    let longest = 0;
    out.forEach((ops, t) => {
      if (ops.length > out[longest]!.length) longest = t;
    });
    out[longest]!.pop();
  }
  return out.filter((ops) => ops.length > 0);
}

export function toyProgramArb(o: ToyGenOptions): fc.Arbitrary<ToyProgram> {
  return fc
    .record({
      vars: fc.integer({ min: 1, max: 3 }),
      locks: fc.integer({ min: 1, max: 2 }),
      n: fc.integer({ min: 2, max: 4 }),
    })
    .chain(({ vars, locks, n }) =>
      fc.record({
        vars: fc.constant(vars),
        locks: fc.constant(locks),
        regs: fc.constant(2),
        threads: fc
          .array(threadArb(vars, locks, o), { minLength: n, maxLength: n })
          .map((ts) => trim(ts, o.maxInterleavings)),
        init: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: vars, maxLength: vars }),
      }),
    )
    .filter((p) => p.threads.length >= 2);
}
