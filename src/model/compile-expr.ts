// Expressions compile to closures `(s: Int32Array) => number` over the packed state: no AST
// walk per step, no allocation. Shared reads are recorded in the runtime's footprint; a
// reference to an rcu/srcu-protected object loaded inside a read section of its domain is
// remembered for the premature_free check.

import { ACC_PLAIN, ACC_WRITE } from './access-log.js';
import { type CompileEnv, type Place, protectedLoad, type Val } from './compile-env.js';
import { constantOf, indexAddr, plainLocal, withConstantRight } from './compile-fast.js';
import type { Expr, Span } from './lang/ast.js';
import type { BodyInfo, LocalInfo } from './lang/checked.js';
import { typeWords } from './lang/types.js';
import { localAddr, type PoolLayout, SLOT_FREED, SLOT_LIVE } from './layout.js';
import type { BuiltinRequest } from './prims/context.js';
import { compileAlloc, compileBuiltin } from './prims/index.js';

export type { CompileEnv, Place, Val } from './compile-env.js';

export function compileValue(e: Expr, env: CompileEnv): Val {
  switch (e.kind) {
    case 'int':
    case 'bool': {
      const v = e.kind === 'int' ? e.value | 0 : e.value ? 1 : 0;
      return () => v;
    }
    case 'null':
      return () => 0;
    case 'name': {
      const sym = env.spec.names.get(e);
      if (sym?.k === 'const' || sym?.k === 'enum') {
        const v = sym.value;
        return () => v;
      }
      return loadPlace(compilePlace(e, env), env);
    }
    case 'field':
    case 'index':
      return loadPlace(compilePlace(e, env), env);
    case 'unary': {
      const a = compileValue(e.operand, env);
      if (e.op === '~') return (s) => ~a(s);
      return e.op === '!' ? (s) => (a(s) === 0 ? 1 : 0) : (s) => -a(s) | 0;
    }
    case 'binary':
      return compileBinary(e, env);
    case 'call':
      return compileCall(e, env);
    case 'alloc':
      return compileAlloc(builtinRequest('alloc', [], e, env)).exec;
  }
}

function compileBinary(e: Extract<Expr, { kind: 'binary' }>, env: CompileEnv): Val {
  const a = compileValue(e.left, env);
  const k = constantOf(e.right, env);
  const fast = k === undefined ? null : withConstantRight(e.op, e.left, a, k, env);
  if (fast !== null) return fast;
  const b = compileValue(e.right, env);
  const rt = env.rt;
  const span = e.span;
  switch (e.op) {
    case '&&':
      return (s) => (a(s) !== 0 && b(s) !== 0 ? 1 : 0);
    case '||':
      return (s) => (a(s) !== 0 || b(s) !== 0 ? 1 : 0);
    case '=>':
      return (s) => (a(s) === 0 || b(s) !== 0 ? 1 : 0);
    case '==':
      return (s) => (a(s) === b(s) ? 1 : 0);
    case '!=':
      return (s) => (a(s) !== b(s) ? 1 : 0);
    case '<':
      return (s) => (a(s) < b(s) ? 1 : 0);
    case '<=':
      return (s) => (a(s) <= b(s) ? 1 : 0);
    case '>':
      return (s) => (a(s) > b(s) ? 1 : 0);
    case '>=':
      return (s) => (a(s) >= b(s) ? 1 : 0);
    case '+':
      return (s) => (a(s) + b(s)) | 0;
    case '-':
      return (s) => (a(s) - b(s)) | 0;
    case '*':
      return (s) => Math.imul(a(s), b(s));
    case '/':
    case '%': {
      const div = e.op === '/';
      return (s) => {
        const x = a(s);
        const y = b(s);
        if (y === 0) rt.fail('assertion', 'division by zero', span);
        return div ? (x / y) | 0 : x % y;
      };
    }
    case '&':
      return (s) => a(s) & b(s);
    case '|':
      return (s) => a(s) | b(s);
    case '^':
      return (s) => a(s) ^ b(s);
    case '<<':
    case '>>':
      return compileShift(e.op, a, b, rt, span);
  }
}

/**
 * `x << n` and `x >> n` on 32-bit ints (`>>` is arithmetic, as gcc's on a signed int). A
 * count outside 0..31 is undefined in C (UBSAN's shift-out-of-bounds): an `assertion`
 * violation, as a division by zero is.
 */
function compileShift(op: '<<' | '>>', a: Val, b: Val, rt: CompileEnv['rt'], span: Span): Val {
  const left = op === '<<';
  return (s) => {
    const x = a(s);
    const n = b(s);
    if (n < 0 || n > 31) rt.fail('assertion', `shift by ${n}, outside 0..31`, span);
    return left ? x << n : x >> n;
  };
}

function compileCall(e: Extract<Expr, { kind: 'call' }>, env: CompileEnv): Val {
  const fn = env.spec.fns.get(e.callee);
  if (fn !== undefined) {
    if (fn.macro === undefined)
      throw new Error(`[mmcheck internal bug] fn '${fn.name}' reached the expression compiler`);
    return compileMacro(fn, e.args, env);
  }
  return compileBuiltin(builtinRequest(e.callee, e.args, e, env));
}

/** Inline a `return e;` fn: arguments go to scratch words, then the body is evaluated. */
function compileMacro(fn: BodyInfo, args: Expr[], env: CompileEnv): Val {
  const rt = env.rt;
  const slots = new Map<LocalInfo, number>();
  const argVals = args.map((a) => compileValue(a, env));
  for (const p of fn.params) slots.set(p, rt.allocScratch());
  const body = compileValue(fn.macro!, { ...env, body: fn, macroArgs: slots });
  const idx = fn.params.map((p) => slots.get(p)!);
  return (s) => {
    const scratch = rt.scratch;
    for (let i = 0; i < idx.length; i++) scratch[idx[i]!] = argVals[i]!(s);
    return body(s);
  };
}

/** A built-in call to compile, with the argument compilers the families use. */
export function builtinRequest(name: string, args: Expr[], call: Expr, env: CompileEnv): BuiltinRequest {
  return {
    name,
    args,
    call,
    env,
    value: (e, inEnv = env) => compileValue(e, inEnv),
    place: (e) => compilePlace(e, env),
    load: (e) => loadPlace(compilePlace(e, env), { ...env, marked: true }),
    store: (e) => storePlace(compilePlace(e, env), { ...env, marked: true }),
  };
}

// ---- places -----------------------------------------------------------------------------

export function compilePlace(e: Expr, env: CompileEnv): Place {
  const ty = env.spec.types.get(e) ?? { k: 'error' };
  if (e.kind === 'name') {
    const sym = env.spec.names.get(e);
    if (sym?.k === 'local') {
      const scratch = env.macroArgs?.get(sym.local);
      if (scratch !== undefined) return { addr: () => -1, constAddr: -1, scratch, shared: false, ty, span: e.span };
      const t = env.thread;
      if (t === null) throw new Error(`[mmcheck internal bug] local '${e.name}' outside a thread`);
      const a = localAddr(t, sym.body, sym.local);
      return { addr: () => a, constAddr: a, shared: false, ty, span: e.span };
    }
    if (sym?.k === 'global') {
      const a = env.layout.globals.get(sym.global.name)!;
      const p: Place = { addr: () => a, constAddr: a, shared: true, ty, span: e.span };
      if (sym.global.ghost) p.ghost = true;
      return p;
    }
    throw new Error(`[mmcheck internal bug] name '${e.name}' is not a place`);
  }
  if (e.kind === 'field') {
    const objTy = env.spec.types.get(e.object);
    if (objTy?.k !== 'ref') throw new Error('[mmcheck internal bug] field of a non-ref');
    const pool = env.layout.pools.get(objTy.struct);
    const field = env.spec.structs.get(objTy.struct)!.fieldByName.get(e.field)!;
    const obj = compileValue(e.object, env);
    const deref = derefSlot(pool, objTy.struct, `${e.field}`, e.span, env);
    const off = 1 + field.offset;
    const x = plainLocal(e.object, env); // `pt.ptl` with pt a local: no call to load pt (compile-fast.ts)
    const addr: Val = x >= 0 ? (s) => deref(s, s[x]!) + off : (s) => deref(s, obj(s)) + off;
    return { addr, constAddr: -1, shared: true, ty, span: e.span };
  }
  if (e.kind === 'index') {
    const arr = compilePlace(e.object, env);
    if (arr.ty.k !== 'array') throw new Error('[mmcheck internal bug] index of a non-array');
    const size = arr.ty.size;
    const w = typeWords(arr.ty.elem);
    const idx = compileValue(e.index, env);
    const p: Place = {
      addr: indexAddr(arr.addr, e.index, idx, { size, w, span: e.span }, env),
      constAddr: -1,
      shared: arr.shared,
      ty,
      span: e.span,
    };
    if (arr.ghost === true) p.ghost = true;
    return p;
  }
  throw new Error(`[mmcheck internal bug] ${e.kind} is not a place`);
}

/** Resolve a reference to its slot's base word, raising null_deref / use_after_free. */
export function derefSlot(
  pool: PoolLayout | undefined,
  struct: string,
  what: string,
  span: Span,
  env: CompileEnv,
): (s: Int32Array, ref: number) => number {
  const rt = env.rt;
  const kindOf = (normal: 'null_deref' | 'use_after_free') => (env.derefKind === 'normal' ? normal : env.derefKind);
  const cond =
    env.condName === undefined
      ? ''
      : `${env.derefKind === 'final' ? 'final condition' : 'invariant'} ${env.condName}: `;
  if (pool === undefined) {
    return (_s, ref) => {
      if (ref === 0)
        rt.fail(kindOf('null_deref'), `${cond}${actor(env)} dereferences null (.${what})`, span, [], env.condName);
      return rt.fail(
        kindOf('use_after_free'),
        `${cond}no ${struct} can exist (there is no pool for it)`,
        span,
        [],
        env.condName,
      );
    };
  }
  const { base, slotWords, size } = pool;
  // The allocation word is read: a dereference depends on the free or alloc that changes it,
  // also where nothing else it touches is a field those write (an srcu domain inside the
  // object, whose reader bits are virtual locations; a dereference that fails).
  const record = env.record;
  const stale = typesafeReader(pool, env);
  return (s, ref) => {
    if (ref === 0)
      rt.fail(kindOf('null_deref'), `${cond}${actor(env)} dereferences null (.${what})`, span, [], env.condName);
    const slot = ref - 1;
    const b = base + slot * slotWords;
    if (record && slot < size) rt.fp.read(b);
    if (slot >= size || (s[b] !== SLOT_LIVE && !(s[b] === SLOT_FREED && stale(s)))) {
      const obj = `${struct}#${slot}`;
      const state = s[b] === 0 ? 'was never allocated' : 'is freed';
      rt.fail(
        kindOf('use_after_free'),
        `${cond}${actor(env)} accesses ${obj}.${what}, which ${state}`,
        span,
        [rt.objectNote(struct, slot, state)],
        env.condName,
      );
    }
    return b;
  };
}

/**
 * SLAB_TYPESAFE_BY_RCU: the memory of a freed object stays an object of its type until a
 * grace period ends, so a thread in an RCU read side (rcu_read_lock, or interrupts off) may
 * still access it, and must re-check what it finds (the kernel's users do). Outside one,
 * it is use_after_free as for any pool.
 */
function typesafeReader(pool: PoolLayout, env: CompileEnv): (s: Int32Array) => boolean {
  const t = env.thread;
  if (!pool.typesafe || t === null) return () => false;
  return (s) => s[t.rcuDepth]! > 0 || s[t.irqOff]! > 0;
}

function actor(env: CompileEnv): string {
  return env.thread === null ? 'the condition' : env.thread.name;
}

/** Load a value from a place, recording the read and noting protected references. */
export function loadPlace(p: Place, env: CompileEnv): Val {
  const rt = env.rt;
  if (p.scratch !== undefined) {
    const k = p.scratch;
    return () => rt.scratch[k]!;
  }
  const note = env.effects && p.shared ? protectedLoad(p.ty, env) : null;
  const record = env.record && p.shared;
  const log = dataAccess(p, env, 0);
  if (log >= 0) return loggedLoad(p, env, log, note);
  if (p.constAddr >= 0) {
    const a = p.constAddr;
    if (note !== null)
      return (s) => {
        rt.fp.read(a);
        const v = s[a]!;
        if (v !== 0) note(s, v);
        return v;
      };
    return record
      ? (s) => {
          rt.fp.read(a);
          return s[a]!;
        }
      : (s) => s[a]!;
  }
  const addr = p.addr;
  if (note !== null)
    return (s) => {
      const a = addr(s);
      rt.fp.read(a);
      const v = s[a]!;
      if (v !== 0) note(s, v);
      return v;
    };
  return record
    ? (s) => {
        const a = addr(s);
        rt.fp.read(a);
        return s[a]!;
      }
    : (s) => s[addr(s)]!;
}

/**
 * The flags a data access to p logs for the data_race check (access-log.ts), or -1 when it
 * logs nothing: the check is off, p is private, ghost or a macro argument, or the code is a
 * guard, a condition or `init` (which runs before any thread).
 */
function dataAccess(p: Place, env: CompileEnv, write: number): number {
  if (env.races !== true || !env.effects || !p.shared || p.ghost === true || p.scratch !== undefined) return -1;
  if (env.thread === null || env.tid >= env.layout.threads.length) return -1;
  return write | (env.marked === true ? 0 : ACC_PLAIN);
}

/** loadPlace with the data access logged; a plain read inside a seqcount read section is marked. */
function loggedLoad(p: Place, env: CompileEnv, log: number, note: ((s: Int32Array, v: number) => void) | null): Val {
  const rt = env.rt;
  const addr = p.addr;
  const seq = env.thread!.seqRead;
  return (s) => {
    const a = addr(s);
    rt.fp.read(a);
    rt.acc.add(a, s[seq] === 0 ? log : log & ~ACC_PLAIN);
    const v = s[a]!;
    if (note !== null && v !== 0) note(s, v);
    return v;
  };
}

/** Store to a place, recording the write. */
export function storePlace(p: Place, env: CompileEnv): (s: Int32Array, v: number) => void {
  const rt = env.rt;
  const record = env.record && p.shared;
  const log = dataAccess(p, env, ACC_WRITE);
  if (log >= 0) {
    const addr = p.addr;
    return (s, v) => {
      const a = addr(s);
      rt.fp.write(a);
      rt.acc.add(a, log);
      s[a] = v;
    };
  }
  if (p.constAddr >= 0) {
    const a = p.constAddr;
    return record
      ? (s, v) => {
          rt.fp.write(a);
          s[a] = v;
        }
      : (s, v) => {
          s[a] = v;
        };
  }
  const addr = p.addr;
  return record
    ? (s, v) => {
        const a = addr(s);
        rt.fp.write(a);
        s[a] = v;
      }
    : (s, v) => {
        s[addr(s)] = v;
      };
}
