// The thread-symmetry canonicaliser alone, ns per successor: the JS one (model/symmetry.ts)
// against the WebAssembly one (checker/search/canon-wasm.ts), on the successors of the first
// `states` states of a BFS of a scenario (default: the seed twin's fixed_k5). Both take the
// same states in the same order, each first copied into a buffer in the wasm memory, as a
// search's step writes it there; rounds alternate between the two.
//
//   nice -n 19 node dist/bench/canonicalize.js [spec] [scenario] [states] [rounds]
import { pathToFileURL } from 'node:url';
import { canonIn, tableBytes, writeTables } from '../src/checker/search/canon-wasm.js';
import { buildSystem, compileFile, findScenario } from '../src/model/compile.js';
import type { ModelSystem } from '../src/model/model-system.js';
import { DEFAULT_REDUCTIONS } from '../src/model/reductions.js';
import { Footprint, STEP_OK } from '../src/model/system.js';

/** The successors of the first `cap` states of a BFS of sys, back to back. */
function successors(sys: ModelSystem, cap: number): Int32Array {
  const init = sys.initial();
  if (!('state' in init)) throw new Error('the initial state is a violation');
  const seen = new Set([init.state.join(',')]);
  const queue = [init.state];
  const out: Int32Array[] = [];
  const next = new Int32Array(sys.stateWords);
  for (let head = 0; head < queue.length && head < cap; head++) {
    const s = queue[head]!;
    for (let t = 0; t < sys.threadCount; t++)
      for (let c = 0, n = sys.choices(s, t); c < n; c++) {
        if (sys.step(s, t, c, next, Footprint.NONE) !== STEP_OK) continue;
        out.push(next.slice());
        const k = next.join(',');
        if (!seen.has(k)) {
          seen.add(k);
          queue.push(next.slice());
        }
      }
  }
  const all = new Int32Array(out.length * sys.stateWords);
  for (const [i, s] of out.entries()) all.set(s, i * sys.stateWords);
  return all;
}

export function benchCanonicalize(file: string, scenario: string, states: number, rounds: number): void {
  const r = compileFile(file);
  if (!r.ok) throw new Error(`${file} does not compile`);
  const sys = buildSystem(r.spec, findScenario(r.spec, scenario)!, { reduce: DEFAULT_REDUCTIONS });
  const tables = sys.symmetryTables;
  if (tables === undefined || sys.canonicalize === undefined) throw new Error(`${scenario}: no symmetry`);
  const all = successors(sys, states);
  const W = sys.stateWords;
  const count = all.length / W;
  // Passes over the successors per timing: enough calls to time when they are few (and in the cache).
  const reps = Math.ceil(200_000 / count);
  // The wasm memory: the successor being canonicalised, the canonical buffer, the tables.
  // Each successor is first copied there from `all` (a search has it there, just written, in
  // the cache); a loop that only copies is timed too and taken off.
  const src = 8;
  const dst = src + 4 * W;
  const tab = dst + 4 * W;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((tab + tableBytes(tables)) / 65536) });
  writeTables(tables, memory.buffer, tab);
  const canon = canonIn(memory);
  const hot = new Int32Array(memory.buffer, src, W);
  const views = Array.from({ length: count }, (_, i) => all.subarray(i * W, (i + 1) * W));
  const out = new Int32Array(W);
  const js = sys.canonicalize;
  let moved = 0;
  const time = (f: () => void): number => {
    const t0 = process.cpuUsage(); // CPU time: the machine is shared
    f();
    const { user, system } = process.cpuUsage(t0);
    return ((user + system) * 1e3) / (count * reps);
  };
  const runCopy = (): void => {
    for (let r = 0; r < reps; r++) for (let i = 0; i < count; i++) hot.set(views[i]!);
  };
  const runJs = (): void => {
    for (let r = 0; r < reps; r++)
      for (let i = 0; i < count; i++) {
        hot.set(views[i]!);
        if (js(hot, out)) moved++;
      }
  };
  const runWasm = (): void => {
    for (let r = 0; r < reps; r++)
      for (let i = 0; i < count; i++) {
        hot.set(views[i]!);
        moved += canon(src, dst, tab);
      }
  };
  console.log(`${scenario}: ${count} successors of ${W} words (${states} states expanded)`);
  for (let round = 0; round < rounds; round++) {
    const copy = time(runCopy);
    const a = time(runJs) - copy;
    const b = time(runWasm) - copy;
    console.log(
      `round ${round + 1}: js ${a.toFixed(1)} ns, wasm ${b.toFixed(1)} ns of CPU a successor (copy ${copy.toFixed(1)} ns)`,
    );
  }
  console.log(`moved: ${((moved / (2 * rounds * count * reps)) * 100).toFixed(1)}% of successors`);
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const [file = 'specs/bench/fault-vs-munmap.mmspec', scenario = 'fixed_k5', states = '20000', rounds = '6'] =
    process.argv.slice(2);
  benchCanonicalize(file, scenario, Number(states), Number(rounds));
}
