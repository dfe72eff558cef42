// atomic { }: the block is one step, so it may wait only at its first statement (its guard
// is the step's), and a built-in that spans steps (a grace period, an IPI round) cannot be
// inside it.
import type { Expr, Stmt } from './ast.js';
import { BUILTINS } from './builtins.js';
import { type Diagnostic, error } from './diagnostics.js';

/** The waits of an atomic block that are not its first statement, and its multi-step built-ins. */
export function checkAtomicWaits(s: Extract<Stmt, { kind: 'atomic' }>, diags: Diagnostic[]): void {
  // Only the block's first statement may wait (its guard is the step's): a wait nested in
  // an `if`, or after another statement, would be run without waiting.
  s.body.forEach((st, i) => {
    const first = i === 0 && (st.kind === 'await' || isBlockingStmt(st));
    if (first) return;
    for (const w of waitsIn(st))
      diags.push(
        error(
          'MM207',
          w.span,
          'a blocking statement must come first in an atomic { } block',
          'the block is one step: it may only wait before it starts, at its first statement',
        ),
      );
  });
  for (const c of callsIn(s.body))
    if (BUILTINS.get(c.callee)?.noAtomicForm === true)
      diags.push(
        error(
          'MM241',
          c.calleeSpan,
          `'${c.callee}' cannot be inside atomic { }`,
          c.callee === 'kick_all_cpus_sync'
            ? 'an IPI round spans steps (it waits for each thread with interrupts off to turn them on): call it before or after the block'
            : 'a grace period spans steps (it waits for the readers inside now to leave): call it before or after the block',
        ),
      );
}

/** The waits in a statement of an atomic block, its nested ifs and blocks included. */
function waitsIn(s: Stmt): Stmt[] {
  if (s.kind === 'await' || isBlockingStmt(s)) return [s];
  if (s.kind === 'if') return [...waitsIn(s.then), ...(s.else ? waitsIn(s.else) : [])];
  if (s.kind === 'block' || s.kind === 'atomic') return s.body.flatMap(waitsIn);
  if (s.kind === 'for' || s.kind === 'while') return waitsIn(s.body);
  return [];
}

/** The built-in calls that are statements or assigned values, at any depth of a block. */
function callsIn(body: Stmt[]): Extract<Expr, { kind: 'call' }>[] {
  const out: Extract<Expr, { kind: 'call' }>[] = [];
  const visit = (s: Stmt): void => {
    const call =
      s.kind === 'expr'
        ? s.expr
        : s.kind === 'assign' || s.kind === 'local'
          ? s.kind === 'local'
            ? s.init
            : s.value
          : undefined;
    if (call?.kind === 'call') out.push(call);
    if (s.kind === 'if') {
      visit(s.then);
      if (s.else) visit(s.else);
    } else if (s.kind === 'block' || s.kind === 'atomic') s.body.forEach(visit);
    else if (s.kind === 'for' || s.kind === 'while') visit(s.body);
  };
  body.forEach(visit);
  return out;
}

export function isBlockingStmt(s: Stmt): boolean {
  const call = s.kind === 'expr' ? s.expr : s.kind === 'assign' ? s.value : undefined;
  return call?.kind === 'call' && BUILTINS.get(call.callee)?.blocks === true;
}
