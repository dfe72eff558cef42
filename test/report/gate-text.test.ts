// The check table: grouped by spec, fitted to the width, iterative (130,000 scenarios).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GateCase, GateReport } from '../../src/checker/gate/report.js';
import { renderGateFailures, renderGateSummary, renderGateTable } from '../../src/report/gate-text.js';

function gateCase(spec: string, scenario: string, expected: string, got: string): GateCase {
  return {
    spec,
    scenario,
    declaredAt: { path: spec, line: 1, col: 1 },
    expected,
    got,
    asExpected: expected === got,
    why: expected === got ? 'as expected' : `expected ${expected}, got ${got}`,
    budget: {},
    mode: 'bfs',
    stats: { states: 1234, transitions: 2000, executions: 1, seconds: 0.01 },
    report: `scenario ${scenario}: ${got}`,
  } as GateCase;
}

function report(cases: GateCase[]): GateReport {
  const specs = [...new Set(cases.map((c) => c.spec))].map((path) => ({
    path,
    status: 'checked' as const,
    scenarios: 1,
    errors: [],
  }));
  return { specs, cases, traces: [], mode: 'bfs', jobs: 2, startedAt: '', seconds: 1 };
}

test('check table: 130,000 scenarios render (no spread or recursion over the rows)', () => {
  const cases: GateCase[] = [];
  for (let i = 0; i < 130_000; i++) cases.push(gateCase(`specs/s${i % 100}.mmspec`, `sc${i}`, 'pass', 'pass'));
  const r = report(cases);
  const table = renderGateTable(r, false, 100);
  assert.equal(table.split('\n').length, 1 + 100 + 130_000);
  assert.match(renderGateSummary(r), /^130000 scenarios: 130000 as expected, 0 not/);
});

test('check table: the rfc-2008 rows fit 100 and 80 columns; the result says what was expected when it differs', () => {
  const r = report([
    gateCase(
      'specs/rfc-2008.mmspec',
      'q1_pgtable_freed_under_walk',
      'violation(premature_free)',
      'violation(premature_free)',
    ),
    gateCase(
      'specs/rfc-2008.mmspec',
      'q4b_mprotect_in_place',
      'violation(invariant no_writable_pte_after_mprotect)',
      'violation(invariant no_writable_pte_after_mprotect)',
    ),
    gateCase(
      'specs/rfc-2008.mmspec',
      'q2_pgtable_instantiated_for_naught',
      'violation(final no_page_table_over_hole)',
      'pass',
    ),
  ]);
  for (const width of [80, 100]) {
    const table = renderGateTable(r, false, width);
    for (const line of table.split('\n')) assert.ok(line.length <= width, `${width}: ${line}`);
    for (const line of renderGateFailures(r, width).split('\n')) assert.ok(line.length <= width, `${width}: ${line}`);
  }
  const table = renderGateTable(r, false, 100);
  assert.match(table, /^specs\/rfc-2008\.mmspec$/m);
  assert.match(table, /^ {2}ok {4}q1_pgtable_freed_under_walk +1,234\/1 +0\.01 s {2}violation\(premature_free\)$/m);
  assert.match(
    table,
    /^ {2}FAIL {2}q2_pgtable_instantiated_for_naught +1,234\/1 +0\.01 s {2}pass \(expected violation\(final$/m,
  );
});

test('check table: a trace file that cannot be read says so (it read "does not reproduce ?")', () => {
  const r = report([gateCase('specs/a.mmspec', 's', 'pass', 'pass')]);
  r.traces = [
    { path: 'traces/cut.json', scenario: '?', expected: '?', reproduces: false, detail: 'truncated', seconds: 0 },
    {
      path: 'traces/old.json',
      scenario: 's',
      expected: 'violation(deadlock)',
      reproduces: false,
      detail: 'the violation no longer occurs',
      seconds: 0,
    },
  ];
  const table = renderGateTable(r, false, 100);
  assert.match(table, /^ {2}FAIL {2}cut\.json +- +0\.00 s {2}cannot be read$/m);
  assert.match(table, /^ {2}FAIL {2}old\.json +- +0\.00 s {2}does not reproduce violation\(deadlock\)$/m);
});
