// The default search (`--mode auto`, src/checker/auto.ts): which search it picks on
// representative specs, pinned with the deciding search's exact counts so that a change of the
// rule shows here; and that its verdict equals stored-state BFS's on every scenario of specs/
// small enough for the default test run (the large ones are measured by bench/default-mode.ts),
// the ablation specs aside.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { specFiles } from '../../bench/default-mode.js';
import { FIRST_CHECKPOINT } from '../../src/checker/auto.js';
import { explore } from '../../src/checker/explore.js';
import type { ExploreOptions } from '../../src/checker/result.js';
import { needsLeakCheck, runScenario, type ScenarioRun } from '../../src/checker/scenario.js';
import { buildSystem, compileFile } from '../../src/model/compile.js';
import type { CheckedSpec } from '../../src/model/lang/checked.js';
import { renderAutoChoice } from '../../src/report/text.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const specs = new Map<string, CheckedSpec>();

function spec(path: string): CheckedSpec {
  let s = specs.get(path);
  if (s === undefined) {
    const r = compileFile(join(ROOT, path));
    if (!r.ok) assert.fail(`${path} does not compile`);
    s = r.spec;
    specs.set(path, s);
  }
  return s;
}

/**
 * What a plain BFS gave, by `file:scenario`, from the runs above the sweep at the end: a
 * default run that made no DPOR attempt ran BFS itself, so the sweep need not run it again
 * (fixed_k3 and x_two_faults_vs_munmap, ~1.5 s of CPU). Run alone, the sweep runs its own.
 */
const plainBfs = new Map<string, Pick<ScenarioRun, 'got' | 'asExpected'>>();

async function run(path: string, scenario: string, options: Partial<ExploreOptions> = {}): Promise<ScenarioRun> {
  const s = spec(path);
  const sc = s.scenarios.find((x) => x.name === scenario);
  if (sc === undefined) assert.fail(`${path} has no scenario ${scenario}`);
  const r = await runScenario(buildSystem(s, sc, { leak: needsLeakCheck(sc) }), sc, options);
  if (Object.keys(options).length === 0 && r.result.mode === 'bfs' && r.result.auto?.length === 0)
    plainBfs.set(`${path.split('/').pop()}:${scenario}`, { got: r.got, asExpected: r.asExpected });
  return r;
}

/** The search auto ran, its verdict and exact counts, and the modes it stopped before it. */
function choice(r: ScenarioRun): [string, string, number, number, string[]] {
  const s = r.result.stats;
  return [r.result.mode, r.got, s.states, s.transitions, (r.result.auto ?? []).map((a) => a.mode)];
}

test('auto: a small protocol scenario is plain BFS', async () => {
  const r = await run('specs/rfc-2008-fixed.mmspec', 'q7_vma_free_call_srcu');
  // 3,544 states since __do_fault() computes vm_pgoff (one step under i_mmap_lock in the fixed
  // protocol); 3,437 since munmap runs anon_vma_unlink() (3,296 since the model has vm_file: the
  // scenario became fault(0) against munmap(B) and munmap(A), which drop the file's two
  // references; 916 states with one munmap, before)
  assert.deepEqual(choice(r), ['bfs', 'pass', 3544, 7526, []]);
  assert.equal(renderAutoChoice(r.result), 'search: auto → bfs');
});

test('auto: a protocol with far more traces than states stays BFS after a DPOR attempt', async () => {
  const r = await run('specs/rfc-2008-fixed.mmspec', 'x_split_then_mprotect');
  // 86,748 states since anon_vma_prepare() looks for a neighbour's anon_vma
  // (find_mergeable_anon_vma) and the lib has the pmd level; 77,952 since C's first fault prepares its anon_vma (36,982 before; 32,302 before
  // fput and __do_fault joined lib/mm.mmspec): DPOR is tried at the first checkpoint (65,536;
  // at 16,384 too before), BFS decides
  assert.deepEqual(choice(r), ['bfs', 'pass', 86748, 225195, ['dpor']]);
  assert.match(renderAutoChoice(r.result), /^search: auto → bfs \(1 dpor attempt without a verdict, \d+\.\d\d s\)$/);
});

// FIRST_CHECKPOINT: 40,957 states, under the first checkpoint, so no attempt at all. At 16,384
// its attempt stopped at its 16th execution (131 transitions) and cost the BFS after it ~0.2 s
// of CPU in a fresh process.
test('auto: a protocol scenario under the first checkpoint makes no DPOR attempt', async () => {
  const r = await run('specs/rfc-2008-fixed.mmspec', 'x_two_faults_vs_munmap');
  assert.deepEqual(choice(r), ['bfs', 'pass', 40957, 99012, []]);
  assert.equal(renderAutoChoice(r.result), 'search: auto → bfs');
});

// DPOR_EXECUTION_SHARE: 1,024 transitions at the first checkpoint allow 64 executions. The
// seed twin's executions share most of their steps: the attempt stops at its 64th execution,
// at 387 transitions, with BFS's same verdict and counts. (The rule's first pin was rfc-2008-fixed
// x_two_faults_vs_munmap at the old first checkpoint, 16,384: 27 executions and 257 transitions
// without the cap, 16 and 131 with it.)
test('auto: a DPOR attempt whose executions add few transitions stops at its execution cap', async () => {
  const r = await run('specs/bench/fault-vs-munmap.mmspec', 'fixed_k4');
  assert.deepEqual(choice(r), ['bfs', 'pass', 163406, 680756, ['dpor']]);
  const attempt = r.result.auto![0]!;
  assert.deepEqual([attempt.stats.executions + attempt.stats.sleepBlocked, attempt.stats.transitions], [64, 387]);
  assert.equal(attempt.reason, "tried at BFS's 65,536th state: no verdict within 64 executions");
});

test('auto: the seed twin is BFS, with its shortest counterexample on the buggy variant', async () => {
  // 22,636 states: symmetry folds the two fault(0) instances (42,584 with --reduce none); under
  // the first checkpoint, so no DPOR attempt
  const fixed = await run('specs/bench/fault-vs-munmap.mmspec', 'fixed_k3');
  assert.deepEqual(choice(fixed), ['bfs', 'pass', 22636, 75216, []]);
  const buggy = await run('specs/bench/fault-vs-munmap.mmspec', 'buggy_k3');
  assert.deepEqual(choice(buggy), ['bfs', 'violation(use_after_free)', 1951, 5301, []]);
  const bfs = await run('specs/bench/fault-vs-munmap.mmspec', 'buggy_k3', { mode: 'bfs' });
  assert.deepEqual(buggy.result.verdict, bfs.result.verdict);
});

test('auto: a classic DPOR program is decided by DPOR at the first checkpoint', async () => {
  const r = await run('specs/bench/indexer-locked.mmspec', 'n4');
  assert.deepEqual(choice(r), ['dpor', 'pass', 65, 64, ['bfs']]);
  const bfs = r.result.auto![0]!;
  assert.ok(bfs.stats.states >= FIRST_CHECKPOINT, 'BFS ran to the first checkpoint');
  assert.equal(
    renderAutoChoice(r.result),
    `search: auto → dpor (bfs stopped at ${bfs.stats.states.toLocaleString('en-US')} states)`,
  );
});

test('auto: a caller bound below the first checkpoint is met by BFS alone, as incomplete', async () => {
  const r = await run('specs/bench/indexer-locked.mmspec', 'n4', { maxStates: 1000 });
  assert.deepEqual(choice(r).slice(0, 2), ['bfs', 'incomplete']);
  const bfs = await run('specs/bench/indexer-locked.mmspec', 'n4', { maxStates: 1000, mode: 'bfs' });
  assert.deepEqual(r.result.verdict, bfs.result.verdict);
});

test('auto with a preemption bound is bounded DPOR', async () => {
  const r = await run('specs/rfc-2008-fixed.mmspec', 'q7_vma_free_call_srcu', { preemptionBound: 1 });
  assert.equal(r.result.mode, 'dpor');
  assert.deepEqual(r.result.auto, []);
});

test('auto is the default of explore() and chooses the same on every run', async () => {
  const s = spec('specs/bench/indexer-locked.mmspec');
  const sc = s.scenarios.find((x) => x.name === 'n4')!;
  const a = await explore(buildSystem(s, sc), {});
  const b = await explore(buildSystem(s, sc), {});
  assert.equal(a.mode, 'dpor');
  assert.deepEqual(
    [a.mode, a.stats.states, a.stats.transitions, a.auto!.length],
    [b.mode, b.stats.states, b.stats.transitions, b.auto!.length],
  );
});

/**
 * Scenarios whose BFS stores over 100,000 states: bench/default-mode.ts measures them. (spf's
 * fixed_vs_all_writers, 361,818 states, is the one where BFS decides after three DPOR attempts;
 * x_split_then_mprotect, after two, stays in the comparison.)
 */
const LARGE = new Set([
  'counters.mmspec:big',
  'counters.mmspec:huge',
  'fault-vs-munmap.mmspec:fixed_k4',
  'fault-vs-munmap.mmspec:fixed_k5',
  'fault-vs-munmap.mmspec:fixed_k6',
  'fault-vs-munmap.mmspec:buggy_k6',
  'filesystem.mmspec:n6',
  'filesystem.mmspec:n8',
  'filesystem.mmspec:p3',
  'filesystem.mmspec:p4',
  'indexer.mmspec:n8',
  'indexer.mmspec:p4',
  'indexer-locked.mmspec:p2',
  'rfc-2008-stress.mmspec:stress',
  'spf.mmspec:fixed_vs_all_writers',
]);

/**
 * The ablation specs (rfc-2008-fixed with one fix undone, scripts/gen-ablations.ts): each
 * scenario stores under 600 states, far below FIRST_CHECKPOINT, so auto is BFS alone there
 * and this file would compare nothing; it spent ~3 s of CPU learning that. The gate (`mmcheck
 * check specs/`, .ci/run) proves their declared verdicts under auto.
 */
const ABLATION = /\/rfc-2008-fixed-without-[^/]*$/;

/** The first checkpoint the comparison below runs auto with. */
const LOW_CHECKPOINT = 16_384;

test('auto gives BFS’s verdict on every scenario of specs/ but the large ones and the ablations', async (t) => {
  let compared = 0;
  let bfsAlone = 0;
  for (const path of specFiles(join(ROOT, 'specs')).filter((p) => !ABLATION.test(p))) {
    const r = compileFile(path);
    if (!r.ok) continue;
    for (const sc of r.spec.scenarios) {
      const key = `${path.split('/').pop()}:${sc.name}`;
      if (LARGE.has(key)) continue;
      const system = (): ReturnType<typeof buildSystem> => buildSystem(r.spec, sc, { leak: needsLeakCheck(sc) });
      // With the first checkpoint lowered to 16,384 (FIRST_CHECKPOINT until it rose to 65,536),
      // so that the scenarios between the two still make an attempt (and restore the cuts of
      // one without a verdict) and are compared with BFS.
      const auto = await runScenario(system(), sc, { mode: 'auto', autoFirstCheckpoint: LOW_CHECKPOINT });
      // No DPOR attempt (under LOW_CHECKPOINT states): auto ran BFS itself, a second BFS would repeat it.
      if (auto.result.mode === 'bfs' && auto.result.auto?.length === 0) {
        bfsAlone++;
        continue;
      }
      const bfs = plainBfs.get(key) ?? (await runScenario(system(), sc, { mode: 'bfs' }));
      assert.equal(auto.got, bfs.got, `${path} ${sc.name}: auto (${auto.result.mode}) against bfs`);
      assert.equal(auto.asExpected, bfs.asExpected, `${path} ${sc.name}`);
      compared++;
    }
  }
  t.diagnostic(`compared ${compared} scenarios with BFS, ${bfsAlone} BFS alone`);
  assert.ok(compared >= 10 && compared + bfsAlone >= 180, `compared ${compared} scenarios (${bfsAlone} BFS alone)`);
});
