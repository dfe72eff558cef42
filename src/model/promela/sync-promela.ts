// Promela export of rwsem (prims/rwsem.ts), completion (prims/completion.ts) and refcount
// (prims/refcount.ts), transcribed check for check and in the model's order: the sleep
// check first for the calls that may sleep, then the object's address, then the operation.
import type { Expr } from '../lang/ast.js';
import { inc, lockClass, lockdep, sleepChecks, thread } from './context-promela.js';
import { bin, cst, type LowerCtx, not, offset, type PExpr, type PStmt, pureOf, word } from './pexpr.js';
import { TWO_STEP, twoStep } from './rcu-promela.js';

type Call = Extract<Expr, { kind: 'call' }>;

export interface SyncLowered {
  pre: PStmt[];
  value: PExpr;
  guard?: PExpr;
}

export const RWSEM_OPS = ['down_read', 'down_write', 'up_read', 'up_write', 'down_read_trylock', 'down_write_trylock'];
export const REFCOUNT_OPS = [
  ...['refcount_set', 'refcount_read', 'refcount_inc', 'refcount_dec', 'refcount_inc_not_zero'],
  'refcount_dec_and_test',
];

const store = (addr: PExpr, value: PExpr): PStmt => ({ k: 'store', addr, value });
const bitSet = (e: PExpr, bit: number): PExpr => bin('!=', bin('&', e, cst(bit)), cst(0));

/** The rwsem's three words: writer, readers mask, queued writers mask. */
function rwsemWords(lw: LowerCtx, e: Call) {
  const t = thread(lw, e);
  const p = lw.place(e.args[0]!);
  const pre = [...p.pre];
  const a = lw.snap(pre, p.e);
  const bit = 1 << lw.tid;
  return {
    t,
    pre,
    a,
    bit,
    me: cst(lw.tid + 1),
    canRead: bin('&&', bin('==', word(a), cst(0)), bin('==', word(offset(a, 2)), cst(0))),
    canWrite: bin('&&', bin('==', word(a), cst(0)), bin('==', word(offset(a, 1)), cst(0))),
    setReader: store(offset(a, 1), bin('|', word(offset(a, 1)), cst(bit))),
    held: t.sleepHeld,
  };
}

/**
 * The built-ins that are two ops as statements (down_write, synchronize_*,
 * kick_all_cpus_sync): the attempt and the test that sends it on to the wait (else past
 * it), and the wait's guard and statements; null for every other call.
 */
export function twoStepCall(
  lw: LowerCtx,
  e: Call,
): { attempt: PStmt[]; waits: PExpr; guard: PExpr; wait: PStmt[] } | null {
  if (e.callee === 'down_write') {
    const a = downWriteAttempt(lw, e);
    const w = downWriteWait(lw, e);
    return { attempt: a.pre, waits: a.queued, guard: w.guard, wait: w.pre };
  }
  if (!TWO_STEP.includes(e.callee)) return null;
  // synchronize_* may sleep (its attempt checks first); kick_all_cpus_sync spins.
  const sleep = e.callee === 'kick_all_cpus_sync' ? [] : sleepChecks(thread(lw, e)).pre;
  return twoStep(lw, e, sleep);
}

/** down_write's attempt (a step of its own): takes a free rwsem, or queues; `queued` says which. */
export function downWriteAttempt(lw: LowerCtx, e: Call): { pre: PStmt[]; queued: PExpr } {
  const sleep = sleepChecks(thread(lw, e));
  const w = rwsemWords(lw, e);
  const q = lw.fresh();
  const take: PStmt[] = [...downWriteTake(w), { k: 'tmp', n: q, value: cst(0) }];
  const queue: PStmt[] = [
    store(offset(w.a, 2), bin('|', word(offset(w.a, 2)), cst(w.bit))),
    { k: 'tmp', n: q, value: cst(1) },
  ];
  const pre = [
    ...sleep.pre,
    ...w.pre,
    ...lockdep(lw, lockClass(lw, w.a)),
    { k: 'if', cond: w.canWrite, yes: take, no: queue } as PStmt,
  ];
  return { pre, queued: { k: 'tmp', n: q } };
}

function downWriteTake(w: ReturnType<typeof rwsemWords>): PStmt[] {
  return [store(w.a, w.me), store(offset(w.a, 2), bin('&', word(offset(w.a, 2)), cst(~w.bit))), inc(w.held, 1)];
}

/** down_write's wait: enabled once the rwsem is free, then takes it (no sleep check: the attempt made it). */
export function downWriteWait(lw: LowerCtx, e: Call): { pre: PStmt[]; guard: PExpr } {
  const w = rwsemWords(lw, e);
  return { pre: [...w.pre, ...downWriteTake(w)], guard: guardWithAddress(lw, e, 'write') };
}

export function rwsemOp(lw: LowerCtx, e: Call, _effects: boolean): SyncLowered {
  const name = e.callee;
  if (name === 'down_read' || name === 'down_write') {
    const sleep = sleepChecks(thread(lw, e));
    const w = rwsemWords(lw, e);
    const write = name === 'down_write';
    const pre: PStmt[] = [...sleep.pre, ...w.pre];
    // lockdep's recursive read: a writer queued between the two would deadlock both.
    if (!write) pre.push({ k: 'assert', kind: 'lock_order', cond: not(bitSet(word(offset(w.a, 1)), w.bit)) });
    pre.push(...lockdep(lw, lockClass(lw, w.a)), write ? store(w.a, w.me) : w.setReader, inc(w.held, 1));
    const free = guardWithAddress(lw, e, write ? 'write' : 'read');
    return { pre, value: cst(0), guard: bin('||', sleep.atomicCtx, free) };
  }
  const w = rwsemWords(lw, e);
  const pre = [...w.pre];
  if (name === 'up_read') {
    pre.push({ k: 'assert', kind: 'lock_misuse', cond: bitSet(word(offset(w.a, 1)), w.bit) });
    pre.push(store(offset(w.a, 1), bin('&', word(offset(w.a, 1)), cst(~w.bit))), inc(w.held, -1));
    return { pre, value: cst(0) };
  }
  if (name === 'up_write') {
    pre.push({ k: 'assert', kind: 'lock_misuse', cond: bin('==', word(w.a), w.me) });
    pre.push(store(w.a, cst(0)), inc(w.held, -1));
    return { pre, value: cst(0) };
  }
  const write = name === 'down_write_trylock';
  if (!write) pre.push({ k: 'assert', kind: 'lock_misuse', cond: not(bitSet(word(offset(w.a, 1)), w.bit)) });
  const r = lw.fresh();
  const take = [write ? store(w.a, w.me) : w.setReader, inc(w.held, 1), { k: 'tmp', n: r, value: cst(1) } as PStmt];
  pre.push({ k: 'if', cond: write ? w.canWrite : w.canRead, yes: take, no: [{ k: 'tmp', n: r, value: cst(0) }] });
  return { pre, value: { k: 'tmp', n: r } };
}

/** The guard of down_read/down_write: the rwsem free for it, over the state before the step (its address checks folded in). */
function guardWithAddress(lw: LowerCtx, e: Call, how: 'read' | 'write'): PExpr {
  const p = lw.place(e.args[0]!);
  const a = p.e;
  const can =
    how === 'read'
      ? bin('&&', bin('==', word(a), cst(0)), bin('==', word(offset(a, 2)), cst(0)))
      : bin('&&', bin('==', word(a), cst(0)), bin('==', word(offset(a, 1)), cst(0)));
  return pureOf({ pre: p.pre, e: can }, e.span);
}

const COMPLETE_ALL = 0x7fffffff;

export function completionOp(lw: LowerCtx, e: Call, effects: boolean): SyncLowered {
  const name = e.callee;
  const wait = name === 'wait_for_completion';
  const sleep = wait ? sleepChecks(thread(lw, e)) : null;
  const p = lw.place(e.args[0]!);
  const pre = [...(sleep?.pre ?? []), ...p.pre];
  const a = lw.snap(pre, p.e);
  const upd = (v: PExpr): PStmt[] => (effects ? [store(a, v)] : []);
  const notAll = bin('!=', word(a), cst(COMPLETE_ALL));
  if (name === 'complete') pre.push({ k: 'if', cond: notAll, yes: upd(bin('+', word(a), cst(1))), no: [] });
  else if (name === 'complete_all') pre.push(...upd(cst(COMPLETE_ALL)));
  else if (wait) pre.push({ k: 'if', cond: notAll, yes: upd(bin('-', word(a), cst(1))), no: [] });
  else pre.push(...upd(cst(0)));
  if (!wait) return { pre, value: cst(0) };
  const g = lw.place(e.args[0]!);
  return {
    pre,
    value: cst(0),
    guard: bin('||', sleep!.atomicCtx, pureOf({ pre: g.pre, e: bin('>', word(g.e), cst(0)) }, e.span)),
  };
}

export function refcountOp(lw: LowerCtx, e: Call, effects: boolean): SyncLowered {
  const name = e.callee;
  const p = lw.place(e.args[0]!);
  const pre = [...p.pre];
  const a = lw.snap(pre, p.e);
  const uaf = (cond: PExpr): PStmt => ({ k: 'assert', kind: 'use_after_free', cond });
  const add = (delta: number): PStmt[] => [
    uaf(delta > 0 ? bin('!=', word(a), cst(0)) : bin('>', word(a), cst(0))),
    ...(effects ? [store(a, bin('+', word(a), cst(delta)))] : []),
  ];
  switch (name) {
    case 'refcount_read':
      return { pre, value: word(a) };
    case 'refcount_set': {
      const v = lw.value(e.args[1]!, effects);
      pre.push(...v.pre, ...(effects ? [store(a, v.e)] : []));
      return { pre, value: cst(0) };
    }
    case 'refcount_inc_not_zero': {
      const r = lw.fresh();
      const yes = [...add(1), { k: 'tmp', n: r, value: cst(1) } as PStmt];
      pre.push({ k: 'if', cond: bin('!=', word(a), cst(0)), yes, no: [{ k: 'tmp', n: r, value: cst(0) }] });
      return { pre, value: { k: 'tmp', n: r } };
    }
    case 'refcount_inc':
    case 'refcount_dec':
      pre.push(...add(name === 'refcount_inc' ? 1 : -1));
      return { pre, value: cst(0) };
    default: {
      // refcount_dec_and_test: the new count read back, as add() returns it.
      const r = lw.fresh();
      pre.push({ k: 'tmp', n: r, value: bin('-', word(a), cst(1)) }, ...add(-1));
      return { pre, value: bin('==', { k: 'tmp', n: r }, cst(0)) };
    }
  }
}
