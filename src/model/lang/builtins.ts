// Every kernel built-in the language knows, with its arity and argument types
// (DESIGN.md "The language"). Semantics live in src/model/prims/, one file per family.
import type { Expr } from './ast.js';
import { BOOL, INT, typeName, VOID, withArticle, type SyncPrim, type Ty } from './types.js';

/** What an argument must be: a sync object of a primitive (an lvalue), an int, or any ref. */
export type ArgKind = { k: 'sync'; prims: SyncPrim[] } | { k: 'int' } | { k: 'ref' };

export type Family = 'spinlock' | 'mutex' | 'rwsem' | 'atomic' | 'seqcount' | 'rcu' | 'heap' | 'sleep';

export interface Builtin {
  name: string;
  family: Family;
  args: ArgKind[];
  returns: Ty;
  /** May block: must be a statement of its own (or `x = call(...)`), so the step has a guard. */
  blocks: boolean;
  /** May sleep: sleep_in_atomic when called under a spinlock or inside rcu_read_lock. */
  sleeps: boolean;
}

const sync = (...prims: SyncPrim[]): ArgKind => ({ k: 'sync', prims });
const int: ArgKind = { k: 'int' };
const ref: ArgKind = { k: 'ref' };

function b(name: string, family: Family, args: ArgKind[], returns: Ty, blocks = false, sleeps = false): Builtin {
  return { name, family, args, returns, blocks, sleeps };
}

const TABLE: Builtin[] = [
  b('spin_lock', 'spinlock', [sync('spinlock')], VOID, true),
  b('spin_unlock', 'spinlock', [sync('spinlock')], VOID),
  b('mutex_lock', 'mutex', [sync('mutex')], VOID, true, true),
  b('mutex_unlock', 'mutex', [sync('mutex')], VOID),
  b('down_read', 'rwsem', [sync('rwsem')], VOID, true, true),
  b('down_write', 'rwsem', [sync('rwsem')], VOID, true, true),
  b('up_read', 'rwsem', [sync('rwsem')], VOID),
  b('up_write', 'rwsem', [sync('rwsem')], VOID),
  b('down_read_trylock', 'rwsem', [sync('rwsem')], BOOL),
  b('down_write_trylock', 'rwsem', [sync('rwsem')], BOOL),
  b('atomic_read', 'atomic', [sync('atomic')], INT),
  b('atomic_set', 'atomic', [sync('atomic'), int], VOID),
  b('atomic_inc', 'atomic', [sync('atomic')], VOID),
  b('atomic_dec', 'atomic', [sync('atomic')], VOID),
  b('atomic_inc_return', 'atomic', [sync('atomic')], INT),
  b('atomic_dec_return', 'atomic', [sync('atomic')], INT),
  b('atomic_cmpxchg', 'atomic', [sync('atomic'), int, int], INT),
  b('read_seqcount_begin', 'seqcount', [sync('seqcount')], INT, true),
  b('read_seqcount_retry', 'seqcount', [sync('seqcount'), int], BOOL),
  b('write_seqcount_begin', 'seqcount', [sync('seqcount')], VOID),
  b('write_seqcount_end', 'seqcount', [sync('seqcount')], VOID),
  b('rcu_read_lock', 'rcu', [], VOID),
  b('rcu_read_unlock', 'rcu', [], VOID),
  b('srcu_read_lock', 'rcu', [sync('srcu')], INT),
  b('srcu_read_unlock', 'rcu', [sync('srcu'), int], VOID),
  b('synchronize_rcu', 'rcu', [], VOID, true, true),
  b('synchronize_srcu', 'rcu', [sync('srcu')], VOID, true, true),
  b('call_rcu', 'rcu', [ref], VOID),
  b('call_srcu', 'rcu', [sync('srcu'), ref], VOID),
  b('free', 'heap', [ref], VOID),
  b('might_sleep', 'sleep', [], VOID, false, true),
];

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(TABLE.map((x) => [x.name, x]));

export function describeArg(a: ArgKind): string {
  if (a.k === 'sync') return a.prims.join(' or ');
  return a.k === 'int' ? 'int' : 'ref';
}

/** Which built-ins go with the object that was passed, or how to declare the one wanted. */
export function syncHint(arg: Expr, got: Ty, wanted: readonly string[]): string | undefined {
  const ops: Record<string, string> = {
    spinlock: 'spin_lock() and spin_unlock()',
    mutex: 'mutex_lock() and mutex_unlock()',
    rwsem: 'down_read()/up_read() and down_write()/up_write()',
    atomic: 'the atomic_*() built-ins',
    seqcount: 'the *_seqcount_*() built-ins',
    srcu: 'srcu_read_lock()/srcu_read_unlock(), synchronize_srcu() and call_srcu()',
  };
  const name = arg.kind === 'name' ? arg.name : arg.kind === 'field' ? arg.field : undefined;
  if (got.k === 'sync')
    return `${name === undefined ? 'it' : `'${name}'`} is ${withArticle(got.prim)}: use ${ops[got.prim]}`;
  if (got.k === 'error') return undefined;
  if (name === undefined) return `pass ${wanted.map(withArticle).join(' or ')} global or field`;
  return `'${name}' is ${withArticle(typeName(got))}; declare it as \`${name}: ${wanted[0]};\``;
}
