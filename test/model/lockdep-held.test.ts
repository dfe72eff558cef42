// lockdep finds the locks a thread holds from its held counts first (prims/context.ts
// lockOrderCheck): with no spinlock and no sleeping lock held it adds no edge without scanning
// the locks. These specs hold only sleeping locks (mutexes, an rwsem for read or write), so a
// check that looked at the spinlock count alone would miss their edges; each opposite-order
// spec has a same-order twin that passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileText } from '../../src/model/compile.js';
import { only, runSpec } from '../support/kind-fixtures.js';

/** Two threads take `first` then `second`, and `second` then `first` (or `first` again), under a gate. */
function spec(decls: string, take: (l: string) => string, drop: (l: string) => string, opposite: boolean): string {
  const [x, y] = opposite ? ['b', 'a'] : ['a', 'b'];
  return `spec "lockdep over sleeping locks"
shared gate: mutex;
${decls}
thread one() { mutex_lock(gate); ${take('a')}; ${take('b')}; ${drop('b')}; ${drop('a')}; mutex_unlock(gate); }
thread two() { mutex_lock(gate); ${take(x)}; ${take(y)}; ${drop(y)}; ${drop(x)}; mutex_unlock(gate); }
scenario s expect ${opposite ? 'violation(lock_order)' : 'pass'} { one(); two(); }
`;
}

const CASES = [
  {
    name: 'mutexes',
    decls: 'shared a: mutex;\nshared b: mutex;',
    take: (l: string) => `mutex_lock(${l})`,
    drop: (l: string) => `mutex_unlock(${l})`,
  },
  {
    name: 'rwsem for read',
    decls: 'shared a: rwsem;\nshared b: rwsem;',
    take: (l: string) => `down_read(${l})`,
    drop: (l: string) => `up_read(${l})`,
  },
  {
    name: 'rwsem for write',
    decls: 'shared a: rwsem;\nshared b: rwsem;',
    take: (l: string) => `down_write(${l})`,
    drop: (l: string) => `up_write(${l})`,
  },
];

for (const c of CASES) {
  for (const opposite of [true, false]) {
    test(`lockdep: ${c.name} held, ${opposite ? 'opposite orders are lock_order' : 'one order passes'}`, async () => {
      const r = compileText(spec(c.decls, c.take, c.drop, opposite), 'held.mmspec');
      if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join('\n'));
      for (const mode of ['bfs', 'dfs', 'dpor'] as const) {
        const run = await runSpec(r.spec, only(r.spec), { mode });
        assert.equal(run.got, opposite ? 'violation(lock_order)' : 'pass', `${c.name} ${mode}`);
      }
    });
  }
}
