// The contract of a primitive family: everything the language, the compiler, the state
// decoder and the checks need to know about one kernel primitive, in one object per file
// (prims/<family>.ts), listed once in the registry (prims/index.ts).
//
// Adding a primitive (completion.ts is the example): declare its sync type (words, word
// names, how a word reads, how the object decodes for the state view, what it says in a
// deadlock), its built-ins (signature, blocks, sleeps, compile: what a step does and which
// locations it reads and writes, i.e. its footprint rule), and any words each thread keeps
// for it; then add the family to FAMILIES in prims/index.ts. The language's tables, the
// sleep_in_atomic check, the blocking-call rules, word names and views follow from it.

import type { ItfValue } from '../itf.js';
import type { Ty } from '../lang/types.js';
import type { LockWords, ThreadWordDecl } from '../layout.js';
import type { ObjectNote } from '../system.js';
import type { BuiltinCode, BuiltinRequest, TwoStepCode } from './context.js';

/**
 * What an argument must be: a sync object of a primitive (an lvalue), an int, any ref, a
 * shared scalar variable, field or element (`place`; `ref`: of a ref type), or a value
 * assignable to argument `like`'s type (WRITE_ONCE's value).
 */
export type ArgKind =
  | { k: 'sync'; prims: string[] }
  | { k: 'int' }
  | { k: 'ref' }
  | { k: 'place'; ref: boolean }
  | { k: 'like'; arg: number }
  /** An int local the call writes (local_irq_save(flags)). */
  | { k: 'local' };

export interface BuiltinDef {
  args: ArgKind[];
  returns: Ty;
  /** The result has the type of this argument (READ_ONCE); `returns` is then ignored. */
  returnsArg?: number;
  /** May block: must be a statement of its own (or `x = call(...)`), so the step has a guard. */
  blocks: boolean;
  /**
   * May sleep: sleep_in_atomic when called under a spinlock or inside rcu_read_lock (the
   * registry adds the check, and lets a blocked call run so that it can report it).
   */
  sleeps: boolean;
  /** How messages name the call when it sleeps in atomic context (default: its name). */
  sleepsAs?: string;
  /** Touches only the calling thread's own words, so it is never a visible step by itself. */
  threadLocal?: boolean;
  /** The argument whose object a deferred free (call_rcu, call_srcu) may free later. */
  defersFree?: number;
  /**
   * Has no one-step form (a grace period spans steps): the checker rejects it inside
   * atomic { }, and `compile` is never called.
   */
  noAtomicForm?: boolean;
  /** One atomic step (every built-in inside atomic { }, and every one without `twoStep`). */
  compile: (req: BuiltinRequest) => BuiltinCode;
  /** As a statement, two steps: an attempt that never blocks, and a guarded wait. */
  twoStep?: (req: BuiltinRequest) => TwoStepCode;
}

/** How a decoder names the threads in an owner word or a thread mask. */
export interface ThreadNaming {
  /** The thread in an owner word (thread id + 1), or '' when it is 0. */
  owner(word: number): string;
  /** The threads whose bits are set in a mask. */
  threadsIn(mask: number): string[];
}

/** A sync type the language declares (`shared l: spinlock;`, a struct field `ptl: spinlock;`). */
export interface SyncTypeDef {
  words: number;
  /** Names of its words, appended to the object's name (`sem.writer`); null: one word. */
  wordNames: readonly string[] | null;
  /** The built-ins that take it, for the type checker's hint ("use spin_lock() and ..."). */
  usage: string;
  /** A word's value as a person reads it in a trace's changes; absent: the number. */
  formatWord?: (word: number, value: number, who: ThreadNaming) => string;
  /** The object decoded for the state view. */
  view: (s: Int32Array, addr: number, who: ThreadNaming) => ItfValue;
  /** A lock (lockdep classes, lock views, "held" checks). */
  lock?: LockWords;
  /** A grace-period domain: readers mask at offset 0, index at 1 (srcu). */
  domain?: boolean;
  /** In a deadlocked state: what this object says about who waits for whom. */
  blockers?: (s: Int32Array, addr: number, name: string, who: ThreadNaming) => ObjectNote[];
}

export interface PrimitiveFamily<B extends string = string> {
  name: string;
  /** The words every thread keeps for this family, laid out in registry order. */
  threadWords?: readonly ThreadWordDecl[];
  types: Readonly<Record<string, SyncTypeDef>>;
  builtins: Readonly<Record<B, BuiltinDef>>;
}

export const syncArg = (...prims: string[]): ArgKind => ({ k: 'sync', prims });
export const INT_ARG: ArgKind = { k: 'int' };
export const REF_ARG: ArgKind = { k: 'ref' };
export const PLACE_ARG: ArgKind = { k: 'place', ref: false };
export const REF_PLACE_ARG: ArgKind = { k: 'place', ref: true };

/** How a lock's owner word reads in a trace: `unlocked`, `held by fault`. */
export function formatOwner(value: number, who: ThreadNaming): string {
  return value === 0 ? 'unlocked' : `held by ${who.owner(value)}`;
}

/** The deadlock note of a held owner word. */
export function ownerBlocker(s: Int32Array, addr: number, object: string, who: ThreadNaming): ObjectNote[] {
  const owner = s[addr]!;
  return owner === 0 ? [] : [{ object, event: `held by ${who.owner(owner)}` }];
}
