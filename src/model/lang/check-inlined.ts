// How long a thread is once every fn call in it is inlined (fns are inlined at each call,
// docs/language.md). A fn that calls another twice, itself called twice, ... doubles per
// level: 20 levels are a million statements, and lowering them exhausted the heap. The
// count is made here on the call graph (each fn counted once, then multiplied), before any
// lowering, and a thread over the bound is an error naming the bound and how to raise it.
import { grouped } from '../../io/grouped.js';
import { ignoredLimit, inputLimits, LIMIT_ENV } from '../../io/limits.js';
import { forEachChild, type Stmt } from './ast.js';
import type { BodyInfo, CheckedSpec } from './checked.js';
import { type Diagnostic, error } from './diagnostics.js';

/** Statement kinds (ast.ts Stmt) counted as one statement each; calls in them add the callee's size. */
const STATEMENTS = new Set<string>([
  'local',
  'assign',
  'expr',
  'if',
  'while',
  'for',
  'block',
  'atomic',
  'label',
  'goto',
  'return',
  'break',
  'continue',
  'await',
  'choose',
  'either',
  'assert',
  'bug_on',
  'skip',
] satisfies Stmt['kind'][]);

/**
 * Report every thread (and the init block) longer than the bound once inlined. Run only on a
 * call graph without recursion or over-deep chains (check-graph.ts reports those first).
 */
export function reportInlinedSize(spec: CheckedSpec, diags: Diagnostic[], max = inputLimits().inlinedStatements): void {
  const cap = max + 1;
  const fnSize = new Map<string, number>();
  const add = (a: number, b: number): number => Math.min(cap, a + b);
  const sizeOfNode = (node: unknown): number => {
    if (Array.isArray(node)) return node.reduce((n: number, x) => add(n, sizeOfNode(x)), 0);
    if (node === null || typeof node !== 'object' || !('kind' in node)) return 0;
    let n = STATEMENTS.has(node.kind as string) ? 1 : 0;
    if (node.kind === 'call' && 'callee' in node && typeof node.callee === 'string') n = add(n, sizeOfFn(node.callee));
    forEachChild(node, (v) => {
      n = add(n, sizeOfNode(v));
    });
    return n;
  };
  const sizeOfFn = (name: string): number => {
    const known = fnSize.get(name);
    if (known !== undefined) return known;
    const f = spec.fns.get(name);
    if (f === undefined) return 0;
    fnSize.set(name, cap); // a cycle would count as over the bound; check-graph.ts has reported it
    const n = sizeOfNode(f.macro ?? f.body);
    fnSize.set(name, n);
    return n;
  };
  const check = (body: BodyInfo, what: string): void => {
    const n = sizeOfNode(body.body);
    if (n <= max) return;
    diags.push(
      error(
        'MM229',
        body.span,
        `${what} has more than ${grouped(max)} statements once its fn calls are inlined`,
        `each fn call is inlined; call fns fewer times, or set ${LIMIT_ENV.inlinedStatements} to raise the bound${ignoredLimit(LIMIT_ENV.inlinedStatements)}`,
      ),
    );
  };
  for (const t of spec.threads.values()) check(t, `thread '${t.name}'`);
  check(spec.init, 'init');
}
