// The most a footprint-based stored-state partial-order reduction could gain on a scenario
// (docs/reductions.md, "Not built yet"): walk the whole reachable state space twice with
// dead-locals on, recording each enabled step's footprint (its guard's and its choices').
// Pass 1 marks, per location, which threads access it and whether anyone writes it; a location
// is private when one thread alone accesses it or nobody writes it. Pass 2 counts the states
// with a choice of threads in which some thread's step touches only private locations: the
// states where an ample set of one thread could exist at all, with hindsight no analysis has.
//
// `node dist/bench/por-potential.js <spec.mmspec> <scenario> …` (pairs), one JSON line each.
import { pathToFileURL } from 'node:url';
import { Fingerprinter } from '../src/checker/search/fingerprint.js';
import { FingerprintStore } from '../src/checker/search/fingerprint-store.js';
import { buildSystem, compileFile } from '../src/model/compile.js';
import type { ModelSystem } from '../src/model/model-system.js';
import { Footprint, STEP_OK } from '../src/model/system.js';

/** One enabled thread's step in a state: the locations it and its guard touch, and writes. */
interface StepAccess {
  thread: number;
  locs: number[];
  writes: boolean[];
}

/** Every reachable state (depth-first), with each enabled thread's step accesses. */
function walk(sys: ModelSystem, visit: (steps: StepAccess[]) => void): number {
  const fp = new Footprint();
  const guard = new Footprint();
  const f = new Fingerprinter();
  const store = new FingerprintStore();
  const init = sys.initial();
  if (!('state' in init)) return 0;
  const stack = [init.state];
  f.ofState(new Uint8Array(init.state.buffer));
  store.add(f.lo, f.hi);
  const next = new Int32Array(sys.stateWords);
  for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
    const steps: StepAccess[] = [];
    for (let t = 0; t < sys.threadCount; t++) {
      const n = sys.choices(s, t);
      if (n === 0) continue;
      sys.guardFootprint(s, t, guard);
      const access: StepAccess = { thread: t, locs: [...guard.locs.subarray(0, guard.n)], writes: [] };
      access.writes = access.locs.map(() => false);
      for (let c = 0; c < n; c++) {
        if (sys.step(s, t, c, next, fp) !== STEP_OK) continue;
        for (let i = 0; i < fp.n; i++) {
          access.locs.push(fp.locs[i]!);
          access.writes.push(fp.writes[i] === 1);
        }
        f.ofState(new Uint8Array(next.buffer));
        if (store.add(f.lo, f.hi)) stack.push(next.slice());
      }
      steps.push(access);
    }
    visit(steps);
  }
  return store.size;
}

export function porPotential(path: string, scenario: string): Record<string, unknown> {
  const compiled = compileFile(path);
  if (!compiled.ok) throw new Error(`${path} does not compile`);
  const sc = compiled.spec.scenarios.find((x) => x.name === scenario);
  if (sc === undefined) throw new Error(`${path} has no scenario ${scenario}`);
  const sys = buildSystem(compiled.spec, sc, { reduce: new Set(['dead-locals']) });
  const accessors = Array.from({ length: sys.locationCount }, () => new Set<number>());
  const written = new Uint8Array(sys.locationCount);
  const states = walk(sys, (steps) => {
    for (const a of steps) {
      a.locs.forEach((l, i) => {
        accessors[l]!.add(a.thread);
        if (a.writes[i]) written[l] = 1;
      });
    }
  });
  const isPrivate = (a: StepAccess): boolean =>
    a.locs.every((l) => written[l] === 0 || (accessors[l]!.size === 1 && accessors[l]!.has(a.thread)));
  let steps = 0;
  let privateSteps = 0;
  let choiceStates = 0;
  let privateStates = 0;
  walk(sys, (access) => {
    const priv = access.filter(isPrivate).length;
    steps += access.length;
    privateSteps += priv;
    if (access.length > 1) choiceStates++;
    if (access.length > 1 && priv > 0) privateStates++;
  });
  return { spec: path, scenario, states, choiceStates, privateStates, steps, privateSteps };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  for (let i = 0; i + 1 < args.length; i += 2) console.log(JSON.stringify(porPotential(args[i]!, args[i + 1]!)));
}
