// Promela export, second half: one Promela process per scenario thread, one `atomic` per
// mmcheck step (a visible op and the local ops fused after it, lower.ts's rule, with the
// visibility read from the compiled Program), the state words as Promela globals with the
// model's initial values (a global array as a Promela array, so an index stays an index),
// the checks as asserts whose message names the violation kind, invariants asserted after
// every step, finals asserted when the last thread finishes, and deadlock left to SPIN's
// invalid-end-state check (a finished thread rests at an `end_` label). docs/export.md
// states the mapping.
import type { CheckedSpec, ScenarioInfo } from '../lang/checked.js';
import { typeWords } from '../lang/types.js';
import type { Layout } from '../layout.js';
import { ModelSystem } from '../model-system.js';
import { compileProgram, type Program } from '../program.js';
import { emitThread, type ThreadCode } from './emit-thread.js';
import { lowerCondition, type POp, ThreadLowerer } from './lower-promela.js';
import {
  type EvalEnv,
  evalExpr,
  evalStmts,
  type Lowered,
  type PExpr,
  PromelaRefusal,
  type PStmt,
  printExpr,
  printStmts,
  type WordPrinter,
} from './pexpr.js';

export { PromelaRefusal, REFUSAL_CODES, type RefusalCode } from './pexpr.js';

const KINDS = ['assertion', 'invariant', 'final', 'lock_misuse', 'sleep_in_atomic', 'lock_order'];

interface Region {
  name: string;
  base: number;
  size: number;
}

/** The global arrays: each one Promela array, so that a computed index stays an index. */
function regions(spec: CheckedSpec, layout: Layout): Region[] {
  const out: Region[] = [];
  for (const g of spec.globals.values())
    if (g.ty.k === 'array') out.push({ name: `a_${g.name}`, base: layout.globals.get(g.name)!, size: typeWords(g.ty) });
  return out;
}

function wordPrinter(rs: Region[]): WordPrinter {
  const at = (a: number): Region | undefined => rs.find((r) => a >= r.base && a < r.base + r.size);
  return (addr, print) => {
    if (addr.k === 'const') {
      const r = at(addr.v);
      return r === undefined ? `w${addr.v}` : `${r.name}[${addr.v - r.base}]`;
    }
    if (addr.k === 'bin' && addr.op === '+' && addr.a.k === 'const') {
      const r = at(addr.a.v);
      if (r !== undefined) {
        const off = addr.a.v - r.base;
        return `${r.name}[${off === 0 ? print(addr.b) : `${off} + ${print(addr.b)}`}]`;
      }
    }
    throw new Error(`[mmcheck internal bug] a computed address outside the global arrays: ${JSON.stringify(addr)}`);
  };
}

/** Run a thread's local ops from pc (the fusion at creation); returns the resting pc or -1. */
function runLocal(ops: POp[], visible: boolean[], pc: number, env: EvalEnv, span: POp['span']): number {
  for (let n = 0; n < 100000; n++) {
    const op = ops[pc];
    if (op === undefined || op.k === 'end') return -1;
    if (visible[pc]) return pc;
    if (op.k === 'step') {
      if (evalStmts(op.body, env) !== null)
        throw new PromelaRefusal(op.span, 'PML07', 'a check fails at thread creation');
      pc = op.next.pc;
    } else if (op.k === 'branch') {
      if (evalStmts(op.pre, env) !== null)
        throw new PromelaRefusal(op.span, 'PML07', 'a check fails at thread creation');
      pc = evalExpr(op.cond, env) !== 0 ? op.yes.pc : op.no.pc;
    } else throw new PromelaRefusal(op.span, 'PML06', 'a choice that is not a step');
  }
  throw new PromelaRefusal(span, 'PML08', 'a thread loops on local code at creation');
}

/** The exporter's ops must be the Program's, op for op: same count, guards and choices where the model has them. */
function checkAgainstProgram(ops: POp[], program: Program, tid: number, span: POp['span']): boolean[] {
  const model = program.threads[tid]!.ops;
  const differ = (why: string): never => {
    throw new PromelaRefusal(span, 'PML06', `thread ${program.entityNames[tid]}: ${why}`);
  };
  if (model.length !== ops.length) differ(`${ops.length} ops where the compiler has ${model.length}`);
  model.forEach((m, pc) => {
    const o = ops[pc]!;
    if ((m.guard !== null) !== (o.k === 'step' && o.guard !== null)) differ(`op ${pc} (${m.text}): guards differ`);
    if ((m.choices !== null) !== (o.k === 'either' || o.k === 'choose')) differ(`op ${pc} (${m.text}): choices differ`);
  });
  return model.map((m) => m.visible);
}

/** The Promela text of one scenario, or a PromelaRefusal naming the construct. */
export function exportPromela(spec: CheckedSpec, scenario: ScenarioInfo): string {
  if (spec.init.body.length > 0) throw new PromelaRefusal(spec.init.span, 'PML05', 'an init block is not exported');
  if (scenario.init !== undefined && scenario.init.body.length > 0)
    throw new PromelaRefusal(scenario.init.span, 'PML05', 'a scenario init block is not exported');
  const program = compileProgram(spec, scenario);
  const layout = program.layout;
  if (layout.poolList.length > 0)
    throw new PromelaRefusal(scenario.decl.span, 'PML04', 'pools of objects (alloc/free) are not exported');
  const start = new ModelSystem(program).initial();
  if (!('state' in start))
    throw new PromelaRefusal(scenario.decl.span, 'PML07', 'the initial state already violates a check');
  const temps = { n: 0 };
  const threads: ThreadCode[] = layout.threads.map((t, tid) => {
    const ops = new ThreadLowerer(spec, layout, t, tid, temps).lower();
    return { ops, tid, t, visible: checkAgainstProgram(ops, program, tid, t.body.span) };
  });
  const cond = (c: { cond: Parameters<typeof lowerCondition>[2] }): Lowered =>
    lowerCondition(spec, layout, c.cond, temps);
  const invariants = spec.invariants.map((i) => ({ name: i.name, l: cond(i) }));
  const finals = spec.finals.map((f) => ({ name: f.name, l: cond(f) }));
  // Each thread's local prefix run on the state before it (its frame cleared but for its
  // arguments): the result must be the model's initial state, word for word.
  const env: EvalEnv = { s: start.state.slice(), tmps: [] };
  const rest = layout.threads.map((t, tid) => {
    const frame = t.frames.get(t.body)!;
    env.s.fill(0, frame + t.body.params.length, t.frameEnd);
    env.s[t.pc] = 0;
    const pc = runLocal(threads[tid]!.ops, threads[tid]!.visible, 0, env, t.body.span);
    if (pc < 0) env.s.fill(0, t.pc + 1, t.frameEnd);
    env.s[t.pc] = pc;
    return pc;
  });
  for (let a = 0; a < layout.words; a++)
    if (env.s[a] !== start.state[a])
      throw new PromelaRefusal(scenario.decl.span, 'PML06', `word ${a} differs from the model's initial state`);
  const rs = regions(spec, layout);
  const wp = wordPrinter(rs);
  const text = (pre: PStmt[], kind: string, e: PExpr): string =>
    [...printStmts(pre, wp), `assert(${kind} && ${printExpr(e, wp)});`].join(' ');
  const checks = {
    invariants: invariants.map((i) => `${text(i.l.pre, 'invariant', i.l.e)} /* ${i.name} */`),
    finals: finals.map((f) => `${text(f.l.pre, 'final', f.l.e)} /* ${f.name} */`),
  };
  const procs = threads.map((tc) => emitThread(tc, rest[tc.tid]!, threads, layout, checks, wp));
  return [
    `/* mmcheck export --promela: spec "${spec.title.replace(/\*\//g, '')}", scenario ${scenario.name} */`,
    `/* words: ${layout.words}; threads: ${layout.threads.map((t) => t.name).join(', ')} */`,
    // Each assert starts with its violation kind, a constant 1 kept out of the state vector
    // (hidden): SPIN prints the expression, so its message names the kind.
    ...KINDS.map((k) => `hidden byte ${k} = 1;`),
    // Temporaries: written before they are read within one atomic step, so never state.
    ...Array.from({ length: temps.n }, (_, n) => `hidden int _t${n};`),
    ...declarations(start.state, layout, rs, scenario.decl.span),
    '',
    ...procs,
  ].join('\n');
}

function declarations(s: Int32Array, layout: Layout, rs: Region[], span: POp['span']): string[] {
  const out: string[] = [];
  for (let a = 0; a < layout.words; a++) {
    const r = rs.find((x) => a >= x.base && a < x.base + x.size);
    if (r === undefined) out.push(`int w${a} = ${s[a]};`);
    else if (a === r.base) {
      const v = s[a]!;
      for (let i = 1; i < r.size; i++)
        if (s[a + i] !== v)
          throw new PromelaRefusal(span, 'PML05', `the elements of ${r.name.slice(2)} start with different values`);
      out.push(`int ${r.name}[${r.size}] = ${v};`);
    }
  }
  return out;
}
