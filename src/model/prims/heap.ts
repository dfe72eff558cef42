// Pools: the bounded heap. `alloc` takes the lowest slot that is not live (a freed slot is
// reused, as slab reuse allows), zeroes it and applies the initialisers; `free` poisons the
// slot, so any later access through a stale reference is use_after_free. Freeing an object
// of an rcu/srcu-protected type while a reader that loaded it is still inside its read
// section is premature_free (also when the free is a deferred callback: a reader that
// loaded it after call_srcu was never waited for).
// Footprint: alloc reads every slot's alloc word (the choice of slot depends on all of
// them) and writes the slot it takes; free writes the alloc word and every field, so a free
// is dependent with every access to the object.

import { protectedLoad } from '../compile-env.js';
import type { Expr, Span } from '../lang/ast.js';
import { VOID } from '../lang/types.js';
import { type Layout, type PoolLayout, SLOT_FREED, SLOT_LIVE } from '../layout.js';
import type { Runtime } from '../runtime.js';
import { type BuiltinCode, type BuiltinRequest, threadOf } from './context.js';
import { type PrimitiveFamily, REF_ARG } from './family.js';

export function compileAlloc(req: BuiltinRequest): BuiltinCode {
  const e = req.call as Extract<Expr, { kind: 'alloc' }>;
  const { rt, layout, effects } = req.env;
  const pool = layout.pools.get(e.type)!;
  const st = req.env.spec.structs.get(e.type)!;
  const inits = e.inits.map((i) => ({
    off: 1 + st.fieldByName.get(i.field)!.offset,
    val: req.value(i.value),
  }));
  const offs = Int32Array.from(inits.map((i) => i.off));
  const vals = new Int32Array(inits.length);
  const { base, slotWords, size } = pool;
  const clearWords = slotWords - 1;
  const span = e.span;
  const who = req.env.thread?.name ?? 'init';
  const hold = effects ? protectedLoad({ k: 'ref', struct: e.type }, req.env) : null;
  return {
    exec: (s) => {
      for (let i = 0; i < inits.length; i++) vals[i] = inits[i]!.val(s);
      let slot = -1;
      for (let i = 0; i < size; i++) {
        const b = base + i * slotWords;
        rt.fp.read(b);
        if (slot < 0 && s[b] !== SLOT_LIVE) slot = i;
      }
      if (slot < 0) {
        rt.fail(
          'pool_exhausted',
          `${who} allocates a ${e.type}, but all ${size} slots of pool ${e.type}[${size}] are in use`,
          span,
          [
            {
              object: `pool ${e.type}[${size}]`,
              event: 'exhausted: raise the pool size so the spec can express this behaviour',
            },
          ],
        );
      }
      if (!effects) return slot + 1;
      const b = base + slot * slotWords;
      rt.fp.write(b);
      s[b] = SLOT_LIVE;
      for (let w = 1; w <= clearWords; w++) {
        rt.fp.write(b + w);
        s[b + w] = 0;
      }
      for (let i = 0; i < offs.length; i++) s[b + offs[i]!] = vals[i]!;
      if (hold !== null) hold(s, slot + 1);
      return slot + 1;
    },
  };
}

function compileFree(req: BuiltinRequest): BuiltinCode {
  const arg = req.args[0]!;
  const ty = req.env.spec.types.get(arg);
  const { rt, layout } = req.env;
  const pool = ty?.k === 'ref' ? layout.pools.get(ty.struct) : undefined;
  const ref = req.value(arg);
  const span = req.call.span;
  const who = req.env.thread?.name ?? 'init';
  threadOf(req);
  const freer = (): string => `${who} (${rt.where(span)})`;
  return {
    exec: (s) => {
      const r = ref(s);
      if (r === 0) return 0; // kfree(NULL) is a no-op
      if (pool === undefined) return rt.fail('use_after_free', `${who} frees an object that cannot exist`, span);
      freeSlot(rt, layout, s, pool, r - 1, freer, span);
      return 0;
    },
  };
}

/**
 * Poison one slot, after the double-free and premature-free checks. `freer` names the freeing
 * side for a message; it is called only when a check fails (formatting the source line on
 * every free was a fifth of a search's time on specs that free often).
 */
export function freeSlot(
  rt: Runtime,
  layout: Layout,
  s: Int32Array,
  pool: PoolLayout,
  slot: number,
  freer: () => string,
  span: Span | undefined,
): void {
  const b = pool.base + slot * pool.slotWords;
  rt.fp.write(b);
  if (s[b] !== SLOT_LIVE) {
    const who = freer();
    const obj = `${pool.struct}#${slot}`;
    const what = s[b] === SLOT_FREED ? `double free of ${obj}` : `free of ${obj}, which was never allocated`;
    rt.fail('use_after_free', `${what} by ${who}`, span, [
      rt.objectNote(pool.struct, slot, s[b] === SLOT_FREED ? 'already freed' : 'never allocated'),
    ]);
  }
  if (pool.hasCallbacks && s[b + 1 + pool.fieldWords] !== 0) {
    const who = freer();
    const obj = `${pool.struct}#${slot}`;
    rt.fail(
      'use_after_free',
      `${who} frees ${obj} while a deferred free of it (call_rcu/call_srcu) is pending: double free`,
      span,
      [rt.objectNote(pool.struct, slot, 'queued for a deferred free')],
    );
  }
  if (pool.protectedIndex >= 0) {
    const bit = 1 << slot;
    for (let tid = 0; tid < layout.threads.length; tid++) {
      // The freeing thread's own holding does not count: it unpublished the object and
      // will not use it again; the rule protects the *other* readers.
      if (tid === rt.thread) continue;
      const u = layout.threads[tid]!;
      const w = u.loaded + pool.protectedIndex;
      rt.fp.read(w);
      if ((s[w]! & bit) !== 0) {
        const who = freer();
        const obj = `${pool.struct}#${slot}`;
        const dom = layout.domains[pool.domain]!;
        const rcu = s[u.rcuDepth] === 0 ? 'interrupts-off' : 'rcu_read_lock()';
        const section = dom.srcu ? `srcu_read_lock(${dom.name})` : rcu;
        rt.warn(
          'premature_free',
          `${obj} freed by ${who} while ${u.name} is still inside the ${section} section in which it obtained a reference to ${obj}`,
          span,
          [
            rt.objectNote(pool.struct, slot, `freed by ${who}`),
            rt.objectNote(
              pool.struct,
              slot,
              `still held by ${u.name} (loaded inside its read section, which has not ended)`,
            ),
          ],
        );
      }
    }
  }
  if (pool.protectedIndex >= 0) {
    // The object is gone: a later object in this slot is a new one, which nobody holds yet
    // (only the freeing thread itself can still have this bit set here).
    const bit = 1 << slot;
    for (const u of layout.threads) {
      const w = u.loaded + pool.protectedIndex;
      if ((s[w]! & bit) === 0) continue;
      rt.fp.write(w);
      s[w] = s[w]! & ~bit;
    }
  }
  s[b] = SLOT_FREED;
  for (let w = 1; w <= pool.fieldWords; w++) {
    rt.fp.write(b + w);
    s[b + w] = 0;
  }
}

export const heap = {
  name: 'heap',
  // Per protected pool: the slots whose reference the thread loaded in its current section.
  threadWords: [{ name: 'loaded', count: 'perProtectedPool' }],
  types: {},
  builtins: {
    free: { args: [REF_ARG], returns: VOID, blocks: false, sleeps: false, compile: compileFree },
  },
} satisfies PrimitiveFamily;
