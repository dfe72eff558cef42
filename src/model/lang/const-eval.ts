// Constant expressions: the values of consts, array and pool sizes, scenario arguments and
// global initialisers, computed once by the typechecker. The model reads the results from
// the CheckedSpec; it never evaluates source expressions itself.
import type { Expr } from './ast.js';
import type { CheckedSpec } from './checked.js';
import type { DiagnosticCode } from './diagnostic-codes.js';
import { type Diagnostic, didYouMean, error } from './diagnostics.js';

/** Evaluate a constant expression (ints, consts, enum members, arithmetic). */
export function evalConst(e: Expr, spec: CheckedSpec, diags: Diagnostic[]): number | undefined {
  const fail = (code: DiagnosticCode, msg: string, hint?: string): undefined => {
    diags.push(error(code, e.span, msg, hint));
    return undefined;
  };
  switch (e.kind) {
    case 'int':
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
      const v = evalConst(e.operand, spec, diags);
      if (v === undefined) return undefined;
      return e.op === '-' ? -v : v === 0 ? 1 : 0;
    }
    case 'binary': {
      const a = evalConst(e.left, spec, diags);
      const b = evalConst(e.right, spec, diags);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+':
          return (a + b) | 0;
        case '-':
          return (a - b) | 0;
        case '*':
          return Math.imul(a, b);
        case '/':
          return b === 0 ? fail('MM114', 'division by zero in constant') : (a / b) | 0;
        case '%':
          return b === 0 ? fail('MM114', 'division by zero in constant') : a % b;
        default:
          return fail('MM115', 'expected a constant integer expression');
      }
    }
    default:
      return fail('MM115', 'expected a constant integer expression');
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
