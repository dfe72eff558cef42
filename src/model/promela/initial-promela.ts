// Promela export: the initial state, computed by the exporter's own evaluator over its own
// ops (the globals' initialisers, `init` run to its end and its words cleared, then each
// thread's local prefix: the fusion at creation), so that export-promela.ts can compare it
// with the compiled Program's word for word; and the check that the exporter's ops are the
// Program's, op for op.
import type { CheckedSpec } from '../lang/checked.js';
import type { Layout } from '../layout.js';
import type { Op } from '../lower.js';
import { exitChecks, type ThreadCode } from './emit-thread.js';
import type { POp } from './lower-promela.js';
import { type EvalEnv, evalExpr, evalStmts, PromelaRefusal } from './pexpr.js';

/** The exporter's ops must be the Program's, op for op: same count, guards and choices where the model has them. */
export function checkAgainstProgram(ops: POp[], model: Op[], name: string, span: POp['span']): boolean[] {
  const differ = (why: string): never => {
    throw new PromelaRefusal(span, 'PML06', `thread ${name}: ${why}`);
  };
  if (model.length !== ops.length) differ(`${ops.length} ops where the compiler has ${model.length}`);
  model.forEach((m, pc) => {
    const o = ops[pc]!;
    if ((m.guard !== null) !== (o.k === 'step' && o.guard !== null)) differ(`op ${pc} (${m.text}): guards differ`);
    if ((m.choices !== null) !== (o.k === 'either' || o.k === 'choose')) differ(`op ${pc} (${m.text}): choices differ`);
  });
  return model.map((m) => m.visible);
}

/** Run one op on env; returns the next pc (an either or a choose takes its first choice: only init runs one). */
function runOp(op: POp, env: EvalEnv, what: string): number {
  const fail = (why: string): never => {
    throw new PromelaRefusal(op.span, 'PML07', `${why} ${what}`);
  };
  switch (op.k) {
    case 'step':
    case 'choose':
      if (op.guard !== null && evalExpr(op.guard, env) === 0) fail('a step blocks');
      if (evalStmts(op.body, env) !== null) fail('a check fails');
      return op.next.pc;
    case 'branch':
      if (evalStmts(op.pre, env) !== null) fail('a check fails');
      return evalExpr(op.cond, env) !== 0 ? op.yes.pc : op.no.pc;
    case 'either':
      return op.targets[0]!.pc;
    case 'end':
      return -1;
  }
}

/** Run a thread's local ops from pc (the fusion at creation); returns the resting pc or -1. */
function runLocal(ops: POp[], visible: boolean[], pc: number, env: EvalEnv, span: POp['span']): number {
  for (let n = 0; n < 100000; n++) {
    const op = ops[pc];
    if (op === undefined || op.k === 'end') return -1;
    if (visible[pc]) return pc;
    if (op.k === 'either' || op.k === 'choose')
      throw new PromelaRefusal(op.span, 'PML06', 'a choice that is not a step');
    pc = runOp(op, env, 'at thread creation');
  }
  throw new PromelaRefusal(span, 'PML08', 'a thread loops on local code at creation');
}

/** ModelSystem.runInit: every op in turn (a choice takes its first branch, as the model's init does). */
function runInit(ops: POp[], env: EvalEnv, span: POp['span']): void {
  let pc = 0;
  for (let n = 0; n < 1000000; n++) {
    const op = ops[pc];
    if (op === undefined) return;
    pc = runOp(op, env, 'in init');
    if (pc < 0) return;
  }
  throw new PromelaRefusal(span, 'PML08', 'init loops');
}

export function initialState(
  spec: CheckedSpec,
  layout: Layout,
  initOps: POp[],
  threads: ThreadCode[],
): { s: Int32Array; rest: number[] } {
  const env: EvalEnv = { s: new Int32Array(layout.words), tmps: [] };
  for (const g of spec.globals.values())
    if (g.init !== undefined) env.s[layout.globals.get(g.name)!] = g.initValue ?? 0;
  const finish = (t: typeof layout.init, span: POp['span']): void => {
    if (evalStmts(exitChecks(t, layout), env) !== null)
      throw new PromelaRefusal(span, 'PML07', `${t.name} ends holding a lock or inside a read section`);
  };
  runInit(initOps, env, layout.init.body.span);
  finish(layout.init, layout.init.body.span);
  env.s.fill(0, layout.init.base, layout.init.end);
  const rest = threads.map((tc) => {
    const t = tc.t;
    const frame = t.frames.get(t.body)!;
    t.args.forEach((a, i) => {
      env.s[frame + i] = a;
    });
    const pc = runLocal(tc.ops, tc.visible, 0, env, t.body.span);
    if (pc < 0) {
      finish(t, t.body.span);
      env.s.fill(0, t.pc + 1, t.frameEnd);
    }
    env.s[t.pc] = pc;
    return pc;
  });
  return { s: env.s, rest };
}
