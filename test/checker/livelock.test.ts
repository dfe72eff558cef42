// Livelock = deadlock in every mode (src/checker/search/livelock.ts, docs/search.md): a thread
// spinning on a flag nobody sets is `deadlock` under BFS, DFS, DPOR and auto, with one message
// and one position; the stored-state searches' counterexample is the path to the loop and
// one turn of it; a loop with a way out is no livelock; a search cut by a bound reports no
// livelock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore } from '../../src/checker/explore.js';
import { bottomLoop } from '../../src/checker/search/livelock.js';
import { replaySchedule } from '../../src/checker/trace/record.js';
import { viewCounterexample } from '../../src/checker/trace/trace-view.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS, NO_REDUCTIONS } from '../../src/model/reductions.js';
import { EdgeList } from '../support/edge-list.js';
import { fixture, KINDS, lineOf, only, runSpec, violation, who } from '../support/kind-fixtures.js';

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

test('livelock: a loop whose own choice is its way out is no livelock in any mode (DPOR parked it as a spin)', async () => {
  // Each iteration reads x (nobody writes it) and chooses r again: choosing 1 leaves the loop.
  // DPOR parked the thread after an iteration that chose 0 (its private words back where they
  // were, nothing read changed) and ended the execution as a deadlock; the choice can differ
  // the next time, so the loop has a way out.
  const r = compileText(
    `shared x: int;
thread t() { local r: int; r = 0; while (r == 0) { r = x; choose r in 0..2; } }
thread u() { local q: int; either { q = 0; } or { q = 1; } while (q == 0) { q = x; either { q = 0; } or { q = 1; } } }
scenario s expect pass { t(); u(); }`,
    'choice-way-out.mmspec',
  );
  assert.ok(r.ok);
  for (const mode of ['bfs', 'dfs', 'auto'] as const) {
    const res = await explore(buildSystem(r.spec, r.spec.scenarios[0]!), { mode });
    assert.equal(res.verdict.kind, 'pass', mode);
  }
  // DPOR runs the loop until the depth bound (every iteration may leave): incomplete, never deadlock.
  for (const por of ['optimal', 'source'] as const) {
    const res = await explore(buildSystem(r.spec, r.spec.scenarios[0]!), { mode: 'dpor', por, maxDepth: 40 });
    assert.equal(res.verdict.kind === 'incomplete' && res.verdict.bound, 'max-depth', por);
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

for (const bySource of [false, true]) {
  test(`livelock: bottomLoop finds the bottom cycle of least index, never a cycle with an exit (${bySource ? 'edges by source' : 'edges in any order'})`, () => {
    const graph = (edges: [number, number][]): EdgeList =>
      new EdgeList(bySource ? [...edges].sort((a, b) => a[0] - b[0]) : edges);
    // 0 -> 1 <-> 2 -> 3 (terminal): the cycle {1, 2} has a way out.
    assert.equal(
      bottomLoop(
        graph([
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
      graph([
        [0, 3],
        [3, 3],
        [0, 1],
        [1, 2],
        [2, 1],
      ]),
      4,
    );
    assert.equal(two?.state, 1);
    assert.deepEqual(
      [0, 1, 2, 3].filter((v) => two?.low[v] === two?.mark),
      [1, 2],
    );
    // A self-loop alone is a bottom cycle; a state with no edges after it has an empty row.
    assert.equal(
      bottomLoop(
        graph([
          [0, 1],
          [1, 1],
        ]),
        2,
      )?.state,
      1,
    );
    assert.equal(
      bottomLoop(
        graph([
          [0, 1],
          [0, 2],
          [2, 2],
        ]),
        3,
      )?.state,
      2,
    );
    // Acyclic: none.
    assert.equal(
      bottomLoop(
        graph([
          [0, 1],
          [0, 2],
          [1, 2],
        ]),
        3,
      ),
      null,
    );
  });
}

test('livelock: explore prints the loop and --json names the step where it starts', async () => {
  const { main } = await import('../../src/cli/main.js');
  const path = `${KINDS}deadlock-goto-spin.mmspec`;
  const run = async (...args: string[]): Promise<string> => {
    const out: string[] = [];
    await main(['node', 'mmcheck', 'explore', path, '--mode', 'bfs', ...args], {
      out: (s) => out.push(s),
      err: () => {},
    });
    return out.join('\n');
  };
  assert.match(await run('--no-color'), /after step 2, step 2 repeats forever \(nothing the spinning threads wait on/);
  const json = JSON.parse(await run('--json')) as { got: string; loop?: number; trace: unknown[] }[];
  assert.equal(json[0]?.got, 'violation(deadlock)');
  assert.equal(json[0]?.loop, 2);
  assert.equal(json[0]?.trace.length, 2);
});

// The cycle filter (model/cycles.ts) keeps an edge only when its step can come back; these
// loop shapes reach their back edges through a fn's inlined steps, a break out of a
// while (true), nested loops and an either: each spin on a flag nobody sets must stay a
// deadlock in BFS and DFS, and the twin where the flag is set must pass.
const LOOPS = [
  'fn poll(): int { local v: int; v = ready; return v; }\nthread spin() { local r: int;\nagain: r = poll(); x = r; if (r == 0) goto again; }',
  'thread spin() { local r: int; while (true) { r = ready; if (r == 1) break; x = x + 1; x = x - 1; } }',
  'thread spin() { local r: int; while (ready == 0) { r = x; while (r > 0) { r = r - 1; x = r; } } }',
  'thread spin() { local r: int; while (ready == 0) { either { r = x; } or { x = 0; } } }',
];

for (const [i, body] of LOOPS.entries()) {
  test(`livelock: loop shape ${i + 1} (fn, break, nested, either) is deadlock under BFS and DFS; with the flag set it passes`, async () => {
    for (const set of [false, true]) {
      const text = `shared ready: int;\nshared x: int;\n${body}\nthread other() { x = 1; ${set ? 'ready = 1;' : ''} }\nscenario s expect pass { spin(); other(); }\n`;
      const c = compileText(text, 'loop.mmspec');
      if (!c.ok) assert.fail(`does not compile:\n${c.diagnostics.map((d) => d.message).join('\n')}\n${text}`);
      for (const mode of ['bfs', 'dfs'] as const) {
        const sys = buildSystem(c.spec, c.spec.scenarios[0]!, { reduce: DEFAULT_REDUCTIONS });
        const r = await explore(sys, { mode, maxStates: 100_000, maxDepth: 1_000 });
        const got = r.verdict.kind === 'violation' ? r.verdict.violation.kind : r.verdict.kind;
        assert.equal(got, set ? 'pass' : 'deadlock', `${mode}, ready ${set ? 'set' : 'never set'}:\n${text}`);
      }
    }
  });
}
