// The split DPOR search (src/checker/dpor/split.ts, docs/distributed.md) against the one-task
// search and the unreduced enumeration (trace-oracle.ts) on random .mmspec programs: for
// each program and each hand-over policy (2 or 3 workers, handing over every 1 to 13 nodes,
// so that even small programs are split many times), the same verdict, the same terminal
// states, the same violation kinds, and every Mazurkiewicz trace the one-task search
// explores (its normal form) explored too. Each execution is cut at its first violation
// (TargetSystem, target null) and violations do not stop the search (the onViolation hook),
// as in spec-oracle.ts. The default test run checks a few hundred programs; a long run:
//
//   node dist/test/support/split-oracle.js [cases] [seed]
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { exploreDpor } from '../../src/checker/dpor/search.js';
import { exploreDporSplit, type SplitPolicy } from '../../src/checker/dpor/split.js';
import { DEFAULT_OPTIONS, type ExploreResult, type PorVariant } from '../../src/checker/result.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import type { ModelSystem } from '../../src/model/model-system.js';
import { invariantSpec, smallSpec, tinySpec } from './random-spec.js';
import { enumerateTraces, traceOf } from './trace-oracle.js';

const ORACLE_LIMIT = 5_000;

export const POLICIES: readonly SplitPolicy[] = [
  { workers: 2, every: 1 },
  { workers: 3, every: 2 },
  { workers: 3, every: 5 },
  { workers: 2, every: 13 },
];

export interface SplitCounts {
  programs: number;
  /** Programs the oracle enumerated completely (the others are compared with the one-task search only). */
  oracle: number;
  violating: number;
  /** Split runs that handed at least one task over, and the tasks of all runs. */
  splitRuns: number;
  tasks: number;
  /** Executions of the split runs over those of the one-task runs (duplicates included). */
  executions: number;
  sequentialExecutions: number;
}

interface Run {
  result: ExploreResult;
  terminals: Set<string>;
  kinds: Set<string>;
  traces: Set<string>;
}

const live = (s: Iterable<string>): string[] => [...s].filter((x) => !x.endsWith(',1')).sort();

function run(inner: ModelSystem, por: PorVariant, policy: SplitPolicy | null): Run {
  const sys = new TargetSystem(inner, null);
  const out: Run = {
    result: undefined as unknown as ExploreResult,
    terminals: new Set(),
    kinds: new Set(),
    traces: new Set(),
  };
  const hooks = {
    strict: true,
    onTerminal: (s: Int32Array) => {
      out.terminals.add(s.join(','));
    },
    onViolation: (v: { kind: string }) => {
      out.kinds.add(v.kind);
    },
    onExecution: (schedule: { thread: number; choice: number }[], end: string) => {
      if (end === 'terminal') out.traces.add(traceOf(new TargetSystem(inner, null), schedule));
    },
  };
  const opts = { ...DEFAULT_OPTIONS, mode: 'dpor' as const, por };
  out.result = policy === null ? exploreDpor(sys, opts, hooks) : exploreDporSplit(sys, opts, policy, hooks);
  for (const k of sys.cutKinds) out.kinds.add(k);
  return out;
}

export function compareSplit(text: string, counts: SplitCounts, policies = POLICIES): void {
  counts.programs++;
  const c = compileText(text, 'random.mmspec');
  if (!c.ok) assert.fail(`generated spec does not compile:\n${text}`);
  const inner = (): ModelSystem => buildSystem(c.spec, c.spec.scenarios[0]!);
  const plain = new TargetSystem(inner(), null);
  const init = plain.initial();
  if (!('state' in init)) return;
  const ref = enumerateTraces(plain, 1000, ORACLE_LIMIT);
  const refKinds = ref.cut > 0 ? null : [...plain.cutKinds, ...ref.violations].sort();
  if (refKinds !== null) counts.oracle++;
  if (refKinds !== null && refKinds.length > 0) counts.violating++;
  for (const por of ['optimal', 'source'] as PorVariant[]) {
    const seq = run(inner(), por, null);
    counts.sequentialExecutions += seq.result.stats.executions;
    for (const policy of por === 'optimal' ? policies : policies.slice(0, 1)) {
      const split = run(inner(), por, policy);
      const what = `${por} DPOR split ${JSON.stringify(policy)} on\n${text}\n`;
      assert.equal(split.result.verdict.kind, seq.result.verdict.kind, `${what}verdict`);
      assert.deepEqual(live(split.terminals), live(seq.terminals), `${what}terminal states vs one task`);
      assert.deepEqual([...split.kinds].sort(), [...seq.kinds].sort(), `${what}violation kinds vs one task`);
      const missing = [...seq.traces].filter((t) => !split.traces.has(t));
      assert.deepEqual(missing, [], `${what}traces the one-task search explores`);
      if (refKinds !== null) {
        assert.deepEqual(live(split.terminals), live(ref.terminalStates), `${what}terminal states vs the oracle`);
        assert.deepEqual([...split.kinds].sort(), refKinds, `${what}violation kinds vs the oracle`);
        if (refKinds.length === 0) assert.equal(split.traces.size, ref.traces, `${what}traces vs the oracle`);
      }
      const tasks = split.result.split?.tasks ?? 0;
      counts.tasks += tasks;
      if (tasks > 1) counts.splitRuns++;
      counts.executions += split.result.stats.executions;
    }
  }
}

/** Every count at zero. */
export function emptySplitCounts(): SplitCounts {
  return { programs: 0, oracle: 0, violating: 0, splitRuns: 0, tasks: 0, executions: 0, sequentialExecutions: 0 };
}

export function runSplitOracle(cases: number, seed?: number, policies = POLICIES): SplitCounts {
  const counts = emptySplitCounts();
  fc.assert(
    fc.property(fc.oneof(tinySpec, invariantSpec, smallSpec), (s) => {
      compareSplit(s.text, counts, policies);
    }),
    seed === undefined ? { numRuns: cases } : { numRuns: cases, seed },
  );
  return counts;
}

function main(): number {
  const cases = Number(process.argv[2] ?? 10_000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  console.log(`split DPOR oracle: ${cases} random .mmspec programs, seed ${seed}`);
  const start = performance.now();
  try {
    const c = runSplitOracle(cases, seed);
    console.log(`ok in ${((performance.now() - start) / 1000).toFixed(1)} s: ${JSON.stringify(c)}`);
    return 0;
  } catch (e) {
    console.log(`FAILED after ${((performance.now() - start) / 1000).toFixed(1)} s:\n${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
