// Promela export: the built-ins whose semantics the exporter states, each transcribed from its
// family in src/model/prims/ (atomic.ts, owner-lock.ts with lockdep from context.ts,
// seqcount.ts, marked.ts, sleep.ts and the sleep check of index.ts). Every other built-in is
// refused (PML03). A blocking built-in also gives its guard: a pure expression over the
// state before the step, true where the model's guard is 1 or raises (a guard that raises
// lets the step run, so that the step reports it: ModelSystem.choices).
import type { Expr, Span } from '../lang/ast.js';
import type { ThreadLayout } from '../layout.js';
import { bin, cst, type LowerCtx, type Lowered, not, type PExpr, PromelaRefusal, type PStmt, word } from './pexpr.js';

export interface BuiltinLowered {
  pre: PStmt[];
  value: PExpr;
  guard?: PExpr;
}

type Call = Extract<Expr, { kind: 'call' }>;

/** The built-ins transcribed here; every other one is refused (PML03). */
export const EXPORTED_BUILTINS: ReadonlySet<string> = new Set([
  ...['atomic_read', 'atomic_set', 'atomic_inc', 'atomic_dec', 'atomic_inc_return', 'atomic_dec_return'],
  'atomic_cmpxchg',
  ...['spin_lock', 'spin_trylock', 'spin_unlock', 'mutex_lock', 'mutex_trylock', 'mutex_unlock'],
  ...['read_seqcount_begin', 'raw_read_seqcount', 'read_seqcount_retry', 'write_seqcount_begin'],
  'write_seqcount_end',
  ...['READ_ONCE', 'WRITE_ONCE', 'rcu_dereference', 'rcu_assign_pointer', 'smp_rmb', 'smp_wmb', 'smp_mb'],
  'might_sleep',
]);

/** A lowered value as one pure expression: its temporaries substituted, its checks folded in as "or it raises". */
export function pureOf(l: Lowered, span: Span): PExpr {
  const tmps = new Map<number, PExpr>();
  const sub = (e: PExpr): PExpr => {
    if (e.k === 'tmp') return tmps.get(e.n) ?? e;
    if (e.k === 'word') return word(sub(e.addr));
    if (e.k === 'un') return { ...e, a: sub(e.a) };
    if (e.k === 'bin') return bin(e.op, sub(e.a), sub(e.b));
    return e;
  };
  let ok: PExpr | null = null;
  for (const s of l.pre) {
    if (s.k === 'tmp') tmps.set(s.n, sub(s.value));
    else if (s.k === 'assert') ok = ok === null ? sub(s.cond) : bin('&&', ok, sub(s.cond));
    else throw new PromelaRefusal(span, 'PML01', 'a blocking condition with branches is not exported');
  }
  return ok === null ? sub(l.e) : bin('||', not(ok), sub(l.e));
}

function thread(lw: LowerCtx, e: Call): ThreadLayout {
  if (lw.thread === null) throw new PromelaRefusal(e.span, 'PML03', `'${e.callee}' outside a thread is not exported`);
  return lw.thread;
}

/** sleepCheck (prims/context.ts): sleeping under a spinlock, in rcu_read_lock or with irqs off. */
function sleepChecks(t: ThreadLayout): { pre: PStmt[]; atomicCtx: PExpr } {
  const words = [t.spinHeld, t.rcuDepth, t.irqOff];
  return {
    pre: words.map((w) => ({ k: 'assert', kind: 'sleep_in_atomic', cond: bin('<=', word(w), cst(0)) })),
    atomicCtx: words.map((w) => bin('>', word(w), cst(0))).reduce((a, b) => bin('||', a, b)),
  };
}

const inc = (addr: number | PExpr, by: number): PStmt => {
  const a = typeof addr === 'number' ? cst(addr) : addr;
  return { k: 'store', addr: a, value: bin('+', word(a), cst(by)) };
};

/** The class of the lock an argument names: its root global's (arrays share one class). */
function lockClass(lw: LowerCtx, arg: Expr): number {
  let root = arg;
  while (root.kind === 'index') root = root.object;
  const sym = root.kind === 'name' ? lw.spec.names.get(root) : undefined;
  if (sym?.k !== 'global') throw new PromelaRefusal(arg.span, 'PML02', 'a lock that is not a global is not exported');
  return lw.layout.lockClassOf.get(lw.layout.globals.get(sym.global.name)!)!;
}

/**
 * lockOrderCheck (prims/context.ts): the classes held (every lock the thread holds, as
 * owner or reader), minus the one taken, not yet recorded before it; for each, a cycle is a
 * lock_order violation; then the edges are recorded. With one class there is no edge.
 */
function lockdep(lw: LowerCtx, cb: number): PStmt[] {
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

function ownerLock(lw: LowerCtx, e: Call, effects: boolean): BuiltinLowered {
  const t = thread(lw, e);
  const sleeping = e.callee.startsWith('mutex');
  const held = sleeping ? t.sleepHeld : t.spinHeld;
  const me = cst(lw.tid + 1);
  const p = lw.place(e.args[0]!);
  const pre: PStmt[] = [];
  if (e.callee.endsWith('_unlock')) {
    pre.push(...p.pre);
    const a = p.e;
    pre.push({ k: 'assert', kind: 'lock_misuse', cond: bin('==', word(a), me) });
    pre.push({ k: 'store', addr: a, value: cst(0) }, inc(held, -1));
    return { pre: effects ? pre : [], value: cst(0) };
  }
  if (e.callee.endsWith('_trylock')) {
    pre.push(...p.pre);
    const a = p.e;
    const r = lw.fresh();
    const take: PStmt[] = [{ k: 'store', addr: a, value: me }, inc(held, 1), { k: 'tmp', n: r, value: cst(1) }];
    pre.push({ k: 'if', cond: bin('==', word(a), cst(0)), yes: take, no: [{ k: 'tmp', n: r, value: cst(0) }] });
    return { pre, value: { k: 'tmp', n: r } };
  }
  const sleep = sleeping ? sleepChecks(t) : null;
  const free = pureOf({ pre: p.pre, e: bin('==', word(p.e), cst(0)) }, e.span);
  const guard = sleep === null ? free : bin('||', sleep.atomicCtx, free);
  pre.push(...(sleep?.pre ?? []), ...p.pre);
  const a = p.e;
  pre.push(...lockdep(lw, lockClass(lw, e.args[0]!)), { k: 'store', addr: a, value: me }, inc(held, 1));
  return { pre, value: cst(0), guard };
}

function atomicOp(lw: LowerCtx, e: Call, effects: boolean): BuiltinLowered {
  const parts = [() => lw.place(e.args[0]!), ...e.args.slice(1).map((x) => () => lw.value(x, effects))];
  const { pre, es } = lw.seq(parts);
  const a = es[0]!;
  const eff = (s: PStmt): PStmt[] => (effects ? [s] : []);
  switch (e.callee) {
    case 'atomic_read':
      return { pre, value: word(a) };
    case 'atomic_set':
      return { pre: [...pre, ...eff({ k: 'store', addr: a, value: es[1]! })], value: cst(0) };
    case 'atomic_cmpxchg': {
      const at = a;
      const found = lw.snap(pre, word(at));
      pre.push({
        k: 'if',
        cond: bin('==', found, es[1]!),
        yes: eff({ k: 'store', addr: at, value: es[2]! }),
        no: [],
      });
      return { pre, value: found };
    }
    default: {
      const delta = e.callee.startsWith('atomic_inc') ? 1 : -1;
      const at = a;
      const old = lw.snap(pre, word(at));
      const now = bin('+', old, cst(delta));
      pre.push(...eff({ k: 'store', addr: at, value: now }));
      return { pre, value: e.callee.endsWith('_return') ? now : cst(0) };
    }
  }
}

function seqcountOp(lw: LowerCtx, e: Call, effects: boolean): BuiltinLowered {
  const parts = [() => lw.place(e.args[0]!), ...e.args.slice(1).map((x) => () => lw.value(x, effects))];
  const { pre, es } = lw.seq(parts);
  const a = es[0]!;
  switch (e.callee) {
    case 'read_seqcount_begin':
      return { pre, value: word(a), guard: pureOf({ pre, e: bin('==', bin('&', word(a), cst(1)), cst(0)) }, e.span) };
    case 'raw_read_seqcount':
      return { pre, value: word(a) };
    case 'read_seqcount_retry':
      return { pre, value: bin('!=', word(a), es[1]!) };
    default: {
      const odd = e.callee === 'write_seqcount_begin' ? 0 : 1;
      pre.push({ k: 'assert', kind: 'lock_misuse', cond: bin('==', bin('&', word(a), cst(1)), cst(odd)) });
      if (effects) pre.push(inc(a, 1));
      return { pre, value: cst(0) };
    }
  }
}

/** One built-in call, lowered; `effects` false inside a guard (the model's effects: false). */
export function lowerBuiltin(lw: LowerCtx, e: Call, effects: boolean): BuiltinLowered {
  const name = e.callee;
  // By name, never by prefix: a built-in added to a family later is refused until transcribed.
  if (!EXPORTED_BUILTINS.has(name)) throw new PromelaRefusal(e.span, 'PML03', `the built-in '${name}' is not exported`);
  if (name.startsWith('atomic_')) return atomicOp(lw, e, effects);
  if (/^(spin|mutex)_(lock|trylock|unlock)$/.test(name)) return ownerLock(lw, e, effects);
  if (/seqcount/.test(name)) return seqcountOp(lw, e, effects);
  if (name === 'READ_ONCE' || name === 'rcu_dereference') {
    const p = lw.place(e.args[0]!);
    return { pre: p.pre, value: word(p.e) };
  }
  if (name === 'WRITE_ONCE' || name === 'rcu_assign_pointer') {
    // The value first, then the place (marked.ts compileStore: store(s, value(s))).
    const { pre, es } = lw.seq([() => lw.value(e.args[1]!, effects), () => lw.place(e.args[0]!)]);
    if (effects) pre.push({ k: 'store', addr: es[1]!, value: es[0]! });
    return { pre, value: cst(0) };
  }
  if (name === 'smp_rmb' || name === 'smp_wmb' || name === 'smp_mb') return { pre: [], value: cst(0) };
  if (name === 'might_sleep') return { pre: sleepChecks(thread(lw, e)).pre, value: cst(0) };
  throw new PromelaRefusal(e.span, 'PML03', `the built-in '${name}' is not exported`);
}
