// Promela export of RCU and SRCU (prims/rcu.ts) and of interrupts off (prims/irq.ts),
// transcribed word for word: a domain's readers mask (and an srcu's index), a thread's
// nesting depth (srcu: with the index each lock returned, in the bits above the depth),
// grace-period waits as a snapshot mask that leaving readers clear, call_rcu/call_srcu as
// the object's two callback words (its domain + 1, the readers waited for) and a process
// per slot that frees it once no reader is waited for, and kick_all_cpus_sync as the mask
// of threads with interrupts off that turning them on clears. An srcu domain inside a pool
// object is refused (its domain would be computed; no bundled spec has one).
import type { Expr } from '../lang/ast.js';
import type { Layout, PoolLayout, ThreadLayout } from '../layout.js';
import { thread } from './context-promela.js';
import { freeSlot } from './heap-promela.js';
import { bin, cst, type LowerCtx, not, type PExpr, PromelaRefusal, type PStmt, word } from './pexpr.js';

type Call = Extract<Expr, { kind: 'call' }>;

export const RCU_OPS = [
  ...['rcu_read_lock', 'rcu_read_unlock', 'srcu_read_lock', 'srcu_read_unlock', 'call_rcu', 'kfree_rcu'],
  ...['call_srcu', 'local_irq_disable', 'local_irq_enable', 'local_irq_save', 'local_irq_restore'],
];
/** The two-step built-ins: the attempt and the wait (lower-call.ts lowerCall). */
export const TWO_STEP = ['synchronize_rcu', 'synchronize_srcu', 'kick_all_cpus_sync'];

const DEPTH = 0xff;
const store = (addr: number, value: PExpr): PStmt => ({ k: 'store', addr: cst(addr), value });
const has = (e: PExpr, bit: number): PExpr => bin('!=', bin('&', e, cst(bit)), cst(0));
const clearBit = (addr: number, bit: number): PStmt => store(addr, bin('&', word(addr), cst(~bit)));

/** The domain an srcu argument names (a global srcu); RCU is domain 0. */
function domainOf(lw: LowerCtx, e: Call): number {
  if (!e.callee.includes('srcu')) return 0;
  const p = lw.place(e.args[0]!);
  const d = p.e.k === 'const' && p.pre.length === 0 ? lw.layout.domainOfAddr.get(p.e.v) : undefined;
  if (d === undefined)
    throw new PromelaRefusal(e.args[0]!.span, 'PML03', 'an srcu inside a pool object is not exported');
  return d;
}

/** leaveSection (rcu.ts): thread tid left its outermost section of domain d. */
export function leaveSection(layout: Layout, d: number, tid: number, t: ThreadLayout): PStmt[] {
  const D = layout.domains[d]!;
  const bit = 1 << tid;
  const out: PStmt[] = [clearBit(D.addr, bit)];
  for (const u of layout.threads)
    out.push({
      k: 'if',
      cond: bin('&&', bin('==', word(u.waitDomain), cst(d + 1)), has(word(u.waitMask), bit)),
      yes: [clearBit(u.waitMask, bit)],
      no: [],
    });
  for (const p of layout.poolList) {
    if (!p.hasCallbacks) continue;
    for (let i = 0; i < p.size; i++) {
      const cb = p.base + i * p.slotWords + 1 + p.fieldWords;
      out.push({
        k: 'if',
        cond: bin('&&', bin('==', word(cb), cst(d + 1)), has(word(cb + 1), bit)),
        yes: [clearBit(cb + 1, bit)],
        no: [],
      });
    }
  }
  for (const p of layout.protectedPools) if (p.domain === d) out.push(store(t.loaded + p.protectedIndex, cst(0)));
  return out;
}

function readLock(lw: LowerCtx, e: Call, d: number): { pre: PStmt[]; value: PExpr } {
  const t = thread(lw, e);
  const D = lw.layout.domains[d]!;
  const srcu = D.srcu;
  const w = srcu ? t.section + d : t.rcuDepth;
  const dep = lw.fresh();
  const depth: PExpr = { k: 'tmp', n: dep };
  const pre: PStmt[] = [
    { k: 'tmp', n: dep, value: bin('&', word(w), cst(DEPTH)) },
    { k: 'if', cond: bin('==', depth, cst(0)), yes: [store(D.addr, bin('|', word(D.addr), cst(1 << lw.tid)))], no: [] },
  ];
  if (!srcu) return { pre: [...pre, store(w, bin('+', depth, cst(1)))], value: cst(0) };
  const idx = lw.fresh();
  const at = bin('+', cst(8), depth);
  const kept = bin('&', bin('&', word(w), cst(~DEPTH)), { k: 'un', op: '~', a: bin('<<', cst(1), at) });
  pre.push(
    { k: 'tmp', n: idx, value: word(D.addr + 1) },
    store(w, bin('|', bin('|', kept, bin('<<', { k: 'tmp', n: idx }, at)), bin('+', depth, cst(1)))),
  );
  return { pre, value: { k: 'tmp', n: idx } };
}

function readUnlock(lw: LowerCtx, e: Call, d: number, effects: boolean): PStmt[] {
  const t = thread(lw, e);
  const D = lw.layout.domains[d]!;
  const w = D.srcu ? t.section + d : t.rcuDepth;
  const dep = lw.fresh();
  const depth: PExpr = { k: 'tmp', n: dep };
  const pre: PStmt[] = [
    { k: 'tmp', n: dep, value: bin('&', word(w), cst(DEPTH)) },
    { k: 'assert', kind: 'lock_misuse', cond: bin('!=', depth, cst(0)) },
  ];
  const at = bin('+', cst(7), depth);
  if (D.srcu) {
    const got = lw.value(e.args[1]!, effects);
    pre.push(...got.pre);
    const want = bin('&', bin('>>', word(w), at), cst(1));
    pre.push({ k: 'assert', kind: 'lock_misuse', cond: bin('==', got.e, want) });
  }
  const kept = bin('&', bin('&', word(w), cst(~DEPTH)), { k: 'un', op: '~', a: bin('<<', cst(1), at) });
  pre.push(store(w, bin('|', kept, bin('-', depth, cst(1)))));
  // With interrupts off the thread stays an RCU reader (irq.ts).
  const last = bin('==', depth, cst(1));
  const leaves = D.srcu ? last : bin('&&', last, bin('==', word(t.irqOff), cst(0)));
  pre.push({ k: 'if', cond: leaves, yes: leaveSection(lw.layout, d, lw.tid, t), no: [] });
  return pre;
}

/** compileCallRcu (rcu.ts): queue the deferred free of r's slot, waiting for the readers inside now. */
function callRcu(lw: LowerCtx, e: Call, d: number, effects: boolean): PStmt[] {
  const arg = e.args[e.callee === 'call_srcu' ? 1 : 0]!;
  const ty = lw.spec.types.get(arg);
  const pool = ty?.k === 'ref' ? lw.layout.pools.get(ty.struct) : undefined;
  if (pool === undefined || !pool.hasCallbacks)
    throw new Error('[mmcheck internal bug] call_* target pool has no callback words');
  const v = lw.value(arg, effects);
  const pre = [...v.pre];
  const r = lw.snap(pre, v.e);
  const D = lw.layout.domains[d]!;
  const each = (slot: number): PStmt[] => {
    const b = pool.base + slot * pool.slotWords;
    const cb = b + 1 + pool.fieldWords;
    const out: PStmt[] = [
      { k: 'assert', kind: 'use_after_free', cond: bin('==', word(b), cst(1)) },
      { k: 'assert', kind: 'use_after_free', cond: bin('==', word(cb), cst(0)) },
      store(cb, cst(d + 1)),
      store(cb + 1, word(D.addr)),
    ];
    if (d === pool.domain && pool.protectedIndex >= 0)
      lw.layout.threads.forEach((u, tid) => {
        const w = u.loaded + pool.protectedIndex;
        out.push({ k: 'if', cond: has(word(D.addr), 1 << tid), yes: [clearBit(w, 1 << slot)], no: [] });
      });
    return out;
  };
  let chain: PStmt[] = [{ k: 'assert', kind: 'use_after_free', cond: cst(0) }];
  for (let i = pool.size - 1; i >= 0; i--)
    chain = [{ k: 'if', cond: bin('==', r, cst(i + 1)), yes: each(i), no: chain }];
  return [...pre, { k: 'if', cond: bin('!=', r, cst(0)), yes: chain, no: [] }];
}

/** setIrqs (irq.ts): interrupts off (1) or on (0), with the RCU reader and IPI bookkeeping. */
function setIrqs(lw: LowerCtx, t: ThreadLayout, off: number): PStmt[] {
  const { layout, tid } = lw;
  const bit = 1 << tid;
  const changed: PStmt[] = [];
  if (off === 0) for (const u of layout.threads) changed.push(clearBit(u.ipiWait, bit));
  const rcu = layout.domains[0]!.addr;
  const reader = off === 1 ? [store(rcu, bin('|', word(rcu), cst(bit)))] : leaveSection(layout, 0, tid, t);
  changed.push({ k: 'if', cond: bin('<=', word(t.rcuDepth), cst(0)), yes: reader, no: [] });
  const was: PExpr = { k: 'tmp', n: lw.fresh() };
  return [
    { k: 'tmp', n: (was as { n: number }).n, value: word(t.irqOff) },
    store(t.irqOff, cst(off)),
    { k: 'if', cond: bin('!=', was, cst(off)), yes: changed, no: [] },
  ];
}

export function rcuOp(lw: LowerCtx, e: Call, effects: boolean): { pre: PStmt[]; value: PExpr } {
  const name = e.callee;
  const t = thread(lw, e);
  switch (name) {
    case 'rcu_read_lock':
    case 'srcu_read_lock':
      return readLock(lw, e, domainOf(lw, e));
    case 'rcu_read_unlock':
    case 'srcu_read_unlock':
      return { pre: readUnlock(lw, e, domainOf(lw, e), effects), value: cst(0) };
    case 'call_rcu':
    case 'kfree_rcu':
    case 'call_srcu':
      return { pre: callRcu(lw, e, domainOf(lw, e), effects), value: cst(0) };
    case 'local_irq_disable':
    case 'local_irq_enable':
      return { pre: effects ? setIrqs(lw, t, name === 'local_irq_disable' ? 1 : 0) : [], value: cst(0) };
    case 'local_irq_save': {
      if (!effects) return { pre: [], value: cst(0) };
      const f = lw.place(e.args[0]!);
      const pre: PStmt[] = [...f.pre, { k: 'store', addr: f.e, value: word(t.irqOff) }];
      return { pre: [...pre, ...setIrqs(lw, t, 1)], value: cst(0) };
    }
    default: {
      // local_irq_restore(f)
      const f = lw.value(e.args[0]!, effects);
      if (!effects) return { pre: f.pre, value: cst(0) };
      const pre = [...f.pre];
      const v = lw.snap(pre, f.e);
      const on = setIrqs(lw, t, 0);
      pre.push({ k: 'if', cond: bin('==', v, cst(0)), yes: on, no: setIrqs(lw, t, 1) });
      return { pre, value: cst(0) };
    }
  }
}

/**
 * The two steps of synchronize_rcu/srcu and kick_all_cpus_sync: the attempt's statements and
 * the test that sends it to the wait (else it is done), and the wait's guard and statements.
 */
export function twoStep(
  lw: LowerCtx,
  e: Call,
  sleep: PStmt[],
): { attempt: PStmt[]; waits: PExpr; guard: PExpr; wait: PStmt[] } {
  const t = thread(lw, e);
  if (e.callee === 'kick_all_cpus_sync') {
    let mask: PExpr = cst(0);
    lw.layout.threads.forEach((u, i) => {
      if (i !== lw.tid) mask = bin('|', mask, bin('<<', bin('!=', word(u.irqOff), cst(0)), cst(i)));
    });
    const attempt = [store(t.ipiWait, mask)];
    return { attempt, waits: bin('!=', word(t.ipiWait), cst(0)), guard: bin('==', word(t.ipiWait), cst(0)), wait: [] };
  }
  const d = domainOf(lw, e);
  const D = lw.layout.domains[d]!;
  const attempt: PStmt[] = [...sleep, store(t.waitMask, word(D.addr)), store(t.waitDomain, cst(d + 1))];
  if (D.srcu) attempt.push(store(D.addr + 1, bin('^', word(D.addr + 1), cst(1))));
  return { attempt, waits: cst(1), guard: bin('==', word(t.waitMask), cst(0)), wait: [store(t.waitDomain, cst(0))] };
}

/** The process of one slot's deferred free (rcu.ts callbackEntity): enabled once no reader is waited for. */
export function callbackCode(
  layout: Layout,
  pool: PoolLayout,
  slot: number,
): { ready: PExpr; body: PStmt[]; pending: PExpr } {
  const cb = pool.base + slot * pool.slotWords + 1 + pool.fieldWords;
  return {
    ready: bin('&&', bin('!=', word(cb), cst(0)), bin('==', word(cb + 1), cst(0))),
    body: [store(cb, cst(0)), ...freeSlot(layout, pool, slot, -1)],
    pending: not(bin('==', word(cb), cst(0))),
  };
}
