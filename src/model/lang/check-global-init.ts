// A global's initialiser: a constant of the global's type, evaluated once at compile time.
import { exprCtx } from './check-context.js';
import { checkValue } from './check-expr.js';
import type { CheckedSpec, GlobalInfo } from './checked.js';
import { evalConst, isConstantExpr } from './const-eval.js';
import { type Diagnostic, error } from './diagnostics.js';
import { assignable, INT, typeName } from './types.js';

export function checkGlobalInit(g: GlobalInfo, spec: CheckedSpec, diags: Diagnostic[]): void {
  const { init, ty } = g;
  if (init === undefined) return;
  const ctx = exprCtx(spec, diags, 'init');
  const t = checkValue(init, ctx);
  if (!isConstantExpr(init, spec)) {
    diags.push(
      error('MM116', init.span, 'a global initialiser must be a constant', 'assign computed values in `init { }`'),
    );
    return;
  }
  if (
    !assignable(
      ty.k === 'sync' && (ty.prim === 'atomic' || ty.prim === 'seqcount' || ty.prim === 'refcount') ? INT : ty,
      t,
    )
  )
    diags.push(error('MM117', init.span, `cannot initialise ${typeName(ty)} with ${typeName(t)}`));
  // A constant that does not evaluate (division by zero, overflow) is already an error
  // (MM114, MM132); the 0 here only keeps the compile going.
  g.initValue = init.kind === 'null' ? 0 : (evalConst(init, spec, []) ?? 0);
}
