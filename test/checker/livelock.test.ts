// Livelock = deadlock in every mode (src/checker/search/livelock.ts, docs/search.md): a thread
// spinning on a flag nobody sets is `deadlock` under BFS, DFS, DPOR and auto, with one message
// and one position; the stored-state searches' counterexample is the path to the loop and
// one turn of it; a loop with a way out is no livelock; a search cut by a bound reports no
// livelock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import { EdgeLog, bottomLoop } from '../../src/checker/search/livelock.js';
import { replaySchedule } from '../../src/checker/trace/record.js';
import { viewCounterexample } from '../../src/checker/trace/trace-view.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS } from '../../src/model/reductions.js';
import { fixture, lineOf, only, runSpec, violation, who } from '../support/kind-fixtures.js';

const SPINS = [
  { name: 'deadlock-goto-spin', thread: 'consumer', line: 16, text: 'r = ready;' },
  { name: 'deadlock-while-spin', thread: 'waiter', line: 13, text: 'while (done == 0)' },
  { name: 'deadlock-await-spin', thread: 'consumer', line: 11, text: 'await ready == 1;' },
];
const ALL_MODES = ['bfs', 'dfs', 'dpor', 'auto'] as const;

for (const c of SPINS) {
  test(`livelock: ${c.name} is deadlock by ${c.thread} at line ${c.line} in every mode, one message; its twin passes`, async () => {
    const spec = fixture(c.name);
    const messages = new Set<string>();
    for (const mode of ALL_MODES) {
      const run = await runSpec(spec, only(spec), { mode });
      assert.equal(run.got, 'violation(deadlock)', `${mode}: ${run.got}`);
      const v = violation(run);
      assert.equal(who(run, v), c.thread, mode);
      assert.equal(lineOf(spec, v), c.line, mode);
      assert.ok(v.message.includes(`${c.thread} waits at`) && v.message.includes(`\`${c.text}\``), v.message);
      messages.add(v.message.replace(/\S+\.mmspec/g, 'F'));
      const verdict = run.result.verdict;
      assert.ok(verdict.kind === 'violation');
      // The schedule replays to the same violation: it ends where no execution ever ends.
      const replay = replaySchedule(run.system, verdict.schedule);
      assert.equal(replay.diverged, undefined);
      assert.equal(replay.violation?.message, v.message, mode);
      if (mode === 'bfs' || mode === 'dfs' || mode === 'auto') {
        // Path, then one turn of the loop back to the state the loop starts from.
        const loop = verdict.loop;
        assert.ok(loop !== undefined && loop < verdict.schedule.length, `${mode}: loop ${loop}`);
        assert.deepEqual([...replay.states[loop]!], [...replay.states[verdict.schedule.length]!]);
        const view = viewCounterexample(verdict, () => run.system)!.view;
        assert.deepEqual(view.livelock, { from: loop + 1 });
      }
      const twin = fixture(`${c.name}-ok`);
      const ok = await runSpec(twin, only(twin), { mode });
      assert.equal(ok.got, 'pass', `${mode} twin`);
    }
    assert.equal(messages.size, 1, [...messages].join('\n'));
  });
}

test('livelock: a search cut by a bound reports no livelock (incomplete, never deadlock)', async () => {
  const spec = fixture('deadlock-goto-spin');
  for (const mode of ['bfs', 'dfs'] as const) {
    const byStates = await runSpec(spec, only(spec), { mode, maxStates: 1 });
    assert.equal(byStates.got, 'incomplete', mode);
    const byDepth = await runSpec(spec, only(spec), { mode, maxDepth: 1 });
    assert.equal(byDepth.got, 'incomplete', mode);
  }
});

test('livelock: a spin with a way out (the producer may still set the flag) is not a livelock', async () => {
  // Both threads spin until the other's flag is set; each sets its own first: every cycle
  // has a way out, and the bottom components are the terminal states.
  const r = compileText(
    `shared a: int; shared b: int;
thread p() { local x: int; a = 1; retry: x = b; if (x == 0) goto retry; }
thread q() { local y: int; retry: y = a; if (y == 0) goto retry; b = 1; }
scenario s expect pass { p(); q(); }`,
    'way-out.mmspec',
  );
  assert.ok(r.ok);
  for (const mode of ['bfs', 'dfs'] as const) {
    const res = await explore(buildSystem(r.spec, r.spec.scenarios[0]!), { mode });
    assert.equal(res.verdict.kind, 'pass', mode);
  }
});

test('livelock: identical spinners under symmetry: the loop closes on the concrete state', async () => {
  const r = compileText(
    `shared go: int;
thread spin() { while (go == 0) {} }
thread other() { local k: int; k = 1; }
scenario s expect violation(deadlock) { other(); spin(); spin(); }`,
    'sym.mmspec',
  );
  assert.ok(r.ok);
  const sc = r.spec.scenarios[0]!;
  for (const reduce of [NO_REDUCTIONS, DEFAULT_REDUCTIONS]) {
    for (const mode of ['bfs', 'dfs'] as const) {
      const sys = buildSystem(r.spec, sc, { reduce });
      const res = await explore(sys, { mode, reduce });
      assert.ok(res.verdict.kind === 'violation' && res.verdict.loop !== undefined, mode);
      assert.equal(res.verdict.violation.kind, 'deadlock');
      const replay = replaySchedule(sys, res.verdict.schedule);
      assert.equal(replay.violation?.kind, 'deadlock');
      const end = res.verdict.schedule.length;
      assert.deepEqual([...replay.states[res.verdict.loop]!], [...replay.states[end]!]);
    }
  }
});

test('livelock: bottomLoop finds the bottom cycle of least index, never a cycle with an exit', () => {
  const graph = (n: number, edges: [number, number][]): EdgeLog => {
    const log = new EdgeLog();
    for (const [a, b] of edges) log.add(a, b);
    assert.ok(n > 0);
    return log;
  };
  // 0 -> 1 <-> 2 -> 3 (terminal): the cycle {1, 2} has a way out.
  assert.equal(
    bottomLoop(
      graph(4, [
        [0, 1],
        [1, 2],
        [2, 1],
        [2, 3],
      ]),
      4,
    ),
    null,
  );
  // 0 -> 1 -> 2 -> 1 and 0 -> 3 -> 3: two bottom cycles, {1, 2} has the least index.
  const two = bottomLoop(
    graph(4, [
      [0, 1],
      [1, 2],
      [2, 1],
      [0, 3],
      [3, 3],
    ]),
    4,
  );
  assert.equal(two?.state, 1);
  // A self-loop alone is a bottom cycle.
  assert.equal(
    bottomLoop(
      graph(2, [
        [0, 1],
        [1, 1],
      ]),
      2,
    )?.state,
    1,
  );
  // Acyclic: none.
  assert.equal(
    bottomLoop(
      graph(3, [
        [0, 1],
        [0, 2],
        [1, 2],
      ]),
      3,
    ),
    null,
  );
});
