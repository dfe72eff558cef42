// DPOR on .mmspec models: the dependencies the model's footprints create, counted in
// executions (one per Mazurkiewicz trace under optimal DPOR), and the RFC example of
// the design example against BFS.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { exploreDpor } from '../../../src/checker/dpor/search.js';
import { explore } from '../../../src/checker/explore.js';
import type { Stats } from '../../../src/checker/result.js';
import { DEFAULT_OPTIONS } from '../../../src/checker/result.js';
import { TargetSystem } from '../../../src/checker/systems/target.js';
import { buildSystem, compileFile, compileText } from '../../../src/model/compile.js';
import { compareSpecWithOracle, runSpecOracle } from '../../support/spec-oracle.js';
import { enumerateTraces } from '../../support/trace-oracle.js';

async function dporStats(text: string): Promise<Stats> {
  const c = compileText(text, 'model.mmspec');
  if (!c.ok) assert.fail(c.diagnostics.map((d) => d.message).join('\n'));
  const r = await explore(buildSystem(c.spec, c.spec.scenarios[0]!), { mode: 'dpor', por: 'optimal' });
  assert.equal(r.verdict.kind, 'pass');
  return r.stats;
}

test('dpor model: SRCU readers of one domain commute (each writes only its own bit of the readers mask)', async () => {
  const readers = `shared ss: srcu;
thread r() { local i: int; i = srcu_read_lock(ss); srcu_read_unlock(ss, i); }
scenario s expect pass { r(); r(); r(); }`;
  // 3 threads × 2 steps, all independent: one trace.
  assert.equal((await dporStats(readers)).executions, 1);
  // A grace period's begin reads every bit and flips the SRCU index each entry reads, so
  // per reader: (1) entry and exit before begin, (2) entry before, exit after — the exit
  // then clears the reader's bit from the writer's wait mask, which the wait step reads —
  // or (3) both after. A reader's exit reads that wait mask, so two exits are ordered when
  // one of them is in case (2) and the other in (2) or (3): 9 combinations, 3 of them
  // split in two, 12 traces.
  const withSync = `shared ss: srcu;
thread r() { local i: int; i = srcu_read_lock(ss); srcu_read_unlock(ss, i); }
thread w() { synchronize_srcu(ss); }
scenario s expect pass { r(); r(); w(); }`;
  assert.equal((await dporStats(withSync)).executions, 12);
});

test('dpor model: an invariant orders only the writes that can change its outcome', async () => {
  // z stays 0, so `z == 0 || …` reads z alone: the writes to x and y are independent.
  const guarded = `shared x: int; shared y: int; shared z: int;
thread a() { x = 1; } thread b() { y = 1; }
invariant inv: z == 0 || x + y < 2;
scenario s expect pass { a(); b(); }`;
  assert.equal((await dporStats(guarded)).executions, 1);
  // Here the check after each write reads both x and y: the two orders are two traces.
  const both = guarded.replace('z == 0 || x + y < 2', 'x + y < 3');
  assert.equal((await dporStats(both)).executions, 2);
});

test('dpor model: the RFC example (two faults and an munmap) — the same violation kinds as BFS in fewer transitions', async () => {
  const c = compileFile('specs/rfc-2008-example.mmspec');
  if (!c.ok) assert.fail('the RFC example does not compile');
  const sc = c.spec.scenarios.find((s) => s.name === 'two_faults')!;
  const run = async (
    opts: { mode: 'bfs' } | { mode: 'dpor'; por: 'optimal' | 'source' },
  ): Promise<{ kinds: string[]; stats: Stats }> => {
    const collect = new TargetSystem(buildSystem(c.spec, sc), null);
    const r = await explore(collect, opts);
    assert.equal(r.verdict.kind, 'pass', 'every execution is cut at its first violation; the search itself completes');
    return { kinds: [...collect.cutKinds].sort(), stats: r.stats };
  };
  const bfs = await run({ mode: 'bfs' });
  const optimal = await run({ mode: 'dpor', por: 'optimal' });
  const source = await run({ mode: 'dpor', por: 'source' });
  assert.deepEqual(bfs.kinds, ['premature_free']);
  assert.deepEqual(optimal.kinds, bfs.kinds);
  assert.deepEqual(source.kinds, bfs.kinds);
  assert.deepEqual([bfs.stats.states, bfs.stats.transitions], [8691, 20387]);
  assert.deepEqual([optimal.stats.executions, optimal.stats.transitions, optimal.stats.sleepBlocked], [2027, 13468, 0]);
  assert.ok(optimal.stats.transitions < bfs.stats.transitions / 1.5);
});

test("dpor model: random .mmspec programs — the oracle's terminal states and violation kinds, one execution per trace (400 programs)", () => {
  const c = runSpecOracle(400, undefined);
  // The generator must keep producing what the property is about: programs small enough to
  // enumerate, with and without violations, with and without blocking statements.
  assert.ok(c.compared >= 250, `only ${c.compared} of 400 programs were small enough for the oracle`);
  assert.ok(
    c.violating >= 50 && c.counted >= 100 && c.blocking >= 30 && c.counted - c.blocking >= 30,
    JSON.stringify(c),
  );
});

test("dpor model: executions cut at a violation — the oracle's terminal states (regressions of the invisible sink)", () => {
  const counts = { programs: 0, compared: 0, violating: 0, counted: 0, blocking: 0 };
  compareSpecWithOracle(readFileSync('test/fixtures/dpor-cut-violation.mmspec', 'utf8'), counts);
  assert.equal(counts.compared, 1);
  // seqlock torn: the reader's failing assert is its last step, after the writer finished;
  // whether the writer's last steps come before or after the cut gives different states.
  const c = compileFile('specs/bench/seqlock.mmspec');
  if (!c.ok) assert.fail('seqlock does not compile');
  for (const name of ['torn', 'torn_r2w2']) {
    const sc = c.spec.scenarios.find((s) => s.name === name)!;
    const ref = enumerateTraces(new TargetSystem(buildSystem(c.spec, sc), null));
    for (const por of ['optimal', 'source'] as const) {
      const terminals = new Set<string>();
      exploreDpor(
        new TargetSystem(buildSystem(c.spec, sc), null),
        { ...DEFAULT_OPTIONS, por },
        {
          strict: true,
          onTerminal: (s) => {
            terminals.add(s.join(','));
          },
        },
      );
      assert.deepEqual([...terminals].sort(), [...ref.terminalStates].sort(), `${name} ${por}`);
    }
  }
});
