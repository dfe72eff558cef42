// Constant expressions: the values of consts, array and pool sizes, scenario arguments and
// global initialisers, computed once by the typechecker. The model reads the results from
// the CheckedSpec; it never evaluates source expressions itself.
import type { BinaryOp, Expr } from './ast.js';
import type { CheckedSpec } from './checked.js';
import type { DiagnosticCode } from './diagnostic-codes.js';
import { type Diagnostic, didYouMean, error } from './diagnostics.js';
import { BOOL, INT, type Ty } from './types.js';

/** Every int is one 32-bit word of the state. */
export const RANGE_HINT = 'an int is a 32-bit word: -2147483648 to 2147483647';

/** Evaluate a constant expression (ints, consts, enum members, arithmetic). */
export function evalConst(e: Expr, spec: CheckedSpec, diags: Diagnostic[]): number | undefined {
  const fail: Fail = (code, msg, hint) => {
    diags.push(error(code, e.span, msg, hint));
    return undefined;
  };
  const fits = (n: number): number | undefined =>
    fitsInt(n) ? n : fail('MM132', `constant expression overflows a 32-bit int (${n})`, RANGE_HINT);
  switch (e.kind) {
    case 'int':
      if (e.value > INT_MAX) return fail('MM130', `integer literal '${e.value}' does not fit a 32-bit int`, RANGE_HINT);
      return e.value;
    case 'bool':
      return e.value ? 1 : 0;
    case 'name': {
      const c = spec.consts.get(e.name);
      if (c !== undefined) return c;
      for (const members of spec.enums.values()) {
        const i = members.indexOf(e.name);
        if (i >= 0) return i;
      }
      // A variable here is the usual mistake (a size taken from a global): say so.
      const isVar = spec.decls.some((d) => d.kind === 'global' && d.name === e.name);
      const hint = isVar
        ? `'${e.name}' is a variable; declare a constant, e.g. \`const ${e.name.toUpperCase()} = 2;\``
        : (didYouMean(e.name, spec.consts.keys()) ?? 'only const and enum names may be used here');
      return fail('MM113', `'${e.name}' is not a constant`, hint);
    }
    case 'unary': {
      // -2147483648: the one literal that fits only negated.
      if (e.op === '-' && e.operand.kind === 'int' && e.operand.value === 2 ** 31) return INT_MIN;
      const v = evalConst(e.operand, spec, diags);
      if (v === undefined) return undefined;
      if (e.op === '~') return ~v;
      return e.op === '-' ? fits(-v) : v === 0 ? 1 : 0;
    }
    case 'binary': {
      const a = evalConst(e.left, spec, diags);
      const b = evalConst(e.right, spec, diags);
      if (a === undefined || b === undefined) return undefined;
      return foldBinary(e.op, a, b, fail, fits);
    }
    default:
      return fail('MM115', 'expected a constant integer expression');
  }
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Is n a value of the 32-bit word? */
export function fitsInt(n: number): boolean {
  return n >= INT_MIN && n <= INT_MAX;
}

type Fail = (code: DiagnosticCode, msg: string, hint?: string) => undefined;

/** One operator on two constant words; undefined after `fail` when the exact result is not a word. */
function foldBinary(op: BinaryOp, a: number, b: number, fail: Fail, fits: (n: number) => number | undefined) {
  switch (op) {
    case '+':
      return fits(a + b);
    case '-':
      return fits(a - b);
    case '*':
      // Exact below 2^53; a product beyond it is far outside the word anyway.
      return fits(a * b);
    case '/':
      return b === 0 ? fail('MM114', 'division by zero in constant') : fits(Math.trunc(a / b));
    case '%':
      return b === 0 ? fail('MM114', 'division by zero in constant') : a % b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
    case '>>':
      // Shifts are bit operations on the word (1 << 31 is INT_MIN), as the kernel uses them.
      if (b < 0 || b > 31) return fail('MM131', `shift by ${b} in a constant, outside 0..31`);
      return op === '<<' ? a << b : a >> b;
    default:
      return compare(op, a, b);
  }
}

/** Comparisons and logic on constants: 1 or 0, as a bool word. */
function compare(op: BinaryOp, a: number, b: number): number {
  const v =
    op === '=='
      ? a === b
      : op === '!='
        ? a !== b
        : op === '<'
          ? a < b
          : op === '<='
            ? a <= b
            : op === '>'
              ? a > b
              : op === '>='
                ? a >= b
                : op === '&&'
                  ? a !== 0 && b !== 0
                  : op === '||'
                    ? a !== 0 || b !== 0
                    : a === 0 || b !== 0; // =>
  return v ? 1 : 0;
}

/**
 * The type of a const's expression: an int, a bool (`const DEBUG = true;`, comparisons and
 * logic on constants) or an enum (`const FIRST = RUNNING;`). Undefined after reporting an
 * operand of the wrong type (`2 * (1 < 2)`), as MM115.
 */
export function constType(e: Expr, spec: CheckedSpec, diags: Diagnostic[]): Ty | undefined {
  const want = (x: Expr, k: 'int' | 'bool'): boolean => {
    const t = constType(x, spec, diags);
    if (t === undefined) return false;
    if (t.k === k) return true;
    diags.push(error('MM115', x.span, `expected a constant ${k === 'int' ? 'integer' : k} expression`));
    return false;
  };
  switch (e.kind) {
    case 'bool':
      return BOOL;
    case 'name': {
      const t = spec.constTypes.get(e.name);
      if (t !== undefined) return t;
      for (const [name, members] of spec.enums) if (members.includes(e.name)) return { k: 'enum', name };
      return INT;
    }
    case 'unary':
      return want(e.operand, e.op === '!' ? 'bool' : 'int') ? (e.op === '!' ? BOOL : INT) : undefined;
    case 'binary': {
      const logic = e.op === '&&' || e.op === '||' || e.op === '=>';
      if (e.op === '==' || e.op === '!=') {
        const a = constType(e.left, spec, diags);
        const b = constType(e.right, spec, diags);
        return a === undefined || b === undefined ? undefined : BOOL;
      }
      const cmp = e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=';
      const k = logic ? 'bool' : 'int';
      const ok = want(e.left, k) && want(e.right, k);
      return ok ? (logic || cmp ? BOOL : INT) : undefined;
    }
    default:
      return INT;
  }
}

/** Is a checked expression constant? Reads the names the checker resolved, so call it after. */
export function isConstantExpr(e: Expr, spec: CheckedSpec): boolean {
  switch (e.kind) {
    case 'int':
    case 'bool':
    case 'null':
      return true;
    case 'name':
      return spec.names.get(e)?.k === 'const' || spec.names.get(e)?.k === 'enum';
    case 'unary':
      return isConstantExpr(e.operand, spec);
    case 'binary':
      return isConstantExpr(e.left, spec) && isConstantExpr(e.right, spec);
    default:
      return false;
  }
}
