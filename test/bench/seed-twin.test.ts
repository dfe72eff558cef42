// The seed benchmark's twin (specs/bench/fault-vs-munmap.mmspec) has exactly the state space of
// its Promela peer (bench/peers/fault-vs-munmap-fixed.pml): stored-state BFS reports SPIN's
// -DNOREDUCE "states, stored", and its "transitions" minus the one SPIN counts for the initial
// state, with mmcheck's reductions off too (`--reduce none`). The figures are SPIN 6.5.2's
// (`spin -a -DK=k`, `gcc -DNOREDUCE`, `./pan`); Rumur on the Murphi peer gives the same. Every speed figure in docs/performance.md compares searches
// of this one state space, so the counts are pinned here.
//
// The CLI runs as a subprocess (`explore --json`): the test depends on the command line and
// its JSON, not on where the explorer lives in src/.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');

interface ScenarioJson {
  scenario: string;
  got: string;
  asExpected: boolean;
  stats: { states: number; transitions: number };
  violation?: { kind: string };
}

function explore(scenario: string, mode: string): { code: number; result: ScenarioJson } {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/mmcheck.js'),
      'explore',
      SPEC,
      '--scenario',
      scenario,
      '--mode',
      mode,
      '--reduce',
      'none',
      '--json',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.error, undefined, String(r.error));
  const results = JSON.parse(r.stdout) as ScenarioJson[];
  assert.equal(results.length, 1, `one scenario expected in ${r.stdout.slice(0, 200)}`);
  return { code: r.status ?? -1, result: results[0]! };
}

/** SPIN 6.5.2 -DNOREDUCE on fault-vs-munmap-fixed.pml: [states stored, transitions]. */
const SPIN_FIXED: [number, number, number][] = [
  [1, 220, 371],
  [2, 3_190, 7_933],
  [3, 42_584, 141_574],
];

for (const [k, states, transitions] of SPIN_FIXED) {
  test(`fixed twin, K=${k}: BFS visits SPIN's ${states.toLocaleString('en-US')} states`, () => {
    const { code, result } = explore(`fixed_k${k}`, 'bfs');
    assert.equal(code, 0);
    assert.equal(result.got, 'pass');
    assert.equal(result.stats.states, states);
    assert.equal(result.stats.transitions, transitions - 1);
  });
}

test('fixed twin, K=2: DFS stores the same states as BFS', () => {
  const { code, result } = explore('fixed_k2', 'dfs');
  assert.equal(code, 0);
  assert.equal(result.stats.states, 3_190);
});

for (const k of [1, 2]) {
  test(`buggy twin, K=${k}: the fault uses the pte page munmap freed (SPIN's assertion (a))`, () => {
    const { code, result } = explore(`buggy_k${k}`, 'bfs');
    assert.equal(code, 1);
    assert.equal(result.asExpected, true);
    assert.equal(result.violation?.kind, 'use_after_free');
  });
}
