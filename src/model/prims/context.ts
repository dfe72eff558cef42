// What every primitive family needs: the call being compiled, argument compilation, and
// the checks shared by several families (sleeping in atomic context, lockdep ordering).
import type { Expr, Span } from '../lang/ast.js';
import type { CompileEnv, Val } from '../compile-expr.js';
import type { ThreadLayout } from '../layout.js';

export interface BuiltinRequest {
  name: string;
  args: Expr[];
  call: Expr;
  env: CompileEnv;
}

/** A compiled built-in: what it does, and (for blocking ones) when it may proceed. */
export interface BuiltinCode {
  exec: Val;
  /** 1 when the call can proceed now; records what it reads. Pure. */
  guard?: Val;
}

export function threadOf(req: BuiltinRequest): ThreadLayout {
  const t = req.env.thread;
  if (t === null) throw new Error(`[mmcheck internal bug] '${req.name}' outside a thread`);
  return t;
}

/** Raise sleep_in_atomic when the thread holds a spinlock or is inside rcu_read_lock. */
export function sleepCheck(req: BuiltinRequest, what: string): (s: Int32Array) => void {
  const t = threadOf(req);
  const rt = req.env.rt;
  const span = req.call.span;
  return (s) => {
    if (s[t.spinHeld]! > 0) rt.fail('sleep_in_atomic', `${t.name} calls ${what}, which may sleep, while holding a spinlock`, span, heldLocks(req, s));
    if (s[t.rcuDepth]! > 0) rt.fail('sleep_in_atomic', `${t.name} calls ${what}, which may sleep, inside rcu_read_lock()`, span);
  };
}

/** The locks thread t holds in s (spinlock/mutex owner word, rwsem writer word or reader bit). */
export function heldLockAddrs(req: BuiltinRequest, s: Int32Array, tid: number): number[] {
  const out: number[] = [];
  for (const l of req.env.layout.locks) {
    if (s[l.addr] === tid + 1 || (l.prim === 'rwsem' && ((s[l.addr + 1]! >>> tid) & 1) === 1)) out.push(l.addr);
  }
  return out;
}

function heldLocks(req: BuiltinRequest, s: Int32Array): { object: string; event: string }[] {
  const rt = req.env.rt;
  return heldLockAddrs(req, s, req.env.tid).map((a) => ({ object: rt.nameOf(a), event: `held by ${req.env.thread?.name ?? '?'}` }));
}

/**
 * lockdep: acquiring lock `b` while holding `a` adds the edge a → b to the graph observed
 * across the whole search; an edge closing a cycle is a lock_order violation even when this
 * execution did not deadlock. Trylocks add no edges (they cannot wait).
 */
export function lockOrderCheck(req: BuiltinRequest, s: Int32Array, b: number): void {
  const rt = req.env.rt;
  const tid = req.env.tid;
  for (const a of heldLockAddrs(req, s, tid)) {
    if (a === b) continue;
    let out = rt.lockEdges.get(a);
    if (out === undefined) rt.lockEdges.set(a, (out = new Map()));
    if (out.has(b)) continue;
    const back = findPath(rt.lockEdges, b, a);
    out.set(b, { thread: rt.threadName(tid), span: req.call.span });
    if (back !== null) {
      const first = back[0]!;
      rt.fail(
        'lock_order',
        `${rt.threadName(tid)} takes ${rt.nameOf(b)} while holding ${rt.nameOf(a)}, but ${first.thread} took them in the opposite order (${rt.where(first.span)})`,
        req.call.span,
        [
          { object: rt.nameOf(a), event: `held by ${rt.threadName(tid)}` },
          { object: rt.nameOf(b), event: `acquired after ${rt.nameOf(a)} here; before it by ${first.thread} at ${rt.where(first.span)}` },
        ],
      );
    }
  }
}

function findPath(edges: Map<number, Map<number, { thread: string; span: Span }>>, from: number, to: number): { thread: string; span: Span }[] | null {
  const seen = new Set<number>([from]);
  const stack: { node: number; path: { thread: string; span: Span }[] }[] = [{ node: from, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    for (const [next, info] of edges.get(node) ?? []) {
      const p = [...path, info];
      if (next === to) return p;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push({ node: next, path: p });
      }
    }
  }
  return null;
}
