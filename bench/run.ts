// `npm run bench`: every figure the issues ask for, measured in one run on this machine.
// Nothing here is asserted: the numbers go into the closing note and docs.
import { performance } from 'node:perf_hooks';
import type { Mode } from '../src/checker/result.js';
import { needsLeakCheck, runScenario } from '../src/checker/scenario.js';
import { buildSystem, compileFile } from '../src/model/compile.js';
import { benchCheckJobs } from './check-jobs.js';
import { benchCompile } from './compile-speed.js';
import { benchDporPrograms } from './dpor-programs.js';
import { benchKinds } from './kinds-bfs-vs-dpor.js';
import { benchPeers } from './peers.js';
import { benchSeed, seedOptions } from './seed.js';
import { benchStoredState } from './stored-state.js';
import { benchWorkers, workersOptions } from './workers.js';

function mib(b: number): string {
  return `${(b / 1048576).toFixed(0)} MiB`;
}

async function specThroughput(path: string, scenario: string, mode: Mode): Promise<void> {
  const r = compileFile(path);
  if (!r.ok) throw new Error(`${path} does not compile`);
  const sc = r.spec.scenarios.find((s) => s.name === scenario)!;
  const t0 = performance.now();
  // The bench runs the whole space: a scenario's budget is for the CI gate.
  const run = await runScenario(buildSystem(r.spec, sc, { leak: needsLeakCheck(sc) }), sc, {
    mode,
    maxStates: Infinity,
    maxSeconds: Infinity,
  });
  const s = run.result.stats;
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `  ${path} ${scenario} [${mode}]: ${run.got}; ${s.states.toLocaleString('en-US')} states, ${s.transitions.toLocaleString('en-US')} transitions, ` +
      `${s.executions.toLocaleString('en-US')} executions, ${secs.toFixed(2)} s, ${Math.round(s.states / secs).toLocaleString('en-US')} states/s, ` +
      `${s.storedBytes > 0 ? `${(s.storedBytes / s.states).toFixed(1)} bytes/stored state, ` : ''}peak ${mib(s.peakMemoryBytes)}`,
  );
}

async function main(): Promise<void> {
  console.log('== compile speed (goal: a 2,000-line spec in < 200 ms)');
  const c = benchCompile();
  console.log(
    `  ${c.lines} lines compiled in ${c.compileMs.toFixed(1)} ms; ${c.scenarios} scenario systems built in ${c.buildMs.toFixed(1)} ms`,
  );

  console.log('== stored-state search on a spec (goal: >= 1,000,000 states/s, <= 16 bytes per stored fingerprint)');
  await specThroughput('specs/bench/counters.mmspec', 'huge', 'bfs');
  await specThroughput('specs/bench/counters.mmspec', 'huge', 'dfs');

  console.log('== the RFC stress scenario (fixed protocol: three faults, munmap and mprotect at once)');
  await specThroughput('specs/rfc-2008-stress.mmspec', 'stress', 'bfs');

  console.log('== RFC example (specs/rfc-2008-example.mmspec), two_faults: every first-violation kind, BFS vs DPOR');
  for (const r of await benchKinds()) {
    console.log(
      `  ${r.mode}: kinds ${r.kinds.join(', ')}; ${r.transitions.toLocaleString('en-US')} transitions, ${r.executions.toLocaleString('en-US')} executions, ${r.seconds.toFixed(2)} s`,
    );
  }

  console.log('== stored-state search on the toy system (explorer cost without the model)');
  for (const r of await benchStoredState()) {
    console.log(
      `  ${r.name}: ${r.states.toLocaleString('en-US')} states, ${r.seconds.toFixed(2)} s, ${Math.round(r.statesPerSecond).toLocaleString('en-US')} states/s, ${r.bytesPerState.toFixed(1)} bytes/state`,
    );
  }

  await benchDporPrograms();
  await benchPeers();
  benchSeed(seedOptions([]));
  await benchWorkers(workersOptions([]));

  console.log('== mmcheck check specs/ (the CI gate, bfs): 1 job against 2 (goal: >= 1.6x)');
  const [one, two] = await benchCheckJobs(['specs'], [1, 2]);
  for (const r of [one!, two!])
    console.log(
      `  ${r.jobs} job${r.jobs > 1 ? 's' : ''}: ${r.seconds.toFixed(2)} s, ${r.asExpected}/${r.scenarios} scenarios as expected, longest scenario ${r.longestScenarioSeconds.toFixed(2)} s`,
    );
  console.log(`  speed-up with 2 jobs: ${(one!.seconds / two!.seconds).toFixed(2)}x`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
