// The violation kinds' cases that need more than a verdict: premature_free's "later
// section" rule, lock_order without a reachable deadlock, a never-allocated slot, scenario
// argument types, rwsem writer preference, named invariants and finals.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import type { ScenarioRun } from '../../src/checker/scenario.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import type { CheckedSpec } from '../../src/model/lang/checked.js';
import { SLOT_FREED } from '../../src/model/layout.js';
import type { ModelSystem } from '../../src/model/model-system.js';
import { Footprint, STEP_OK, STEP_VIOLATION } from '../../src/model/system.js';
import { fixture, lineOf, MODES, only, runSpec, violation } from '../support/kind-fixtures.js';

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
  const slot = sys.program.layout.pools.get('node')!.base; // node#0's allocation word
  const ss = sys.program.layout.domains.find((d) => d.name === 'ss')!.addr; // readers mask
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
    init.state[sys.program.layout.globals.get('head')!] = 2; // node#1: never allocated
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
