// Every violation kind, end to end through the language: for each case a small spec
// test/fixtures/kinds/<kind>-<case>.mmspec that triggers it and a minimally different twin
// <kind>-<case>-ok.mmspec that passes. Both are run with stored-state BFS and DFS through
// runScenario (the library behind `mmcheck explore`), and the test pins the verdict kind,
// the violating thread and the source line of the violation (violation.span). Then a few
// exact messages, the cases that need more than a verdict (premature_free's "later
// section" rule, lock_order without a reachable deadlock, a never-allocated slot), and
// DESIGN.md's example with its minimal counterexample and its call_srcu variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSystem, compileText } from '../../src/model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../../src/model/lang/checked.js';
import type { ModelSystem } from '../../src/model/model-system.js';
import { SLOT_FREED } from '../../src/model/layout.js';
import { Footprint, STEP_OK, STEP_VIOLATION, type Violation, type ViolationKind } from '../../src/model/system.js';
import { needsLeakCheck, runScenario, type ScenarioOptions, type ScenarioRun } from '../../src/checker/scenario.js';
import { replaySchedule } from '../../src/checker/trace/record.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { explore } from '../../src/checker/explore.js';

/** The scenario's system, built as the CLI builds it, explored by runScenario. */
function runSpec(spec: CheckedSpec, sc: ScenarioInfo, o: ScenarioOptions): Promise<ScenarioRun> {
  return runScenario(buildSystem(spec, sc, { leak: needsLeakCheck(sc, o.leak) }), sc, o);
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/checker -> repo
const KINDS = `${ROOT}test/fixtures/kinds/`;
const MODES = ['bfs', 'dfs'] as const;
type Mode = (typeof MODES)[number];

/** Compiled under a display path that does not depend on the working directory. */
function load(path: string, display: string): CheckedSpec {
  const r = compileText(readFileSync(path, 'utf8'), display);
  if (!r.ok) assert.fail(`${display} does not compile:\n${r.diagnostics.map((d) => d.message).join('\n')}`);
  return r.spec;
}

const fixture = (name: string): CheckedSpec => load(`${KINDS}${name}.mmspec`, `kinds/${name}.mmspec`);

function only(spec: CheckedSpec): ScenarioInfo {
  assert.equal(spec.scenarios.length, 1);
  return spec.scenarios[0]!;
}

/** 1-based line of a violation's span, or null when it has none. */
function lineOf(spec: CheckedSpec, v: Violation): number | null {
  if (v.span === undefined) return null;
  const text = spec.sources.files[v.span.file]!.text;
  return text.slice(0, v.span.start).split('\n').length;
}

function violation(run: ScenarioRun): Violation {
  const v = run.result.verdict;
  if (v.kind !== 'violation') assert.fail(`expected a violation, got ${run.got}`);
  return v.violation;
}

const who = (run: ScenarioRun, v: Violation): string | null => (v.thread < 0 ? null : run.system.threadName(v.thread));

interface Case {
  name: string; // fixture base name; the twin is `${name}-ok`
  kind: ViolationKind;
  /** The violating entity; null for terminal checks (final, leak), which have none. */
  thread: string | null;
  /** Line of violation.span; null when the violation has no span (leak). */
  line: number | null;
  /** A violation of another kind the search met first and cut (expected-kind search). */
  other?: Partial<Record<Mode, ViolationKind>>;
  /** Run the twin with the opt-in leak check. */
  leak?: boolean;
}

// The violating line is also marked `// violation` in each fixture.
const CASES: Case[] = [
  { name: 'assertion-assert', kind: 'assertion', thread: 'reader', line: 10 },
  { name: 'assertion-bug-on', kind: 'assertion', thread: 'getter', line: 14 },
  { name: 'use_after_free-access', kind: 'use_after_free', thread: 'reader', line: 13 },
  { name: 'use_after_free-double-free', kind: 'use_after_free', thread: 'closer#2', line: 13 },
  { name: 'null_deref-unpublished', kind: 'null_deref', thread: 'reader', line: 12 },
  { name: 'premature_free-srcu', kind: 'premature_free', thread: 'remover', line: 22 },
  { name: 'premature_free-unpublish-order', kind: 'premature_free', thread: 'remover', line: 31 },
  { name: 'premature_free-rcu-alloc', kind: 'premature_free', thread: 'remover', line: 21 },
  { name: 'premature_free-self', kind: 'premature_free', thread: 'u', line: 7 },
  { name: 'premature_free-reused-slot', kind: 'premature_free', thread: 'b', line: 7 },
  { name: 'sleep_in_atomic-contended', kind: 'sleep_in_atomic', thread: 't', line: 5 },
  // An invariant is checked after the step that wrote what it reads: that step's thread.
  { name: 'invariant-pair', kind: 'invariant', thread: 'bump', line: 6 },
  { name: 'final-lost-update', kind: 'final', thread: null, line: 5 },
  // Deadlock names the first stuck thread and the statement it waits at.
  { name: 'deadlock-await', kind: 'deadlock', thread: 'munmap', line: 15 },
  // lockdep is per execution: DFS runs ab to the end first, so ba's b -> a closes a cycle
  // (lock_order, cut by the expected-kind search) before the search backs up into the
  // interleaving that deadlocks. BFS reaches the deadlock at depth 2, before any cycle.
  { name: 'deadlock-abba', kind: 'deadlock', thread: 'ab', line: 8, other: { dfs: 'lock_order' } },
  { name: 'lock_misuse-unlock-not-held', kind: 'lock_misuse', thread: 'worker', line: 10 },
  { name: 'lock_misuse-unlock-other-thread', kind: 'lock_misuse', thread: 'helper', line: 15 },
  // Exit checks point at the thread's declaration.
  { name: 'lock_misuse-exit-holding', kind: 'lock_misuse', thread: 'worker', line: 7 },
  { name: 'lock_misuse-exit-in-section', kind: 'lock_misuse', thread: 'reader', line: 10 },
  { name: 'lock_misuse-srcu-index', kind: 'lock_misuse', thread: 'reader', line: 8 },
  { name: 'lock_misuse-seqcount-writers', kind: 'lock_misuse', thread: 'writer#2', line: 7 },
  { name: 'sleep_in_atomic-might-sleep', kind: 'sleep_in_atomic', thread: 'wp_fault', line: 13 },
  { name: 'sleep_in_atomic-mutex-under-spinlock', kind: 'sleep_in_atomic', thread: 't', line: 9 },
  { name: 'sleep_in_atomic-synchronize-in-rcu', kind: 'sleep_in_atomic', thread: 't', line: 14 },
  // The twin is the point: down_read_trylock inside rcu_read_lock is fine.
  { name: 'sleep_in_atomic-down-read-in-rcu', kind: 'sleep_in_atomic', thread: 'fault', line: 13 },
  { name: 'lock_order-gated', kind: 'lock_order', thread: 'ba', line: 16 },
  // Writer preference: the second down_read waits behind munmap's queued down_write.
  // Met first: the recursive read itself, which lockdep reports without waiting for a writer.
  {
    name: 'deadlock-recursive-read',
    kind: 'deadlock',
    thread: 'fault',
    line: 14,
    other: { bfs: 'lock_order', dfs: 'lock_order' },
  },
  { name: 'lock_order-recursive-read', kind: 'lock_order', thread: 'fault#1', line: 10 },
  { name: 'pool_exhausted-racing-alloc', kind: 'pool_exhausted', thread: 'fault#2', line: 11 },
  // Leak is a terminal check with neither thread nor position (see the report).
  { name: 'leak-racing-alloc', kind: 'leak', thread: null, line: null, leak: true },
];

test('kinds: every violation kind has a case, and every fixture is in the table', () => {
  const kinds = new Set(CASES.map((c) => c.kind));
  const all: ViolationKind[] = [
    'assertion',
    'use_after_free',
    'null_deref',
    'premature_free',
    'invariant',
    'final',
    'deadlock',
    'lock_misuse',
    'sleep_in_atomic',
    'lock_order',
    'pool_exhausted',
    'leak',
  ];
  assert.deepEqual([...kinds].sort(), [...all].sort());
  const files = readdirSync(KINDS)
    .filter((f) => f.endsWith('.mmspec') && !f.startsWith('design-'))
    .map((f) => f.replace(/\.mmspec$/, ''))
    .sort();
  const named = CASES.flatMap((c) => [c.name, `${c.name}-ok`]).sort();
  assert.deepEqual(files, named);
  for (const c of CASES) assert.ok(c.name.startsWith(`${c.kind}-`), c.name);
});

for (const c of CASES) {
  for (const mode of MODES) {
    test(`kinds: ${c.name} is ${c.kind} by ${c.thread ?? '(no thread)'} at line ${c.line ?? '-'} (${mode}); its twin passes`, async () => {
      const spec = fixture(c.name);
      const run = await runSpec(spec, only(spec), { mode });
      assert.equal(run.got, `violation(${c.kind})`, run.got);
      assert.ok(run.asExpected);
      const v = violation(run);
      assert.equal(v.kind, c.kind);
      assert.equal(who(run, v), c.thread);
      assert.equal(lineOf(spec, v), c.line);
      assert.ok(v.message.length > 0);
      assert.equal(run.other?.first.kind, c.other?.[mode], `met first: ${run.other?.first.message}`);
      // The counterexample replays to the same violation.
      const verdict = run.result.verdict;
      assert.ok(verdict.kind === 'violation');
      const replay = replaySchedule(run.system, verdict.schedule);
      assert.equal(replay.diverged, undefined);
      assert.equal(replay.violation?.message, v.message);

      const twin = fixture(`${c.name}-ok`);
      const ok = await runSpec(twin, only(twin), { mode, leak: c.leak === true });
      assert.equal(
        ok.got,
        'pass',
        ok.result.verdict.kind === 'violation' ? ok.result.verdict.violation.message : ok.got,
      );
      assert.ok(ok.asExpected);
      assert.ok(ok.result.stats.executions > 0);
    });
  }
}

// ---- exact messages -----------------------------------------------------------------------

async function firstViolation(name: string, mode: Mode = 'bfs'): Promise<Violation> {
  const spec = fixture(name);
  return violation(await runSpec(spec, only(spec), { mode }));
}

test('kinds: exact messages', async () => {
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
  assert.equal((await firstViolation('invariant-pair')).message, 'invariant in_step does not hold');
  assert.equal(
    (await firstViolation('final-lost-update')).message,
    'final condition both_counted does not hold at termination',
  );
  assert.equal(
    (await firstViolation('deadlock-await')).message,
    'deadlock: munmap waits at kinds/deadlock-await.mmspec:15 `await atomic_cmpxchg(tree.usage, 1, 0) == 1;`; fault waits at kinds/deadlock-await.mmspec:23 `down_read(mmap_sem);`',
  );
  assert.equal(
    (await firstViolation('deadlock-recursive-read')).message,
    'deadlock: fault waits at kinds/deadlock-recursive-read.mmspec:14 `down_read(mmap_sem);`; munmap waits at kinds/deadlock-recursive-read.mmspec:20 `down_write(mmap_sem);  (queued: waiting for the holders)`',
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

// ---- cases that need more than a verdict --------------------------------------------------

/** Every reachable state of a small system (plain graph search, no explorer involved). */
function reachable(sys: ModelSystem): Int32Array[] {
  const init = sys.initial();
  assert.ok('state' in init);
  const seen = new Set<string>([init.state.join(',')]);
  const out = [init.state];
  const fp = new Footprint();
  for (let i = 0; i < out.length; i++) {
    const s = out[i]!;
    for (let t = 0; t < sys.threadCount; t++) {
      for (let c = 0; c < sys.choices(s, t); c++) {
        const next = new Int32Array(s.length);
        assert.equal(sys.step(s, t, c, next, fp), STEP_OK, sys.lastViolation()?.message);
        const key = next.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          out.push(next);
        }
      }
    }
  }
  return out;
}

// `head = null; synchronize_srcu(ss); free(n)` passes, and not because the free never meets
// a reader: some reachable state has node#0 freed while the reader is inside its *second*
// section (which began after the unpublish, so it cannot hold the node). The rule does not
// count that reader; a rule based on "some reader is inside" would wrongly fire here.
test('kinds: premature_free ignores a reader in a section that began after the unpublish', () => {
  const spec = fixture('premature_free-unpublish-order-ok');
  const sys = buildSystem(spec, only(spec));
  const slot = sys.layout.pools.get('node')!.base; // node#0's allocation word
  const ss = sys.layout.domains.find((d) => d.name === 'ss')!.addr; // readers mask
  const reader = sys.threads[0]!;
  assert.equal(reader.layout.name, 'reader');
  const locks = reader.ops.map((op, pc) => ({ op, pc })).filter(({ op }) => op.text.startsWith('idx = srcu_read_lock'));
  assert.equal(locks.length, 2);
  const secondSection = locks[1]!.pc;
  const witnesses = reachable(sys).filter(
    (s) => s[slot] === SLOT_FREED && (s[ss]! & 1) === 1 && s[reader.layout.pc]! > secondSection,
  );
  assert.ok(witnesses.length > 0, 'the free happens while the reader is inside its second section');
});

test('kinds: lock_order is reported although no deadlock is reachable', async () => {
  // Search for a deadlock past every other violation (what `expect violation(deadlock)`
  // does before runScenario re-runs plainly to show what it met instead).
  const spec = fixture('lock_order-gated');
  for (const mode of MODES) {
    const target = new TargetSystem(buildSystem(spec, only(spec)), 'deadlock');
    const r = await explore(target, { mode });
    assert.equal(r.verdict.kind, 'pass', `${mode}: no deadlock anywhere`);
    assert.equal(target.other?.kind, 'lock_order');
  }
});

// A reference to a slot that was never allocated cannot be written in a well-typed spec:
// refs come only from `alloc` (a slot goes unallocated -> live -> freed, never back) and
// `null`. The runtime check is exercised on a hand-made state: `head` pointing at node#1.
test('kinds: use_after_free on a never-allocated slot (hand-made state)', () => {
  const r = compileText(
    `spec "never allocated"
struct node { val: int; }
pool node[2];
shared head: ref node;
thread reader() { local n: ref node; local v: int; n = head; v = n.val; }
thread freer() { free(head); }
scenario read expect pass { reader(); }
scenario free_it expect pass { freer(); }
`,
    'kinds/never-allocated.mmspec',
  );
  assert.ok(r.ok);
  const fp = new Footprint();
  const poke = (sys: ModelSystem): Int32Array => {
    const init = sys.initial();
    assert.ok('state' in init);
    init.state[sys.layout.globals.get('head')!] = 2; // node#1: never allocated
    return init.state;
  };
  const read = buildSystem(r.spec, r.spec.scenarios[0]!);
  let s = poke(read);
  const out = new Int32Array(s.length);
  assert.equal(read.step(s, 0, 0, out, fp), STEP_OK); // n = head
  s = out.slice();
  assert.equal(read.step(s, 0, 0, out, fp), STEP_VIOLATION); // v = n.val
  assert.equal(read.lastViolation().kind, 'use_after_free');
  assert.equal(read.lastViolation().message, 'reader accesses node#1.val, which was never allocated');
  assert.equal(lineOf(r.spec, read.lastViolation()), 5);

  const free = buildSystem(r.spec, r.spec.scenarios[1]!);
  assert.equal(free.step(poke(free), 0, 0, new Int32Array(out.length), fp), STEP_VIOLATION);
  assert.equal(free.lastViolation().kind, 'use_after_free');
  assert.equal(
    free.lastViolation().message,
    'free of node#1, which was never allocated by freer (kinds/never-allocated.mmspec:6)',
  );
});

// Scenario arguments are constants checked against the thread's parameter types: an int
// passed for a `ref node` would otherwise name node#0 (never allocated) or node#-4.
test('kinds: scenario arguments are type-checked against thread parameters', () => {
  const r = compileText(
    `spec "ill-typed argument"
struct node { val: int; }
pool node[2];
thread t(p: ref node, b: bool) { local r: int; r = p.val; }
scenario s expect pass { t(1, 5); }
`,
    'kinds/ill-typed-arg.mmspec',
  );
  assert.equal(r.ok, false, 'an int passed for a ref parameter (and 5 for a bool) must be a compile error');
  assert.deepEqual(
    r.diagnostics.map((d) => d.message),
    ["thread argument 'p' is a ref node; a scenario can only pass null", 'cannot pass an int for a bool'],
  );
});

// ---- DESIGN.md's example -------------------------------------------------------------------

const DESIGN = `${ROOT}specs/rfc-2008-example.mmspec`;

// fault_vs_munmap's premature_free is munmap's `free(pt)` (line 42), the only free of a
// pte_page in the spec, so every counterexample ends with that step. Lower bound on its
// length, counting steps (statements that touch shared state; the for-loop header and
// `if (pt != null)` are local and fused):
//   munmap must run down_write, `v = tree`, `tree = null`, the await, `pt = pmd`, two
//   rounds of spin_lock / `pt.pte[i] = 0` / spin_unlock, `pmd = null`, free: 13 steps, in
//   straight line. `free(pt)` frees something only if `pt = pmd` read a non-null pmd, and
//   only the fault's `pmd = pt` (line 25) makes pmd non-null.
//   The fault reaches `pmd = pt` through srcu_read_lock, `v = tree`, the start check, the
//   usage check, `pt = pmd`, `alloc`, `pmd = pt`: 7 steps (`goto retry` only adds steps).
// So every counterexample has at least 13 + 7 = 20 steps. BFS returns one of exactly 20
// (the fault's 7, then munmap's 13), and a search bounded at depth 19 finds none.
test('design: fault_vs_munmap is premature_free with a 20-step path, and none is shorter', async () => {
  const spec = load(DESIGN, 'specs/rfc-2008-example.mmspec');
  const sc = spec.scenarios.find((s) => s.name === 'fault_vs_munmap')!;
  const run = await runSpec(spec, sc, { mode: 'bfs' });
  assert.equal(run.got, 'violation(premature_free)');
  assert.equal(run.other, undefined);
  const verdict = run.result.verdict;
  assert.ok(verdict.kind === 'violation');
  assert.equal(verdict.schedule.length, 20);
  assert.equal(lineOf(spec, verdict.violation), 42);
  assert.equal(who(run, verdict.violation), 'munmap');
  assert.equal(
    verdict.violation.message,
    'pte_page#0 freed by munmap (specs/rfc-2008-example.mmspec:42) while fault is still inside the srcu_read_lock(mm_srcu) section in which it obtained a reference to pte_page#0',
  );
  const steps = replaySchedule(run.system, verdict.schedule).steps;
  assert.deepEqual(
    steps.map((s) => s.threadName),
    [...Array(7).fill('fault'), ...Array(13).fill('munmap')],
  );
  assert.deepEqual(
    steps.slice(5, 7).map((s) => s.text),
    ['pt = alloc pte_page {};', 'pmd = pt;'],
  );
  assert.equal(steps.at(-1)!.text, 'free(pt);');

  const bounded = await runSpec(spec, sc, { mode: 'bfs', maxDepth: 19 });
  assert.equal(bounded.result.verdict.kind, 'incomplete', 'depth 19: no violation of any kind');
  assert.equal(bounded.other, undefined);
  assert.equal(bounded.result.stats.maxDepth, 19);
});

test('design: both scenarios of the example find premature_free under DFS as well', async () => {
  const spec = load(DESIGN, 'specs/rfc-2008-example.mmspec');
  for (const sc of spec.scenarios) {
    const run = await runSpec(spec, sc, { mode: 'dfs' });
    assert.equal(run.got, 'violation(premature_free)', sc.name);
    assert.equal(lineOf(spec, violation(run)), 42);
  }
});

// The variant that defers the pte page with call_srcu(mm_srcu, pt) passes both scenarios in
// both modes (see the fixture's header for why, and for the leak --leak would report).
test('design: freeing the pte page with call_srcu passes', async () => {
  const path = `${KINDS}design-call-srcu-ok.mmspec`;
  assert.ok(existsSync(path));
  const spec = load(path, 'kinds/design-call-srcu-ok.mmspec');
  const original = readFileSync(DESIGN, 'utf8').split('\n');
  const variant = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('//'));
  const changed = variant.filter((l, i) => l !== original[i]);
  assert.deepEqual(
    changed.map((l) => l.trim().split(/\s+\/\//)[0]),
    [
      'pmd = null; call_srcu(mm_srcu, pt);',
      'scenario fault_vs_munmap expect pass { fault(1); munmap(); }',
      'scenario two_faults      expect pass { fault(0); fault(1); munmap(); }',
    ],
  );
  for (const sc of spec.scenarios) {
    for (const mode of MODES) {
      const run = await runSpec(spec, sc, { mode });
      assert.equal(
        run.got,
        'pass',
        `${sc.name} (${mode}): ${run.result.verdict.kind === 'violation' ? run.result.verdict.violation.message : ''}`,
      );
      assert.ok(run.result.stats.executions > 0);
    }
  }
});

test('kinds: rwsem writer preference — a reader arriving after a queued writer waits; trylock fails; a recursive trylock read is refused loudly', async () => {
  const spec = (body: string): CheckedSpec => {
    const c = compileText(`shared sem: rwsem;\nshared x: int;\n${body}`, 'rwsem.mmspec');
    if (!c.ok) assert.fail(c.diagnostics.map((d) => d.message).join('\n'));
    return c.spec;
  };
  // r1 holds the rwsem for read until r2 is done, so w can queue but never hold it meanwhile:
  // r2's trylock fails exactly when it comes after w queued (writer preference). Without
  // writer preference it would always succeed, and `final` x == 2 would hold.
  const tryAfterQueue = spec(`shared ready: int;
thread r1() { down_read(sem); ready = 1; await x != 0; up_read(sem); }
thread w() { await ready == 1; down_write(sem); up_write(sem); }
thread r2() { await ready == 1; if (down_read_trylock(sem)) { x = 2; up_read(sem); } else { x = 1; } }
final got_it: x == 2;
scenario s expect violation(final) { r1(); w(); r2(); }`);
  const run = await runSpec(tryAfterQueue, only(tryAfterQueue), { mode: 'bfs' });
  assert.equal(run.got, 'violation(final)');
  const recursive = spec(`thread r() { local ok: bool; down_read(sem); ok = down_read_trylock(sem); up_read(sem); }
scenario s expect violation(lock_misuse) { r(); }`);
  const v = violation(await runSpec(recursive, only(recursive), { mode: 'bfs' }));
  assert.equal(
    v.message,
    'r calls down_read_trylock(sem) while holding it for read: recursive read holds are not modelled',
  );
});

test('kinds: expect violation(invariant NAME) searches for that invariant past the others; a final names its condition too', async () => {
  const text = (expect: string): CheckedSpec => {
    const c = compileText(
      `shared x: int; shared y: int; shared z: int;
thread a() { x = 2; } thread b() { y = 2; }
invariant x_small: x < 2; invariant y_small: y < 2; invariant z_small: z < 2;
final z_set: z == 1;
scenario s expect ${expect} { a(); b(); }`,
      'named.mmspec',
    );
    if (!c.ok) assert.fail(c.diagnostics.map((d) => d.message).join('\n'));
    return c.spec;
  };
  const run = async (expect: string): Promise<ScenarioRun> => {
    const spec = text(expect);
    return runSpec(spec, only(spec), { mode: 'bfs' });
  };
  const y = await run('violation(invariant y_small)');
  assert.deepEqual(
    [y.got, y.expected, y.asExpected],
    ['violation(invariant y_small)', 'violation(invariant y_small)', true],
  );
  assert.equal(y.other?.first.condition, 'x_small', 'x_small fails first and is cut from the search');
  // Unnamed, the first invariant violation met is the verdict, in the old words.
  const any = await run('violation(invariant)');
  assert.deepEqual([any.got, any.asExpected, violation(any).condition], ['violation(invariant)', true, 'x_small']);
  // z_small never fails: the plain re-run shows what was met instead.
  const z = await run('violation(invariant z_small)');
  assert.deepEqual([z.got, z.asExpected], ['violation(invariant x_small)', false]);
  // A final condition is named the same way.
  const c = compileText(
    `shared z: int;
thread a() { z = 2; }
final z_pos: z > 0; final z_one: z == 1;
scenario s expect violation(final z_one) { a(); }`,
    'named-final.mmspec',
  );
  if (!c.ok) assert.fail(c.diagnostics.map((d) => d.message).join('\n'));
  const f = await runSpec(c.spec, only(c.spec), { mode: 'bfs' });
  assert.deepEqual([f.got, f.asExpected], ['violation(final z_one)', true]);
});
