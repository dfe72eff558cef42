// Generated step code against the closures it replaces (src/model/gen-step.ts): two systems
// of one scenario, one built with codegen and one without, walked in lockstep over a
// breadth-first search. At every state, for every thread and alternative: the same choice
// count, the same step status, the same violation or warning, the same successor state word
// for word and the same recorded footprint; at every state without a successor, the same
// terminal verdict.
import assert from 'node:assert/strict';
import { buildSystem } from '../../src/model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../../src/model/lang/checked.js';
import type { ModelSystem } from '../../src/model/model-system.js';
import type { ReductionSet } from '../../src/model/reductions.js';
import { Footprint, STEP_OK, STEP_VIOLATION, type Violation } from '../../src/model/system.js';

export interface LockstepCounts {
  states: number;
  transitions: number;
  violations: number;
  /** Stopped at the cap with states still to visit. */
  capped: boolean;
}

const key = (s: Int32Array): string => Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1');

function sameViolation(a: Violation | null, b: Violation | null, where: string): void {
  assert.deepEqual(
    a && { kind: a.kind, message: a.message, thread: a.thread, condition: a.condition },
    b && { kind: b.kind, message: b.message, thread: b.thread, condition: b.condition },
    where,
  );
}

function sameFootprint(a: Footprint, b: Footprint, where: string): void {
  assert.equal(a.n, b.n, `${where}: footprint size`);
  assert.deepEqual(a.locs.subarray(0, a.n), b.locs.subarray(0, b.n), `${where}: footprint locations`);
  assert.deepEqual(a.writes.subarray(0, a.n), b.writes.subarray(0, b.n), `${where}: footprint writes`);
}

/** The two systems of `scenario`: [generated (split at `partChars`, gen-step.ts), closures]. */
export function systemPair(
  spec: CheckedSpec,
  scenario: ScenarioInfo,
  reduce: ReductionSet,
  partChars?: number,
): [ModelSystem, ModelSystem] {
  return [
    buildSystem(
      spec,
      scenario,
      partChars === undefined ? { reduce, codegen: true } : { reduce, codegen: true, codegenPartChars: partChars },
    ),
    buildSystem(spec, scenario, { reduce, codegen: false }),
  ];
}

/** Walk both systems in lockstep from their initial states, at most `cap` states. */
export function lockstep(gen: ModelSystem, ref: ModelSystem, cap: number): LockstepCounts {
  const counts: LockstepCounts = { states: 0, transitions: 0, violations: 0, capped: false };
  const ia = gen.initial();
  const ib = ref.initial();
  sameViolation('violation' in ia ? ia.violation : null, 'violation' in ib ? ib.violation : null, 'initial');
  if (!('state' in ia) || !('state' in ib)) return counts;
  assert.deepEqual(ia.state, ib.state, 'initial state');
  const seen = new Set([key(ia.state)]);
  const queue = [ia.state];
  const outA = new Int32Array(gen.stateWords);
  const outB = new Int32Array(ref.stateWords);
  const fpA = new Footprint(4096);
  const fpB = new Footprint(4096);
  for (let head = 0; head < queue.length; head++) {
    if (counts.states >= cap) {
      counts.capped = true;
      break;
    }
    counts.states++;
    const s = queue[head]!;
    let successors = 0;
    for (let t = 0; t < gen.threadCount; t++) {
      const n = gen.choices(s, t);
      assert.equal(n, ref.choices(s, t), `choices of thread ${t}`);
      for (let c = 0; c < n; c++) {
        const where = `state #${head}, thread ${gen.threadName(t)}, choice ${c}`;
        const ra = gen.step(s, t, c, outA, fpA);
        const rb = ref.step(s, t, c, outB, fpB);
        assert.equal(ra, rb, `${where}: status`);
        assert.deepEqual(outA, outB, `${where}: successor`);
        sameFootprint(fpA, fpB, where);
        counts.transitions++;
        if (ra !== STEP_OK) {
          sameViolation(gen.lastViolation(), ref.lastViolation(), where);
          counts.violations++;
        }
        if (ra === STEP_VIOLATION) continue;
        successors++;
        const k = key(outA);
        if (!seen.has(k)) {
          seen.add(k);
          queue.push(outA.slice());
        }
      }
    }
    if (successors === 0) sameViolation(gen.terminal(s), ref.terminal(s), `terminal state #${head}`);
  }
  return counts;
}
