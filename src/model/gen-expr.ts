// Straight-line JavaScript for expressions (the generated step code, gen-step.ts). Each form
// here is written as the closure compile-expr.ts builds for it would run, in the same order,
// with the same footprint records and the same violations, but as source text: addresses,
// constants and pool geometry are inlined, and V8 compiles one function per thread instead of
// calling through a tree of closures. A form it does not handle (a call, an alloc, a macro
// argument, the data_race check's logged accesses) gives null: the caller keeps the closure.
import type { CompileEnv } from './compile-env.js';
import { protectedLoad } from './compile-env.js';
import { derefSlot } from './compile-expr.js';
import { outOfBoundsFn } from './compile-fast.js';
import type { Expr } from './lang/ast.js';
import type { BodyInfo, LocalInfo } from './lang/checked.js';
import { type Ty, typeWords } from './lang/types.js';
import { localAddr, SLOT_FREED, SLOT_LIVE } from './layout.js';

/** What one generated function collects: the values it closes over and its temporaries. */
export class GenUnit {
  readonly consts: unknown[] = [];
  /** The temporaries holding the parameters of the macro fns being inlined. */
  readonly params = new Map<LocalInfo, string>();
  private temps = 0;

  /** The name the generated code uses for value x (a closure, an object). */
  constant(x: unknown): string {
    this.consts.push(x);
    return `k${this.consts.length - 1}`;
  }

  /** A fresh integer temporary. */
  temp(): string {
    return `t${this.temps++}`;
  }

  /** Declarations of the constants, from the array `k` the built function is given. */
  constants(): string {
    return this.consts.map((_, i) => `const k${i} = k[${i}];`).join('\n');
  }

  /** Declarations of the temporaries (ints), inside the function. */
  temporaries(): string {
    const ts = Array.from({ length: this.temps }, (_, i) => `t${i} = 0`).join(', ');
    return ts.length > 0 ? `let ${ts};` : '';
  }
}

/** A place as source: `addr` is an expression of the word's index. */
export interface GenPlace {
  addr: string;
  constAddr: number;
  shared: boolean;
  ty: Ty;
  /** A macro fn's parameter: the temporary holding it (compile-expr.ts: a scratch word). */
  param?: string;
}

/** The value of e as a JS expression over `s` (an int), or null when it is not generated. */
export function genValue(e: Expr, env: CompileEnv, g: GenUnit): string | null {
  if (env.races === true) return null;
  switch (e.kind) {
    case 'int':
      return `(${e.value | 0})`;
    case 'bool':
      return e.value ? '1' : '0';
    case 'null':
      return '0';
    case 'name': {
      const sym = env.spec.names.get(e);
      if (sym?.k === 'const' || sym?.k === 'enum') return `(${sym.value})`;
      return genLoad(genPlace(e, env, g), env, g);
    }
    case 'field':
    case 'index':
      return genLoad(genPlace(e, env, g), env, g);
    case 'unary': {
      const a = genValue(e.operand, env, g);
      if (a === null) return null;
      if (e.op === '~') return `(~${a})`;
      return e.op === '!' ? `(${a} === 0 ? 1 : 0)` : `(-${a} | 0)`;
    }
    case 'binary':
      return genBinary(e, env, g);
    case 'call': {
      const fn = env.spec.fns.get(e.callee);
      return fn === undefined ? genAtomic(e, env, g) : genMacro(fn, e.args, env, g);
    }
    default:
      return null;
  }
}

/** compileMacro: the arguments into temporaries, left to right, then the `return e;` body. */
function genMacro(fn: BodyInfo, args: Expr[], env: CompileEnv, g: GenUnit): string | null {
  if (fn.macro === undefined) return null;
  const vals = args.map((a) => genValue(a, env, g));
  if (vals.some((v) => v === null)) return null;
  const temps = fn.params.map(() => g.temp());
  const saved = fn.params.map((p) => g.params.get(p));
  fn.params.forEach((p, i) => {
    g.params.set(p, temps[i]!);
  });
  const body = genValue(fn.macro, { ...env, body: fn, macroArgs: new Map() }, g);
  fn.params.forEach((p, i) => {
    const was = saved[i];
    if (was === undefined) g.params.delete(p);
    else g.params.set(p, was);
  });
  if (body === null) return null;
  return `(${temps.map((t, i) => `${t} = ${vals[i]}, `).join('')}${body})`;
}

const RMW: Record<string, [number, 'old' | 'new' | 'none']> = {
  atomic_inc: [1, 'none'],
  atomic_dec: [-1, 'none'],
  atomic_inc_return: [1, 'new'],
  atomic_dec_return: [-1, 'new'],
};

/** The atomic_*() built-ins (prims/atomic.ts) as source; any other call: null. */
function genAtomic(e: Extract<Expr, { kind: 'call' }>, env: CompileEnv, g: GenUnit): string | null {
  const name = e.callee;
  if (!name.startsWith('atomic_') || env.spec.fns.has(name)) return null;
  const p = genPlace(e.args[0]!, env, g);
  if (p === null) return null;
  const a = g.temp();
  const eff = env.effects;
  if (name === 'atomic_read') return `(${a} = ${p.addr}, fp.read(${a}), s[${a}])`;
  const rmw = RMW[name];
  if (rmw !== undefined) {
    const [old, now] = [g.temp(), g.temp()];
    const ret = rmw[1] === 'new' ? now : rmw[1] === 'old' ? old : '0';
    const put = eff ? `(fp.write(${a}), s[${a}] = ${now})` : `fp.read(${a})`;
    return `(${a} = ${p.addr}, ${old} = s[${a}], ${now} = (${old} + ${rmw[0]}) | 0, ${put}, ${ret})`;
  }
  const v1 = e.args[1] === undefined ? null : genValue(e.args[1], env, g);
  if (v1 === null) return null;
  if (name === 'atomic_set') {
    const v = g.temp();
    return `(${a} = ${p.addr}, ${v} = ${v1}, ${eff ? `fp.write(${a}), s[${a}] = ${v}, ` : ''}0)`;
  }
  const v2 = e.args[2] === undefined ? null : genValue(e.args[2], env, g);
  if (name !== 'atomic_cmpxchg' || v2 === null) return null;
  const [x, d, f] = [g.temp(), g.temp(), g.temp()];
  const swap = eff ? `${f} === ${x} ? (fp.write(${a}), s[${a}] = ${d}) : fp.read(${a})` : `fp.read(${a})`;
  return `(${a} = ${p.addr}, ${x} = ${v1}, ${d} = ${v2}, ${f} = s[${a}], ${swap}, ${f})`;
}

const COMPARE: Record<string, string> = { '==': '===', '!=': '!==', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function genBinary(e: Extract<Expr, { kind: 'binary' }>, env: CompileEnv, g: GenUnit): string | null {
  const a = genValue(e.left, env, g);
  if (a === null) return null;
  const b = genValue(e.right, env, g);
  if (b === null) return null;
  const cmp = COMPARE[e.op];
  if (cmp !== undefined) return `(${a} ${cmp} ${b} ? 1 : 0)`;
  switch (e.op) {
    case '&&':
      return `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`;
    case '||':
      return `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`;
    case '=>':
      return `(${a} === 0 || ${b} !== 0 ? 1 : 0)`;
    case '+':
    case '-':
      return `((${a} ${e.op} ${b}) | 0)`;
    case '*':
      return `Math.imul(${a}, ${b})`;
    case '&':
    case '|':
    case '^':
      return `(${a} ${e.op} ${b})`;
    default:
      return genChecked(e, a, b, env, g);
  }
}

/** `/`, `%`, `<<`, `>>`: operators with a check of their right operand (compileBinary). */
function genChecked(e: Extract<Expr, { kind: 'binary' }>, a: string, b: string, env: CompileEnv, g: GenUnit): string {
  const rt = env.rt;
  const span = e.span;
  const x = g.temp();
  const y = g.temp();
  if (e.op === '/' || e.op === '%') {
    const fail = g.constant(() => rt.fail('assertion', 'division by zero', span));
    const r = e.op === '/' ? `(${x} / ${y}) | 0` : `${x} % ${y}`;
    return `(${x} = ${a}, ${y} = ${b}, ${y} === 0 && ${fail}(), ${r})`;
  }
  const fail = g.constant((n: number) => rt.fail('assertion', `shift by ${n}, outside 0..31`, span));
  return `(${x} = ${a}, ${y} = ${b}, (${y} < 0 || ${y} > 31) && ${fail}(${y}), ${x} ${e.op} ${y})`;
}

/** compilePlace as source, or null. */
export function genPlace(e: Expr, env: CompileEnv, g: GenUnit): GenPlace | null {
  const ty: Ty = env.spec.types.get(e) ?? { k: 'error' };
  if (e.kind === 'name') {
    const sym = env.spec.names.get(e);
    if (sym?.k === 'local') {
      const param = g.params.get(sym.local);
      if (param !== undefined) return { addr: '', constAddr: -1, shared: false, ty, param };
      if (env.macroArgs?.get(sym.local) !== undefined || env.thread === null) return null;
      const a = localAddr(env.thread, sym.body, sym.local);
      return { addr: `${a}`, constAddr: a, shared: false, ty };
    }
    if (sym?.k === 'global') {
      const a = env.layout.globals.get(sym.global.name)!;
      return { addr: `${a}`, constAddr: a, shared: true, ty };
    }
    return null;
  }
  if (e.kind === 'field') {
    const objTy = env.spec.types.get(e.object);
    if (objTy?.k !== 'ref') return null;
    const field = env.spec.structs.get(objTy.struct)!.fieldByName.get(e.field)!;
    const obj = genValue(e.object, env, g);
    if (obj === null) return null;
    const slot = genDeref(obj, objTy.struct, e, env, g);
    return { addr: `(${slot} + ${1 + field.offset})`, constAddr: -1, shared: true, ty };
  }
  if (e.kind === 'index') {
    const arr = genPlace(e.object, env, g);
    if (arr === null || arr.param !== undefined || arr.ty.k !== 'array') return null;
    const idx = genValue(e.index, env, g);
    if (idx === null) return null;
    const size = arr.ty.size;
    const w = typeWords(arr.ty.elem);
    const fail = g.constant(outOfBoundsFn(env.rt, size, e.span));
    const base = g.temp();
    const i = g.temp();
    const addr = `(${base} = ${arr.addr}, ${i} = ${idx}, (${i} < 0 || ${i} >= ${size}) && ${fail}(${base}, ${i}), ${base} + ${i} * ${w})`;
    return { addr, constAddr: -1, shared: arr.shared, ty };
  }
  return null;
}

/**
 * derefSlot as source: the slot's base word of the object `ref` names. The checks that pass
 * are inlined; one that fails calls derefSlot's closure, which raises the violation.
 */
function genDeref(ref: string, struct: string, e: Extract<Expr, { kind: 'field' }>, env: CompileEnv, g: GenUnit) {
  const pool = env.layout.pools.get(struct);
  const slow = g.constant(derefSlot(pool, struct, e.field, e.span, env));
  if (pool === undefined) return `${slow}(s, ${ref})`;
  const r = g.temp();
  const b = g.temp();
  const t = env.thread;
  let bad = `s[${b}] !== ${SLOT_LIVE}`;
  if (pool.typesafe && t !== null)
    bad = `(${bad} && !(s[${b}] === ${SLOT_FREED} && (s[${t.rcuDepth}] > 0 || s[${t.irqOff}] > 0)))`;
  const rec = env.record ? `fp.read(${b}), ` : '';
  return `(${r} = ${ref}, ${b} = ${pool.base} + (${r} - 1) * ${pool.slotWords}, (${r} <= 0 || ${r} > ${pool.size} || ${bad}) ? ${slow}(s, ${r}) : (${rec}${b}))`;
}

/** loadPlace as source, or null (a place not generated). */
export function genLoad(p: GenPlace | null, env: CompileEnv, g: GenUnit): string | null {
  if (p === null) return null;
  if (p.param !== undefined) return p.param;
  const note = env.effects && p.shared ? protectedLoad(p.ty, env) : null;
  const record = env.record && p.shared;
  if (note !== null) {
    const n = g.constant(note);
    const a = g.temp();
    const v = g.temp();
    return `(${a} = ${p.addr}, fp.read(${a}), ${v} = s[${a}], ${v} !== 0 && ${n}(s, ${v}), ${v})`;
  }
  if (!record) return `s[${p.addr}]`;
  if (p.constAddr >= 0) return `(fp.read(${p.constAddr}), s[${p.constAddr}])`;
  const a = g.temp();
  return `(${a} = ${p.addr}, fp.read(${a}), s[${a}])`;
}

/** `place = value;` (assignFn over storePlace) as statements: the value first, then the address. */
export function genStore(p: GenPlace | null, value: string | null, env: CompileEnv, g: GenUnit): string | null {
  if (p === null || value === null || env.races === true || p.param !== undefined) return null;
  if (p.constAddr >= 0 && !p.shared) return `s[${p.constAddr}] = ${value};`;
  const v = g.temp();
  const record = env.record && p.shared;
  if (p.constAddr >= 0)
    return record
      ? `${v} = ${value}; fp.write(${p.constAddr}); s[${p.constAddr}] = ${v};`
      : `s[${p.constAddr}] = ${value};`;
  const a = g.temp();
  return record
    ? `${v} = ${value}; ${a} = ${p.addr}; fp.write(${a}); s[${a}] = ${v};`
    : `${v} = ${value}; s[${p.addr}] = ${v};`;
}
