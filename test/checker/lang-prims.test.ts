// The 2008-and-later language constructs (marked accesses, data_race, refcount, IRQs-off
// sections, typesafe-by-RCU pools) in every search mode: each kinds fixture of theirs is
// found by BFS, DFS, DPOR, random and auto, its counterexample replays to the same
// violation, and its twin passes in every mode that can prove a pass (random can only
// sample: it must not report a violation). kinds.test.ts pins thread and line (BFS, DFS).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { replaySchedule } from '../../src/checker/trace/record.js';
import { compileText } from '../../src/model/compile.js';
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { fixture, KINDS, only, runSpec, violation } from '../support/kind-fixtures.js';

const ALL_MODES = ['bfs', 'dfs', 'dpor', 'random', 'auto'] as const;

interface Case {
  name: string;
  kind: ViolationKind;
  dataRace?: boolean;
  leak?: boolean;
}

const CASES: Case[] = [
  { name: 'data_race-unlocked-inc', kind: 'data_race', dataRace: true },
  { name: 'data_race-lockless-reader', kind: 'data_race', dataRace: true },
  { name: 'data_race-rcu-plain-read', kind: 'data_race', dataRace: true },
  { name: 'data_race-seqcount-reader', kind: 'data_race', dataRace: true },
  { name: 'use_after_free-refcount-addition-on-0', kind: 'use_after_free' },
  { name: 'use_after_free-refcount-underflow', kind: 'use_after_free' },
  { name: 'leak-refcount-dec-hit-0', kind: 'leak', leak: true },
  { name: 'premature_free-gup-fast-ipi', kind: 'premature_free' },
  { name: 'deadlock-ipi-irqs-off', kind: 'deadlock' },
  { name: 'sleep_in_atomic-irqs-off', kind: 'sleep_in_atomic' },
  { name: 'use_after_free-typesafe-outside-rcu', kind: 'use_after_free' },
];

for (const c of CASES) {
  for (const mode of ALL_MODES) {
    test(`lang-prims: ${c.name} is ${c.kind} (${mode}); its twin passes`, async () => {
      const spec = fixture(c.name);
      const o = mode === 'random' ? { mode, seed: 1, executions: 500 } : { mode };
      const run = await runSpec(spec, only(spec), o);
      assert.equal(run.got, `violation(${c.kind})`, run.got);
      const v = violation(run);
      const verdict = run.result.verdict;
      assert.ok(verdict.kind === 'violation');
      const replay = replaySchedule(run.system, verdict.schedule);
      assert.equal(replay.violation?.message, v.message);

      const twin = fixture(`${c.name}-ok`);
      const ok = await runSpec(twin, only(twin), { ...o, dataRace: c.dataRace === true, leak: c.leak === true });
      if (mode === 'random') assert.notEqual(ok.result.verdict.kind, 'violation', ok.got);
      else
        assert.equal(
          ok.got,
          'pass',
          ok.result.verdict.kind === 'violation' ? ok.result.verdict.violation.message : ok.got,
        );
    });
  }
}

/** The GUP-fast twin with its wait replaced: the verdict in BFS and DPOR. */
async function gupWith(wait: string, free: string): Promise<string[]> {
  const text = readFileSync(`${KINDS}premature_free-gup-fast-ipi-ok.mmspec`, 'utf8')
    .replace('kick_all_cpus_sync();', wait)
    .replace('  free(pt);', free);
  const r = compileText(text, 'gup.mmspec');
  assert.ok(r.ok);
  const sc = only(r.spec);
  return Promise.all(['bfs', 'dpor'].map(async (mode) => (await runSpec(r.spec, sc, { mode: mode as 'bfs' })).got));
}

test('lang-prims: synchronize_rcu and call_rcu wait for a reader with interrupts off; nothing else does', async () => {
  assert.deepEqual(await gupWith('synchronize_rcu();', '  free(pt);'), ['pass', 'pass']);
  assert.deepEqual(await gupWith('call_rcu(pt);', ''), ['pass', 'pass']);
  assert.deepEqual(await gupWith('', '  free(pt);'), ['violation(premature_free)', 'violation(premature_free)']);
});

test('lang-prims: a thread that ends with interrupts off is lock_misuse; local_irq_restore(1) keeps them off', async () => {
  const run = async (body: string): Promise<string> => {
    const r = compileText(`thread t() { local f: int; ${body} }\nscenario s expect pass { t(); }`, 'irq.mmspec');
    assert.ok(r.ok);
    return (await runSpec(r.spec, only(r.spec), { mode: 'bfs' })).got;
  };
  assert.equal(await run('local_irq_disable();'), 'violation(lock_misuse)');
  assert.equal(await run('local_irq_disable(); local_irq_save(f); local_irq_restore(f);'), 'violation(lock_misuse)');
  assert.equal(await run('local_irq_save(f); local_irq_restore(f);'), 'pass');
  assert.equal(await run('local_irq_disable(); local_irq_enable();'), 'pass');
});

test('lang-prims: only a typesafe_by_rcu pool lets an RCU reader read a freed object', async () => {
  const text = readFileSync(`${KINDS}use_after_free-typesafe-outside-rcu-ok.mmspec`, 'utf8');
  const plain = compileText(text.replace(' typesafe_by_rcu;', ';'), 'plain.mmspec');
  assert.ok(plain.ok);
  const run = await runSpec(plain.spec, only(plain.spec), { mode: 'bfs' });
  assert.equal(run.got, 'violation(use_after_free)');
  assert.match(violation(run).message, /^lookup accesses obj#0\.key, which is freed$/);
});

test('lang-prims: a thread inside rcu_read_lock that turns interrupts on takes the pending IPI', async () => {
  // The IPI is acknowledged when interrupts come back on, whatever RCU read side the thread
  // is in (the speculative page fault enables IRQs inside rcu_read_lock while munmap waits).
  const run = async (inner: string): Promise<string> => {
    const src = `shared go: bool = false;
thread reader() { rcu_read_lock(); ${inner} local_irq_disable(); go = true; local_irq_enable(); rcu_read_unlock(); }
thread flusher() { await go; kick_all_cpus_sync(); }
scenario s expect pass { reader(); flusher(); }`;
    const r = compileText(src, 'ipi.mmspec');
    assert.ok(r.ok);
    return (await runSpec(r.spec, only(r.spec), { mode: 'bfs' })).got;
  };
  assert.equal(await run(''), 'pass');
  assert.equal(await run('rcu_read_lock(); rcu_read_unlock();'), 'pass');
});
