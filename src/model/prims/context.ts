// What every primitive family needs: the call being compiled, argument compilation, and
// the checks shared by several families (sleeping in atomic context, lockdep ordering).

import type { CompileEnv, Place, Val } from '../compile-env.js';
import type { Expr } from '../lang/ast.js';
import { holdsLock, type ThreadLayout } from '../layout.js';
import type { Footprint, ObjectNote } from '../system.js';

export interface BuiltinRequest {
  name: string;
  args: Expr[];
  call: Expr;
  env: CompileEnv;
  /** Compile an argument (or any expression) as a value, in this call's env unless given. */
  value: (e: Expr, env?: CompileEnv) => Val;
  /** Compile an argument as a place: where a sync object or lvalue lives. */
  place: (e: Expr) => Place;
  /** A marked load of a shared place (READ_ONCE): its address is computed with plain reads. */
  load: (e: Expr) => Val;
  /** A marked store to a shared place (WRITE_ONCE). */
  store: (e: Expr) => (s: Int32Array, v: number) => void;
}

/** A compiled built-in: what it does, and (for blocking ones) when it may proceed. */
export interface BuiltinCode {
  exec: Val;
  /** 1 when the call can proceed now; records what it reads. Pure. */
  guard?: Val;
}

/**
 * A blocking built-in taken in two steps (synchronize_*, down_write): `attempt` never blocks
 * and returns 1 to go on to `wait` (guarded), 0 when it is already done; `waiting` names the
 * wait step in traces.
 */
export interface TwoStepCode {
  attempt: BuiltinCode;
  wait: BuiltinCode & { guard: Val };
  waiting: string;
}

export function threadOf(req: BuiltinRequest): ThreadLayout {
  const t = req.env.thread;
  if (t === null) throw new Error(`[mmcheck internal bug] '${req.name}' outside a thread`);
  return t;
}

/** Raise sleep_in_atomic when the thread holds a spinlock, is inside rcu_read_lock or has interrupts off. */
export function sleepCheck(req: BuiltinRequest, what: string): (s: Int32Array) => void {
  const t = threadOf(req);
  const rt = req.env.rt;
  const span = req.call.span;
  return (s) => {
    if (s[t.spinHeld]! > 0)
      rt.fail(
        'sleep_in_atomic',
        `${t.name} calls ${what}, which may sleep, while holding a spinlock`,
        span,
        heldLocks(req, s),
      );
    if (s[t.rcuDepth]! > 0)
      rt.fail('sleep_in_atomic', `${t.name} calls ${what}, which may sleep, inside rcu_read_lock()`, span);
    if (s[t.irqOff]! > 0)
      rt.fail('sleep_in_atomic', `${t.name} calls ${what}, which may sleep, with interrupts disabled`, span);
  };
}

/** The locks thread t holds in s (spinlock/mutex owner word, rwsem writer word or reader bit). */
export function heldLockAddrs(req: BuiltinRequest, s: Int32Array, tid: number): number[] {
  const out: number[] = [];
  for (const l of req.env.layout.locks) if (holdsLock(s, l, tid)) out.push(l.addr);
  return out;
}

function heldLocks(req: BuiltinRequest, s: Int32Array): ObjectNote[] {
  const rt = req.env.rt;
  return heldLockAddrs(req, s, req.env.tid).map((a) => rt.note(a, `held by ${req.env.thread?.name ?? '?'}`));
}

/**
 * lockdep, per execution and per lock class (a global's name, or struct.field): taking a
 * lock of class B while holding one of class A records the edge A → B in the state (word
 * lockEdges + B holds the classes seen held before B). A new edge that closes a cycle is a
 * lock_order violation even when this execution did not deadlock. Edges are state, so a
 * saved trace reproduces on replay. Trylocks add no edges (they cannot wait); nesting two
 * locks of one class adds none either (lockdep would want a nesting annotation).
 */
export function lockOrderCheck(req: BuiltinRequest): (s: Int32Array, b: number) => void {
  const { rt, layout, tid } = req.env;
  const t = threadOf(req);
  const names = layout.lockClasses;
  // The locks as flat arrays: this runs on every lock taken (a Map lookup and an object per
  // lock cost more, and indexer-locked has 128 of them).
  const owners = Int32Array.from(layout.locks, (l) => l.addr);
  const readers = Int32Array.from(layout.locks, (l) => (l.readers === undefined ? -1 : l.addr + l.readers));
  const classBits = Int32Array.from(layout.locks, (l) => 1 << layout.lockClassOf.get(l.addr)!);
  const me = tid + 1;
  return (s, b) => {
    const cb = layout.lockClassOf.get(b)!;
    // The edge words are in the footprint: the word of cb is read (which edges are new) and
    // written when one is, and the cycle search reads the words it visits. Leaving them out
    // (edges only accumulate, the union is the same in every order) was unsound: which
    // acquisition closes a cycle depends on the order, and a violation met before it differs.
    const word = layout.lockEdges + cb;
    const fp = rt.fp;
    fp.read(word);
    // A thread's held counts are the number of locks it holds (every take adds one, every
    // release by the holder takes one off, a release by another is lock_misuse and ends the
    // step): with both 0 it holds none and adds no edge, and the locks need no scan.
    if (s[t.spinHeld]! === 0 && s[t.sleepHeld]! === 0) return;
    let held = 0;
    for (let i = 0; i < owners.length; i++) {
      const r = readers[i]!;
      if (s[owners[i]!] === me || (r >= 0 && ((s[r]! >>> tid) & 1) === 1)) held |= classBits[i]!;
    }
    const fresh = held & ~(1 << cb) & ~s[word]!;
    if (fresh === 0) return;
    fp.write(word);
    for (let a = 0; a < names.length; a++) {
      if (((fresh >>> a) & 1) === 0) continue;
      // The edge a -> cb closes a cycle iff cb already precedes a (cb is an ancestor of a).
      const path = ancestorPath(s, layout.lockEdges, names.length, a, cb, fp);
      if (path !== null) {
        const order = path.map((c) => names[c]!).join(' → ');
        rt.warn(
          'lock_order',
          `${rt.threadName(tid)} takes ${names[cb]} while holding ${names[a]}, but this execution already took them in the opposite order (${order})`,
          req.call.span,
          [
            { object: names[a]!, event: `held by ${rt.threadName(tid)}` },
            { object: names[cb]!, event: `taken earlier before ${names[a]} (${order})` },
          ],
        );
      }
    }
    s[word] = s[word]! | fresh;
  };
}

/**
 * The breadth-first search's scratch in ancestorPath, shared (it never runs re-entrantly):
 * a lock class is a bit of one word, so there are at most 32.
 */
const searchPrev = new Int32Array(32);
const searchQueue = new Int32Array(32);

/** A chain from class `from` to class `to` following recorded edges, or null. */
function ancestorPath(
  s: Int32Array,
  base: number,
  n: number,
  to: number,
  from: number,
  fp: Footprint,
): number[] | null {
  // Edges are stored as predecessor sets: bit p of word[x] means p → x. Search backwards from `to`.
  const prev = searchPrev.fill(-1, 0, n);
  const queue = searchQueue;
  let head = 0;
  let tail = 0;
  queue[tail++] = to;
  prev[to] = to;
  while (head < tail) {
    const x = queue[head++]!;
    if (x === from) {
      const path = [x];
      for (let y = x; y !== to; ) {
        y = prev[y]!;
        path.push(y);
      }
      return path;
    }
    fp.read(base + x);
    const preds = s[base + x]!;
    for (let p = 0; p < n; p++) {
      if (((preds >>> p) & 1) === 1 && prev[p] === -1) {
        prev[p] = x;
        queue[tail++] = p;
      }
    }
  }
  return null;
}
