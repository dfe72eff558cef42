// The ops the Promela exporter lowers a thread to (lower-promela.ts), one per op of the
// compiler's table, and the labels of a body, resolved as the ops are emitted.
import type { Span, Stmt } from '../lang/ast.js';
import type { PExpr, PStmt } from './pexpr.js';

export interface Target {
  pc: number;
}

/** One op: a straight step (guarded when it may block), a branch, a nondeterministic choice, or the end. */
export type POp =
  | { k: 'step'; guard: PExpr | null; body: PStmt[]; next: Target; span: Span }
  | { k: 'branch'; pre: PStmt[]; cond: PExpr; yes: Target; no: Target; span: Span }
  | { k: 'either'; targets: Target[]; span: Span }
  /** choose: a step with as many choices as its count, blocked at none (lower.ts chooseStmt). */
  | { k: 'choose'; guard: PExpr; body: PStmt[]; next: Target; span: Span }
  | { k: 'end'; span: Span };

export function labels(body: Stmt[]): Map<string, Target> {
  const out = new Map<string, Target>();
  const walk = (s: Stmt): void => {
    if (s.kind === 'label') out.set(s.name, { pc: -2 });
    else if (s.kind === 'if') {
      walk(s.then);
      if (s.else) walk(s.else);
    } else if (s.kind === 'while' || s.kind === 'for') walk(s.body);
    else if (s.kind === 'block' || s.kind === 'atomic') s.body.forEach(walk);
    else if (s.kind === 'either') for (const b of s.branches) b.forEach(walk);
  };
  body.forEach(walk);
  return out;
}
