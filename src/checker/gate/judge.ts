// The gate's rule: whether a scenario's run counts as expected (docs/ci.md).
import type { ScenarioInfo } from '../../model/lang/checked.js';
import type { Bound, Verdict } from '../result.js';

/** Which explorer bound each `budget(...)` key sets (runScenario's budgetOptions). */
const BOUND_OF_BUDGET: Record<keyof ScenarioInfo['budget'], Bound> = {
  states: 'max-states',
  seconds: 'max-seconds',
  depth: 'max-depth',
  executions: 'executions',
};

export function declaredBounds(budget: ScenarioInfo['budget']): Bound[] {
  return (Object.keys(BOUND_OF_BUDGET) as (keyof ScenarioInfo['budget'])[])
    .filter((k) => budget[k] !== undefined)
    .map((k) => BOUND_OF_BUDGET[k]);
}

/**
 * Whether a run meets its scenario's expectation. The verdict must equal `expect`, with one
 * exception: a run that stopped at a bound its scenario *declares* in `budget(...)`
 * ("incomplete within budget") is as expected when the scenario expects `pass`. Such a
 * scenario says "no violation within this much search" and got exactly that. An
 * `expect violation(K)` scenario must find K: a search that ran out of budget first has
 * not shown the bug, so it fails. A run stopped by a bound the scenario did not declare (the
 * default depth limit, a command-line --max-* flag, Ctrl-C) fails: the gate never passes a
 * search that was cut short without the spec saying so.
 */
export function judgeVerdict(
  scenario: Pick<ScenarioInfo, 'expect' | 'budget'>,
  verdict: Verdict,
  got: string,
  expected: string,
): { asExpected: boolean; why: string } {
  if (got === expected) return { asExpected: true, why: 'as expected' };
  if (verdict.kind !== 'incomplete') return { asExpected: false, why: `expected ${expected}, got ${got}` };
  const declared = declaredBounds(scenario.budget);
  if (declared.length === 0) {
    return {
      asExpected: false,
      why: `incomplete (${verdict.bound}) and the scenario declares no budget: declare budget(states: N, …) to accept a bounded search, or make the model finite`,
    };
  }
  if (!declared.includes(verdict.bound)) {
    return {
      asExpected: false,
      why: `incomplete at ${verdict.bound}, which is not in its budget(…) (${declared.join(', ')})`,
    };
  }
  if (scenario.expect.kind !== 'pass') {
    return {
      asExpected: false,
      why: `incomplete within budget (${verdict.bound}) before finding the expected ${expected}`,
    };
  }
  return { asExpected: true, why: `incomplete within budget (${verdict.bound})` };
}
