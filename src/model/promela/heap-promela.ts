// Promela export of the heap (prims/heap.ts, compile-env.ts protectedLoad): alloc takes the
// lowest slot that is not live, zeroes it (its callback words too) and applies the
// initialisers; free checks double frees, a pending deferred free and, for an rcu/srcu
// protected pool, every other thread's loaded mask (premature_free), then forgets the object
// in every loaded mask, poisons the slot and zeroes its fields. A slot is reached by a
// constant address in each branch on the reference's value, so no address is computed.
import type { Expr } from '../lang/ast.js';
import type { Ty } from '../lang/types.js';
import type { Layout, PoolLayout, ThreadLayout } from '../layout.js';
import { bin, cst, dyn, type LowerCtx, type Lowered, not, type PExpr, type PStmt, word } from './pexpr.js';

const LIVE = 1;
const FREED = 2;

/** Word `off` of the slot reference r names (r from 1 to the pool's size). */
export function slotWord(pool: PoolLayout, r: PExpr, off: number): PExpr {
  const { base, slotWords, size } = pool;
  if (r.k === 'const') return cst(base + (r.v - 1) * slotWords + off);
  const cands = Array.from({ length: size }, (_, i) => base + i * slotWords + off);
  return dyn(bin('+', cst(base - slotWords + off), bin('*', r, cst(slotWords))), cands);
}

const store = (addr: number | PExpr, value: PExpr): PStmt => ({
  k: 'store',
  addr: typeof addr === 'number' ? cst(addr) : addr,
  value,
});

/** One statement per slot: `if r == 1 -> each(0) else if r == 2 -> each(1) ... else other`. */
function perSlot(pool: PoolLayout, r: PExpr, each: (slot: number) => PStmt[], other: PStmt[]): PStmt[] {
  if (r.k === 'const') return r.v >= 1 && r.v <= pool.size ? each(r.v - 1) : other;
  let out = other;
  for (let i = pool.size - 1; i >= 0; i--) out = [{ k: 'if', cond: bin('==', r, cst(i + 1)), yes: each(i), no: out }];
  return out;
}

/**
 * protectedLoad (compile-env.ts): thread t loaded reference v (a temporary or constant) of
 * type ty; inside a read section of the domain protecting its pool (or, for RCU, with
 * interrupts off), remember it, unless a deferred free of it already waits for this reader.
 */
export function protectedLoad(lw: LowerCtx, ty: Ty, v: PExpr): PStmt[] {
  const t = lw.thread;
  if (t === null || ty.k !== 'ref') return [];
  const pool = lw.layout.pools.get(ty.struct);
  if (pool === undefined || pool.protectedIndex < 0) return [];
  const loaded = t.loaded + pool.protectedIndex;
  const inside = pool.domain === 0 ? t.rcuDepth : t.section + pool.domain;
  const irqOff = pool.domain === 0 ? t.irqOff : inside;
  let cond = bin(
    '&&',
    bin('!=', v, cst(0)),
    bin('||', bin('!=', bin('&', word(inside), cst(0xff)), cst(0)), bin('!=', word(irqOff), cst(0))),
  );
  if (pool.hasCallbacks) {
    const cb = 1 + pool.fieldWords;
    const waits = bin(
      '&&',
      bin('==', word(slotWord(pool, v, cb)), cst(pool.domain + 1)),
      bin('!=', bin('&', word(slotWord(pool, v, cb + 1)), cst(1 << lw.tid)), cst(0)),
    );
    cond = bin('&&', cond, not(waits));
  }
  const set = store(loaded, bin('|', word(loaded), bin('<<', cst(1), bin('-', v, cst(1)))));
  return [{ k: 'if', cond, yes: [set], no: [] }];
}

/** compileAlloc (heap.ts): the initialisers in order, then the lowest slot not live. */
export function lowerAlloc(lw: LowerCtx, e: Extract<Expr, { kind: 'alloc' }>, effects: boolean): Lowered {
  const pool = lw.layout.pools.get(e.type)!;
  const st = lw.spec.structs.get(e.type)!;
  const { pre, es } = lw.seq(e.inits.map((i) => () => lw.value(i.value, effects)));
  const vals = es.map((v) => lw.snap(pre, v));
  const r = lw.fresh();
  let chain: PStmt[] = [{ k: 'assert', kind: 'pool_exhausted', cond: cst(0) }];
  for (let i = pool.size - 1; i >= 0; i--) {
    const b = pool.base + i * pool.slotWords;
    const take: PStmt[] = [];
    if (effects) {
      take.push(store(b, cst(LIVE)));
      for (let w = 1; w < pool.slotWords; w++) take.push(store(b + w, cst(0)));
      e.inits.forEach((init, k) => {
        take.push(store(b + 1 + st.fieldByName.get(init.field)!.offset, vals[k]!));
      });
      take.push(...protectedLoad(lw, { k: 'ref', struct: e.type }, cst(i + 1)));
    }
    take.push({ k: 'tmp', n: r, value: cst(i + 1) });
    chain = [{ k: 'if', cond: bin('!=', word(b), cst(LIVE)), yes: take, no: chain }];
  }
  return { pre: [...pre, ...chain], e: { k: 'tmp', n: r } };
}

/** compileFree (heap.ts): free(NULL) does nothing; a type without a pool cannot exist. */
export function lowerFree(lw: LowerCtx, arg: Expr, effects: boolean): PStmt[] {
  const ty = lw.spec.types.get(arg);
  const pool = ty?.k === 'ref' ? lw.layout.pools.get(ty.struct) : undefined;
  const v = lw.value(arg, effects);
  const pre = [...v.pre];
  const r = lw.snap(pre, v.e);
  const uaf: PStmt = { k: 'assert', kind: 'use_after_free', cond: cst(0) };
  const body = pool === undefined ? [uaf] : perSlot(pool, r, (slot) => freeSlot(lw.layout, pool, slot, lw.tid), [uaf]);
  return [...pre, { k: 'if', cond: bin('!=', r, cst(0)), yes: body, no: [] }];
}

/** freeSlot (heap.ts) on a constant slot; `freer` is the freeing entity (its own loads do not count). */
export function freeSlot(layout: Layout, pool: PoolLayout, slot: number, freer: number): PStmt[] {
  const b = pool.base + slot * pool.slotWords;
  const out: PStmt[] = [{ k: 'assert', kind: 'use_after_free', cond: bin('==', word(b), cst(LIVE)) }];
  if (pool.hasCallbacks)
    out.push({ k: 'assert', kind: 'use_after_free', cond: bin('==', word(b + 1 + pool.fieldWords), cst(0)) });
  if (pool.protectedIndex >= 0) {
    const bit = 1 << slot;
    const loaded = (u: ThreadLayout): number => u.loaded + pool.protectedIndex;
    layout.threads.forEach((u, tid) => {
      if (tid !== freer)
        out.push({ k: 'assert', kind: 'premature_free', cond: bin('==', bin('&', word(loaded(u)), cst(bit)), cst(0)) });
    });
    for (const u of layout.threads) out.push(store(loaded(u), bin('&', word(loaded(u)), cst(~bit))));
  }
  out.push(store(b, cst(FREED)));
  for (let w = 1; w <= pool.fieldWords; w++) out.push(store(b + w, cst(0)));
  return out;
}
