// Random small .mmspec programs for cross-checking reductions against plain exploration:
// 2–4 threads of 1–8 statements over shared ints, an atomic, two spinlocks, await, a pool
// with alloc/free, an SRCU domain with an srcu-protected struct, choose and assert.
// Statements are drawn from templates that keep programs well-typed; blocks (lock/unlock,
// read sections) may be left unbalanced on purpose, so lock_misuse and deadlocks occur too.
import fc from 'fast-check';
import type { Violation } from '../../src/model/system.js';
import { WrappedSystem } from '../../src/checker/wrapped-system.js';

const HEADER = `struct node srcu_protected(ss) { v: int; }
pool node[2];
shared ss: srcu;
shared x: int;
shared y: int;
shared a: atomic;
shared l1: spinlock;
shared l2: spinlock;
shared head: ref node;
`;

/** One statement template; `k` is a small constant. */
const stmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('r = x;', 'x = r + 1;', 'y = x;', 'r = y;', 'x = 1;', 'y = 2;') },
  { weight: 3, arbitrary: fc.constantFrom('atomic_inc(a);', 'r = atomic_read(a);', 'r = atomic_cmpxchg(a, 0, 1);') },
  { weight: 3, arbitrary: fc.constantFrom('spin_lock(l1); x = x + 1; spin_unlock(l1);', 'spin_lock(l1); spin_lock(l2); y = 1; spin_unlock(l2); spin_unlock(l1);', 'spin_lock(l2); spin_lock(l1); y = 2; spin_unlock(l1); spin_unlock(l2);') },
  { weight: 2, arbitrary: fc.constantFrom('await x == 1;', 'await atomic_read(a) > 0;') },
  { weight: 3, arbitrary: fc.constantFrom('p = alloc node { v: 1 }; head = p;', 'p = head; if (p != null) r = p.v;', 'p = head; head = null; free(p);', 'p = head; head = null; synchronize_srcu(ss); free(p);', 'p = head; head = null; call_srcu(ss, p);') },
  { weight: 2, arbitrary: fc.constant('i = srcu_read_lock(ss); p = head; if (p != null) r = p.v; srcu_read_unlock(ss, i);') },
  { weight: 3, arbitrary: fc.constantFrom('choose r in 0..2;', 'assert(r != 2);', 'if (r == 1) x = 2; else y = 1;', 'either { x = 3; } or { y = 3; }') },
  // Unbalanced on purpose, and rare, so that most programs still run to their end.
  { weight: 1, arbitrary: fc.constantFrom('spin_lock(l1);', 'spin_unlock(l1);', 'i = srcu_read_lock(ss);', 'srcu_read_unlock(ss, i);') },
);

export interface RandomSpec {
  text: string;
  threads: number;
}

function specOf(threads: fc.Arbitrary<string[][]>): fc.Arbitrary<RandomSpec> {
  return threads.map((threads) => {
    const bodies = threads.map((body, t) => `thread t${t}() {\n  local r: int; local p: ref node; local i: int;\n  ${body.join('\n  ')}\n}`);
    const starts = threads.map((_b, t) => `t${t}();`).join(' ');
    return { text: `${HEADER}${bodies.join('\n')}\nscenario s expect pass { ${starts} }\n`, threads: threads.length };
  });
}

/** 2–4 threads of 1–8 statements (each statement template is one to five steps). */
export const randomSpec = specOf(fc.array(fc.array(stmt, { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 4 }));

/** 2–3 threads of 1–4 statements: small enough for stateless search in the default run. */
export const smallSpec = specOf(fc.array(fc.array(stmt, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }));

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
