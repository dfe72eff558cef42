// The gate's dispatch order.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scenarioWeight } from '../../../src/checker/gate/plan.js';
import { compileFile } from '../../../src/model/compile.js';

test("gate: scenarios are dispatched heaviest first, by the product of the threads' step counts", () => {
  const weight = (path: string, scenario: string): number => scenarioWeight(compileFile(path), scenario);
  const stress = weight('specs/rfc-2008-stress.mmspec', 'stress');
  const two = weight('specs/rfc-2008-example.mmspec', 'two_faults');
  const one = weight('specs/rfc-2008-example.mmspec', 'fault_vs_munmap');
  assert.ok(stress > two && two > one && one > 0, `weights ${stress}, ${two}, ${one}`);
  assert.equal(weight('specs/rfc-2008-example.mmspec', 'no_such_scenario'), 0);
});
