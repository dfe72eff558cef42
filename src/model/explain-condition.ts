// Why an invariant or final condition failed, in words: its expression as written and the
// values of the places it reads, at the state where it failed:
//
//   pte[0].present == 0 || vma[0].dead == 0 — pte[0].present = 1, vma[0].dead = 1
//
// Computed only when the condition has failed (never on the search's hot path). A place that
// cannot be read in that state (a null reference on the untaken side of `&&`) is left out.

import type { CompileEnv } from './compile-env.js';
import { compilePlace, compileValue } from './compile-expr.js';
import type { Expr } from './lang/ast.js';

export type Explain = (s: Int32Array) => string;

/** The places an expression reads, outermost first, each once (by source text). */
function places(e: Expr, text: (e: Expr) => string, out: Map<string, Expr>): void {
  switch (e.kind) {
    case 'name':
    case 'field':
    case 'index':
      if (!out.has(text(e))) out.set(text(e), e);
      if (e.kind === 'index') places(e.index, text, out);
      return;
    case 'unary':
      places(e.operand, text, out);
      return;
    case 'binary':
      places(e.left, text, out);
      places(e.right, text, out);
      return;
    case 'call':
      for (const a of e.args) places(a, text, out);
      return;
    default:
      return;
  }
}

/** The conjuncts of a top-level `a && b && …`, in order. */
function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'binary' && e.op === '&&') {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

/**
 * The explanation of a failed condition: of `a && b && …`, the first conjunct that fails
 * (the others hold), with the values of the places it reads.
 */
export function explainCondition(cond: Expr, env: CompileEnv, source: (e: Expr) => string): Explain {
  const parts = conjuncts(cond).map((e) => ({
    value: compileValue(e, { ...env, record: false }),
    explain: explainOne(e, env, source),
  }));
  const rt = env.rt;
  return (s) => {
    const saved = rt.violation;
    try {
      for (const p of parts) {
        let v = 1;
        try {
          v = p.value(s);
        } catch {
          v = 0; // unreadable (a null reference): this conjunct is the one that fails
        }
        if (v === 0) return p.explain(s);
      }
      return parts[0]!.explain(s);
    } finally {
      rt.violation = saved;
    }
  };
}

function explainOne(cond: Expr, env: CompileEnv, source: (e: Expr) => string): Explain {
  const found = new Map<string, Expr>();
  places(cond, source, found);
  const rt = env.rt;
  const look: { name: string; addr: (s: Int32Array) => number }[] = [];
  for (const [name, e] of found) {
    const sym = e.kind === 'name' ? env.spec.names.get(e) : undefined;
    if (sym?.k === 'const' || sym?.k === 'enum') continue;
    const ty = env.spec.types.get(e);
    if (ty === undefined || ty.k === 'array' || ty.k === 'sync' || ty.k === 'error' || ty.k === 'void') continue;
    const p = compilePlace(e, { ...env, record: false });
    if (p.scratch !== undefined) continue;
    look.push({ name, addr: p.addr });
  }
  const expr = source(cond);
  return (s) => {
    const values: string[] = [];
    for (const l of look) {
      try {
        const a = l.addr(s);
        if (a >= 0 && a < s.length) values.push(`${l.name} = ${rt.formatValue(a, s[a]!)}`);
      } catch {
        // A place behind a null or freed reference: not readable in this state.
      }
    }
    return values.length === 0 ? expr : `${expr} — ${values.join(', ')}`;
  };
}
