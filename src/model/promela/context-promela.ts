// Promela export: what several built-in families share (prims/context.ts): the calling
// thread, the sleep_in_atomic checks, a counter update, and lockdep's class-order check.
import type { Expr } from '../lang/ast.js';
import type { ThreadLayout } from '../layout.js';
import { bin, cst, type LowerCtx, not, type PExpr, PromelaRefusal, type PStmt, word } from './pexpr.js';

type Call = Extract<Expr, { kind: 'call' }>;

export function thread(lw: LowerCtx, e: Call): ThreadLayout {
  if (lw.thread === null) throw new PromelaRefusal(e.span, 'PML03', `'${e.callee}' outside a thread is not exported`);
  return lw.thread;
}

/** sleepCheck (prims/context.ts): sleeping under a spinlock, in rcu_read_lock or with irqs off. */
export function sleepChecks(t: ThreadLayout): { pre: PStmt[]; atomicCtx: PExpr } {
  const words = [t.spinHeld, t.rcuDepth, t.irqOff];
  return {
    pre: words.map((w) => ({ k: 'assert', kind: 'sleep_in_atomic', cond: bin('<=', word(w), cst(0)) })),
    atomicCtx: words.map((w) => bin('>', word(w), cst(0))).reduce((a, b) => bin('||', a, b)),
  };
}

export const inc = (addr: number | PExpr, by: number): PStmt => {
  const a = typeof addr === 'number' ? cst(addr) : addr;
  return { k: 'store', addr: a, value: bin('+', word(a), cst(by)) };
};

/** The class of the lock at an address (every candidate of a computed one is of one class). */
export function lockClass(lw: LowerCtx, addr: PExpr): number {
  const a = addr.k === 'const' ? addr.v : addr.k === 'dyn' ? addr.cands[0]! : -1;
  const c = lw.layout.lockClassOf.get(a);
  if (c === undefined) throw new Error('[mmcheck internal bug] a lock without a class');
  return c;
}

/**
 * lockOrderCheck (prims/context.ts): the classes held (every lock the thread holds, as
 * owner or reader), minus the one taken, not yet recorded before it; for each, a cycle is a
 * lock_order violation; then the edges are recorded. With one class there is no edge.
 */
export function lockdep(lw: LowerCtx, cb: number): PStmt[] {
  const { layout } = lw;
  const n = layout.lockClasses.length;
  if (n <= 1) return [];
  const tid = lw.tid;
  const held: PExpr[] = [];
  for (let c = 0; c < n; c++) {
    if (c === cb) continue;
    const mine = layout.locks
      .filter((l) => l.lockClass === c)
      .map((l) => {
        const owner = bin('==', word(l.addr), cst(tid + 1));
        if (l.readers === undefined) return owner;
        return bin('||', owner, bin('==', bin('&', bin('>>', word(l.addr + l.readers), cst(tid)), cst(1)), cst(1)));
      });
    if (mine.length > 0)
      held.push(
        bin(
          '<<',
          mine.reduce((a, b) => bin('||', a, b)),
          cst(c),
        ),
      );
  }
  if (held.length === 0) return [];
  const edge = layout.lockEdges + cb;
  const f = lw.fresh();
  const fresh: PExpr = { k: 'tmp', n: f };
  const body: PStmt[] = [];
  for (let a = 0; a < n; a++) {
    if (a === cb) continue;
    // The ancestors of a (predecessor sets), closed in n - 1 rounds; cb among them closes a cycle.
    const r = lw.fresh();
    const reach: PExpr = { k: 'tmp', n: r };
    const rounds: PStmt[] = [{ k: 'tmp', n: r, value: cst(1 << a) }];
    for (let i = 1; i < n; i++) {
      let next: PExpr = reach;
      for (let x = 0; x < n; x++) {
        const bit = bin('&', bin('>>', reach, cst(x)), cst(1));
        next = bin('|', next, bin('&', { k: 'un', op: '-', a: bit }, word(layout.lockEdges + x)));
      }
      rounds.push({ k: 'tmp', n: r, value: next });
    }
    const cycle = bin('==', bin('&', bin('>>', reach, cst(cb)), cst(1)), cst(1));
    rounds.push({ k: 'assert', kind: 'lock_order', cond: not(cycle) });
    body.push({ k: 'if', cond: bin('==', bin('&', bin('>>', fresh, cst(a)), cst(1)), cst(1)), yes: rounds, no: [] });
  }
  body.push({ k: 'store', addr: cst(edge), value: bin('|', word(edge), fresh) });
  const heldMask = held.reduce((a, b) => bin('|', a, b));
  return [
    { k: 'tmp', n: f, value: bin('&', heldMask, { k: 'un', op: '~', a: word(edge) }) },
    { k: 'if', cond: bin('!=', fresh, cst(0)), yes: body, no: [] },
  ];
}
