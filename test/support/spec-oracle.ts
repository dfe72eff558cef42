// DPOR against the enumeration oracle (trace-oracle.ts) on random .mmspec programs of the real model
// (shared ints, an atomic, spinlocks, an rwsem, await, alloc/free, SRCU with synchronize_srcu and
// call_srcu, choose, assert, invariants). Each execution is cut at its first violation by
// the expected-kind wrapper (TargetSystem, target null), in the oracle and in DPOR alike.
// For each program and each variant: the same terminal states and the same violation kinds
// as the oracle; on programs where no violation is reachable, one complete execution per
// Mazurkiewicz trace, and for optimal DPOR on programs without blocking statements, no
// sleep-set-blocked execution. The default test run checks a few hundred programs; for a
// long run (`npm run fuzz:dpor` runs this after the toy-program fuzz):
//
//   node dist/test/support/spec-oracle.js [cases] [seed]
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { exploreDpor } from '../../src/checker/dpor/search.js';
import { DEFAULT_OPTIONS, type PorVariant } from '../../src/checker/result.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import { invariantSpec, tinySpec } from './random-spec.js';
import { enumerateTraces } from './trace-oracle.js';

/** Interleavings the oracle may enumerate per program; larger programs are skipped. */
const ORACLE_LIMIT = 5_000;

export interface SpecOracleCounts {
  programs: number;
  /** Programs the oracle enumerated completely (the others were too large and are skipped). */
  compared: number;
  /** Of those, programs with a reachable violation (compared on states and kinds only). */
  violating: number;
  /** Of those, programs compared on execution counts too; and how many of them block. */
  counted: number;
  blocking: number;
}

/** Statements that can block a thread (or schedule a deferred free that waits for readers). */
const BLOCKING = /spin_lock|down_read\(|down_write\(|await|synchronize_srcu|call_srcu/;

const live = (s: Iterable<string>): string[] => [...s].filter((x) => !x.endsWith(',1')).sort();

export function compareSpecWithOracle(text: string, counts: SpecOracleCounts): void {
  counts.programs++;
  const c = compileText(text, 'random.mmspec');
  if (!c.ok)
    assert.fail(`generated spec does not compile:\n${c.diagnostics.map((d) => d.message).join('\n')}\n${text}`);
  const sc = c.spec.scenarios[0]!;
  const plain = new TargetSystem(buildSystem(c.spec, sc), null);
  const init = plain.initial();
  if (!('state' in init)) {
    // The initial state itself breaks an invariant: every search must say so, and nothing else.
    for (const por of ['optimal', 'source'] as PorVariant[]) {
      const r = exploreDpor(
        new TargetSystem(buildSystem(c.spec, sc), null),
        { ...DEFAULT_OPTIONS, por },
        { strict: true },
      );
      assert.equal(
        r.verdict.kind === 'violation' ? r.verdict.violation.kind : r.verdict.kind,
        init.violation.kind,
        `${por} DPOR on\n${text}`,
      );
    }
    return;
  }
  const ref = enumerateTraces(plain, 1000, ORACLE_LIMIT);
  if (ref.cut > 0) return;
  counts.compared++;
  const refKinds = [...plain.cutKinds, ...ref.violations].sort();
  const violating = refKinds.length > 0;
  const blocking = BLOCKING.test(text);
  if (violating) counts.violating++;
  else {
    counts.counted++;
    if (blocking) counts.blocking++;
  }
  for (const por of ['optimal', 'source'] as PorVariant[]) {
    const sys: TargetSystem = new TargetSystem(buildSystem(c.spec, sc), null);
    const terminals = new Set<string>();
    const kinds = new Set<string>();
    const r = exploreDpor(
      sys,
      { ...DEFAULT_OPTIONS, por },
      {
        strict: true,
        onTerminal: (s) => {
          terminals.add(s.join(','));
        },
        onViolation: (v) => {
          kinds.add(v.kind);
        },
      },
    );
    const what = `${por} DPOR on\n${text}\n`;
    assert.equal(r.verdict.kind, 'pass', `${what}verdict ${JSON.stringify(r.verdict)}`);
    assert.deepEqual(live(terminals), live(ref.terminalStates), `${what}terminal states differ`);
    assert.deepEqual([...sys.cutKinds, ...kinds].sort(), refKinds, `${what}violation kinds differ`);
    if (violating) continue;
    assert.equal(
      r.stats.executions,
      ref.traces,
      `${what}executions vs traces (oracle: ${ref.executions} interleavings)`,
    );
    if (por === 'optimal' && !blocking) assert.equal(r.stats.sleepBlocked, 0, `${what}sleep-set-blocked executions`);
  }
}

export function runSpecOracle(cases: number, seed: number | undefined): SpecOracleCounts {
  const counts: SpecOracleCounts = { programs: 0, compared: 0, violating: 0, counted: 0, blocking: 0 };
  fc.assert(
    fc.property(fc.oneof(tinySpec, invariantSpec), (s) => {
      compareSpecWithOracle(s.text, counts);
    }),
    seed === undefined ? { numRuns: cases } : { numRuns: cases, seed },
  );
  return counts;
}

function main(): number {
  const cases = Number(process.argv[2] ?? 100_000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  console.log(`spec oracle: ${cases} random .mmspec programs, seed ${seed}`);
  const start = performance.now();
  try {
    const c = runSpecOracle(cases, seed);
    const s = (performance.now() - start) / 1000;
    console.log(
      `ok in ${s.toFixed(1)} s: ${c.compared} of ${c.programs} programs enumerated by the oracle (${c.programs - c.compared} too large), ` +
        `${c.violating} with a violation, ${c.counted} compared on execution counts (${c.blocking} of them blocking)`,
    );
    return 0;
  } catch (e) {
    console.log(`FAILED after ${((performance.now() - start) / 1000).toFixed(1)} s:\n${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
