// Issue "Optimal DPOR": on the RFC example (specs/rfc-2008-example.mmspec), DPOR finds the same violation kinds as
// BFS while exploring fewer transitions. Each mode exhausts the scenario with every
// execution cut at its first violation (TargetSystem with no target), so the kinds are
// all the first violations reachable, not just the one met first.
import { performance } from 'node:perf_hooks';
import { explore } from '../src/checker/explore.js';
import type { ExploreOptions } from '../src/checker/result.js';
import { TargetSystem } from '../src/checker/systems/target.js';
import { buildSystem, compileFile } from '../src/model/compile.js';

export async function benchKinds(
  path = 'specs/rfc-2008-example.mmspec',
  scenario = 'two_faults',
): Promise<
  {
    mode: string;
    kinds: string[];
    transitions: number;
    states: number;
    executions: number;
    seconds: number;
    verdict: string;
  }[]
> {
  const c = compileFile(path);
  if (!c.ok) throw new Error(`${path} does not compile`);
  const sc = c.spec.scenarios.find((s) => s.name === scenario)!;
  const modes: Partial<ExploreOptions>[] = [
    { mode: 'bfs' },
    { mode: 'dpor', por: 'optimal' },
    { mode: 'dpor', por: 'source' },
  ];
  const out = [];
  for (const m of modes) {
    const collect = new TargetSystem(buildSystem(c.spec, sc), null);
    const t0 = performance.now();
    const r = await explore(collect, m);
    out.push({
      mode: m.mode === 'dpor' ? `dpor/${m.por}` : m.mode!,
      kinds: [...collect.cutKinds].sort(),
      transitions: r.stats.transitions,
      states: r.stats.states,
      executions: r.stats.executions,
      seconds: (performance.now() - t0) / 1000,
      verdict: r.verdict.kind,
    });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchKinds()) console.log(r);
}
