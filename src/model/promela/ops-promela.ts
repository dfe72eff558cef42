// The ops the Promela exporter lowers a thread to (lower-promela.ts), one per op of the
// compiler's table. Jump targets and a body's labels are the compiler's (lower-steps.ts
// Target, labelTargets): which labels a body has is syntax, not what the export cross-checks.
import type { Span } from '../lang/ast.js';
import type { Target } from '../lower-steps.js';
import type { PExpr, PStmt } from './pexpr.js';

export type { Target };

/** One op: a straight step (guarded when it may block), a branch, a nondeterministic choice, or the end. */
export type POp =
  | { k: 'step'; guard: PExpr | null; body: PStmt[]; next: Target; span: Span }
  | { k: 'branch'; pre: PStmt[]; cond: PExpr; yes: Target; no: Target; span: Span }
  | { k: 'either'; targets: Target[]; span: Span }
  /** choose: a step with as many choices as its count, blocked at none (lower.ts chooseStmt). */
  | { k: 'choose'; guard: PExpr; body: PStmt[]; next: Target; span: Span }
  | { k: 'end'; span: Span };
