// `mmcheck export --promela` cross-checked by SPIN: the exported model of each scenario must
// give SPIN (-DNOREDUCE, exhaustive) exactly the state count of mmcheck's unreduced BFS and
// the same verdict. Skipped, with a note, where spin or gcc is missing. The larger scenarios
// run with MMCHECK_EXPORT_ALL=1 (`npm run test:export`); every scenario of specs/ with
// `npm run compare:spin` (scripts/export-compare.ts, the table of docs/export.md).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mmKind, spinKind, spinRun } from '../../scripts/export-compare.js';
import { compileFile, findScenario } from '../../src/model/compile.js';
import { exportPromela, REFUSAL_CODES } from '../../src/model/promela/export-promela.js';
import { runCli } from '../support/cli.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'mmcheck.js');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAVE_SPIN = has('spin') && has('gcc');
if (!HAVE_SPIN) console.log('# note: spin or gcc not installed: the SPIN cross-check is skipped');

// [spec, scenario, expected kind]: one per construct family, each a few seconds (a gcc run).
const FIX = 'test/fixtures/export/lost-update.mmspec';
const CON = 'test/fixtures/export/constructs.mmspec';
const FAM = 'test/fixtures/export/families.mmspec';
const SMALL: [string, string, string][] = [
  ['specs/bench/co-2-2w.mmspec', 'n2', 'pass'], // arrays, for, await, atomics
  ['specs/bench/indexer.mmspec', 'p1', 'pass'], // cmpxchg in a loop condition, %
  ['specs/bench/filesystem.mmspec', 'n2', 'pass'], // mutex arrays, two lock classes: lockdep words
  ['specs/bench/seqlock.mmspec', 'torn', 'assertion'], // seqcount, assert
  [FIX, 'self_deadlock', 'deadlock'], // int globals, while, spinlock taken twice
  [CON, 'fns_two', 'pass'], // inlined and macro fns, / % <<, READ_ONCE/WRITE_ONCE
  [CON, 'choices', 'pass'], // either, goto, atomic_inc_return
  [CON, 'lock_order', 'lock_order'], // lockdep's cycle check
  [FAM, 'rcu_sync', 'pass'], // a pool, init, alloc/free, rcu_read_lock, synchronize_rcu
  [FAM, 'rwsems', 'pass'], // rwsem: down_read, down_write (two steps), up_*
];
// The other constructs, and 313,488, 22,093 and 17,307 states: a few minutes on a loaded machine.
const LARGE: [string, string, string][] = [
  ['specs/bench/philosophers.mmspec', 'deadlock5', 'deadlock'],
  [CON, 'trylocks', 'pass'],
  [CON, 'atomic_blocks', 'pass'],
  [CON, 'chooses', 'pass'],
  [CON, 'choose_none', 'deadlock'],
  [CON, 'bounds', 'assertion'],
  [CON, 'misuse', 'lock_misuse'],
  [CON, 'sleeping', 'sleep_in_atomic'],
  [CON, 'zero', 'assertion'],
  [CON, 'invariant_fails', 'invariant'],
  [CON, 'lost_final', 'final'],
  ['specs/bench/counters.mmspec', 'big', 'pass'],
  ['specs/bench/lastzero.mmspec', 'n7', 'pass'],
  ['specs/bench/seqlock.mmspec', 'r2w2', 'pass'],
  [FAM, 'rcu_deferred', 'pass'], // call_rcu: the callback process
  [FAM, 'rcu_premature', 'premature_free'],
  [FAM, 'refcounts', 'use_after_free'],
  [FAM, 'rwsem_recursive', 'lock_order'],
  [FAM, 'completions', 'pass'],
  [FAM, 'srcus', 'pass'], // srcu_read_lock's index, synchronize_srcu
  [FAM, 'irqs', 'pass'], // local_irq_save/restore, kick_all_cpus_sync, an irqs-off RCU reader
  ['specs/tutorial.mmspec', 'step3_two_faults', 'pass'],
  ['specs/kernel-c.mmspec', 'lookup_vs_remove', 'pass'], // refcount_inc_not_zero under RCU
  ['specs/stackrot.mmspec', 'rcu_readers_vs_expansion', 'pass'], // kfree_rcu, rcu_dereference's loads
  ['specs/gup-fast.mmspec', 'fixed_vs_retract', 'pass'], // irqs off, kick_all_cpus_sync
  ['specs/mmap-sem.mmspec', 'q1_pgtable_freed_under_walk', 'pass'], // lib/mm: invariants in the monitor
];

// In process (runCli: the CLI's own main, its search on a worker thread): a node process per
// case cost about a second of CPU before the search began.
async function mmcheckStates(spec: string, scenario: string): Promise<{ states: number; verdict: string }> {
  const args = ['explore', spec, '--scenario', scenario, '--mode', 'bfs', '--reduce', 'none', '--json', '--no-save'];
  const r = await runCli(...args);
  const [sc] = JSON.parse(r.out);
  return { states: sc.stats.states, verdict: mmKind(sc.got) };
}

const rows = process.env.MMCHECK_EXPORT_ALL === '1' ? [...SMALL, ...LARGE] : SMALL;
for (const [spec, scenario, verdict] of rows) {
  test(`SPIN agrees with mmcheck on ${spec} ${scenario}`, { skip: !HAVE_SPIN }, async () => {
    const m = await mmcheckStates(spec, scenario);
    // In-process (the CLI's export is the refusal test's): one node start less per case.
    const r = compileFile(spec);
    assert.ok(r.ok);
    const pml = exportPromela(r.spec, findScenario(r.spec, scenario)!);
    const s = spinRun(pml, m.states);
    assert.equal(m.verdict, verdict);
    assert.equal(spinKind(s.out), verdict, s.out);
    // Both stop at their first violation, in different orders: counts compare on passes.
    if (verdict === 'pass') {
      assert.equal(s.errors, 0, s.out);
      assert.equal(s.states, m.states);
    } else assert.equal(s.errors, 1, s.out);
  });
}

test('a construct the exporter cannot state exactly is refused with its position and code (exit 2)', () => {
  const r = spawnSync('node', [BIN, 'export', '--promela', 'test/fixtures/export/refused.mmspec', '--scenario', 'x']);
  assert.equal(r.status, 2);
  const err = r.stderr.toString();
  assert.match(
    err,
    /^test\/fixtures\/export\/refused\.mmspec:9:22: error\[PML03\]: cannot export to Promela: an srcu inside a pool object is not exported/m,
  );
  assert.equal(r.stdout.toString(), '');
});

test('export needs --scenario (exit 2)', () => {
  const r = spawnSync('node', [BIN, 'export', '--promela', 'specs/bench/counters.mmspec']);
  assert.equal(r.status, 2);
  assert.match(r.stderr.toString(), /needs --scenario/);
});

test('every refusal code is documented in docs/diagnostics.md, and no other', () => {
  const doc = readFileSync('docs/diagnostics.md', 'utf8');
  const documented = [...doc.matchAll(/^\| (PML\d\d) \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented, Object.keys(REFUSAL_CODES));
});

test('every built-in is transcribed: none is refused by name', async () => {
  const { BUILTIN_DEFS } = await import('../../src/model/prims/index.js');
  const { EXPORTED_BUILTINS } = await import('../../src/model/promela/builtins-promela.js');
  assert.deepEqual(
    [...BUILTIN_DEFS.keys()].filter((b) => !EXPORTED_BUILTINS.has(b)),
    [],
  );
});

test('the initial state comes from init and the globals, word for word as the model builds it', () => {
  const r = compileFile(FAM);
  assert.ok(r.ok);
  const pml = exportPromela(r.spec, findScenario(r.spec, 'rcu_sync')!);
  // cur = obj#0 (ref 1), whose slot is live with v = 1 and refcount 1.
  assert.match(pml, /^int w0 = 1;$/m);
  assert.match(pml, /^int w9 = 1;\nint w10 = 1;\nint w11 = 1;$/m);
  assert.match(pml, /^active proctype cb_obj_0\(\) \{$/m);
});
