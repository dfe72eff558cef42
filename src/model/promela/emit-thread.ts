// Promela export: one thread's process. Each visible op is a labelled `atomic` whose first
// statement is its guard (a blocked step is a blocked atomic); the local ops after it are
// inlined up to the next visible op (an `if` for each local branch); a finishing thread runs
// the model's exit checks (terminal.ts exitChecks), clears its frame, sets its pc to -1,
// and rests at its `end_` label.
import type { Layout, ThreadLayout } from '../layout.js';
import type { POp } from './lower-promela.js';
import {
  bin,
  cst,
  lvalue,
  PromelaRefusal,
  type PStmt,
  printExpr,
  printStmts,
  type WordPrinter,
  word,
} from './pexpr.js';

export interface ThreadCode {
  ops: POp[];
  tid: number;
  t: ThreadLayout;
  /** Per op, whether it is visible: the compiled Program's flag. */
  visible: boolean[];
}

export function exitChecks(t: ThreadLayout, layout: Layout): PStmt[] {
  const le0 = (w: number): ReturnType<typeof bin> => bin('<=', word(w), cst(0));
  const out: PStmt[] = [
    { k: 'assert', kind: 'lock_misuse', cond: bin('&&', le0(t.spinHeld), le0(t.sleepHeld)) },
    { k: 'assert', kind: 'lock_misuse', cond: le0(t.irqOff) },
  ];
  layout.domains.forEach((_d, i) => {
    const depth = i === 0 ? word(t.rcuDepth) : bin('&', word(t.section + i), cst(0xff));
    out.push({ k: 'assert', kind: 'lock_misuse', cond: bin('<=', depth, cst(0)) });
  });
  return out;
}

export function emitThread(tc: ThreadCode, rest: number, layout: Layout, wp: WordPrinter): string {
  const { ops, tid, t, visible } = tc;
  const label = (pc: number): string => `T${tid}_${pc}`;
  const p = (e: Parameters<typeof printExpr>[0]): string => printExpr(e, wp);
  const stmts = (ss: PStmt[]): string[] => printStmts(ss, wp);
  const finish = (): string[] => {
    const clear: PStmt[] = [];
    for (let a = t.pc + 1; a < t.frameEnd; a++) clear.push({ k: 'store', addr: cst(a), value: cst(0) });
    return [...stmts(exitChecks(t, layout)), ...stmts(clear), `${lvalue(wp, cst(t.pc), p)} = -1;`, `goto end_T${tid}`];
  };
  // The local ops after a step, inlined into its atomic up to the next visible op or the end.
  const cont = (pc: number, seen: Set<number>): string[] => {
    const op = ops[pc];
    if (op === undefined || op.k === 'end') return finish();
    if (visible[pc]) return [`goto ${label(pc)}`];
    // A loop of local code runs to its end inside one model step; Promela's atomic has no
    // such loop without states of its own, so it is refused (PML08).
    if (seen.has(pc)) throw new PromelaRefusal(op.span, 'PML08', 'a loop of local code only is not exported');
    const s2 = new Set(seen).add(pc);
    if (op.k === 'step') return [...stmts(op.body), ...cont(op.next.pc, s2)];
    if (op.k === 'branch')
      return [
        ...stmts(op.pre),
        `if :: ${p(op.cond)} -> ${cont(op.yes.pc, s2).join(' ')} :: else -> ${cont(op.no.pc, s2).join(' ')} fi`,
      ];
    throw new Error('[mmcheck internal bug] a local choice');
  };
  const stepText = (op: POp): string[] => {
    const next = (to: number): string => cont(to, new Set()).join(' ');
    switch (op.k) {
      case 'step': {
        const body = [...stmts(op.body), next(op.next.pc)];
        return op.guard === null ? ['skip;', ...body] : [`${p(op.guard)} ->`, ...body];
      }
      case 'branch':
        return [...stmts(op.pre), `if :: ${p(op.cond)} -> ${next(op.yes.pc)} :: else -> ${next(op.no.pc)} fi`];
      case 'choose':
        return [`${p(op.guard)} ->`, ...stmts(op.body), next(op.next.pc)];
      case 'either':
        return [`if ${op.targets.map((x) => `:: skip -> ${next(x.pc)}`).join(' ')} fi`];
      case 'end':
        throw new Error('[mmcheck internal bug] the end as a step');
    }
  };
  // The process starts at its resting step (a leading goto would be a transition of its
  // own, and a state the model does not have).
  const steps: string[] = [];
  ops.forEach((op, pc) => {
    if (!visible[pc]) return;
    const line = `${label(pc)}: atomic { ${stepText(op).join(' ')} };`;
    if (pc === rest) steps.unshift(line);
    else steps.push(line);
  });
  const end = `end_T${tid}: false`;
  return [`active proctype t${tid}() {`, ...(rest < 0 ? [end, ...steps] : [...steps, end]), '}'].join('\n');
}
