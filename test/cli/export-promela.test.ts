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
import { compare, gccOpt, mmKind, spinKind, spinKinds, spinRun } from '../../scripts/export-compare.js';
import { exploreSpec } from '../../src/checker/explore-spec.js';
import { compileFile, findScenario } from '../../src/model/compile.js';
import { exportPromela, REFUSAL_CODES } from '../../src/model/promela/export-promela.js';
import { NO_REDUCTIONS } from '../../src/model/reductions.js';

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
  ['specs/rfc-2008-fixed.mmspec', 'q1_pgtable_freed_under_walk', 'pass'], // an invariant split into helpers
];

// In process, through explore's library (checker/explore-spec.ts, what `mmcheck explore
// --mode bfs --reduce none --no-save --no-minimize` runs): a node process per case cost about
// a second of CPU before the search began, and the CLI in process a worker thread loading
// the checker, 0.2 s (the CLI's --json is explore.test.ts's).
async function mmcheckStates(spec: string, scenario: string): Promise<{ states: number; verdict: string }> {
  const r = compileFile(spec);
  assert.ok(r.ok, spec);
  const sc = findScenario(r.spec, scenario)!;
  const options = { mode: 'bfs', reduce: NO_REDUCTIONS, workers: 1 } as const;
  const [e] = await exploreSpec(spec, r.spec, [sc], options, { save: false, minimize: false });
  return { states: e!.run.result.stats.states, verdict: mmKind(e!.run.got) };
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

test('where the first violations differ, the row compares the kinds each engine reaches', {
  skip: !HAVE_SPIN,
}, async () => {
  // mmcheck's BFS meets the invariant (2 steps); SPIN's DFS runs one thread to its own
  // violation first. SPIN's -c0 list names all three; mmcheck reaches SPIN's first kind.
  const [row] = await compare('test/fixtures/export/first-kinds.mmspec', 'first-kinds');
  assert.ok(row !== undefined);
  assert.deepEqual([row.mmStates, row.mmVerdict, row.equal], ['4', 'invariant', 'yes (kind sets)']);
  assert.match(row.spinVerdict, /^(lock_misuse|assertion) \(all: [a-z_, ]+\)$/);
  const all = /all: ([a-z_, ]+)/.exec(row.spinVerdict)![1]!.split(', ');
  assert.deepEqual(all.sort(), ['assertion', 'invariant', 'lock_misuse']);
});

test("SPIN's error lines name their kinds, in order, once each", () => {
  const out = [
    'pan:1: assertion violated (lock_misuse&&(w0==2)) (at depth 3)',
    'pan:2: assertion violated (invariant&&0) (at depth 2)',
    'pan:3: invalid end state (at depth 5)',
    'pan:4: assertion violated (lock_misuse&&(w0==2)) (at depth 7)',
    'State-vector 40 byte, depth reached 7, errors: 4',
  ].join('\n');
  assert.deepEqual(spinKinds(out), ['lock_misuse', 'invariant', 'deadlock']);
});

test('pan.c is compiled with -O2 only where the search dominates', () => {
  assert.equal(gccOpt(700_000, 573), '-O0'); // lib/mm: a 0.7 MB pan.c, a second of search
  assert.equal(gccOpt(700_000, 400_000), '-O0'); // -O1 took over 14 minutes on it
  assert.equal(gccOpt(90_000, 313_488), '-O2');
  assert.equal(gccOpt(90_000, 1_053), '-O0');
});

test('an invariant longer than a SPIN c_code block is split into helper functions', () => {
  const r = compileFile('specs/rfc-2008-fixed.mmspec');
  assert.ok(r.ok);
  const pml = exportPromela(r.spec, findScenario(r.spec, 'q1_pgtable_freed_under_walk')!);
  const blocks = pml.split('\n').filter((l) => l.startsWith('c_code {'));
  assert.ok(blocks.every((b) => b.length < 65_536 - 1_000));
  assert.match(pml, /^c_code \{ static int mm_inv\d+_h0\(void\) \{ /m);
  assert.match(pml, /mm_r = mm_inv\d+_h1\(\); if \(mm_r\) return mm_r;/);
});

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
