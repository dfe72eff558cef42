// Scenarios: the expected outcome (a violation kind, and for invariant and final violations
// the condition), the budget, and the threads started with their constant arguments.
import type { Expr, ScenarioDecl } from './ast.js';
import { checkScenarioInit } from './check-body.js';
import { signature } from './check-hints.js';
import type { CheckedSpec, ScenarioInfo } from './checked.js';
import { evalConst } from './const-eval.js';
import { type Diagnostic, didYouMean, error } from './diagnostics.js';
import { assignable, BOOL, INT, type Ty, typeName, withArticle } from './types.js';
import { isViolationKind, VIOLATION_KINDS } from './violation-kinds.js';

/** Check one scenario of the spec and add it to `spec.scenarios`. */
export function checkScenario(d: ScenarioDecl, spec: CheckedSpec, diags: Diagnostic[]): void {
  if (spec.scenarios.some((s) => s.name === d.name)) {
    diags.push(error('MM401', d.nameSpan, `duplicate scenario '${d.name}'`));
    return;
  }
  const expect = checkExpectation(d.expect, spec, diags);
  const budget: ScenarioInfo['budget'] = {};
  for (const b of d.budget) {
    if (b.key === 'states' || b.key === 'seconds' || b.key === 'depth' || b.key === 'executions')
      budget[b.key] = b.value;
    else
      diags.push(error('MM402', b.keySpan, `unknown budget '${b.key}'`, 'one of: states, seconds, depth, executions'));
  }
  const threads = checkScenarioThreads(d, spec, diags);
  if (d.threads.length > 30) diags.push(error('MM403', d.nameSpan, 'a scenario may start at most 30 threads'));
  const info: ScenarioInfo = { name: d.name, expect, budget, threads, decl: d };
  if (d.init !== undefined) info.init = checkScenarioInit(d.init.body, d.init.span, spec, diags);
  spec.scenarios.push(info);
}

function checkExpectation(e: ScenarioDecl['expect'], spec: CheckedSpec, diags: Diagnostic[]): ScenarioInfo['expect'] {
  if (e.kind !== 'violation') return { kind: 'pass' };
  if (!isViolationKind(e.violation)) {
    // `use-after-free` (the prose spelling) reaches here as one name: see parseExpectation.
    const fixed = e.violation.replaceAll('-', '_');
    const near = isViolationKind(fixed) ? `did you mean '${fixed}'?` : didYouMean(e.violation, VIOLATION_KINDS);
    diags.push(
      error(
        'MM404',
        e.violationSpan,
        `unknown violation kind '${e.violation}'`,
        near ?? `one of: ${VIOLATION_KINDS.join(', ')}`,
      ),
    );
  }
  const expect: ScenarioInfo['expect'] = { kind: 'violation', violation: e.violation };
  const c = e.condition;
  if (c === undefined) return expect;
  const conds = e.violation === 'invariant' ? spec.invariants : e.violation === 'final' ? spec.finals : null;
  if (conds === null) {
    if (isViolationKind(e.violation))
      diags.push(
        error(
          'MM405',
          c.span,
          `only an invariant or final violation names a condition, not ${e.violation}`,
          `write violation(${e.violation})`,
        ),
      );
  } else if (!conds.some((x) => x.name === c.name)) {
    const what = e.violation === 'invariant' ? 'invariant' : 'final condition';
    const near = didYouMean(
      c.name,
      conds.map((x) => x.name),
    );
    diags.push(
      error(
        'MM406',
        c.span,
        `no ${what} named '${c.name}'`,
        near ??
          (conds.length === 0 ? `this spec declares no ${what}` : `declared: ${conds.map((x) => x.name).join(', ')}`),
      ),
    );
  } else expect.condition = c.name;
  return expect;
}

function checkScenarioThreads(d: ScenarioDecl, spec: CheckedSpec, diags: Diagnostic[]): ScenarioInfo['threads'] {
  const threads: ScenarioInfo['threads'] = [];
  for (const t of d.threads) {
    const body = spec.threads.get(t.name);
    if (body === undefined) {
      const threads = [...spec.threads.keys()];
      const hint = spec.fns.has(t.name)
        ? `'${t.name}' is a fn; only threads can be started`
        : (didYouMean(t.name, threads) ??
          (threads.length > 0
            ? `the threads are: ${threads.join(', ')}`
            : `declare it: \`thread ${t.name}() { ... }\``));
      diags.push(error('MM407', t.nameSpan, `unknown thread '${t.name}'`, hint));
      continue;
    }
    if (t.args.length !== body.params.length) {
      diags.push(
        error(
          'MM408',
          t.span,
          `thread '${t.name}' takes ${body.params.length} argument${body.params.length === 1 ? '' : 's'}, got ${t.args.length}`,
          `it is declared as ${signature(body)}`,
        ),
      );
      continue;
    }
    const args: number[] = [];
    t.args.forEach((a, i) => {
      const p = body.params[i]!;
      const v = constArg(a, p.ty, spec, diags);
      args.push(v ?? 0);
      if (v !== undefined && p.ty.k === 'ref') {
        diags.push(
          error(
            'MM409',
            a.span,
            `thread argument '${p.name}' is ${withArticle(typeName(p.ty))}; a scenario can only pass null`,
            'let the thread find its objects in shared state',
          ),
        );
      }
    });
    threads.push({ body, args, span: t.span });
  }
  return threads;
}

/** A scenario argument: a constant of the parameter's type (int, bool or enum), or null. */
function constArg(a: Expr, ty: Ty, spec: CheckedSpec, diags: Diagnostic[]): number | undefined {
  if (a.kind === 'null') {
    if (ty.k !== 'ref' && ty.k !== 'error')
      diags.push(error('MM410', a.span, `cannot pass null for ${withArticle(typeName(ty))}`));
    return undefined;
  }
  const isBool = a.kind === 'bool' || (a.kind === 'unary' && a.op === '!');
  const enumOf = a.kind === 'name' ? [...spec.enums].find(([, members]) => members.includes(a.name))?.[0] : undefined;
  const got: Ty = isBool ? BOOL : enumOf !== undefined ? { k: 'enum', name: enumOf } : INT;
  if (ty.k !== 'error' && ty.k !== 'ref' && !assignable(ty, got)) {
    diags.push(error('MM411', a.span, `cannot pass ${withArticle(typeName(got))} for ${withArticle(typeName(ty))}`));
    return undefined;
  }
  return evalConst(a, spec, diags);
}
