// The gate's budget rule (docs/ci.md).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeVerdict } from '../../../src/checker/gate/judge.js';

test('gate: the budget rule', () => {
  const inc = { kind: 'incomplete', bound: 'max-states', detail: '' } as const;
  const pass = { kind: 'pass' } as const;
  const violation = { kind: 'violation', violation: 'assertion' } as const;
  assert.deepEqual(judgeVerdict({ expect: pass, budget: {} }, inc, 'incomplete', 'pass').asExpected, false);
  assert.deepEqual(judgeVerdict({ expect: pass, budget: { states: 9 } }, inc, 'incomplete', 'pass'), {
    asExpected: true,
    why: 'incomplete within budget (max-states)',
  });
  assert.equal(
    judgeVerdict({ expect: pass, budget: { seconds: 9 } }, inc, 'incomplete', 'pass').asExpected,
    false,
    'stopped by a bound it did not declare',
  );
  assert.equal(
    judgeVerdict({ expect: violation, budget: { states: 9 } }, inc, 'incomplete', 'violation(assertion)').asExpected,
    false,
  );
  assert.equal(judgeVerdict({ expect: pass, budget: {} }, pass, 'pass', 'pass').asExpected, true);
});
