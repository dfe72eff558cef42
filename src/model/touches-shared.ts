// Which expressions touch shared state: the fusion rule's test (a statement that does not is
// fused into the step before it, docs/adr/001).
import type { Expr } from './lang/ast.js';
import type { CheckedSpec } from './lang/checked.js';
import { BUILTIN_DEFS } from './prims/index.js';

/** Does evaluating this expression touch shared state (so that it must be a visible step)? */
export function touchesShared(e: Expr, spec: CheckedSpec): boolean {
  switch (e.kind) {
    case 'int':
    case 'bool':
    case 'null':
      return false;
    case 'name':
      return spec.names.get(e)?.k === 'global';
    case 'field':
    case 'alloc':
      return true;
    case 'index':
      return touchesShared(e.object, spec) || touchesShared(e.index, spec);
    case 'unary':
      return touchesShared(e.operand, spec);
    case 'binary':
      return touchesShared(e.left, spec) || touchesShared(e.right, spec);
    case 'call': {
      const fn = spec.fns.get(e.callee);
      // Every built-in touches a sync object or the heap, except the thread-local ones
      // (might_sleep(), which only looks at the thread's own locks and read sections).
      if (fn === undefined) return BUILTIN_DEFS.get(e.callee)?.threadLocal !== true;
      return e.args.some((a) => touchesShared(a, spec)) || (fn.macro !== undefined && touchesShared(fn.macro, spec));
    }
  }
}
