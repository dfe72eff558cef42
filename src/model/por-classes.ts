// The abstract locations of the stored-state partial-order reduction (por.ts,
// docs/reductions.md): a coarse partition of the footprint locations (system.ts Footprint)
// that a static analysis of the spec's text can name. Every footprint location falls in
// exactly one class:
//
//   RCU      the RCU domain's word
//   LOCKDEP  the lock-order words (lockEdges): every lock taken may read or write them
//   MISC     anything else outside the globals, pools and user threads (the init block)
//   DEFER    no location: what call_rcu/kfree_rcu/call_srcu write (they arm a deferred free)
//   OWN(u)   thread u's block (loaded, section, irqOff, ...) and its reader locations (readerLoc)
//   WAIT(u)  thread u's words other threads' steps write: waitMask, waitDomain, ipiWait
//   G(g)     every word of global g (an array is one class, its sync words included)
//   A(T)     the allocation words of every slot of pool T
//   CB(T)    the callback words of every slot of pool T (call_rcu/call_srcu)
//   F(T, f)  field f of every slot of pool T (its sync words included)
//
// A set of classes is a bitset of `words` Int32 words, so the ample check is a few ANDs.
import type { CheckedSpec } from './lang/checked.js';
import { typeWords } from './lang/types.js';
import { type Layout, readerLoc } from './layout.js';

export const RCU = 0;
export const LOCKDEP = 1;
export const MISC = 2;
export const DEFER = 3;
const FIRST_OWN = 4;

export interface PorClasses {
  count: number;
  /** Int32 words per class set. */
  words: number;
  /** The class of each footprint location. */
  classOfLoc: Int32Array;
  own(tid: number): number;
  wait(tid: number): number;
  /** The class of a global, of a pool's allocation words, of a field: -1 when it has no words. */
  global(name: string): number;
  alloc(struct: string): number;
  callback(struct: string): number;
  field(struct: string, field: string): number;
  /** Every field class of pool `struct`. */
  fields(struct: string): number[];
  /** Every WAIT and every CB: what leaving a read section may write. */
  waits: number[];
  /** RCU, LOCKDEP, MISC, every OWN, WAIT, A and CB: what the wide built-ins may touch besides fields. */
  wide: number[];
  names: string[];
}

export function porClasses(spec: CheckedSpec, layout: Layout): PorClasses {
  const names = [
    'rcu',
    'lockdep',
    'misc',
    'defer',
    ...layout.threads.flatMap((t) => [`own(${t.name})`, `wait(${t.name})`]),
  ];
  const classOfLoc = new Int32Array(layout.locations).fill(MISC);
  const globals = new Map<string, number>();
  for (const g of spec.globals.values()) {
    const c = names.push(g.name) - 1;
    globals.set(g.name, c);
    const addr = layout.globals.get(g.name)!;
    classOfLoc.fill(c, addr, addr + typeWords(g.ty));
  }
  const allocs = new Map<string, number>();
  const fields = new Map<string, number>();
  const cbs: number[] = [];
  const cbOf = new Map<string, number>();
  for (const p of layout.poolList) {
    const a = names.push(`alloc(${p.struct})`) - 1;
    allocs.set(p.struct, a);
    const cb = p.hasCallbacks ? names.push(`callback(${p.struct})`) - 1 : -1;
    if (cb >= 0) {
      cbs.push(cb);
      cbOf.set(p.struct, cb);
    }
    const st = spec.structs.get(p.struct)!;
    const fc = st.fields.map((f) => {
      const c = names.push(`${p.struct}.${f.name}`) - 1;
      fields.set(`${p.struct}.${f.name}`, c);
      return c;
    });
    for (let i = 0; i < p.size; i++) {
      const b = p.base + i * p.slotWords;
      classOfLoc[b] = a;
      if (cb >= 0) classOfLoc.fill(cb, b + 1 + p.fieldWords, b + p.slotWords);
      st.fields.forEach((f, k) => {
        classOfLoc.fill(fc[k]!, b + 1 + f.offset, b + 1 + f.offset + typeWords(f.ty));
      });
    }
  }
  for (const d of layout.domains) if (!d.srcu) classOfLoc[d.addr] = RCU;
  classOfLoc.fill(LOCKDEP, layout.lockEdges, layout.lockEdges + layout.lockClasses.length);
  layout.threads.forEach((t, tid) => {
    classOfLoc.fill(FIRST_OWN + 2 * tid, t.base, t.end);
    for (const w of [t.waitMask, t.waitDomain, t.ipiWait]) classOfLoc[w] = FIRST_OWN + 2 * tid + 1;
    // Thread tid's bit of each domain's readers mask (the init pseudo-thread's stays MISC).
    for (let d = 0; d < layout.domains.length; d++) classOfLoc[readerLoc(layout, d, tid)] = FIRST_OWN + 2 * tid;
  });
  const count = names.length;
  const threadClasses = layout.threads.flatMap((_, tid) => [FIRST_OWN + 2 * tid, FIRST_OWN + 2 * tid + 1]);
  const waits = [...layout.threads.map((_, tid) => FIRST_OWN + 2 * tid + 1), ...cbs];
  const wide = [RCU, LOCKDEP, MISC, ...threadClasses, ...allocs.values(), ...cbs];
  // -1: no such location in this scenario (a struct without a pool has no words).
  const must = (m: Map<string, number>, k: string): number => m.get(k) ?? -1;
  return {
    count,
    words: (count + 31) >>> 5,
    classOfLoc,
    own: (tid) => FIRST_OWN + 2 * tid,
    wait: (tid) => FIRST_OWN + 2 * tid + 1,
    global: (name) => must(globals, name),
    alloc: (struct) => must(allocs, struct),
    callback: (struct) => must(cbOf, struct),
    field: (struct, field) => must(fields, `${struct}.${field}`),
    fields: (struct) => spec.structs.get(struct)?.fields.map((f) => must(fields, `${struct}.${f.name}`)) ?? [],
    waits,
    wide,
    names,
  };
}
