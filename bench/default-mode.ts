// Every scenario of every spec under specs/ (and specs/bench/) under the given search modes,
// as `explore` runs it (the scenario's expectation and budget, the leak check it needs): one
// JSON line per (scenario, mode) with its verdict, states, transitions, executions and seconds.
// The measurement behind docs/search.md's table. Each run is capped at BENCH_MAX_SECONDS
// (default 60); a capped run shows as incomplete.
//
// `node dist/bench/default-mode.js [--modes bfs,dpor,auto] [spec-path-substring …]`
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Mode } from '../src/checker/result.js';
import { needsLeakCheck, runScenario } from '../src/checker/scenario.js';
import { buildSystem, compileFile } from '../src/model/compile.js';

/** The .mmspec files under `dir` that declare scenarios, recursively, in path order. */
export function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...specFiles(path));
    else if (name.endsWith('.mmspec')) out.push(path);
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const modesAt = argv.indexOf('--modes');
  const modes = (modesAt >= 0 ? argv[modesAt + 1]! : 'bfs,dpor').split(',') as Mode[];
  const filters = argv.filter((a, i) => a !== '--modes' && i !== modesAt + 1);
  const cap = Number(process.env.BENCH_MAX_SECONDS ?? 60);
  for (const path of specFiles('specs')) {
    if (filters.length > 0 && !filters.some((f) => path.includes(f))) continue;
    const compiled = compileFile(path);
    if (!compiled.ok) continue;
    for (const sc of compiled.spec.scenarios) {
      for (const mode of modes) {
        const system = buildSystem(compiled.spec, sc, { leak: needsLeakCheck(sc) });
        const t0 = performance.now();
        const run = await runScenario(system, sc, { mode, maxSeconds: cap });
        const s = run.result.stats;
        const row = {
          spec: path,
          scenario: sc.name,
          mode,
          ran: run.result.mode,
          got: run.got,
          ok: run.asExpected,
          states: s.states,
          transitions: s.transitions,
          executions: s.executions,
          seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
          attempts: (run.result.auto ?? []).map((a) => `${a.mode} ${a.stats.states} ${a.stats.seconds.toFixed(3)}s`),
        };
        console.log(JSON.stringify(row));
      }
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
