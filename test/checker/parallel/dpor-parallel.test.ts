// Stateless DPOR on worker threads (`--mode dpor --workers N`, src/checker/parallel/dpor-parallel.ts):
// the verdict and violation kind of the one-thread search, at least its executions (overlap is
// counted, a gap would show as fewer), a counterexample that replays, and bounds that end
// incomplete, never pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExploreResult, SystemRecipe } from '../../../src/checker/result.js';
import { runScenario } from '../../../src/checker/scenario.js';
import { buildSystem, compileFile } from '../../../src/model/compile.js';
import { Footprint, STEP_VIOLATION } from '../../../src/model/system.js';

async function run(
  path: string,
  scenario: string,
  workers: number,
  extra: { maxStates?: number; maxDepth?: number; interrupted?: () => boolean } = {},
): Promise<ExploreResult> {
  const c = compileFile(path);
  assert.ok(c.ok);
  const sc = c.spec.scenarios.find((s) => s.name === scenario)!;
  const recipe: SystemRecipe = { path, files: c.sources.files, scenario, leak: false, dataRace: false };
  const r = await runScenario(buildSystem(c.spec, sc), sc, { mode: 'dpor', workers, recipe, ...extra });
  return r.result;
}

const kindOf = (r: ExploreResult): string =>
  r.verdict.kind === 'violation' ? `violation ${r.verdict.violation.kind}` : r.verdict.kind;

const CASES: [string, string][] = [
  ['specs/bench/fault-vs-munmap.mmspec', 'fixed_k1'],
  ['specs/bench/fault-vs-munmap.mmspec', 'buggy_k2'],
  ['specs/bench/philosophers.mmspec', 'deadlock3'],
  ['specs/bench/readers.mmspec', 'n3'],
  ['specs/tutorial.mmspec', 'step3_two_faults'],
];

for (const [path, scenario] of CASES) {
  test(`parallel DPOR: ${path} ${scenario} on 2 and 3 threads — the one-thread verdict, no fewer executions`, async () => {
    const one = await run(path, scenario, 1);
    assert.equal(one.split, undefined, 'one thread runs the one-task search');
    for (const workers of [2, 3]) {
      const many = await run(path, scenario, workers);
      assert.equal(kindOf(many), kindOf(one), `${workers} threads`);
      assert.ok(many.split !== undefined && many.split.tasks >= 1);
      if (one.verdict.kind === 'pass') assert.ok(many.stats.executions >= one.stats.executions);
      if (many.verdict.kind === 'violation') replays(path, scenario, many);
    }
  });
}

/** The counterexample's schedule, run from the initial state, ends in its violation. */
function replays(path: string, scenario: string, r: ExploreResult): void {
  assert.ok(r.verdict.kind === 'violation');
  const c = compileFile(path);
  assert.ok(c.ok);
  const sys = buildSystem(c.spec, c.spec.scenarios.find((s) => s.name === scenario)!);
  const init = sys.initial();
  assert.ok('state' in init);
  let s = init.state;
  let kind: string | null = null;
  for (const { thread, choice } of r.verdict.schedule) {
    const next = new Int32Array(sys.stateWords);
    if (sys.step(s, thread, choice, next, new Footprint()) === STEP_VIOLATION) kind = sys.lastViolation().kind;
    s = next;
  }
  kind ??= sys.terminal(s)?.kind ?? null;
  assert.equal(kind, r.verdict.violation.kind);
}

test('parallel DPOR bounds: interrupted and max-states end incomplete, with the bound named', async () => {
  const path = 'specs/bench/fault-vs-munmap.mmspec';
  // Interrupted at its first poll (a timer's tick), not after a set time: fixed_k3 takes DPOR
  // millions of transitions, far more than one tick, on a fast or a loaded machine.
  const stopped = await run(path, 'fixed_k3', 2, { interrupted: () => true });
  assert.equal(stopped.verdict.kind === 'incomplete' && stopped.verdict.bound, 'interrupted');
  const capped = await run(path, 'fixed_k2', 2, { maxStates: 5000 });
  assert.equal(capped.verdict.kind === 'incomplete' && capped.verdict.bound, 'max-states');
  assert.ok(capped.stats.states >= 5000 && capped.stats.states < 20_000, `${capped.stats.states}`);
});

test('parallel DPOR: executions cut at --max-depth end incomplete without stopping the other threads', async () => {
  const path = 'specs/bench/fault-vs-munmap.mmspec';
  // buggy_k2's use_after_free takes 20 steps; at depth 25 some executions are cut, and the
  // violation is still found, on one thread and on two.
  for (const workers of [1, 2]) {
    const r = await run(path, 'buggy_k2', workers, { maxDepth: 25 });
    assert.equal(kindOf(r), 'violation use_after_free', `${workers} threads`);
  }
  const cut = await run(path, 'fixed_k1', 2, { maxDepth: 10 });
  assert.equal(cut.verdict.kind === 'incomplete' && cut.verdict.bound, 'max-depth');
});
