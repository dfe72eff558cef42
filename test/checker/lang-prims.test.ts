// The 2008-and-later language constructs (marked accesses, data_race, refcount, IRQs-off
// sections, typesafe-by-RCU pools) in every search mode: each kinds fixture of theirs is
// found by BFS, DFS, DPOR, random and auto, its counterexample replays to the same
// violation, and its twin passes in every mode that can prove a pass (random can only
// sample: it must not report a violation). kinds.test.ts pins thread and line (BFS, DFS).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaySchedule } from '../../src/checker/trace/record.js';
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { fixture, only, runSpec, violation } from '../support/kind-fixtures.js';

const ALL_MODES = ['bfs', 'dfs', 'dpor', 'random', 'auto'] as const;

interface Case {
  name: string;
  kind: ViolationKind;
  dataRace?: boolean;
}

const CASES: Case[] = [
  { name: 'data_race-unlocked-inc', kind: 'data_race', dataRace: true },
  { name: 'data_race-lockless-reader', kind: 'data_race', dataRace: true },
  { name: 'data_race-rcu-plain-read', kind: 'data_race', dataRace: true },
  { name: 'data_race-seqcount-reader', kind: 'data_race', dataRace: true },
  { name: 'use_after_free-refcount-addition-on-0', kind: 'use_after_free' },
  { name: 'use_after_free-refcount-underflow', kind: 'use_after_free' },
];

for (const c of CASES) {
  for (const mode of ALL_MODES) {
    test(`lang-prims: ${c.name} is ${c.kind} (${mode}); its twin passes`, async () => {
      const spec = fixture(c.name);
      const o = mode === 'random' ? { mode, seed: 1, executions: 500 } : { mode };
      const run = await runSpec(spec, only(spec), o);
      assert.equal(run.got, `violation(${c.kind})`, run.got);
      const v = violation(run);
      const verdict = run.result.verdict;
      assert.ok(verdict.kind === 'violation');
      const replay = replaySchedule(run.system, verdict.schedule);
      assert.equal(replay.violation?.message, v.message);

      const twin = fixture(`${c.name}-ok`);
      const ok = await runSpec(twin, only(twin), { ...o, dataRace: c.dataRace === true });
      if (mode === 'random') assert.notEqual(ok.result.verdict.kind, 'violation', ok.got);
      else
        assert.equal(
          ok.got,
          'pass',
          ok.result.verdict.kind === 'violation' ? ok.result.verdict.violation.message : ok.got,
        );
    });
  }
}
