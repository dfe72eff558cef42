// Fewer calls in the compiled steps. They are trees of closures, and the calls between them
// are much of a step's cost (about 13 ns each on the 2-core test machine): closures made from
// one function literal share their call sites' feedback, so V8 cannot inline across them.
// Here: binary operators with a constant operand (`v == null`, `pt.ptl == 0`, `j + 1`) do not
// call a closure to fetch the constant, and when the other operand is a local of the running
// thread, none to load it either; a field of a local reference (`pt.ptl`) reads the local
// in place (compilePlace).
import type { CompileEnv, Place, Val } from './compile-env.js';
import type { Expr, Span } from './lang/ast.js';
import { localAddr } from './layout.js';
import { plainLocalWord } from './lower-flow.js';

/** The value of e when it is a constant (a literal, null, a const or an enum member). */
export function constantOf(e: Expr, env: CompileEnv): number | undefined {
  switch (e.kind) {
    case 'int':
      return e.value | 0;
    case 'bool':
      return e.value ? 1 : 0;
    case 'null':
      return 0;
    case 'name': {
      const sym = env.spec.names.get(e);
      return sym?.k === 'const' || sym?.k === 'enum' ? sym.value : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The word of e when it is a local of the running thread that loadPlace would read as a
 * plain `s[a]` (not shared: no footprint, no note, no data access log), else -1.
 */
export function plainLocal(e: Expr, env: CompileEnv): number {
  if (e.kind !== 'name' || env.thread === null) return -1;
  const sym = env.spec.names.get(e);
  if (sym?.k !== 'local' || env.macroArgs?.get(sym.local) !== undefined) return -1;
  return localAddr(env.thread, sym.body, sym.local);
}

/**
 * `a op k` for the constant k when op is one of the specialised operators, else null. `a`
 * is e.left compiled: it still runs when `left` is not a plain local, with any violation it
 * raises, and k has no effects, so the order of evaluation is kept.
 */
export function withConstantRight(op: string, left: Expr, a: Val, k: number, env: CompileEnv): Val | null {
  const x = plainLocal(left, env);
  if (x >= 0) {
    switch (op) {
      case '==':
        return (s) => (s[x] === k ? 1 : 0);
      case '!=':
        return (s) => (s[x] !== k ? 1 : 0);
      case '<':
        return (s) => (s[x]! < k ? 1 : 0);
      case '+':
        return (s) => (s[x]! + k) | 0;
      default:
        break;
    }
  }
  switch (op) {
    case '==':
      return (s) => (a(s) === k ? 1 : 0);
    case '!=':
      return (s) => (a(s) !== k ? 1 : 0);
    case '<':
      return (s) => (a(s) < k ? 1 : 0);
    case '<=':
      return (s) => (a(s) <= k ? 1 : 0);
    case '>':
      return (s) => (a(s) > k ? 1 : 0);
    case '>=':
      return (s) => (a(s) >= k ? 1 : 0);
    case '+':
      return (s) => (a(s) + k) | 0;
    case '-':
      return (s) => (a(s) - k) | 0;
    default:
      return null;
  }
}

/**
 * `place = value;` with the fewest calls: a local of the running thread (not shared: no
 * footprint, no data access log) is written in place, and a constant value is not fetched.
 * `store` is storePlace(place), `v` the value compiled, `k` its constant (constantOf).
 */
export function assignFn(
  place: Place,
  store: (s: Int32Array, v: number) => void,
  v: Val,
  k: number | undefined,
): (s: Int32Array) => void {
  const x = plainLocalWord(place);
  if (x >= 0 && k !== undefined)
    return (s) => {
      s[x] = k;
    };
  if (x >= 0)
    return (s) => {
      s[x] = v(s);
    };
  if (k !== undefined) return (s) => store(s, k);
  return (s) => store(s, v(s));
}

/** The violation of an index outside an array of `size` elements whose first word is `base`. */
export function outOfBoundsFn(rt: CompileEnv['rt'], size: number, span: Span): (base: number, i: number) => never {
  return (base, i) =>
    rt.fail('assertion', `index ${i} out of bounds for ${rt.nameOf(base).replace(/\[0\]$/, '')}[${size}]`, span);
}

/**
 * The address of element `index` (compiled: idx) of the array at arr(s), of `size` elements
 * of `w` words, bounds checked; a local index is read in place.
 */
export function indexAddr(
  arr: Val,
  index: Expr,
  idx: Val,
  a: { size: number; w: number; span: Span },
  env: CompileEnv,
): Val {
  const { size, w, span } = a;
  const outOfBounds = outOfBoundsFn(env.rt, size, span);
  const x = plainLocal(index, env);
  if (x >= 0)
    return (s) => {
      const base = arr(s);
      const i = s[x]!;
      if (i < 0 || i >= size) outOfBounds(base, i);
      return base + i * w;
    };
  return (s) => {
    const base = arr(s);
    const i = idx(s);
    if (i < 0 || i >= size) outOfBounds(base, i);
    return base + i * w;
  };
}
