// Promela export, second half: one Promela process per scenario thread, one `atomic` per
// mmcheck step (a visible op and the local ops fused after it, lower.ts's rule), the state
// words as Promela globals with the model's initial values, the checks as asserts whose
// message names the violation kind, invariants asserted after every step, finals asserted
// when the last thread finishes, and deadlock left to SPIN's invalid-end-state check (a
// finished thread rests at an `end_` label). docs/export.md states the mapping.

import type { Span } from '../lang/ast.js';
import type { CheckedSpec, ScenarioInfo } from '../lang/checked.js';
import { ModelSystem } from '../model-system.js';
import { compileProgram } from '../program.js';
import { isVisible, lowerExpr, lowerThread, type PExpr, type POp, PromelaRefusal } from './lower-promela.js';

export { PromelaRefusal } from './lower-promela.js';

const KINDS = ['assertion', 'invariant', 'final', 'lock_misuse', 'sleep_in_atomic'];
const w = (addr: number): string => `w${addr}`;

function pexpr(e: PExpr, used: Set<number>): string {
  switch (e.k) {
    case 'const':
      return e.v < 0 ? `(${e.v})` : String(e.v);
    case 'word':
      used.add(e.addr);
      return w(e.addr);
    case 'un':
      return `(${e.op}${pexpr(e.a, used)})`;
    case 'bin': {
      const a = pexpr(e.a, used);
      const b = pexpr(e.b, used);
      // Promela's && and || take booleans and give 0/1, as the model's do.
      return `(${a} ${e.op} ${b})`;
    }
  }
}

function evalExpr(e: PExpr, s: Int32Array): number {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'word':
      return s[e.addr]!;
    case 'un':
      return e.op === '!' ? (evalExpr(e.a, s) === 0 ? 1 : 0) : e.op === '-' ? -evalExpr(e.a, s) | 0 : ~evalExpr(e.a, s);
    case 'bin': {
      const a = evalExpr(e.a, s);
      const b = evalExpr(e.b, s);
      const ops: Record<string, number> = {
        '&&': a !== 0 && b !== 0 ? 1 : 0,
        '||': a !== 0 || b !== 0 ? 1 : 0,
        '==': a === b ? 1 : 0,
        '!=': a !== b ? 1 : 0,
        '<': a < b ? 1 : 0,
        '<=': a <= b ? 1 : 0,
        '>': a > b ? 1 : 0,
        '>=': a >= b ? 1 : 0,
        '+': (a + b) | 0,
        '-': (a - b) | 0,
        '*': Math.imul(a, b),
        '&': a & b,
        '|': a | b,
        '^': a ^ b,
      };
      return ops[e.op]!;
    }
  }
}

interface ThreadCode {
  ops: POp[];
  tid: number;
  pcWord: number;
  /** The words a finishing thread clears (its frame: lower than frameEnd), and its held counts. */
  frame: [number, number];
  held: number[];
}

/** Run a thread's local ops from pc on s (the fusion at creation); returns the resting pc or -1. */
function runLocal(ops: POp[], pc: number, s: Int32Array, span: Span): number {
  for (let n = 0; n < 100000; n++) {
    const op = ops[pc];
    if (op === undefined || op.k === 'end') return -1;
    if (isVisible(op)) return pc;
    if (op.k === 'assign') {
      s[op.addr] = evalExpr(op.value, s);
      pc++;
    } else if (op.k === 'branch') pc = evalExpr(op.cond, s) !== 0 ? op.yes : op.no;
    else if (op.k === 'jump') pc = op.to;
    else if (op.k === 'check') {
      if (evalExpr(op.cond, s) === (op.bugOn ? 1 : 0))
        throw new PromelaRefusal(span, 'a check fails at thread creation');
      pc++;
    }
  }
  throw new PromelaRefusal(span, 'a thread loops on local code at creation');
}

/** The Promela text of one scenario, or a PromelaRefusal naming the construct. */
export function exportPromela(spec: CheckedSpec, scenario: ScenarioInfo): string {
  if (scenario.init !== undefined && scenario.init.body.length > 0)
    throw new PromelaRefusal(scenario.init.span, 'a scenario init block is not exported');
  if (spec.init.body.length > 0) throw new PromelaRefusal(spec.init.span, 'an init block is not exported');
  const program = compileProgram(spec, scenario);
  const layout = program.layout;
  if (layout.poolList.length > 0)
    throw new PromelaRefusal(spec.init.span, 'pools of objects (alloc/free) are not exported');
  if (layout.lockClasses.length > 1)
    throw new PromelaRefusal(
      scenario.decl.span,
      'more than one lock class: lockdep ordering (lock_order) is not exported',
    );
  const start = new ModelSystem(program).initial();
  if (!('state' in start)) throw new PromelaRefusal(scenario.decl.span, 'the initial state already violates a check');
  const used = new Set<number>();
  const threads: ThreadCode[] = layout.threads.map((t, tid) => ({
    ops: lowerThread(spec, layout, t, tid),
    tid,
    pcWord: t.pc,
    frame: [t.pc + 1, t.frameEnd],
    held: [t.spinHeld, t.sleepHeld],
  }));
  // Every frame word is declared, so that a finishing thread clears all of them.
  for (const tc of threads) for (let a = tc.frame[0]; a < tc.frame[1]; a++) used.add(a);
  const invariants = spec.invariants.map((i) => ({
    name: i.name,
    text: pexpr(lowerExpr(i.cond, spec, layout, null), used),
  }));
  const finals = spec.finals.map((f) => ({ name: f.name, text: pexpr(lowerExpr(f.cond, spec, layout, null), used) }));
  // The resting pc of each thread in the model's initial state, found by running its local
  // prefix on a frame cleared of everything but the arguments; it must give the model's state.
  const mine = start.state.slice();
  const rest: number[] = [];
  layout.threads.forEach((t, tid) => {
    const frame = t.frames.get(t.body)!;
    mine.fill(0, frame + t.body.params.length, frame + t.body.locals.length);
    const pc = runLocal(threads[tid]!.ops, 0, mine, scenario.decl.span);
    if (pc < 0) mine.fill(0, t.pc + 1, t.frameEnd);
    rest.push(pc);
    mine[t.pc] = pc < 0 ? -1 : start.state[t.pc]!;
  });
  for (let a = 0; a < mine.length; a++)
    if (mine[a] !== start.state[a])
      throw new PromelaRefusal(scenario.decl.span, `word ${a} differs from the model's initial state`);
  const procs = threads.map((tc) => emitThread(tc, rest[tc.tid]!, threads, invariants, finals, used));
  const decls = [...used].sort((a, b) => a - b).map((a) => `int ${w(a)} = ${start.state[a]};`);
  return [
    `/* mmcheck export --promela: spec "${spec.title.replace(/\*\//g, '')}", scenario ${scenario.name} */`,
    `/* words: ${layout.locations}; threads: ${layout.threads.map((t) => t.name).join(', ')} */`,
    // Each assert starts with its violation kind, a constant 1 kept out of the state vector
    // (hidden): SPIN prints the expression, so its message names the kind.
    ...KINDS.map((k) => `hidden byte ${k} = 1;`),
    ...decls,
    '',
    ...procs,
  ].join('\n');
}

function emitThread(
  tc: ThreadCode,
  rest: number,
  all: ThreadCode[],
  invariants: { name: string; text: string }[],
  finals: { name: string; text: string }[],
  used: Set<number>,
): string {
  const { ops, tid } = tc;
  used.add(tc.pcWord);
  const label = (pc: number): string => `T${tid}_${pc}`;
  const checks = (): string[] => invariants.map((i) => `assert(invariant && ${i.text}) /* ${i.name} */;`);
  const finish = (): string[] => {
    const others = all.filter((o) => o !== tc).map((o) => `${w(o.pcWord)} == -1`);
    const fin = finals.map((f) => `assert(final && ${f.text}) /* ${f.name} */`);
    // ModelSystem.finishThread: the exit checks, then the frame cleared (even unreduced).
    for (const h of tc.held) used.add(h);
    const clear = [...used].filter((a) => a >= tc.frame[0] && a < tc.frame[1]).map((a) => `${w(a)} = 0;`);
    const exit = `assert(lock_misuse && ${tc.held.map((h) => `${w(h)} == 0`).join(' && ')});`;
    const out = [exit, ...clear, `${w(tc.pcWord)} = -1;`, ...checks()];
    if (fin.length > 0)
      out.push(`if :: ${others.length > 0 ? others.join(' && ') : 'true'} -> ${fin.join('; ')} :: else -> skip fi;`);
    return [...out, `goto end_T${tid}`];
  };
  // The local ops after a step, inlined into its atomic up to the next visible op or the end.
  const cont = (pc: number, seen: Set<number>): string[] => {
    const op = ops[pc];
    if (op === undefined || op.k === 'end') return finish();
    if (isVisible(op)) return [...checks(), `goto ${label(pc)}`];
    if (seen.has(pc)) throw new PromelaRefusal({ file: 0, start: 0, end: 0 } as Span, 'a loop of local code only');
    const s2 = new Set(seen).add(pc);
    switch (op.k) {
      case 'assign':
        return [`${w(op.addr)} = ${pexpr(op.value, used)};`, ...cont(pc + 1, s2)];
      case 'jump':
        return cont(op.to, s2);
      case 'branch':
        return [
          `if :: ${pexpr(op.cond, used)} -> ${cont(op.yes, s2).join(' ')} :: else -> ${cont(op.no, s2).join(' ')} fi`,
        ];
      case 'check':
        return [checkText(op, used), ...cont(pc + 1, s2)];
      default:
        throw new Error('[mmcheck internal bug] a visible op in a local run');
    }
  };
  // The process starts at its first statement: the resting step goes first (a leading goto
  // would be a transition of its own, and a state the model does not have).
  const steps: string[] = [];
  ops.forEach((op, pc) => {
    if (!isVisible(op)) return;
    const line = `${label(pc)}: atomic { ${stepText(op, pc, cont, used).join(' ')} };`;
    if (pc === rest) steps.unshift(line);
    else steps.push(line);
  });
  const end = `end_T${tid}: false`;
  const lines = [`active proctype t${tid}() {`, ...(rest < 0 ? [end, ...steps] : [...steps, end]), '}'];
  return lines.join('\n');
}

function checkText(op: Extract<POp, { k: 'check' }>, used: Set<number>): string {
  const c = pexpr(op.cond, used);
  return `assert(assertion && ${op.bugOn ? `!${c}` : c});`;
}

function stepText(op: POp, pc: number, cont: (pc: number, seen: Set<number>) => string[], used: Set<number>): string[] {
  const next = (to: number): string[] => cont(to, new Set());
  switch (op.k) {
    case 'assign':
      return [`${w(op.addr)} = ${pexpr(op.value, used)};`, ...next(pc + 1)];
    case 'branch':
      return [`if :: ${pexpr(op.cond, used)} -> ${next(op.yes).join(' ')} :: else -> ${next(op.no).join(' ')} fi`];
    case 'check':
      return [checkText(op, used), ...next(pc + 1)];
    case 'lock': {
      used.add(op.lock);
      used.add(op.held);
      const sleep = op.sleeps ? [`assert(sleep_in_atomic && ${w(op.spinHeld)} == 0);`] : [];
      if (op.sleeps) used.add(op.spinHeld);
      // The guard is the atomic's first statement: the thread blocks on it, as the model's step is disabled.
      // A sleeping lock under a spinlock may run, blocked or not, to report sleep_in_atomic (prims/index.ts).
      return [
        op.sleeps ? `(${w(op.spinHeld)} > 0 || ${w(op.lock)} == 0) ->` : `${w(op.lock)} == 0 ->`,
        ...sleep,
        `${w(op.lock)} = ${op.me};`,
        `${w(op.held)} = ${w(op.held)} + 1;`,
        ...next(pc + 1),
      ];
    }
    case 'unlock':
      used.add(op.lock);
      used.add(op.held);
      return [
        `assert(lock_misuse && ${w(op.lock)} == ${op.me});`,
        `${w(op.lock)} = 0;`,
        `${w(op.held)} = ${w(op.held)} - 1;`,
        ...next(pc + 1),
      ];
    default:
      throw new Error('[mmcheck internal bug] a local op as a step');
  }
}
