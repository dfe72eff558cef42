// The gate's plan: one task per scenario, and the order to run them in.
import { type CompileResult, findScenario } from '../../model/compile.js';
import { compileProgram } from '../../model/program.js';
import type { CompiledSpec } from './discover.js';
import type { GateRunOptions, GateTask } from './run-case.js';

/**
 * How long a scenario is likely to run, for the dispatch order: the workers take the heaviest
 * first (longest-processing-time-first scheduling), so that a long scenario does not start
 * last and leave the other workers idle at the end. The estimate is log10 of the product over
 * threads of (steps + 1): the number of combinations of the threads' positions, which ranks
 * the project's own specs as their run times do (docs/ci.md). A scenario whose Program cannot
 * be compiled weighs 0; its worker reports the error.
 */
export function scenarioWeight(c: CompileResult, scenario: string): number {
  if (!c.ok) return 0;
  const info = findScenario(c.spec, scenario);
  if (info === undefined) return 0;
  try {
    let w = 0;
    for (const t of compileProgram(c.spec, info).threads) w += Math.log10(t.ops.length + 1);
    return w;
  } catch {
    return 0;
  }
}

/** The tasks for the scenarios of each spec (in spec, then scenario order) and the heaviest-first order to run them in. */
export function planTasks(
  specs: readonly { compiled: CompiledSpec; scenarios: readonly string[] }[],
  options: GateRunOptions,
): { tasks: GateTask[]; order: number[] } {
  const tasks: GateTask[] = [];
  const weights: number[] = [];
  for (const { compiled: c, scenarios } of specs) {
    for (const scenario of scenarios) {
      tasks.push({ spec: c.path, scenario, options });
      weights.push('result' in c ? scenarioWeight(c.result, scenario) : 0);
    }
  }
  const order = tasks.map((_t, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  return { tasks, order };
}
