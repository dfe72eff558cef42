// Whole-body structure checks of the typechecker: can a fn reach its end without a value,
// and is the fn call graph (fns are inlined at every call) acyclic and shallow. Split from
// check-body.ts, which checks statements and expressions one by one.
import type { Stmt } from './ast.js';
import type { CheckedSpec } from './checked.js';
import { type Diagnostic, error } from './diagnostics.js';

/**
 * Can control reach the end of these statements? Conservative where it cannot know: a
 * `goto` is taken to leave (its label is checked on its own), and `while (true)` without a
 * `break` never ends, so the usual `while (true) { ... return x; }` is accepted.
 */
export function canFallOff(stmts: Stmt[]): boolean {
  const last = stmts.at(-1);
  if (last === undefined) return true;
  switch (last.kind) {
    case 'return':
    case 'goto':
      return false;
    case 'if':
      return last.else === undefined || canFallOff([last.then]) || canFallOff([last.else]);
    case 'block':
    case 'atomic':
      return canFallOff(last.body);
    case 'either':
      return last.branches.some(canFallOff);
    case 'while':
      return !(last.cond.kind === 'bool' && last.cond.value) || breaks(last.body);
    default:
      return true;
  }
}

/** Does a `break` in this loop body leave this loop (not an inner one)? */
function breaks(s: Stmt): boolean {
  switch (s.kind) {
    case 'break':
      return true;
    case 'if':
      return breaks(s.then) || (s.else !== undefined && breaks(s.else));
    case 'block':
    case 'atomic':
      return s.body.some(breaks);
    case 'either':
      return s.branches.some((b) => b.some(breaks));
    default:
      return false;
  }
}

/**
 * fns are inlined at every call, so the call graph must be acyclic, and its chains short:
 * inlining recurses once per level (in lowering and layout), and a chain of a few thousand
 * fns overflowed the stack. Both are reported at the fn where the problem starts.
 */
const MAX_CALL_DEPTH = 100;

export function reportRecursion(spec: CheckedSpec, graph: Map<string, Set<string>>, diags: Diagnostic[]): void {
  const state = new Map<string, 'open' | 'done'>();
  /** Length of the longest call chain starting at a finished fn (1: it calls no fn). */
  const chain = new Map<string, number>();
  const reported = new Set<string>();
  let tooDeep = false;
  const reportDepth = (f: string): void => {
    const body = spec.fns.get(f);
    if (!tooDeep && body)
      diags.push(
        error(
          'MM221',
          body.span,
          `calls from fn '${f}' nest more than ${MAX_CALL_DEPTH} fns deep`,
          'fn helpers are inlined at each call; flatten the chain',
        ),
      );
    tooDeep = true;
  };
  const visit = (f: string, path: string[]): number => {
    if (state.get(f) === 'done') return chain.get(f) ?? 0;
    if (state.get(f) === 'open') {
      const cycle = [...path.slice(path.indexOf(f)), f];
      const head = cycle[0]!;
      if (!reported.has(head)) {
        reported.add(head);
        const body = spec.fns.get(head);
        if (body)
          diags.push(
            error(
              'MM222',
              body.span,
              `recursive fn '${head}' (${cycle.join(' → ')})`,
              'fn helpers are inlined at each call; recursion is not supported',
            ),
          );
      }
      return 0;
    }
    // Not descending past the bound also bounds this walk's own recursion.
    if (path.length > MAX_CALL_DEPTH) return MAX_CALL_DEPTH + 1;
    state.set(f, 'open');
    let longest = 0;
    for (const g of graph.get(f) ?? []) longest = Math.max(longest, visit(g, [...path, f]));
    state.set(f, 'done');
    chain.set(f, longest + 1);
    if (longest + 1 > MAX_CALL_DEPTH) reportDepth(f);
    return longest + 1;
  };
  for (const f of graph.keys()) visit(f, []);
}
