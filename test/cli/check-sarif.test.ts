// `mmcheck check --sarif`: the SARIF 2.1.0 log, validated against the vendored schema
// (test/fixtures/schemas/README.md): a result per violation a scenario did not expect, and an
// error notification for every other failure of the gate.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { check, F, tmp } from '../support/gate-cli.js';

test('check --sarif: one result per unexpected violation, valid against the SARIF 2.1.0 schema', async () => {
  const file = tmp('check.sarif');
  const r = await check(F, '--sarif', file);
  assert.equal(r.code, 2);
  const sarif = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
  assertValidSarif(sarif);
  const run = sarif.runs[0]!;
  assert.deepEqual(
    run.results.map((x) => [
      x.ruleId,
      x.locations[0]!.physicalLocation.artifactLocation.uri,
      x.locations[0]!.physicalLocation.region.startLine,
    ]),
    [
      ['final', `${F}/unexpected.mmspec`, 14],
      ['assertion', `${F}/unexpected.mmspec`, 7],
    ],
  );
  const flow = run.results[1]!.codeFlows![0]!.threadFlows[0]!.locations;
  assert.deepEqual(
    flow.map((l) => [l.executionOrder, l.location.message.text, l.location.physicalLocation?.region.startLine]),
    [
      [1, 'setter: flag = 1;  [flag: 0 → 1]', 6],
      [2, 'checker: assert(flag == 0, "flag was set before the check");', 7],
    ],
  );
  assert.equal(run.results[1]!.locations[0]!.physicalLocation.region.startColumn, 20);
  // Every failure of the gate that is no violation result is an error notification at its
  // scenario: a search cut short, or one that missed the violation it expects (it was
  // absent, and the log read as a clean, successful run).
  const notes = run.invocations[0]!.toolExecutionNotifications;
  assert.deepEqual(
    notes.map((n) => [n.level, n.descriptor.id, n.message.text, n.locations[0]!.physicalLocation.region.startLine]),
    [
      ['error', 'MM307', "undeclared name 'y'", 5],
      [
        'error',
        'incomplete',
        'scenario unbounded (expected pass): incomplete (max-depth) and the scenario declares no budget: declare budget(states: N, …) to accept a bounded search, or make the model finite',
        8,
      ],
      [
        'error',
        'incomplete',
        'scenario bounded_hunt (expected violation(assertion)): incomplete within budget (max-states) before finding the expected violation(assertion)',
        10,
      ],
      [
        'error',
        'violation_not_found',
        'scenario no_bug (expected violation(assertion)): expected violation(assertion), got pass',
        18,
      ],
    ],
  );
  assert.equal(run.invocations[0]!.executionSuccessful, false);
  assert.deepEqual(
    run.tool.driver.notifications.map((d) => d.id),
    ['MM307', 'incomplete', 'violation_not_found'],
  );
  assert.deepEqual(
    notes.map((n) => run.tool.driver.notifications[n.descriptor.index]!.id),
    notes.map((n) => n.descriptor.id),
  );
  assert.equal(run.tool.driver.notifications[0]!.shortDescription.text, 'a name that nothing declares');
});

test('check --sarif: a trace that no longer reproduces is an error notification at the trace file', async () => {
  const file = tmp('traces.sarif');
  const r = await check(`${F}/locked.mmspec`, '--traces', `${F}/traces`, '--sarif', file);
  assert.equal(r.code, 1, r.out + r.err);
  const run = (JSON.parse(readFileSync(file, 'utf8')) as SarifLog).runs[0]!;
  assert.deepEqual(run.results, []);
  assert.deepEqual(
    run.invocations[0]!.toolExecutionNotifications.map((n) => [
      n.descriptor.id,
      n.locations[0]!.physicalLocation.artifactLocation.uri,
    ]),
    [['trace_not_reproduced', `${F}/traces/stale-serial-schedule.json`]],
  );
  assert.equal(run.invocations[0]!.executionSuccessful, false);
});

test('check --sarif: a reduction not applied is a note at its scenario, and a log of notes only is a successful run', async () => {
  // Before, a passing scenario's reductions not applied were nowhere in the log (only violation results carried them).
  const file = tmp('notes.sarif');
  const r = await check(`${F}/locked.mmspec`, '--mode', 'dfs', '--reduce', 'symmetry,dead-locals,por', '--sarif', file);
  assert.equal(r.code, 0, r.out + r.err);
  const sarif = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
  assertValidSarif(sarif);
  const run = sarif.runs[0]!;
  assert.deepEqual(run.results, []);
  const notes = run.invocations[0]!.toolExecutionNotifications;
  assert.deepEqual(
    notes.map((n) => [n.level, n.descriptor.id, n.message.text.replace(/: not applied: .*/, ''), n.locations.length]),
    ['locked', 'lost_update', 'hooked'].map((s) => ['note', 'reduction_not_applied', `scenario ${s}: por`, 1]),
  );
  assert.equal(run.invocations[0]!.executionSuccessful, true);
});

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
}
interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      locations: SarifLocation[];
      codeFlows?: {
        threadFlows: {
          locations: { executionOrder: number; location: Partial<SarifLocation> & { message: { text: string } } }[];
        }[];
      }[];
    }[];
    invocations: {
      executionSuccessful: boolean;
      toolExecutionNotifications: {
        level: string;
        descriptor: { id: string; index: number };
        message: { text: string };
        locations: SarifLocation[];
      }[];
    }[];
    tool: { driver: { notifications: { id: string; shortDescription: { text: string } }[] } };
  }[];
}

/** Fails unless `log` is valid against the vendored SARIF 2.1.0 schema. */
function assertValidSarif(log: object): void {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, formats: SARIF_FORMATS });
  const validate = ajv.compile(
    JSON.parse(readFileSync('test/fixtures/schemas/sarif-2.1.0.schema.json', 'utf8')) as object,
  );
  assert.ok(validate(log), ajv.errorsText(validate.errors));
}

/** The formats the SARIF schema uses, checked as their RFCs say (ajv ships none by itself). */
const SARIF_FORMATS = {
  uri: (s: string): boolean => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s),
  'uri-reference': (s: string): boolean => /^([A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(s),
  'date-time': (s: string): boolean => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s),
  uuid: (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
};
