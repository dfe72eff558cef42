// The TraceView a replay builds for the reporters: everything they show, as plain data.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTrace } from '../../../src/checker/trace/file.js';
import { replayTrace } from '../../../src/checker/trace/replay.js';
import type { TraceView } from '../../../src/checker/trace/trace-view.js';

function view(path: string): TraceView {
  const t = readTrace(path);
  assert.ok(t.ok);
  const r = replayTrace(t.trace, path);
  assert.equal(r.kind, 'replayed');
  return r.kind === 'replayed' ? r.view : assert.fail('not replayed');
}

test('trace view: preemptions, typed changes, the violation and its objects', () => {
  const v = view('test/fixtures/traces/uaf.reader_vs_release.use_after_free.json');
  assert.deepEqual([v.scenario, v.mainFile], ['reader_vs_release', 'test/fixtures/traces/uaf.mmspec']);
  assert.deepEqual(
    v.steps.map((s) => [s.index, s.threadName, s.text, s.preempted]),
    [
      [1, 'reader', 'o = cur;', false],
      [2, 'release', 'o = cur;', true],
      [3, 'release', 'cur = null;', false],
      [4, 'release', 'free(o);', false],
      [5, 'reader', 'x = o.val;', false],
    ],
  );
  assert.deepEqual(v.preemptions, [2]);
  assert.deepEqual(v.steps[0]!.changes, [
    { object: 'reader', field: 'o', kind: 'value', before: 'null', after: 'obj#0' },
  ]);
  assert.deepEqual(v.steps[2]!.changes, [{ object: 'cur', kind: 'value', before: 'obj#0', after: 'null' }]);
  assert.ok(v.steps[3]!.changes.some((c) => c.object === 'obj#0' && c.kind === 'free' && c.after === 'freed'));
  assert.deepEqual(v.steps[4]!.changes, [], 'the violating step did not complete');
  assert.equal(v.stepViolation, true);
  assert.equal(v.states.length, 5, 'the initial state and one after each completed step');
  assert.deepEqual(
    { kind: v.violation?.kind, at: v.violation?.at, involved: v.violation?.involved },
    {
      kind: 'use_after_free',
      at: 'test/fixtures/traces/uaf.mmspec:14',
      involved: [{ object: 'obj#0', allocatedByInit: true, notes: ['is freed'] }],
    },
  );
});

test('trace view: a terminal violation is not a step violation; finished threads are marked', () => {
  const v = view('test/fixtures/traces/abba.abba.deadlock.json');
  assert.equal(v.violation?.kind, 'deadlock');
  assert.equal(v.stepViolation, false);
  assert.equal(v.states.length, v.steps.length + 1);
  const lost = view('test/fixtures/traces/lost-update.three_incs.final.json');
  assert.equal(lost.stepViolation, false);
  assert.ok(lost.steps.some((s) => s.finished));
});
