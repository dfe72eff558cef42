// DPOR against the enumeration oracle (trace-oracle.ts) on random toy programs. The default test run
// (test/checker/dpor/search.test.ts) checks 1,000 programs; for a long run:
//
//   node dist/test/support/dpor-fuzz.js [cases] [seed]
//
// For each program and each variant ('optimal', 'source'), with violations collected
// instead of stopping the search: the same terminal states and violation kinds as the
// oracle, one complete execution per Mazurkiewicz trace (no trace missed, none twice), and
// for optimal DPOR on programs without blocking ops, no sleep-set-blocked execution. Then,
// stopping at the first violation: a violation exactly when the oracle has one, of a kind
// the oracle saw, whose schedule replays to it.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { exploreDpor } from '../../src/checker/dpor/search.js';
import { DEFAULT_OPTIONS, type ExploreResult, type PorVariant, type ScheduleEntry } from '../../src/checker/result.js';
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../src/model/system.js';
import { type ToyGenOptions, toyProgramArb } from './toy-programs.js';
import { hasBlocking, programText, type ToyProgram, ToySystem } from './toy-system.js';
import { enumerateTraces } from './trace-oracle.js';

export interface DporRun {
  result: ExploreResult;
  terminals: Set<string>;
  kinds: Set<ViolationKind>;
}

/** DPOR that collects every violation and terminal state instead of stopping. */
export function runCollecting(sys: TransitionSystem, por: PorVariant, maxDepth = 1000): DporRun {
  const terminals = new Set<string>();
  const kinds = new Set<ViolationKind>();
  const result = exploreDpor(
    sys,
    { ...DEFAULT_OPTIONS, por, maxDepth },
    {
      strict: true,
      onViolation: (v) => {
        kinds.add(v.kind);
      },
      onTerminal: (s) => {
        terminals.add(Array.from(s).join(','));
      },
    },
  );
  return { result, terminals, kinds };
}

/** Replays a schedule; returns the kind of the violation it ends in (step or terminal), or null. */
export function replayKind(sys: TransitionSystem, schedule: readonly ScheduleEntry[]): ViolationKind | null {
  const init = sys.initial();
  if (!('state' in init)) return init.violation.kind;
  let s = init.state;
  const fp = new Footprint();
  for (let i = 0; i < schedule.length; i++) {
    const { thread, choice } = schedule[i]!;
    assert.ok(choice < sys.choices(s, thread), `schedule step ${i} (T${thread}, ${choice}) is not enabled`);
    const out = new Int32Array(sys.stateWords);
    const r = sys.step(s, thread, choice, out, fp);
    s = out;
    if (r === STEP_VIOLATION) return i === schedule.length - 1 ? sys.lastViolation().kind : null;
  }
  for (let t = 0; t < sys.threadCount; t++) if (sys.choices(s, t) > 0) return null;
  return sys.terminal(s)?.kind ?? null;
}

const sorted = (s: Set<string>): string[] => [...s].sort();

export function compareWithOracle(p: ToyProgram): void {
  const sys = new ToySystem(p);
  const oracle = enumerateTraces(sys);
  const text = programText(p);
  for (const por of ['optimal', 'source'] as const) {
    const got = runCollecting(sys, por);
    const what = `${por} DPOR on\n${text}\n`;
    assert.equal(got.result.verdict.kind, 'pass', `${what}verdict ${JSON.stringify(got.result.verdict)}`);
    assert.deepEqual(sorted(got.terminals), sorted(oracle.terminalStates), `${what}terminal states differ`);
    assert.deepEqual(sorted(got.kinds), sorted(oracle.violations), `${what}violation kinds differ`);
    assert.equal(
      got.result.stats.executions,
      oracle.traces,
      `${what}executions vs traces (oracle: ${oracle.executions} interleavings)`,
    );
    if (por === 'optimal' && !hasBlocking(p)) {
      assert.equal(got.result.stats.sleepBlocked, 0, `${what}sleep-set-blocked executions`);
    }
    const stop = exploreDpor(sys, { ...DEFAULT_OPTIONS, por }, { strict: true });
    if (oracle.violations.size === 0) {
      assert.equal(stop.verdict.kind, 'pass', `${what}stopping search: ${JSON.stringify(stop.verdict)}`);
    } else {
      assert.equal(
        stop.verdict.kind,
        'violation',
        `${what}stopping search missed ${[...oracle.violations].join(', ')}`,
      );
      if (stop.verdict.kind === 'violation') {
        assert.ok(oracle.violations.has(stop.verdict.violation.kind), `${what}found ${stop.verdict.violation.kind}`);
        assert.equal(
          replayKind(sys, stop.verdict.schedule),
          stop.verdict.violation.kind,
          `${what}schedule does not replay`,
        );
      }
    }
  }
}

export function runDporFuzz(cases: number, seed: number, gen: ToyGenOptions): void {
  fc.assert(
    fc.property(toyProgramArb(gen), (p) => {
      compareWithOracle(p);
    }),
    { numRuns: cases, seed },
  );
}

export const FUZZ_KINDS: ToyGenOptions[] = [
  { blocking: false, choice: false, maxInterleavings: 3000 },
  { blocking: false, choice: true, maxInterleavings: 3000 },
  { blocking: true, choice: true, maxInterleavings: 3000 },
];

function main(): number {
  const cases = Number(process.argv[2] ?? 100_000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  const start = performance.now();
  try {
    for (const gen of FUZZ_KINDS) {
      const n = Math.ceil(cases / FUZZ_KINDS.length);
      console.log(`dpor fuzz: ${n} programs ${JSON.stringify(gen)}, seed ${seed}`);
      runDporFuzz(n, seed, gen);
    }
    console.log(`ok in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.log(`FAILED after ${((performance.now() - start) / 1000).toFixed(1)} s:\n${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
