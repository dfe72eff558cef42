// The JUnit and SARIF reports of a gate stopped (Ctrl-C) after its last scenario, before it
// replayed the traces: every scenario as expected, exit 3, and still no clean report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GateReport } from '../../src/checker/gate/report.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderSarif } from '../../src/report/sarif.js';

const STOPPED: GateReport = {
  specs: [{ path: 'specs/a.mmspec', status: 'checked', scenarios: 1, errors: [] }],
  cases: [
    {
      spec: 'specs/a.mmspec',
      scenario: 's',
      declaredAt: { path: 'specs/a.mmspec', line: 3, col: 1 },
      expected: 'pass',
      got: 'pass',
      asExpected: true,
      why: 'as expected',
      budget: {},
      mode: 'bfs',
      stats: { states: 9, transitions: 8, executions: 1, seconds: 0.01 },
      report: 'scenario s: pass',
    },
  ],
  traces: [],
  tracesNotReplayed: 3,
  mode: 'bfs',
  jobs: 1,
  startedAt: '2026-12-04T14:00:00',
  seconds: 1,
};

test('check --junit: traces not replayed (interrupted) are a failure, not a report of passes only', () => {
  const xml = renderJunit(STOPPED);
  assert.match(xml, /<testsuites name="mmcheck check" tests="2" failures="1" errors="0"/);
  assert.match(
    xml,
    /<testsuite name="traces" tests="1" failures="1" [^>]*>\n {4}<testcase name="\(3 trace files not replayed\)" classname="traces" time="0\.000">\n {6}<failure message="interrupted before the trace files were replayed" type="interrupted">/,
  );
});

test('check --sarif: traces not replayed (interrupted) are an error notification', () => {
  const run = (renderSarif(STOPPED, { toolVersion: '0.1.0' }) as { runs: Record<string, unknown>[] }).runs[0]!;
  const inv = (run.invocations as { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[])[0]!;
  assert.equal(inv.executionSuccessful, false);
  assert.deepEqual(inv.toolExecutionNotifications, [
    {
      level: 'error',
      message: { text: '3 trace files not replayed: interrupted' },
      descriptor: { id: 'traces_not_replayed', index: 0 },
    },
  ]);
});
