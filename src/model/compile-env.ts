// The context expressions compile in, shared by the expression compiler and the primitive
// families (which get the argument compilers passed in, so they never import the compiler).
import type { Span } from './lang/ast.js';
import type { BodyInfo, CheckedSpec, LocalInfo } from './lang/checked.js';
import type { Ty } from './lang/types.js';
import type { Layout, ThreadLayout } from './layout.js';
import type { Runtime } from './runtime.js';

export type Val = (s: Int32Array) => number;

export interface CompileEnv {
  rt: Runtime;
  spec: CheckedSpec;
  layout: Layout;
  /** The thread instance running this code; null for invariants and final conditions. */
  thread: ThreadLayout | null;
  tid: number;
  /** The body whose locals plain names refer to. */
  body: BodyInfo | null;
  /** Inside an inlined macro fn: its parameters, mapped to scratch words. */
  macroArgs: Map<LocalInfo, number> | null;
  /** Record shared reads/writes into rt.fp. */
  record: boolean;
  /** May write (false for guards, invariants and finals: they only look). */
  effects: boolean;
  /** Violation kind raised when a dereference fails (conditions report their own kind). */
  derefKind: 'normal' | 'invariant' | 'final';
  /** Name of the condition being compiled, for messages. */
  condName?: string;
  /** Log shared data accesses for the data_race check (data-race.ts): compiled in only when on. */
  races?: boolean;
  /** The opt-in leak check is on: a refcount_dec to 0 warns (prims/refcount.ts). */
  leak?: boolean;
  /** Accesses compiled here are marked (READ_ONCE, atomic { }): not plain for the data_race check. */
  marked?: boolean;
}

/** Where an lvalue (or sync object) lives: a constant address when known statically. */
export interface Place {
  addr: Val;
  constAddr: number; // -1 when dynamic
  /** A macro fn parameter: a word of the runtime's scratch array, not of the state. */
  scratch?: number;
  shared: boolean;
  /** A ghost global (or an element of one): specification state, never a data race. */
  ghost?: boolean;
  ty: Ty;
  span: Span;
}

/**
 * For a shared word holding `ref T` where T is rcu/srcu-protected: when the running thread
 * is inside a read section of T's domain, remember that it loaded this object (the reader
 * "holds" it until it leaves the section). Written as a shared word: frees read it.
 * Allocating such an object inside a section holds it too (heap.ts): the fault that
 * allocates a pte page goes on to walk it.
 */
export function protectedLoad(ty: Ty, env: CompileEnv): ((s: Int32Array, ref: number) => void) | null {
  const t = env.thread;
  if (t === null || ty.k !== 'ref') return null;
  const pool = env.layout.pools.get(ty.struct);
  if (pool === undefined || pool.protectedIndex < 0) return null;
  const word = t.loaded + pool.protectedIndex;
  const rt = env.rt;
  const inside = pool.domain === 0 ? t.rcuDepth : t.section + pool.domain;
  // With interrupts off a thread is an RCU reader too (prims/irq.ts).
  const irqOff = pool.domain === 0 ? t.irqOff : inside;
  const bit = 1 << env.tid;
  return (s, ref) => {
    if ((s[inside]! & 0xff) === 0 && s[irqOff] === 0) return;
    // A deferred free of the object that waits for this reader cannot run before the reader
    // leaves, which forgets the load: no need to remember it (docs/adr/004).
    if (pool.hasCallbacks) {
      const cb = pool.base + (ref - 1) * pool.slotWords + 1 + pool.fieldWords;
      rt.fp.read(cb);
      rt.fp.read(cb + 1);
      if (s[cb] === pool.domain + 1 && (s[cb + 1]! & bit) !== 0) return;
    }
    s[word] = s[word]! | (1 << (ref - 1));
    rt.fp.write(word);
  };
}
