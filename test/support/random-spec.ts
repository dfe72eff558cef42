// Random small .mmspec programs for cross-checking reductions against plain exploration:
// 2–4 threads of 1–8 statements over shared ints, an atomic, two spinlocks, an rwsem, a mutex, a
// seqcount, await, a pool with alloc/free, an SRCU domain with an srcu-protected struct, a
// completion, choose and assert, marked accesses, a refcount, IRQs-off sections and the IPI, a
// typesafe_by_rcu pool, kfree_rcu, compound assignments and bitwise operators, a scenario init
// block, and at most one invariant (named or anonymous) over the shared words.
// Statements are drawn from templates that keep programs well-typed; blocks (lock/unlock,
// read sections) may be left unbalanced on purpose, so lock_misuse and deadlocks occur too.
import fc from 'fast-check';
import { WrappedSystem } from '../../src/checker/systems/wrapped.js';
import type { Violation } from '../../src/model/system.js';

const HEADER = `struct node srcu_protected(ss) { v: int; }
pool node[2];
shared ss: srcu;
shared x: int;
shared y: int;
shared a: atomic;
shared l1: spinlock;
shared l2: spinlock;
shared sem: rwsem;
shared head: ref node;
shared done: completion;
struct tnode { v: int; }
pool tnode[2] typesafe_by_rcu;
shared thead: ref tnode;
shared rc: refcount = 1;
shared m: mutex;
shared sc: seqcount;
`;

/** One statement template; `k` is a small constant. */
const stmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('r = x;', 'x = r + 1;', 'y = x;', 'r = y;', 'x = 1;', 'y = 2;') },
  { weight: 3, arbitrary: fc.constantFrom('atomic_inc(a);', 'r = atomic_read(a);', 'r = atomic_cmpxchg(a, 0, 1);') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'spin_lock(l1); x = x + 1; spin_unlock(l1);',
      'spin_lock(l1); spin_lock(l2); y = 1; spin_unlock(l2); spin_unlock(l1);',
      'spin_lock(l2); spin_lock(l1); y = 2; spin_unlock(l1); spin_unlock(l2);',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('await x == 1;', 'await atomic_read(a) > 0;') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'down_read(sem); r = x; up_read(sem);',
      'down_write(sem); x = x + 1; up_write(sem);',
      'if (down_read_trylock(sem)) { r = y; up_read(sem); }',
      'if (down_write_trylock(sem)) { y = 1; up_write(sem); }',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'p = alloc node { v: 1 }; head = p;',
      'p = head; if (p != null) r = p.v;',
      'p = head; head = null; free(p);',
      'p = head; head = null; synchronize_srcu(ss); free(p);',
      'p = head; head = null; call_srcu(ss, p);',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constant('i = srcu_read_lock(ss); p = head; if (p != null) r = p.v; srcu_read_unlock(ss, i);'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'choose r in 0..2;',
      'assert(r != 2);',
      'if (r == 1) x = 2; else y = 1;',
      'either { x = 3; } or { y = 3; }',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'complete(done);',
      'wait_for_completion(done);',
      'complete_all(done);',
      'reinit_completion(done);',
      'spin_lock(l2); wait_for_completion(done); spin_unlock(l2);',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'r = READ_ONCE(x);',
      'WRITE_ONCE(y, r);',
      'smp_mb(); r = READ_ONCE(y);',
      'p = rcu_dereference(head); if (p != null) r = p.v;',
      'p = alloc node { v: 1 }; smp_wmb(); rcu_assign_pointer(head, p);',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'refcount_inc(rc);',
      'refcount_dec(rc);',
      'if (refcount_inc_not_zero(rc)) x = 1;',
      'if (refcount_dec_and_test(rc)) y = 3;',
      'r = refcount_read(rc);',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'local_irq_disable(); x = x + 1; local_irq_enable();',
      'local_irq_save(i); r = y; local_irq_restore(i);',
      'kick_all_cpus_sync();',
      'local_irq_disable(); kick_all_cpus_sync(); local_irq_enable();',
      'p = head; head = null; synchronize_rcu(); free(p);',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'thead = alloc tnode { v: 2 };',
      'if (thead != null) { free(thead); thead = null; }',
      'rcu_read_lock(); if (thead != null) r = thead.v; rcu_read_unlock();',
      'if (thead != null) r = thead.v;',
    ),
  },
  // Trylocks (a read-write of the lock, taken or not), raw seqcount reads (no wait, may be
  // odd) against a writer serialised by l1, and kernel C's compound assignments.
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'if (spin_trylock(&l1)) { x++; spin_unlock(&l1); }',
      'if (mutex_trylock(m)) { y += 2; mutex_unlock(m); }',
      'mutex_lock(m); x = x | 2; mutex_unlock(m);',
      'spin_lock(l1); write_seqcount_begin(sc); x++; write_seqcount_end(sc); spin_unlock(l1);',
      'r = raw_read_seqcount(sc); y = x; if (read_seqcount_retry(sc, r)) r = 0;',
      'r = raw_read_seqcount(sc); if ((r & 1) == 0) r = x;',
    ),
  },
  // kfree_rcu (call_rcu, then free), and the rest of kernel C's compound assignments and
  // bitwise operators.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'p = head; head = null; kfree_rcu(p);',
      'x -= 1;',
      'y ^= 1;',
      'y = (x << 2) ^ ~r;',
      'x = (y >> 1) | (r & 3);',
    ),
  },
  // Unbalanced on purpose, and rare, so that most programs still run to their end.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'spin_lock(l1);',
      'spin_unlock(l1);',
      'i = srcu_read_lock(ss);',
      'srcu_read_unlock(ss, i);',
      'local_irq_disable();',
    ),
  },
);

/** An invariant (or none): DPOR orders each check against the writes that could change it. */
const invariant: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'invariant inv: !(x == 1 && y == 2);',
      'invariant inv: !(x == 3 && y == 3);',
      'invariant inv: x == 2 => y != 1;',
      'invariant x + y < 5;',
      'invariant inv: a < 2 || y == 0;',
      'invariant inv: head == null || head.v == 1;',
    ),
  },
);

export interface RandomSpec {
  text: string;
  threads: number;
}

/**
 * The spec text: HEADER, one thread per body (with `locals`), the invariant line, one
 * scenario running them all, with an init block of its own (per-scenario initial state).
 */
function programOf(threads: string[][], inv: string, locals: string): RandomSpec {
  const bodies = threads.map((body, t) => `thread t${t}() {\n  ${locals}\n  ${body.join('\n  ')}\n}`);
  const starts = threads.map((_b, t) => `t${t}();`).join(' ');
  return {
    text: `${HEADER}${bodies.join('\n')}\n${inv}\nscenario s expect pass { init { atomic_set(a, 0); } ${starts} }\n`,
    threads: threads.length,
  };
}

function specOf(threadsArb: fc.Arbitrary<string[][]>): fc.Arbitrary<RandomSpec> {
  return fc
    .tuple(threadsArb, invariant)
    .map(([threads, inv]) => programOf(threads, inv, 'local r: int; local p: ref node; local i: int;'));
}

/** 2–4 threads of 1–8 statements (each statement template is one to five steps). */
export const randomSpec = specOf(
  fc.array(fc.array(stmt, { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 4 }),
);

/** 2–3 threads of 1–4 statements: small enough for stateless search in the default run. */
export const smallSpec = specOf(
  fc.array(fc.array(stmt, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }),
);

/** 2–4 threads of 1–3 statements: for the plain-enumeration oracle (test/support/spec-oracle.ts). */
export const tinySpec = specOf(
  fc.array(fc.array(stmt, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 4 }),
);

/** Spins on shared words (the livelock rule, docs/search.md) and writes that may end them. */
const spinStmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: stmt },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'while (x != 1) {}',
      'while (y == 0) {}',
      'while (atomic_read(a) == 0) {}',
      'r = x; while (r == 0) { r = x; }',
      'spin_lock(l1); while (y == 0) {} spin_unlock(l1);',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('x = 1;', 'y = 1;', 'atomic_inc(a);', 'spin_lock(l1); y = 1; spin_unlock(l1);'),
  },
);

/** 2–3 threads of 1–4 statements, spins among them: BFS's livelock rule against DPOR's parking. */
export const spinSpec = specOf(
  fc.array(fc.array(spinStmt, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }),
);

/** Loops of two or more visible steps (a spin's cycle through several pcs), among spinStmt's. */
const loopStmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: spinStmt },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'while (y == 0) { r = x; }',
      'while (x != 1) { y = 0; y = 1; }',
      'while (atomic_read(a) == 0) { x = 1; x = 0; }',
      'r = 0; while (r < 2) { r = r + x; y = r; }',
      // A loop whose own choice is its way out: no livelock (DPOR must not park it).
      'r = 0; while (r == 0) { r = x; choose r in 0..2; }',
    ),
  },
);

/** 2–3 threads of 1–3 statements with loops through several pcs: the livelock edge filter. */
export const loopSpec = specOf(
  fc.array(fc.array(loopStmt, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 }),
);

/** Writes of small constants to x and y, and reads: the states in between are what matters. */
const invStmt: fc.Arbitrary<string> = fc.constantFrom(
  'x = 0;',
  'x = 1;',
  'x = 2;',
  'y = 0;',
  'y = 1;',
  'y = 2;',
  'r = x;',
  'y = r;',
  'spin_lock(l1); x = x + 1; spin_unlock(l1);',
  'i = srcu_read_lock(ss); r = y; srcu_read_unlock(ss, i);',
);

/**
 * 2–3 threads of 1–4 statements and an invariant forbidding one pair of values of x and y:
 * whether a state breaks it depends on the order of independent writes, so a search that
 * checks it only in the states one order of them visits misses it.
 */
export const invariantSpec: fc.Arbitrary<RandomSpec> = fc
  .tuple(
    fc.array(fc.array(invStmt, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 2 }),
  )
  .map(([threads, vx, vy]) =>
    programOf(threads, `invariant inv: !(x == ${vx} && y == ${vy});`, 'local r: int; local i: int;'),
  );

/** Statements reading a thread's argument `k`, so that instances with other arguments differ. */
const argStmt: fc.Arbitrary<string> = fc.constantFrom('x = k;', 'if (k == 0) y = 1; else x = 2;', 'r = k;');

/**
 * For symmetry: 1–2 thread bodies taking an argument k, each started 1–3 times with k in
 * 0..1, so that most scenarios repeat an instance with equal arguments (interchangeable)
 * and some start one body with different ones (not). 2–4 instances in all.
 */
export const symmetricSpec: fc.Arbitrary<RandomSpec> = fc
  .tuple(
    fc.array(
      fc.record({
        body: fc.array(fc.oneof({ weight: 5, arbitrary: stmt }, { weight: 1, arbitrary: argStmt }), {
          minLength: 1,
          maxLength: 3,
        }),
        args: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    invariant,
  )
  .filter(([threads]) => {
    const n = threads.reduce((a, t) => a + t.args.length, 0);
    return n >= 2 && n <= 4;
  })
  .map(([threads, inv]) => {
    const locals = 'local r: int; local p: ref node; local i: int;';
    const bodies = threads.map((t, b) => `thread t${b}(k: int) {\n  ${locals}\n  ${t.body.join('\n  ')}\n}`);
    const starts = threads.flatMap((t, b) => t.args.map((k) => `t${b}(${k});`)).join(' ');
    return {
      text: `${HEADER}${bodies.join('\n')}\n${inv}\nscenario s expect pass { ${starts} }\n`,
      threads: threads.reduce((a, t) => a + t.args.length, 0),
    };
  });

/**
 * Wraps a system and records every terminal state it is asked about (as text), so that any
 * explorer's set of reached terminal states can be compared with another's.
 */
export class RecordingSystem extends WrappedSystem {
  readonly terminals = new Set<string>();
  override terminal(s: Int32Array): Violation | null {
    this.terminals.add(s.join(','));
    return this.inner.terminal(s);
  }
}

/** Helpers with locals of their own, inlined as steps: their frames are what dead-locals resets. */
const LOCAL_FNS = `fn bump(v: int): int { local t: int; t = x; x = t + v; return t; }
fn peek(n: ref node): int { local w: int; w = 0; if (n != null) w = n.v; return w; }
fn settle() { local c: int; c = atomic_read(a); if (c < 2) atomic_inc(a); }
`;

/** Statements that write locals, read them later or never, loop, branch on them and jump. */
const localStmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: stmt },
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      'q = x; y = q + 1;',
      'q = y;',
      'q = r + 1; x = q;',
      'for k in 0..2 { x = x + k; }',
      'while (q < 2) { q = q + 1; y = q; }',
      'q = bump(r);',
      'r = peek(head);',
      'r = peek(p);',
      'settle();',
      'choose q in 0..3; if (q == 2) x = q;',
      'either { q = 1; } or { q = x; } y = q;',
      'if (q == 1) goto done;',
      'i = srcu_read_lock(ss); q = x; srcu_read_unlock(ss, i); r = q;',
      'atomic { q = x; if (q == 1) y = q; }',
      'atomic { q = q + 1; x = q; }',
      'atomic { r = x; q = r; } y = q;',
    ),
  },
);

/** 2–3 threads of 1–5 statements over four locals and the helpers above, each ending at a label. */
export const localsSpec: fc.Arbitrary<RandomSpec> = fc
  .tuple(fc.array(fc.array(localStmt, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 3 }), invariant)
  .map(([threads, inv]) => {
    const bodies = threads.map((b) => [...b, 'done: r = 0;']);
    const spec = programOf(bodies, inv, 'local r: int; local p: ref node; local i: int; local q: int;');
    return { ...spec, text: spec.text.replace('shared done: completion;\n', `shared done: completion;\n${LOCAL_FNS}`) };
  });
