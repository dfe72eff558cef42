// Every violation kind, end to end through the language: for each case a small spec
// test/fixtures/kinds/<kind>-<case>.mmspec that triggers it and a minimally different twin
// <kind>-<case>-ok.mmspec that passes. Both are run with stored-state BFS and DFS through
// runScenario (the library behind `mmcheck explore`), and the test pins the verdict kind,
// the violating thread and the source line of the violation (violation.span). The exact
// messages are in kind-messages.test.ts, the cases that need more than a verdict in
// kind-rules.test.ts, the design example in design-example.test.ts.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { replaySchedule } from '../../src/checker/trace/record.js';
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { fixture, KINDS, lineOf, MODES, type Mode, only, runSpec, violation, who } from '../support/kind-fixtures.js';
import { LANG_C_CASES } from '../support/kinds-lang-c.js';

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
  /** Run the twin with the opt-in data_race check. */
  dataRace?: boolean;
}

// The violating line is also marked `// violation` in each fixture.
const CASES: Case[] = [
  { name: 'assertion-assert', kind: 'assertion', thread: 'reader', line: 10 },
  { name: 'assertion-bug-on', kind: 'assertion', thread: 'getter', line: 14 },
  { name: 'use_after_free-access', kind: 'use_after_free', thread: 'reader', line: 13 },
  { name: 'use_after_free-double-free', kind: 'use_after_free', thread: 'closer#2', line: 13 },
  // A premature free is a warning: the search expecting use_after_free goes on past it (and
  // remembers it) to the access in the same execution (docs/adr/005).
  {
    name: 'use_after_free-past-premature-free',
    kind: 'use_after_free',
    thread: 'fault',
    line: 18,
    other: { bfs: 'premature_free', dfs: 'premature_free' },
  },
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
  { name: 'deadlock-completion', kind: 'deadlock', thread: 'caller', line: 20 },
  // Spins: no state is terminal; the loop nothing can leave is the deadlock (livelock.test.ts
  // runs them under every mode and checks the loop).
  { name: 'deadlock-goto-spin', kind: 'deadlock', thread: 'consumer', line: 16 },
  { name: 'deadlock-while-spin', kind: 'deadlock', thread: 'waiter', line: 13 },
  { name: 'deadlock-await-spin', kind: 'deadlock', thread: 'consumer', line: 11 },
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
  { name: 'sleep_in_atomic-completion', kind: 'sleep_in_atomic', thread: 'waiter', line: 12 },
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
  // ...except a refcount_dec that drops the last reference, which the step reports.
  { name: 'leak-refcount-dec-hit-0', kind: 'leak', thread: 'put', line: 10, leak: true },
  { name: 'use_after_free-refcount-addition-on-0', kind: 'use_after_free', thread: 'lookup', line: 11 },
  { name: 'use_after_free-refcount-underflow', kind: 'use_after_free', thread: 'put#2', line: 9 },
  { name: 'premature_free-gup-fast-ipi', kind: 'premature_free', thread: 'collapse', line: 20 },
  { name: 'deadlock-ipi-irqs-off', kind: 'deadlock', thread: 'cpu#1', line: 6 },
  { name: 'sleep_in_atomic-irqs-off', kind: 'sleep_in_atomic', thread: 't', line: 7 },
  { name: 'use_after_free-typesafe-outside-rcu', kind: 'use_after_free', thread: 'lookup', line: 13 },
  // data_race names the step taken while the other thread's racing step was enabled.
  { name: 'data_race-unlocked-inc', kind: 'data_race', thread: 'bump#1', line: 5, dataRace: true },
  { name: 'data_race-lockless-reader', kind: 'data_race', thread: 'bump#1', line: 4, dataRace: true },
  { name: 'data_race-rcu-plain-read', kind: 'data_race', thread: 'publish', line: 5, dataRace: true },
  { name: 'data_race-seqcount-reader', kind: 'data_race', thread: 'writer', line: 5, dataRace: true },
  ...LANG_C_CASES,
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
    'data_race',
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
      const ok = await runSpec(twin, only(twin), { mode, leak: c.leak === true, dataRace: c.dataRace === true });
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
