// The language's tables of built-ins and sync types, derived from the primitive families'
// registry (src/model/prims/index.ts), where each is declared once with its semantics.
import { type ArgKind, BUILTIN_DEFS, SYNC_TYPES } from '../prims/index.js';
import type { Expr } from './ast.js';
import { type SyncPrim, type Ty, typeName, withArticle } from './types.js';

export type { ArgKind } from '../prims/index.js';

export interface Builtin {
  name: string;
  args: ArgKind[];
  returns: Ty;
  /** The result has the type of this argument (READ_ONCE). */
  returnsArg?: number | undefined;
  /** May block: must be a statement of its own (or `x = call(...)`), so the step has a guard. */
  blocks: boolean;
  /** May sleep: sleep_in_atomic when called under a spinlock or inside rcu_read_lock. */
  sleeps: boolean;
  /** Has no one-step form: not allowed inside atomic { }. */
  noAtomicForm: boolean;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  [...BUILTIN_DEFS.values()].map((b) => [
    b.name,
    {
      name: b.name,
      args: b.args,
      returns: b.returns,
      returnsArg: b.returnsArg,
      blocks: b.blocks,
      sleeps: b.sleeps,
      noAtomicForm: b.noAtomicForm === true,
    },
  ]),
);

/** The sync type names, in registry order. */
export const SYNC_PRIMS: readonly SyncPrim[] = [...SYNC_TYPES.keys()];

/** Words each sync type occupies (rwsem = writer owner + reader mask + queued writers; ...). */
export const SYNC_WORDS: Readonly<Record<SyncPrim, number>> = Object.fromEntries(
  [...SYNC_TYPES.values()].map((t) => [t.name, t.words]),
);

/** The type of a sync object of this primitive (which must be one of SYNC_PRIMS). */
export function syncTy(prim: SyncPrim): Ty {
  return { k: 'sync', prim, words: SYNC_WORDS[prim]! };
}

export function describeArg(a: ArgKind): string {
  if (a.k === 'sync') return a.prims.join(' or ');
  if (a.k === 'place') return a.ref ? 'shared ref' : 'shared variable';
  if (a.k === 'like') return 'value';
  if (a.k === 'local') return 'int local';
  return a.k === 'int' ? 'int' : 'ref';
}

/** Which built-ins go with the object that was passed, or how to declare the one wanted. */
export function syncHint(arg: Expr, got: Ty, wanted: readonly string[]): string | undefined {
  const name = arg.kind === 'name' ? arg.name : arg.kind === 'field' ? arg.field : undefined;
  if (got.k === 'sync')
    return `${name === undefined ? 'it' : `'${name}'`} is ${withArticle(got.prim)}: use ${SYNC_TYPES.get(got.prim)?.usage}`;
  if (got.k === 'error') return undefined;
  if (name === undefined) return `pass ${wanted.map(withArticle).join(' or ')} global or field`;
  return `'${name}' is ${withArticle(typeName(got))}; declare it as \`${name}: ${wanted[0]};\``;
}
