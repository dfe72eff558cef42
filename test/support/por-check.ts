// The partial-order reduction's static footprints (model/por.ts) against the footprints the
// steps record: walk the reachable states (without reductions but dead-locals) and check that
// every step of every entity touches only classes its static set names. The property in
// test/model/por.test.ts and the fuzz script run it; it also runs on the specs of specs/:
//
//   node dist/test/support/por-check.js <spec.mmspec> …
import { pathToFileURL } from 'node:url';
import { Fingerprinter } from '../../src/checker/search/fingerprint.js';
import { FingerprintStore } from '../../src/checker/search/fingerprint-store.js';
import { buildSystem, compileFile } from '../../src/model/compile.js';
import type { ModelSystem } from '../../src/model/model-system.js';
import { PartialOrder } from '../../src/model/por.js';
import { Footprint, STEP_OK, STEP_WARNING } from '../../src/model/system.js';

/** The first step (up to `maxStates` states) whose recorded footprint escapes its static set. */
export function footprintEscape(sys: ModelSystem, maxStates = 50_000): string | null {
  const po = new PartialOrder(sys.program);
  const fp = new Footprint();
  const guard = new Footprint();
  const f = new Fingerprinter();
  const store = new FingerprintStore();
  const init = sys.initial();
  if (!('state' in init)) return null;
  const stack = [init.state];
  f.ofState(new Uint8Array(init.state.buffer));
  store.add(f.lo, f.hi);
  const next = new Int32Array(sys.stateWords);
  sys.continuePast(new Set(['premature_free', 'lock_order', 'leak', 'data_race']));
  for (let s = stack.pop(); s !== undefined && store.size < maxStates; s = stack.pop()) {
    for (let t = 0; t < sys.threadCount; t++) {
      const n = sys.choices(s, t);
      if (n === 0) continue;
      const pc = t < sys.userThreads ? s[sys.threads[t]!.layout.pc]! : -1;
      sys.guardFootprint(s, t, guard);
      const g = guard.n;
      for (let c = 0; c < n; c++) {
        const r = sys.step(s, t, c, next, fp);
        guard.n = g;
        const escaped = po.escapes(t, pc, fp, guard);
        if (escaped !== null) return `${sys.threadName(t)} at pc ${pc} (${sys.nextStepInfo(s, t).text}) ${escaped}`;
        if (r !== STEP_OK && r !== STEP_WARNING) continue;
        f.ofState(new Uint8Array(next.buffer));
        if (store.add(f.lo, f.hi)) stack.push(next.slice());
      }
    }
  }
  return null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const path of process.argv.slice(2)) {
    const compiled = compileFile(path);
    if (!compiled.ok) continue;
    for (const sc of compiled.spec.scenarios) {
      const sys = buildSystem(compiled.spec, sc, { reduce: new Set(['dead-locals', 'por']) });
      const escaped = footprintEscape(sys);
      console.log(`${path} ${sc.name}: ${escaped ?? 'ok'}`);
    }
  }
}
