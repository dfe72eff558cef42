// The registry of primitive families: one line per family. Each family file declares its
// sync types and built-ins with their semantics (prims/family.ts); the language's tables
// (lang/builtins.ts), the state's word names, the state view and the deadlock notes are all
// derived from this table. Adding a primitive is one file plus one line here.
import type { Val } from '../compile-env.js';
import type { ThreadWordDecl } from '../layout.js';
import { atomic } from './atomic.js';
import { completion } from './completion.js';
import { type BuiltinCode, type BuiltinRequest, sleepCheck, type TwoStepCode, threadOf } from './context.js';
import type { BuiltinDef, PrimitiveFamily, SyncTypeDef } from './family.js';
import { heap } from './heap.js';
import { marked } from './marked.js';
import { mutex } from './mutex.js';
import { rcu } from './rcu.js';
import { refcount } from './refcount.js';
import { rwsem } from './rwsem.js';
import { seqcount } from './seqcount.js';
import { sleep } from './sleep.js';
import { spinlock } from './spinlock.js';

export type { BuiltinCode, BuiltinRequest, TwoStepCode } from './context.js';
export type { ArgKind, BuiltinDef, PrimitiveFamily, SyncTypeDef, ThreadNaming } from './family.js';
export { compileAlloc } from './heap.js';
export { callbackEntity } from './rcu.js';

/** Every primitive family, in the order the language lists their types and built-ins. */
export const FAMILIES = [
  atomic,
  spinlock,
  rwsem,
  mutex,
  seqcount,
  rcu,
  heap,
  sleep,
  completion,
  marked,
  refcount,
] as const;

type BuiltinsOf<F> = F extends { builtins: infer B } ? keyof B & string : never;
/** The name of every built-in: a built-in is declared only together with its semantics. */
export type BuiltinName = BuiltinsOf<(typeof FAMILIES)[number]>;

export interface RegisteredBuiltin extends BuiltinDef {
  name: BuiltinName;
  family: string;
}

export interface RegisteredSyncType extends SyncTypeDef {
  name: string;
  family: string;
}

function register<T extends { family: string }>(table: Map<string, T>, name: string, entry: T): void {
  const first = table.get(name);
  if (first !== undefined)
    throw new Error(`[mmcheck internal bug] the families ${first.family} and ${entry.family} both declare '${name}'`);
  table.set(name, entry);
}

function buildTables(families: readonly PrimitiveFamily[]) {
  const builtins = new Map<string, RegisteredBuiltin>();
  const types = new Map<string, RegisteredSyncType>();
  for (const f of families) {
    for (const [name, def] of Object.entries(f.types)) register(types, name, { ...def, name, family: f.name });
    for (const [name, def] of Object.entries<BuiltinDef>(f.builtins))
      register(builtins, name, { ...def, name: name as BuiltinName, family: f.name });
  }
  return { builtins, types };
}

const TABLES = buildTables(FAMILIES);

/** The words every thread keeps for the families, in registry order. */
export const THREAD_WORD_DECLS: readonly ThreadWordDecl[] = (FAMILIES as readonly PrimitiveFamily[]).flatMap(
  (f) => f.threadWords ?? [],
);

/** Every built-in, in registry order. */
export const BUILTIN_DEFS: ReadonlyMap<string, RegisteredBuiltin> = TABLES.builtins;
/** Every sync type, in registry order. */
export const SYNC_TYPES: ReadonlyMap<string, RegisteredSyncType> = TABLES.types;

export function syncType(prim: string): RegisteredSyncType {
  const t = SYNC_TYPES.get(prim);
  if (t === undefined) throw new Error(`[mmcheck internal bug] no primitive family declares the type '${prim}'`);
  return t;
}

function builtinDef(name: string): RegisteredBuiltin {
  const b = BUILTIN_DEFS.get(name);
  if (b === undefined) throw new Error(`[mmcheck internal bug] no implementation for built-in '${name}'`);
  return b;
}

/**
 * A built-in that may sleep checks for atomic context first (might_sleep() fires at the
 * call, contended or not), and a blocked one may then run, so that the step reports it.
 */
function withSleepCheck(def: RegisteredBuiltin, req: BuiltinRequest, code: BuiltinCode): BuiltinCode {
  const t = threadOf(req);
  const check = sleepCheck(req, def.sleepsAs ?? def.name);
  const exec = code.exec;
  const out: BuiltinCode = {
    exec: (s) => {
      check(s);
      return exec(s);
    },
  };
  const guard = code.guard;
  if (guard !== undefined) out.guard = (s) => (s[t.spinHeld]! > 0 || s[t.rcuDepth]! > 0 ? 1 : guard(s));
  return out;
}

/** The built-in as one atomic step. */
export function compileBuiltinCode(req: BuiltinRequest): BuiltinCode {
  const def = builtinDef(req.name);
  const code = def.compile(req);
  return def.sleeps ? withSleepCheck(def, req, code) : code;
}

/**
 * The built-ins that are two steps as statements (inside atomic { } they are one step, from
 * compileBuiltinCode); undefined for every other one.
 */
export function compileTwoStep(req: BuiltinRequest): TwoStepCode | undefined {
  const def = builtinDef(req.name);
  if (def.twoStep === undefined) return undefined;
  const code = def.twoStep(req);
  return def.sleeps ? { ...code, attempt: withSleepCheck(def, req, code.attempt) } : code;
}

export function compileBuiltin(req: BuiltinRequest): Val {
  return compileBuiltinCode(req).exec;
}
