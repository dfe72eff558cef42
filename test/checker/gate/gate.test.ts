// The gate as a library, in process: the same verdicts `mmcheck check` prints, without a
// command line, a worker thread or a renderer of the table.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GateInputError } from '../../../src/checker/gate/discover.js';
import { type GateOptions, runCasesInProcess, runGate } from '../../../src/checker/gate/gate.js';
import { type GateReport, gateCounts, gatePassed } from '../../../src/checker/gate/report.js';
import { renderRun } from '../../../src/report/text.js';

const F = 'test/fixtures/check';
const OPTIONS: GateOptions = { mode: 'bfs', traces: `${F}/no-traces`, jobs: 1 };

async function gate(paths: string[], o: Partial<GateOptions> = {}): Promise<{ report: GateReport; printed: string[] }> {
  const printed: string[] = [];
  const hooks = { runCases: runCasesInProcess(renderRun), onDiagnostics: (t: string) => printed.push(t) };
  return { report: await runGate(paths, { ...OPTIONS, ...o }, hooks), printed };
}

const cells = (r: GateReport): [string, string, string, boolean][] =>
  r.cases.map((c) => [c.scenario, c.expected, c.got, c.asExpected]);

test('gate: every scenario judged against its expect, in spec then scenario order', async () => {
  const { report, printed } = await gate([`${F}/locked.mmspec`, `${F}/unexpected.mmspec`, `${F}/unbounded.mmspec`]);
  assert.deepEqual(cells(report), [
    ['locked', 'pass', 'pass', true],
    ['lost_update', 'violation(final)', 'violation(final)', true],
    ['hooked', 'pass', 'pass', true],
    ['racy_claims_pass', 'pass', 'violation(final)', false],
    ['wrong_kind', 'violation(deadlock)', 'violation(assertion)', false],
    ['no_bug', 'violation(assertion)', 'pass', false],
    ['unbounded', 'pass', 'incomplete', false],
    ['bounded_hunt', 'violation(assertion)', 'incomplete', false],
  ]);
  assert.deepEqual(printed, []);
  assert.equal(gatePassed(report), false);
  assert.deepEqual([gateCounts(report).asExpected, gateCounts(report).notAsExpected], [3, 5]);
  const racy = report.cases[3]!;
  assert.equal(racy.violation?.kind, 'final');
  assert.ok(
    (racy.steps ?? []).some((s) => s.text === 'count = v + 1;'),
    'the case carries its counterexample',
  );
});

test('gate: a declared budget bounds the search; a scenario without one takes the --max-* bounds', async () => {
  const { report } = await gate([`${F}/budget.mmspec`, `${F}/locked.mmspec`], { maxStates: 5 });
  assert.deepEqual(
    report.cases.map((c) => [c.scenario, c.got, c.asExpected, c.stats.states]),
    [
      ['bounded', 'incomplete', true, 40],
      ['locked', 'incomplete', false, 5],
      ['lost_update', 'incomplete', false, 5],
      ['hooked', 'incomplete', false, 5],
    ],
  );
});

test('gate: a spec error is a row and its diagnostic is printed; libraries are classified', async () => {
  const { report, printed } = await gate([F]);
  const status = Object.fromEntries(report.specs.map((s) => [s.path, s.status]));
  assert.equal(status[`${F}/broken.mmspec`], 'error');
  assert.equal(status[`${F}/lib/hooked.mmspec`], 'library');
  assert.equal(report.cases.length, 9);
  assert.equal(printed.length, 1);
  const broken = report.specs.find((s) => s.status === 'error')!;
  assert.deepEqual(broken.errors[0]!.at, { path: `${F}/broken.mmspec`, line: 5, col: 18 });
  assert.ok(printed[0]!.startsWith(broken.errors[0]!.rendered), 'printed as every command prints it');
  assert.equal(gateCounts(report).specErrors, 1);
});

test('gate: committed traces are replayed into the report', async () => {
  const { report } = await gate([`${F}/locked.mmspec`], { traces: `${F}/traces/locked.lost_update.final.json` });
  assert.deepEqual(
    report.traces.map((t) => [t.scenario, t.reproduces, t.detail]),
    [['lost_update', true, 'reproduces']],
  );
  assert.equal(gatePassed(report), true);
});

test('gate: a path that does not exist, or no specs, is an input error', async () => {
  await assert.rejects(gate([`${F}/nope`]), (e) => e instanceof GateInputError && /no such file/.test(e.message));
  await assert.rejects(
    gate([`${F}/traces`]),
    (e) => e instanceof GateInputError && /no \.mmspec files/.test(e.message),
  );
});
