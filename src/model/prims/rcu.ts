// RCU and SRCU. A domain has a readers mask (one bit per thread inside a read section);
// an SRCU domain also has its current index. Per thread: the nesting depth and the index
// each srcu_read_lock returned (to catch an index mismatch), the grace-period wait mask of a
// synchronize_* in progress, and which protected objects it loaded in its current section.
//
// synchronize_*() is two steps: `begin` snapshots the readers inside now; `wait` is enabled
// once every one of them has left (a reader leaving clears its bit from every snapshot).
// Readers that enter after `begin` are not waited for — as in the kernel, and necessary so
// that "synchronize returned while a later reader is inside" is an explored behaviour.
// call_rcu/call_srcu snapshot the readers the same way into the object's callback words;
// the deferred free is an environment entity, enabled once the snapshot is empty, scheduled
// like a thread, so a late callback is an explored interleaving.
// Footprint: entering/leaving a section writes the thread's bit of the domain's readers mask
// (a virtual location per bit, so readers commute with each other); begin and call_* read
// every bit. Leaving writes the waiters' snapshot words it clears and the loaded-object words
// it resets (frees read those).

import { big } from '../itf.js';
import { INT, VOID } from '../lang/types.js';
import { type Layout, type PoolLayout, readerLoc, type ThreadLayout } from '../layout.js';
import type { Runtime } from '../runtime.js';
import { type BuiltinCode, type BuiltinRequest, type TwoStepCode, threadOf } from './context.js';
import { type BuiltinDef, INT_ARG, type PrimitiveFamily, REF_ARG, syncArg } from './family.js';
import { freeSlot } from './heap.js';

const DEPTH = 0xff;

/** Domain id of an srcu argument (a global srcu or an srcu field of a pool slot). */
function domainArg(req: BuiltinRequest): (s: Int32Array) => number {
  const place = req.place(req.args[0]!);
  const map = req.env.layout.domainOfAddr;
  if (place.constAddr >= 0) {
    const d = map.get(place.constAddr)!;
    return () => d;
  }
  return (s) => map.get(place.addr(s))!;
}

/** rcu_read_lock / srcu_read_lock: enter a read section (srcu: returns the index). */
function compileReadLock(req: BuiltinRequest): BuiltinCode {
  const { rt, layout } = req.env;
  const srcu = req.name.includes('srcu');
  const dom = srcu ? domainArg(req) : () => 0;
  const t = threadOf(req);
  const bit = 1 << req.env.tid;
  return {
    exec: (s) => {
      const d = dom(s);
      const D = layout.domains[d]!;
      const w = srcu ? t.section + d : t.rcuDepth;
      const depth = s[w]! & DEPTH;
      if (depth === 0) {
        rt.fp.write(readerLoc(layout, d, req.env.tid));
        s[D.addr] = s[D.addr]! | bit;
      }
      if (!srcu) {
        s[w] = depth + 1;
        return 0;
      }
      rt.fp.read(D.addr + 1);
      const idx = s[D.addr + 1]!;
      s[w] = (s[w]! & ~DEPTH & ~(1 << (8 + depth))) | (idx << (8 + depth)) | (depth + 1);
      return idx;
    },
  };
}

/** rcu_read_unlock / srcu_read_unlock: leave it (srcu: with the index its lock returned). */
function compileReadUnlock(req: BuiltinRequest): BuiltinCode {
  const { rt, layout } = req.env;
  const span = req.call.span;
  const srcu = req.name.includes('srcu');
  const dom = srcu ? domainArg(req) : () => 0;
  const t = threadOf(req);
  const idxArg = srcu ? req.value(req.args[1]!) : null;
  return {
    exec: (s) => {
      const d = dom(s);
      const w = srcu ? t.section + d : t.rcuDepth;
      const depth = s[w]! & DEPTH;
      const D = layout.domains[d]!;
      if (depth === 0)
        rt.fail('lock_misuse', `${t.name} calls ${req.name}() outside a read-side section of ${D.name}`, span);
      if (idxArg !== null) {
        const got = idxArg(s);
        const want = (s[w]! >>> (8 + depth - 1)) & 1;
        if (got !== want)
          rt.fail(
            'lock_misuse',
            `${t.name} calls srcu_read_unlock(${D.name}, ${got}), but the matching srcu_read_lock returned ${want}`,
            span,
          );
      }
      s[w] = (s[w]! & ~DEPTH & ~(1 << (8 + depth - 1))) | (depth - 1);
      // With interrupts off the thread stays an RCU reader (prims/irq.ts).
      if (depth === 1 && (srcu || s[t.irqOff] === 0)) leaveSection(rt, layout, s, d, req.env.tid, t);
      return 0;
    },
  };
}

/** call_rcu / call_srcu: queue the deferred free, waiting for the readers inside now. */
function compileCallRcu(req: BuiltinRequest): BuiltinCode {
  const { rt, layout } = req.env;
  const span = req.call.span;
  const srcu = req.name.includes('srcu');
  const dom = srcu ? domainArg(req) : () => 0;
  const arg = req.args[srcu ? 1 : 0]!;
  const ty = req.env.spec.types.get(arg);
  const pool = ty?.k === 'ref' ? layout.pools.get(ty.struct) : undefined;
  const ref = req.value(arg);
  const who = req.env.thread?.name ?? 'init';
  return {
    exec: (s) => {
      const r = ref(s);
      if (r === 0) return 0;
      if (pool === undefined || !pool.hasCallbacks)
        throw new Error('[mmcheck internal bug] call_* target pool has no callback words');
      const b = pool.base + (r - 1) * pool.slotWords;
      const obj = `${pool.struct}#${r - 1}`;
      rt.fp.read(b);
      if (s[b] !== 1)
        rt.fail('use_after_free', `${who} passes ${obj} to ${req.name}, but it is already freed`, span, [
          rt.objectNote(pool.struct, r - 1, 'already freed'),
        ]);
      const cb = b + 1 + pool.fieldWords;
      rt.fp.write(cb);
      if (s[cb] !== 0)
        rt.fail('use_after_free', `${who} passes ${obj} to ${req.name} twice: double free`, span, [
          rt.objectNote(pool.struct, r - 1, 'already queued for a deferred free'),
        ]);
      const d = dom(s);
      const D = layout.domains[d]!;
      readMask(rt, layout, d);
      rt.fp.write(cb + 1);
      s[cb] = d + 1;
      s[cb + 1] = s[D.addr]!;
      if (d === pool.domain) forgetWaitedHolders(rt, layout, s, pool, r - 1, s[D.addr]!);
      return 0;
    },
  };
}

/**
 * call_* on an object of the pool its domain protects: the readers inside now are waited
 * for, so whether they loaded it can no longer matter (a direct free while the callback is
 * pending is a double free, caught before the holders are looked at; the callback runs once
 * they all left, which forgets their loads anyway). Forgetting now merges the states that
 * differ only in that history (docs/adr/004).
 */
function forgetWaitedHolders(
  rt: Runtime,
  layout: Layout,
  s: Int32Array,
  pool: PoolLayout,
  slot: number,
  waited: number,
): void {
  if (pool.protectedIndex < 0) return;
  const bit = 1 << slot;
  layout.threads.forEach((u, tid) => {
    if ((waited & (1 << tid)) === 0) return;
    const w = u.loaded + pool.protectedIndex;
    rt.fp.read(w);
    if ((s[w]! & bit) === 0) return;
    rt.fp.write(w);
    s[w] = s[w]! & ~bit;
  });
}

/** synchronize_rcu / synchronize_srcu: the two steps, `begin` (the attempt) and `wait` (see above). */
function compileSynchronize(req: BuiltinRequest): TwoStepCode {
  const t = threadOf(req);
  const { rt, layout } = req.env;
  const srcu = req.name === 'synchronize_srcu';
  const dom = srcu ? domainArg(req) : () => 0;
  return {
    waiting: 'waiting for the grace period',
    attempt: {
      exec: (s) => {
        const d = dom(s);
        const D = layout.domains[d]!;
        readMask(rt, layout, d);
        rt.fp.write(t.waitMask);
        rt.fp.write(t.waitDomain);
        s[t.waitMask] = s[D.addr]!;
        s[t.waitDomain] = d + 1;
        if (srcu) {
          // The kernel flips the index so that new readers use the other counter.
          rt.fp.write(D.addr + 1);
          s[D.addr + 1] = s[D.addr + 1]! ^ 1;
        }
        return 1;
      },
    },
    wait: {
      guard: (s) => {
        rt.fp.read(t.waitMask);
        return s[t.waitMask] === 0 ? 1 : 0;
      },
      exec: (s) => {
        rt.fp.write(t.waitDomain);
        s[t.waitDomain] = 0;
        return 0;
      },
    },
  };
}

/** Footprint of reading domain d's whole readers mask: every thread's bit. */
function readMask(rt: Runtime, layout: Layout, d: number): void {
  for (let tid = 0; tid <= layout.threads.length; tid++) rt.fp.read(readerLoc(layout, d, tid));
}

/** A reader left its outermost section of domain d: release grace periods waiting for it. */
export function leaveSection(
  rt: Runtime,
  layout: Layout,
  s: Int32Array,
  d: number,
  tid: number,
  t: ThreadLayout,
): void {
  const D = layout.domains[d]!;
  const bit = 1 << tid;
  rt.fp.write(readerLoc(layout, d, tid));
  s[D.addr] = s[D.addr]! & ~bit;
  for (const u of layout.threads) {
    rt.fp.read(u.waitMask);
    if (s[u.waitDomain] === d + 1 && (s[u.waitMask]! & bit) !== 0) {
      rt.fp.write(u.waitMask);
      s[u.waitMask] = s[u.waitMask]! & ~bit;
    }
  }
  for (const p of layout.poolList) {
    if (!p.hasCallbacks) continue;
    for (let i = 0; i < p.size; i++) {
      const cb = p.base + i * p.slotWords + 1 + p.fieldWords;
      rt.fp.read(cb + 1);
      if (s[cb] === d + 1 && (s[cb + 1]! & bit) !== 0) {
        rt.fp.write(cb + 1);
        s[cb + 1] = s[cb + 1]! & ~bit;
      }
    }
  }
  for (const p of layout.protectedPools) {
    if (p.domain !== d) continue;
    const w = t.loaded + p.protectedIndex;
    rt.fp.write(w);
    s[w] = 0;
  }
}

/** The environment entity performing the deferred free of one pool slot. */
export function callbackEntity(rt: Runtime, layout: Layout, poolIndex: number, slot: number) {
  const pool = layout.poolList[poolIndex]!;
  const cb = pool.base + slot * pool.slotWords + 1 + pool.fieldWords;
  const name = `callback(${pool.struct}#${slot})`;
  // Who frees, per domain, for a message: built only when a check fails.
  const freers = layout.domains.map((D) => () => `the ${D.srcu ? `call_srcu(${D.name})` : 'call_rcu'} callback`);
  return {
    name,
    ready: (s: Int32Array): boolean => s[cb] !== 0 && s[cb + 1] === 0,
    guardFootprint: (): void => {
      rt.fp.read(cb);
      rt.fp.read(cb + 1);
    },
    pending: (s: Int32Array): boolean => s[cb] !== 0,
    exec: (s: Int32Array): void => {
      const freer = freers[s[cb]! - 1]!;
      rt.fp.write(cb);
      s[cb] = 0;
      freeSlot(rt, layout, s, pool, slot, freer, undefined);
    },
  };
}

const srcuArg = syncArg('srcu');
const section = (
  args: BuiltinDef['args'],
  returns: BuiltinDef['returns'],
  compile: BuiltinDef['compile'],
): BuiltinDef => ({ args, returns, blocks: false, sleeps: false, compile });
const synchronize = (args: BuiltinDef['args']): BuiltinDef => ({
  args,
  returns: VOID,
  blocks: true,
  sleeps: true,
  noAtomicForm: true,
  compile: (req) => {
    throw new Error(`[mmcheck internal bug] ${req.name} has no one-step form (inside atomic { })`);
  },
  twoStep: compileSynchronize,
});
const defer = (args: BuiltinDef['args'], defersFree: number) => ({
  ...section(args, VOID, compileCallRcu),
  defersFree,
});

export const rcu = {
  name: 'rcu',
  threadWords: [
    { name: 'rcuDepth', count: 'one' },
    // A synchronize_* in progress: the readers it waits for, and its domain + 1.
    { name: 'waitMask', count: 'one', label: '<gp-wait>' },
    { name: 'waitDomain', count: 'one' },
    // Per domain: srcu nesting depth in the low byte, the index bits above it.
    { name: 'section', count: 'perDomain' },
  ],
  types: {
    srcu: {
      words: 2,
      wordNames: ['readers', 'idx'],
      usage: 'srcu_read_lock()/srcu_read_unlock(), synchronize_srcu() and call_srcu()',
      // The readers mask as the threads inside a read section: `{fault}`, `{}` (not a bitmask).
      formatWord: (word, value, who) => (word === 0 ? `{${who.threadsIn(value).join(', ')}}` : String(value)),
      view: (s, addr, who) => ({ readers: { '#set': who.threadsIn(s[addr]!) }, idx: big(s[addr + 1]!) }),
      domain: true,
    },
  },
  builtins: {
    rcu_read_lock: section([], VOID, compileReadLock),
    rcu_read_unlock: section([], VOID, compileReadUnlock),
    srcu_read_lock: section([srcuArg], INT, compileReadLock),
    srcu_read_unlock: section([srcuArg, INT_ARG], VOID, compileReadUnlock),
    synchronize_rcu: synchronize([]),
    synchronize_srcu: synchronize([srcuArg]),
    call_rcu: defer([REF_ARG], 0),
    // kfree_rcu(p): call_rcu with a callback that frees p, which is what call_rcu models.
    kfree_rcu: defer([REF_ARG], 0),
    call_srcu: defer([srcuArg, REF_ARG], 1),
  },
} satisfies PrimitiveFamily;
