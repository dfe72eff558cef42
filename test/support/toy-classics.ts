// Classic DPOR benchmark programs as toy programs (test/support/toy-system.ts), small
// instances whose Mazurkiewicz trace counts are known or checked against the oracle.
import type { ToyOp, ToyProgram } from './toy-system.js';

/** `goto to`: register r1 is never written by these programs, so it is never 99. */
const jump = (to: number): ToyOp => ({ op: 'jneReg', r: 1, c: 99, to });

/** n threads each write their id to x (n! traces); with a reader, (n + 1)! traces. */
export function nWriters(n: number, reader = false): ToyProgram {
  const threads: ToyOp[][] = [];
  for (let i = 0; i < n; i++) threads.push([{ op: 'write', x: 0, v: i + 1 }]);
  if (reader) threads.push([{ op: 'read', x: 0, r: 0 }]);
  return { vars: 1, locks: 0, regs: 2, threads };
}

/** n threads writing n different variables: one trace. */
export function disjointWriters(n: number, steps = 2): ToyProgram {
  const threads: ToyOp[][] = [];
  for (let i = 0; i < n; i++) {
    const ops: ToyOp[] = [];
    for (let k = 0; k < steps; k++) ops.push({ op: 'faa', x: i, r: 0, k: 1 });
    threads.push(ops);
  }
  return { vars: n, locks: 0, regs: 2, threads };
}

/**
 * lastzero(N) (Abdulla et al. POPL'14): array[0..N] all zero; the reader scans down from
 * array[N] for the last zero; writer j does array[j] = array[j-1] + 1 (a read, then a write).
 */
export function lastzero(n: number): ToyProgram {
  const reader: ToyOp[] = [];
  const ends: number[] = [];
  for (let i = n; i >= 0; i--) {
    const at = reader.length;
    reader.push({ op: 'read', x: i, r: 0 });
    if (i > 0) {
      reader.push({ op: 'jneReg', r: 0, c: 0, to: at + 3 });
      ends.push(reader.length);
      reader.push(jump(-1));
    }
  }
  for (const e of ends) reader[e] = jump(reader.length);
  const threads: ToyOp[][] = [reader];
  for (let j = 1; j <= n; j++)
    threads.push([
      { op: 'read', x: j - 1, r: 0 },
      { op: 'writeReg', x: j, r: 0, add: 1 },
    ]);
  return { vars: n + 1, locks: 0, regs: 2, threads };
}

/**
 * indexer (Flanagan & Godefroid POPL'05), tiny: each thread inserts its values into a table
 * of `size` slots by compare-and-swap, probing the next slot when one is taken.
 */
export function indexer(size: number, values: { value: number; hash: number }[][]): ToyProgram {
  const threads = values.map((vals) => {
    const ops: ToyOp[] = [];
    const nextValue: number[] = [];
    for (const { value, hash } of vals) {
      for (let k = 0; k < size; k++) {
        const at = ops.length;
        ops.push({ op: 'cas', x: (hash + k) % size, expect: 0, v: value, r: 0 });
        if (k < size - 1) {
          ops.push({ op: 'jneReg', r: 0, c: 0, to: at + 3 });
          nextValue.push(ops.length);
          ops.push(jump(-1));
        }
      }
      const end = ops.length;
      while (nextValue.length > 0) ops[nextValue.pop()!] = jump(end);
    }
    return ops;
  });
  return { vars: size, locks: 0, regs: 2, threads };
}

/** n threads incrementing x inside lock 0 (read, then write): n! traces. */
export function lockedCounter(n: number): ToyProgram {
  const threads: ToyOp[][] = [];
  for (let i = 0; i < n; i++) {
    threads.push([
      { op: 'lock', l: 0 },
      { op: 'read', x: 0, r: 0 },
      { op: 'writeReg', x: 0, r: 0, add: 1 },
      { op: 'unlock', l: 0 },
    ]);
  }
  return { vars: 1, locks: 1, regs: 2, threads };
}

/** Dining philosophers with n forks taken left then right: can deadlock. */
export function philosophers(n: number): ToyProgram {
  const threads: ToyOp[][] = [];
  for (let i = 0; i < n; i++) {
    const l = i;
    const r = (i + 1) % n;
    threads.push([
      { op: 'lock', l },
      { op: 'lock', l: r },
      { op: 'faa', x: 0, r: 0, k: 1 },
      { op: 'unlock', l: r },
      { op: 'unlock', l },
    ]);
  }
  return { vars: 1, locks: n, regs: 2, threads };
}
