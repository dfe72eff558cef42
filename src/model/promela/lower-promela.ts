// Promela export, first half: a thread's statements lowered to a small IR of ops over the
// model's state words (the same addresses the Program's layout gives), mirroring lower.ts's
// op boundaries and its visible/local split. The Program's own ops are compiled closures with
// nothing left to read, so the exporter lowers the checked AST again, for the constructs whose
// semantics it states exactly, and refuses every other construct with its position.
import type { Expr, Span, Stmt } from '../lang/ast.js';
import type { CheckedSpec } from '../lang/checked.js';
import type { Layout } from '../layout.js';
import { localAddr, type ThreadLayout } from '../layout.js';

/** A construct the exporter cannot state exactly in Promela: where, and why. */
export class PromelaRefusal extends Error {
  constructor(
    readonly span: Span,
    readonly why: string,
  ) {
    super(why);
  }
}

export type PExpr =
  | { k: 'const'; v: number }
  | { k: 'word'; addr: number }
  | { k: 'un'; op: '!' | '-' | '~'; a: PExpr }
  | { k: 'bin'; op: string; a: PExpr; b: PExpr };

export type POp =
  | { k: 'assign'; addr: number; value: PExpr; visible: boolean }
  | { k: 'branch'; cond: PExpr; yes: number; no: number; visible: boolean }
  | { k: 'jump'; to: number }
  | { k: 'end' }
  | { k: 'check'; cond: PExpr; bugOn: boolean; visible: boolean }
  | { k: 'lock'; lock: number; held: number; me: number; sleeps: boolean; spinHeld: number }
  | { k: 'unlock'; lock: number; held: number; me: number };

const BIN_OPS = new Set(['&&', '||', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '&', '|', '^']);
const LOCKS: Record<string, { lock: boolean; held: 'spinHeld' | 'sleepHeld'; sleeps: boolean }> = {
  spin_lock: { lock: true, held: 'spinHeld', sleeps: false },
  spin_unlock: { lock: false, held: 'spinHeld', sleeps: false },
  mutex_lock: { lock: true, held: 'sleepHeld', sleeps: true },
  mutex_unlock: { lock: false, held: 'sleepHeld', sleeps: false },
};

/** Expressions over int/bool globals, locals and constants; `thread` null in conditions. */
export function lowerExpr(e: Expr, spec: CheckedSpec, layout: Layout, t: ThreadLayout | null): PExpr {
  switch (e.kind) {
    case 'int':
      return { k: 'const', v: e.value | 0 };
    case 'bool':
      return { k: 'const', v: e.value ? 1 : 0 };
    case 'name': {
      const sym = spec.names.get(e);
      if (sym?.k === 'const' || sym?.k === 'enum') return { k: 'const', v: sym.value };
      return { k: 'word', addr: nameAddr(e, spec, layout, t) };
    }
    case 'unary':
      return { k: 'un', op: e.op as '!' | '-' | '~', a: lowerExpr(e.operand, spec, layout, t) };
    case 'binary':
      if (e.op === '=>') {
        const a = lowerExpr(e.left, spec, layout, t);
        return { k: 'bin', op: '||', a: { k: 'un', op: '!', a }, b: lowerExpr(e.right, spec, layout, t) };
      }
      if (!BIN_OPS.has(e.op))
        throw new PromelaRefusal(
          e.span,
          `operator '${e.op}' is not exported (division, shifts: C and JavaScript differ)`,
        );
      return { k: 'bin', op: e.op, a: lowerExpr(e.left, spec, layout, t), b: lowerExpr(e.right, spec, layout, t) };
    default:
      throw new PromelaRefusal(
        e.span,
        `a ${e.kind} expression is not exported (only int/bool names, constants and operators)`,
      );
  }
}

/** The word of a plain int/bool name: a scalar global, or a local of the running thread. */
function nameAddr(
  e: Extract<Expr, { kind: 'name' }>,
  spec: CheckedSpec,
  layout: Layout,
  t: ThreadLayout | null,
): number {
  const sym = spec.names.get(e);
  if (sym?.k === 'global') {
    const ty = sym.global.ty;
    if (ty.k !== 'int' && ty.k !== 'bool')
      throw new PromelaRefusal(e.span, `global '${e.name}' of type ${ty.k} is not exported (only int and bool)`);
    return layout.globals.get(sym.global.name)!;
  }
  if (sym?.k === 'local' && t !== null && sym.body === t.body) {
    const ty = sym.local.ty;
    if (ty.k !== 'int' && ty.k !== 'bool')
      throw new PromelaRefusal(e.span, `local '${e.name}' of type ${ty.k} is not exported (only int and bool)`);
    return localAddr(t, t.body, sym.local);
  }
  throw new PromelaRefusal(e.span, `'${e.name}' is not exported here (only globals and the thread's own locals)`);
}

/** Whether an expression reads a global (lower.ts's touchesShared, for the exported subset). */
export function readsShared(e: PExpr, layout: Layout, t: ThreadLayout): boolean {
  switch (e.k) {
    case 'const':
      return false;
    case 'word':
      return e.addr < t.base || e.addr >= t.end;
    case 'un':
      return readsShared(e.a, layout, t);
    case 'bin':
      return readsShared(e.a, layout, t) || readsShared(e.b, layout, t);
  }
}

/** Lower one thread's body into ops (indexed like lower.ts: one per statement part). */
export function lowerThread(spec: CheckedSpec, layout: Layout, t: ThreadLayout, tid: number): POp[] {
  const ops: POp[] = [];
  const loops: { brk: number[]; cont: number }[] = [];
  const ex = (e: Expr): PExpr => lowerExpr(e, spec, layout, t);
  const shared = (e: PExpr): boolean => readsShared(e, layout, t);
  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case 'local':
        if (s.init !== undefined) assign({ kind: 'name', name: s.name, span: s.nameSpan } as Expr, s.init, s.span);
        return;
      case 'assign':
        assign(s.target, s.value, s.span);
        return;
      case 'block':
        s.body.forEach(stmt);
        return;
      case 'if': {
        const cond = ex(s.cond);
        const at = ops.push({ k: 'branch', cond, yes: 0, no: 0, visible: shared(cond) }) - 1;
        (ops[at] as { yes: number }).yes = at + 1;
        stmt(s.then);
        if (s.else !== undefined) {
          const j = ops.push({ k: 'jump', to: 0 }) - 1;
          (ops[at] as { no: number }).no = ops.length;
          stmt(s.else);
          (ops[j] as { to: number }).to = ops.length;
        } else (ops[at] as { no: number }).no = ops.length;
        return;
      }
      case 'while': {
        const cond = ex(s.cond);
        const head = ops.push({ k: 'branch', cond, yes: 0, no: 0, visible: shared(cond) }) - 1;
        (ops[head] as { yes: number }).yes = head + 1;
        loops.push({ brk: [], cont: head });
        stmt(s.body);
        const loop = loops.pop()!;
        ops.push({ k: 'jump', to: head });
        (ops[head] as { no: number }).no = ops.length;
        for (const b of loop.brk) (ops[b] as { to: number }).to = ops.length;
        return;
      }
      case 'break':
      case 'continue': {
        const loop = loops[loops.length - 1]!;
        const j = ops.push({ k: 'jump', to: loop.cont }) - 1;
        if (s.kind === 'break') loop.brk.push(j);
        return;
      }
      case 'return':
        if (s.value !== undefined) throw new PromelaRefusal(s.span, 'return with a value is not exported');
        ops.push({ k: 'end' });
        return;
      case 'assert':
      case 'bug_on': {
        const cond = ex(s.cond);
        ops.push({ k: 'check', cond, bugOn: s.kind === 'bug_on', visible: shared(cond) });
        return;
      }
      case 'expr':
        call(s.expr);
        return;
      default:
        if (s.kind !== 'skip') throw new PromelaRefusal(s.span, `the '${s.kind}' statement is not exported yet`);
    }
  };
  const assign = (target: Expr, value: Expr, span: Span): void => {
    if (target.kind !== 'name') throw new PromelaRefusal(span, 'only assignments to plain names are exported');
    const addr = nameAddr(target, spec, layout, t);
    const v = ex(value);
    const visible = shared(v) || addr < t.base || addr >= t.end;
    ops.push({ k: 'assign', addr, value: v, visible });
  };
  const call = (e: Expr): void => {
    const def = e.kind === 'call' ? LOCKS[e.callee] : undefined;
    if (e.kind !== 'call' || def === undefined)
      throw new PromelaRefusal(
        e.span,
        `the call '${e.kind === 'call' ? e.callee : e.kind}' is not exported (only spin_lock/unlock and mutex_lock/unlock)`,
      );
    const arg = e.args[0]!;
    const sym = arg.kind === 'name' ? spec.names.get(arg) : undefined;
    if (sym?.k !== 'global') throw new PromelaRefusal(arg.span, 'only locks that are plain globals are exported');
    const lock = layout.globals.get(sym.global.name)!;
    const held = t[def.held];
    if (def.lock) ops.push({ k: 'lock', lock, held, me: tid + 1, sleeps: def.sleeps, spinHeld: t.spinHeld });
    else ops.push({ k: 'unlock', lock, held, me: tid + 1 });
  };
  t.body.body.forEach(stmt);
  return ops;
}

export function isVisible(op: POp): boolean {
  if (op.k === 'lock' || op.k === 'unlock') return true;
  if (op.k === 'jump' || op.k === 'end') return false;
  return op.visible;
}
