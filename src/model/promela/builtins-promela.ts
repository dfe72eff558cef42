// Promela export: the built-ins whose semantics the exporter states, each transcribed from its
// family in src/model/prims/ (atomic.ts, owner-lock.ts with lockdep from context.ts,
// seqcount.ts, marked.ts, sleep.ts and the sleep check of index.ts). Every other built-in is
// refused (PML03). A blocking built-in also gives its guard: a pure expression over the
// state before the step, true where the model's guard is 1 or raises (a guard that raises
// lets the step run, so that the step reports it: ModelSystem.choices).
import type { Expr } from '../lang/ast.js';
import { inc, lockClass, lockdep, sleepChecks, thread } from './context-promela.js';
import { lowerFree } from './heap-promela.js';
import { bin, cst, type LowerCtx, type PExpr, PromelaRefusal, type PStmt, pureOf, word } from './pexpr.js';

export { pureOf } from './pexpr.js';

import { RCU_OPS, rcuOp, TWO_STEP } from './rcu-promela.js';
import { completionOp, REFCOUNT_OPS, RWSEM_OPS, refcountOp, rwsemOp } from './sync-promela.js';

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
  'free',
  ...RWSEM_OPS,
  ...['init_completion', 'reinit_completion', 'complete', 'complete_all', 'wait_for_completion'],
  ...REFCOUNT_OPS,
  ...RCU_OPS,
  ...TWO_STEP,
]);

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
  pre.push(...lockdep(lw, lockClass(lw, a)), { k: 'store', addr: a, value: me }, inc(held, 1));
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
    // marked.ts: the place's load, with its protected-reference bookkeeping (loadPlace).
    const l = lw.load(e.args[0]!, effects);
    return { pre: l.pre, value: l.e };
  }
  if (name === 'WRITE_ONCE' || name === 'rcu_assign_pointer') {
    // The value first, then the place (marked.ts compileStore: store(s, value(s))).
    const { pre, es } = lw.seq([() => lw.value(e.args[1]!, effects), () => lw.place(e.args[0]!)]);
    if (effects) pre.push({ k: 'store', addr: es[1]!, value: es[0]! });
    return { pre, value: cst(0) };
  }
  if (name === 'smp_rmb' || name === 'smp_wmb' || name === 'smp_mb') return { pre: [], value: cst(0) };
  if (name === 'might_sleep') return { pre: sleepChecks(thread(lw, e)).pre, value: cst(0) };
  if (name === 'free') return { pre: lowerFree(lw, e.args[0]!, effects), value: cst(0) };
  if (RWSEM_OPS.includes(name)) return rwsemOp(lw, e, effects);
  if (RCU_OPS.includes(name)) return rcuOp(lw, e, effects);
  if (REFCOUNT_OPS.includes(name)) return refcountOp(lw, e, effects);
  if (/complet/.test(name)) return completionOp(lw, e, effects);
  throw new PromelaRefusal(e.span, 'PML03', `the built-in '${name}' is not exported`);
}
