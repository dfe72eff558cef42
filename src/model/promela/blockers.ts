// What stands between a spec and its Promela export, found statically: the built-ins it
// calls that the exporter does not transcribe (none today: every one is). The SPIN table (scripts/export-compare.ts) prints it
// beside the first refusal, so that a refused row says all that is missing.
import { type Expr, forEachChild, type Stmt } from '../lang/ast.js';
import type { CheckedSpec } from '../lang/checked.js';
import { EXPORTED_BUILTINS } from './builtins-promela.js';

export function exportBlockers(spec: CheckedSpec): string[] {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as Expr | Stmt;
    if (node.kind === 'call' && !spec.fns.has(node.callee) && !EXPORTED_BUILTINS.has(node.callee)) out.add(node.callee);
    forEachChild(n, visit);
  };
  for (const b of [...spec.threads.values(), ...spec.fns.values()]) visit(b.body);
  return [...out].sort();
}
