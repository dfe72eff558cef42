// The WebAssembly canonicaliser (src/checker/search/canon-wasm.ts) against the JS one it
// stands for (model/symmetry.ts threadSymmetry), word for word: on every successor of a
// bounded BFS over every scenario in specs/ and over random specs, and on states drawn at
// random for made-up layouts that stress what the specs rarely reach (large classes, equal
// blocks, blocks differing only in their last word, owners and masks of every thread, the
// init pseudo-thread's bit, stray bits). Then searches with symmetry, plain and targeted (the
// sink flag's word after the program's), store the same states whichever canonicaliser ran.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { explore } from '../../../src/checker/explore.js';
import { canonIn, tableBytes, writeTables } from '../../../src/checker/search/canon-wasm.js';
import { Fingerprinter } from '../../../src/checker/search/fingerprint.js';
import { TargetSystem } from '../../../src/checker/systems/target.js';
import { buildSystem, compileFile, compileText, findScenario } from '../../../src/model/compile.js';
import type { ModelSystem } from '../../../src/model/model-system.js';
import type { Program } from '../../../src/model/program.js';
import { DEFAULT_REDUCTIONS } from '../../../src/model/reductions.js';
import { symmetryTables, threadSymmetry } from '../../../src/model/symmetry.js';
import { Footprint, STEP_OK, type SymmetryTables, type TransitionSystem } from '../../../src/model/system.js';
import { propertyRuns } from '../../support/fc-global.js';
import { symmetricSpec } from '../../support/random-spec.js';
import { soundnessSpec } from '../../support/soundness.js';
import { SPECS, specFiles } from '../../support/spec-files.js';

/** The wasm canonicaliser in a memory of its own: (s) => the canonical form, or null (s is its own). */
function wasmCanonical(tables: SymmetryTables): (s: Int32Array) => Int32Array | null {
  const bytes = 4 * tables.words;
  const src = 8; // as a Fingerprinter's buffers: 4-aligned, not 8-aligned
  const dst = src + bytes;
  const tab = dst + bytes;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((tab + tableBytes(tables)) / 65536) });
  writeTables(tables, memory.buffer, tab);
  const c = canonIn(memory);
  const state = new Int32Array(memory.buffer, src, tables.words);
  const out = new Int32Array(memory.buffer, dst, tables.words);
  return (s) => {
    state.set(s);
    out.fill(0x5a5a5a5a);
    const moved = c(src, dst, tab);
    if (moved === 0) {
      assert.ok(
        out.every((w) => w === 0x5a5a5a5a),
        'a state that is its own canonical form: out written',
      );
      return null;
    }
    assert.equal(moved, 1);
    return out.slice();
  };
}

/** Compares both canonicalisers on states; counts the calls and those that moved a block. */
class Lockstep {
  calls = 0;
  moved = 0;
  private readonly js: (s: Int32Array, out: Int32Array) => boolean;
  private readonly wasm: (s: Int32Array) => Int32Array | null;
  private readonly out: Int32Array;

  /** The program's canonicalisers, or a system's (its canonicalize, its symmetryTables). */
  constructor(of: Program | TransitionSystem) {
    const sys = 'canonicalize' in of ? of : null;
    this.js = sys?.canonicalize ?? threadSymmetry(of as Program)!.canonicalize;
    const tables = sys === null ? symmetryTables(of as Program)! : sys.symmetryTables;
    assert.ok(tables !== undefined, 'the system offers no tables');
    this.wasm = wasmCanonical(tables);
    this.out = new Int32Array(tables.words);
  }

  check(s: Int32Array, where: string): void {
    this.calls++;
    const moved = this.js(s, this.out);
    const w = this.wasm(s);
    assert.equal(w !== null, moved, `moved, ${where}: [${s.join(',')}]`);
    if (w === null) return;
    this.moved++;
    assert.deepEqual([...w], [...this.out], `canonical form, ${where}: [${s.join(',')}]`);
  }
}

/** A BFS of at most `cap` states of sys, every successor (and the initial state) checked. */
function walk(sys: TransitionSystem, cap: number, lock: Lockstep, name: string): void {
  const init = sys.initial();
  if (!('state' in init)) return;
  const key = (s: Int32Array): string => s.join(',');
  const seen = new Set([key(init.state)]);
  const queue = [init.state];
  lock.check(init.state, `${name} initial`);
  const out = new Int32Array(sys.stateWords);
  for (let head = 0; head < queue.length && head < cap; head++) {
    const s = queue[head]!;
    for (let t = 0; t < sys.threadCount; t++)
      for (let c = 0, n = sys.choices(s, t); c < n; c++) {
        if (sys.step(s, t, c, out, Footprint.NONE) !== STEP_OK) continue;
        lock.check(out, `${name} state ${head} thread ${t} choice ${c}`);
        const k = key(out);
        if (!seen.has(k)) {
          seen.add(k);
          queue.push(out.slice());
        }
      }
  }
}

test('canon-wasm: every scenario in specs/ with symmetry canonicalises as the JS version does', () => {
  let symmetric = 0;
  let calls = 0;
  let moved = 0;
  for (const file of specFiles()) {
    const r = compileFile(file);
    assert.ok(r.ok, file);
    for (const sc of r.spec.scenarios) {
      // Without two threads of one body and arguments there is no class (threadClasses): no
      // system to build (building every scenario's was most of this test's time).
      const keys = sc.threads.map((t) => `${t.body.name}(${t.args.join(',')})`);
      if (new Set(keys).size === keys.length) continue;
      const sys = buildSystem(r.spec, sc, { reduce: DEFAULT_REDUCTIONS });
      if (sys.symmetryTables === undefined) continue;
      symmetric++;
      const lock = new Lockstep(sys.program);
      walk(sys, 200, lock, `${file} ${sc.name}`);
      calls += lock.calls;
      moved += lock.moved;
    }
  }
  assert.ok(symmetric >= 25, `${symmetric} scenarios with symmetry`);
  assert.ok(moved > 5000 && moved < calls, `${moved} of ${calls} states moved`);
});

test('canon-wasm: random specs canonicalise as the JS version does', () => {
  let moved = 0;
  fc.assert(
    fc.property(fc.oneof(symmetricSpec, soundnessSpec), (spec) => {
      const r = compileText(spec.text);
      if (!r.ok) return;
      const sys = buildSystem(r.spec, r.spec.scenarios[0]!, { reduce: DEFAULT_REDUCTIONS });
      if (sys.symmetryTables === undefined) return;
      const lock = new Lockstep(sys.program);
      walk(sys, 200, lock, spec.text);
      moved += lock.moved;
    }),
    { numRuns: propertyRuns(150) },
  );
  assert.ok(moved > 2000, `${moved} states moved`);
});

/**
 * A program that is only a layout: `locks` locks (owner, reader and queue masks), one grace
 * period domain's reader mask, then one block of `blockWords` words per thread, thread i an
 * instance of body bodies[i] (equal bodies are a class), its waitMask and ipiWait words at
 * offsets 1 and 2 of its block.
 */
function layoutOnly(bodies: number[], blockWords: number, locks: number): Program {
  let next = 0;
  const lockList = Array.from({ length: locks }, () => {
    next += 3;
    return { addr: next - 3, readers: 1, queued: 2 };
  });
  const domains = [{ addr: next++ }];
  const threads = bodies.map(() => {
    next += blockWords;
    const base = next - blockWords;
    return { base, end: next, waitMask: base + 1, ipiWait: base + 2 };
  });
  const scenario = { threads: bodies.map((b) => ({ body: { name: `b${b}` }, args: [0] })) };
  const layout = { words: next, threads, locks: lockList, domains, poolList: [] };
  return { scenario, layout } as unknown as Program;
}

/** A layout with at least one class, and states of it: words small, thread-ish, or any int32. */
const layoutAndStates = fc
  .record({
    bodies: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 9 }),
    blockWords: fc.integer({ min: 3, max: 9 }),
    locks: fc.integer({ min: 0, max: 3 }),
    // equal blocks (the first thread's everywhere), some then changed in their last word
    clone: fc.boolean(),
  })
  .filter(({ bodies }) => new Set(bodies).size < bodies.length)
  .chain((shape) => {
    const program = layoutOnly(shape.bodies, shape.blockWords, shape.locks);
    const n = shape.bodies.length;
    const word = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -2, max: 2 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 ** (n + 1) - 1 }) }, // masks with the init bit n
      { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
    );
    const state = fc
      .tuple(fc.array(word, { minLength: program.layout.words, maxLength: program.layout.words }), fc.array(word))
      .map(([words, lasts]) => {
        const s = Int32Array.from(words);
        if (!shape.clone) return s;
        const { threads } = program.layout;
        threads.forEach((t, i) => {
          s.copyWithin(t.base, threads[0]!.base, threads[0]!.end);
          if (i < lasts.length && lasts[i]! % 2 === 0) s[t.end - 1] = lasts[i]!;
        });
        return s;
      });
    return fc.tuple(fc.constant(program), fc.array(state, { minLength: 1, maxLength: 20 }));
  });

test('canon-wasm: made-up layouts canonicalise as the JS version does, state for state', () => {
  let moved = 0;
  let calls = 0;
  fc.assert(
    fc.property(layoutAndStates, ([program, states]) => {
      const lock = new Lockstep(program);
      for (const s of states) lock.check(s, `bodies ${program.scenario.threads.map((t) => t.body.name)}`);
      moved += lock.moved;
      calls += lock.calls;
    }),
    { numRuns: propertyRuns(300) },
  );
  assert.ok(moved > calls / 4 && moved < calls, `${moved} of ${calls} states moved`);
});

test('canon-wasm: a class whose blocks differ only in their last word, owners and masks renamed', () => {
  // Threads 0, 1, 3 are a class (body 0), thread 2 a singleton; blocks of 4 words after one
  // lock (words 0..2) and the domain mask (3): thread t's block at 4 + 4t.
  const program = layoutOnly([0, 0, 1, 0], 4, 1);
  const s = new Int32Array(program.layout.words);
  s.set([7, 0, 0, 5], 4); // thread 0: pc 7, last word 5
  s.set([7, 0, 0, -3], 8); // thread 1: pc 7, last word -3 (signed: before thread 0)
  s.set([1, 0, 0, 0], 12); // thread 2 (unmoved)
  s.set([7, 0, 0, 5], 16); // thread 3: equal to thread 0, stays after it
  s[0] = 1 + 1; // the lock is thread 1's
  s[1] = (1 << 1) | (1 << 2) | (1 << 4); // readers: threads 1 and 2, and the init pseudo-thread (tid 4)
  s[3] = 1 << 0; // domain readers: thread 0
  const wasm = wasmCanonical(symmetryTables(program)!)(s);
  assert.ok(wasm !== null);
  // New order: old 1, old 0, 2, old 3.
  assert.deepEqual([...wasm.subarray(4, 20)], [7, 0, 0, -3, 7, 0, 0, 5, 1, 0, 0, 0, 7, 0, 0, 5]);
  assert.equal(wasm[0], 0 + 1, 'owner: old thread 1 is thread 0');
  assert.equal(wasm[1], (1 << 0) | (1 << 2) | (1 << 4), 'readers: 1 -> 0; 2 and init unmoved');
  assert.equal(wasm[3], 1 << 1, 'domain readers: 0 -> 1');
  const lock = new Lockstep(program);
  lock.check(s, 'the example');
  assert.equal(lock.moved, 1);
});

/** The seed twin's scenario with default reductions (symmetry among them). */
function twin(scenario: string): ModelSystem {
  const r = compileFile(join(SPECS, 'bench/fault-vs-munmap.mmspec'));
  assert.ok(r.ok);
  return buildSystem(r.spec, findScenario(r.spec, scenario)!, { reduce: DEFAULT_REDUCTIONS });
}

test('canon-wasm: a search keys its successors in WebAssembly and stores what the JS key stores', async () => {
  const sys = twin('fixed_k3');
  // The Fingerprinter's key puts a successor's canonical form beside it, in its memory.
  const fp = new Fingerprinter();
  const key = fp.storeKey(sys, DEFAULT_REDUCTIONS);
  const [a] = fp.buffers(sys.stateWords, 2);
  const init = sys.initial();
  assert.ok('state' in init);
  const js = new Int32Array(sys.stateWords);
  let moved = 0;
  for (let t = 0; t < sys.threadCount; t++) {
    if (sys.choices(init.state, t) === 0 || sys.step(init.state, t, 0, a!.words, Footprint.NONE) !== STEP_OK) continue;
    const k = key(a!.words, a!.bytes);
    if (!sys.canonicalize!(a!.words, js)) {
      assert.equal(k, a!.bytes);
      continue;
    }
    moved++;
    assert.equal(k.buffer, a!.bytes.buffer, 'canonicalised beside the state');
    assert.deepEqual(new Int32Array(k.buffer, k.byteOffset, sys.stateWords), js);
  }
  assert.ok(moved > 0, 'no successor of the initial state moved');
  fp.release();
  // A system without its tables (as a wrapper) is keyed by the JS canonicaliser: same searches.
  const jsOnly = Object.create(sys, { symmetryTables: { value: undefined } }) as ModelSystem;
  for (const mode of ['bfs', 'dfs'] as const) {
    const opts = { mode, reduce: DEFAULT_REDUCTIONS };
    const [w, j] = [await explore(sys, opts), await explore(jsOnly, opts)];
    assert.equal(w.verdict.kind, 'pass', mode);
    assert.deepEqual([w.stats.states, w.stats.transitions], [j.stats.states, j.stats.transitions], mode);
    // The JS canonicaliser is left to states read back (the initial one, the livelock check's);
    // a search that made its buffers before asking for its key would call it for every successor.
    let calls = 0;
    const inner = sys.canonicalize!;
    const canonicalize = (s: Int32Array, out: Int32Array): boolean => {
      calls++;
      return inner(s, out);
    };
    const counted = await explore(Object.create(sys, { canonicalize: { value: canonicalize } }), opts);
    assert.ok(calls < counted.stats.transitions / 4, `${mode}: ${calls} JS calls, ${counted.stats.transitions} moves`);
    calls = 0;
    const jsCounted = await explore(Object.create(jsOnly, { canonicalize: { value: canonicalize } }), opts);
    assert.ok(calls >= jsCounted.stats.transitions, `${mode}: the JS key counted (${calls} calls)`);
  }
});

test('canon-wasm: a targeted search (the sink flag after the program words) canonicalises as the JS version does', async () => {
  const target = new TargetSystem(twin('buggy_k3'), 'use_after_free');
  const lock = new Lockstep(target);
  walk(target, 400, lock, 'buggy_k3 targeted');
  assert.ok(lock.moved > 100, `${lock.moved} states moved`);
  const jsOnly = new TargetSystem(
    Object.create(twin('buggy_k3'), { symmetryTables: { value: undefined } }),
    'use_after_free',
  );
  const opts = { mode: 'bfs', reduce: DEFAULT_REDUCTIONS } as const;
  const [w, j] = [await explore(target, opts), await explore(jsOnly, opts)];
  assert.equal(w.verdict.kind, 'violation');
  assert.deepEqual([w.stats.states, w.stats.transitions], [j.stats.states, j.stats.transitions]);
});
