// A scenario whose worker thread died: reported as an internal bug, with no stack frames
// unless MMCHECK_DEBUG=1 (the CLI fuzz met a worker crash whose report carried the stack).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashedCase, type GateTask } from '../../../src/checker/gate/run-case.js';

const task = { spec: 'a.mmspec', scenario: 's', options: { mode: 'bfs' } } as unknown as GateTask;

test('crashedCase: the report names an internal bug and carries no stack frame', () => {
  const saved = process.env['MMCHECK_DEBUG'];
  delete process.env['MMCHECK_DEBUG'];
  try {
    const c = crashedCase(task, new Error('boom'));
    assert.equal(c.got, 'error');
    assert.match(c.report ?? '', /\[mmcheck internal bug\] the worker thread running it died: boom/);
    assert.doesNotMatch(c.report ?? '', /\n\s+at /);
    process.env['MMCHECK_DEBUG'] = '1';
    assert.match(crashedCase(task, new Error('boom')).report ?? '', /\n\s+at /);
  } finally {
    if (saved === undefined) delete process.env['MMCHECK_DEBUG'];
    else process.env['MMCHECK_DEBUG'] = saved;
  }
});
