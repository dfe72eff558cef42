// Every scenario of every spec under specs/ (and specs/bench/) under the given search modes,
// as `explore` runs it (the scenario's expectation and budget, the leak check it needs): one
// JSON line per (scenario, mode) with its verdict, states, transitions, executions and seconds.
// The measurement behind docs/search.md's table. Each run is capped at BENCH_MAX_SECONDS
// (default 60); a capped run shows as incomplete. A mode may name its reductions after a colon
// (`bfs:none`, `auto:symmetry,dead-locals`); without one it gets the default reductions, as
// `explore` does. `cpu` is the process's CPU seconds for the run (user + system): on a shared
// machine a steadier measure than wall time, and the same thing while searches run on one thread.
//
// `node dist/bench/default-mode.js [--modes bfs:none,auto] [spec-path-substring …]`
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Mode } from '../src/checker/result.js';
import { needsLeakCheck, runScenario } from '../src/checker/scenario.js';
import { buildSystem, compileFile } from '../src/model/compile.js';
import { DEFAULT_REDUCTIONS, parseReductions, type ReductionSet } from '../src/model/reductions.js';

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

interface BenchMode {
  name: string;
  mode: Mode;
  reduce: ReductionSet;
}

/** `bfs:none`, `auto`, `bfs:symmetry/dead-locals`: a mode and its reductions ('/' between them). */
function benchMode(text: string): BenchMode {
  const [mode, reduce] = text.split(':');
  if (reduce === undefined) return { name: text, mode: mode as Mode, reduce: DEFAULT_REDUCTIONS };
  const set = parseReductions(reduce.replaceAll('/', ','));
  if ('error' in set) throw new Error(`--modes ${text}: ${set.error}`);
  return { name: text, mode: mode as Mode, reduce: set };
}

async function main(argv: string[]): Promise<void> {
  const modesAt = argv.indexOf('--modes');
  const modes = (modesAt >= 0 ? argv[modesAt + 1]! : 'bfs:none,auto').split(',').map(benchMode);
  const filters = argv.filter((a, i) => a !== '--modes' && i !== modesAt + 1);
  const cap = Number(process.env.BENCH_MAX_SECONDS ?? 60);
  const repeat = Number(process.env.BENCH_REPEAT ?? 1);
  let nth = 0;
  for (const path of specFiles('specs')) {
    if (filters.length > 0 && !filters.some((f) => path.includes(f))) continue;
    const compiled = compileFile(path);
    if (!compiled.ok) continue;
    for (const sc of compiled.spec.scenarios) {
      // Every other scenario runs the modes in reverse order, so that neither always runs first
      // (colder code); with BENCH_REPEAT=n each (scenario, mode) runs n times and prints n rows.
      const order = nth++ % 2 === 0 ? modes : [...modes].reverse();
      for (const m of Array.from({ length: repeat }, () => order).flat()) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const system = buildSystem(compiled.spec, sc, { leak: needsLeakCheck(sc), reduce: m.reduce });
        const run = await runScenario(system, sc, { mode: m.mode, reduce: m.reduce, maxSeconds: cap });
        const cpu = process.cpuUsage(cpu0);
        const s = run.result.stats;
        const row = {
          spec: path,
          scenario: sc.name,
          mode: m.name,
          ran: run.result.mode,
          got: run.got,
          ok: run.asExpected,
          states: s.states,
          transitions: s.transitions,
          executions: s.executions,
          seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
          cpu: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
          attempts: (run.result.auto ?? []).map((a) => `${a.mode} ${a.stats.states} ${a.stats.seconds.toFixed(3)}s`),
        };
        console.log(JSON.stringify(row));
      }
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
