// The exact message of a violation of every kind, as the fixtures raise it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/checker/scenario.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { NO_REDUCTIONS } from '../../src/model/reductions.js';
import { firstViolation } from '../support/kind-fixtures.js';

test('kinds: exact messages of frees, null dereferences, assertions, invariants and finals', async () => {
  const pf = await firstViolation('premature_free-srcu');
  assert.equal(
    pf.message,
    'node#0 freed by remover (kinds/premature_free-srcu.mmspec:22) while reader is still inside the srcu_read_lock(ss) section in which it obtained a reference to node#0',
  );
  assert.deepEqual(
    pf.objects.map((o) => o.object),
    ['node#0', 'node#0'],
  );

  const df = await firstViolation('use_after_free-double-free');
  assert.equal(df.message, 'double free of node#0 by closer#2 (kinds/use_after_free-double-free.mmspec:13)');

  assert.equal((await firstViolation('use_after_free-access')).message, 'reader accesses node#0.val, which is freed');
  assert.equal((await firstViolation('null_deref-unpublished')).message, 'reader dereferences null (.val)');
  assert.equal(
    (await firstViolation('assertion-assert')).message,
    'assertion failed in reader: reader saw the half-done update',
  );
  assert.equal(
    (await firstViolation('assertion-bug-on')).message,
    'BUG_ON(atomic_dec_return(v.usage) == 0) fired in getter',
  );
  // The condition as written and the values it read (they said only the name before).
  assert.equal(
    (await firstViolation('invariant-pair')).message,
    'invariant in_step does not hold: a == b — a = 1, b = 0',
  );
  assert.equal(
    (await firstViolation('final-lost-update')).message,
    'final condition both_counted does not hold at termination: x == 2 — x = 1',
  );
});

test('kinds: exact messages of deadlocks, lock misuse, sleeping in atomic context, pools and leaks', async () => {
  assert.equal(
    (await firstViolation('deadlock-await')).message,
    'no thread can go on: munmap waits at kinds/deadlock-await.mmspec:15 `await atomic_cmpxchg(tree.usage, 1, 0) == 1;`; fault waits at kinds/deadlock-await.mmspec:23 `down_read(mmap_sem);`',
  );
  assert.equal(
    (await firstViolation('deadlock-recursive-read')).message,
    'no thread can go on: fault waits at kinds/deadlock-recursive-read.mmspec:14 `down_read(mmap_sem);`; munmap waits at kinds/deadlock-recursive-read.mmspec:20 `down_write(mmap_sem);  (queued: waiting for the holders)`',
  );
  assert.deepEqual(
    (await firstViolation('deadlock-recursive-read')).objects.map((o) => `${o.object}: ${o.event}`),
    ['mmap_sem: held for read by fault', 'mmap_sem: writer queued: munmap (new readers wait behind it)'],
  );
  assert.equal(
    (await firstViolation('lock_order-recursive-read')).message,
    'fault#1 takes mmap_sem for read while already holding it for read (recursive down_read: a writer queued in between deadlocks both)',
  );
  assert.equal((await firstViolation('lock_misuse-unlock-not-held')).message, 'worker unlocks l, which is not locked');
  assert.equal(
    (await firstViolation('lock_misuse-unlock-other-thread')).message,
    'helper unlocks l, which is held by owner',
  );
  assert.equal((await firstViolation('lock_misuse-exit-holding')).message, 'worker exits holding m');
  assert.equal(
    (await firstViolation('lock_misuse-exit-in-section')).message,
    'reader exits inside a read-side section of ss',
  );
  assert.equal(
    (await firstViolation('lock_misuse-srcu-index')).message,
    'reader calls srcu_read_unlock(ss, 0), but the matching srcu_read_lock returned 1',
  );
  assert.equal(
    (await firstViolation('lock_misuse-seqcount-writers')).message,
    'writer#2 calls write_seqcount_begin(seq) while another write section is open (writers must be serialised by a lock)',
  );
  assert.equal(
    (await firstViolation('sleep_in_atomic-might-sleep')).message,
    'wp_fault calls might_sleep(), which may sleep, while holding a spinlock',
  );
  assert.equal(
    (await firstViolation('sleep_in_atomic-mutex-under-spinlock')).message,
    't calls mutex_lock, which may sleep, while holding a spinlock',
  );
  assert.equal(
    (await firstViolation('sleep_in_atomic-synchronize-in-rcu')).message,
    't calls synchronize_rcu, which may sleep, inside rcu_read_lock()',
  );
  assert.equal(
    (await firstViolation('sleep_in_atomic-down-read-in-rcu')).message,
    'fault calls down_read, which may sleep, inside rcu_read_lock()',
  );
  assert.equal(
    (await firstViolation('lock_order-gated')).message,
    'ba takes a while holding b, but this execution already took them in the opposite order (a → b)',
  );
  assert.equal(
    (await firstViolation('pool_exhausted-racing-alloc')).message,
    'fault#2 allocates a pte_page, but all 1 slots of pool pte_page[1] are in use',
  );
  assert.equal(
    (await firstViolation('leak-racing-alloc')).message,
    'pte_page#0 is allocated but unreachable from shared state at termination',
  );
});

test('messages: of a failed `a && b && …`, the conjunct that fails; places behind null are left out', async () => {
  const r = compileText(`struct vma { dead: int; }
pool vma[1];
shared cur: ref vma;
shared present: int[2];
shared dead: int[2];
shared ok: int = 1;
thread t() { dead[0] = 1; present[0] = 1; }
invariant no_pte_in_dead: ok == 1 && (present[0] == 0 || dead[0] == 0) && (cur == null || cur.dead == 0);
invariant guarded: (cur != null && cur.dead == 1) || present[1] == 0;
thread u() { present[1] = 1; }
scenario s expect violation(invariant no_pte_in_dead) { t(); }
scenario g expect violation(invariant guarded) { u(); }
`);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const message = async (i: number): Promise<string> => {
    const sc = r.spec.scenarios[i]!;
    const run = await runScenario(buildSystem(r.spec, sc, { reduce: NO_REDUCTIONS }), sc, { mode: 'bfs' });
    assert.equal(run.result.verdict.kind, 'violation');
    return run.result.verdict.kind === 'violation' ? run.result.verdict.violation.message : '';
  };
  assert.equal(
    await message(0),
    'invariant no_pte_in_dead does not hold: (present[0] == 0 || dead[0] == 0) — present[0] = 1, dead[0] = 1',
  );
  assert.equal(
    await message(1),
    'invariant guarded does not hold: (cur != null && cur.dead == 1) || present[1] == 0 — cur = null, present[1] = 1',
  );
});

test('messages: an init that exits holding a lock names that lock, at the init block that ran last', async () => {
  // The exit check looked init's locks up with the id -1 and so listed the free ones; a
  // scenario's init block was reported at the start of the file.
  const exit = async (text: string): Promise<[string, string, number]> => {
    const r = compileText(text);
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    const sc = r.spec.scenarios[0]!;
    const run = await runScenario(buildSystem(r.spec, sc, { reduce: NO_REDUCTIONS }), sc, { mode: 'bfs' });
    const v = run.result.verdict;
    assert.ok(v.kind === 'violation');
    const objects = v.violation.objects.map((o) => `${o.object}: ${o.event}`).join('; ');
    return [v.violation.message, objects, v.violation.span?.start ?? -1];
  };
  const decls = 'shared l: spinlock;\nshared m: mutex;\nshared x: int;\nthread t() { x = 1; }\n';
  const global = `${decls}init { x = 2; }\ninit { spin_lock(l); }\nscenario s expect pass { t(); }\n`;
  assert.deepEqual(await exit(global), ['init exits holding l', 'l: still held by init', global.indexOf('init {')]);
  const own = `${decls}init { x = 2; }\nscenario s expect pass {\n  init { mutex_lock(m); }\n  t();\n}\n`;
  assert.deepEqual(await exit(own), ['init exits holding m', 'm: still held by init', own.indexOf('init { mutex')]);
});
