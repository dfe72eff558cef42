// Promela export, second half: one Promela process per scenario thread, one `atomic` per
// mmcheck step (a visible op and the local ops fused after it, lower.ts's rule, with the
// visibility read from the compiled Program), the state words as Promela globals with the
// model's initial values (a global array as a Promela array, so an index stays an index),
// the checks as asserts whose message names the violation kind, invariants asserted after
// every step, finals asserted when the last thread finishes, and deadlock left to SPIN's
// invalid-end-state check (a finished thread rests at an `end_` label). docs/export.md
// states the mapping.
import type { CheckedSpec, ScenarioInfo } from '../lang/checked.js';
import { typeWords } from '../lang/types.js';
import type { Layout } from '../layout.js';
import { ModelSystem } from '../model-system.js';
import { compileProgram } from '../program.js';
import { emitThread, type ThreadCode } from './emit-thread.js';
import { checkAgainstProgram, initialState } from './initial-promela.js';
import { ThreadLowerer } from './lower-promela.js';
import { lowerCondition } from './lower-promela-expr.js';
import { monitorProcess } from './monitor-promela.js';
import {
  bin,
  cst,
  type Lowered,
  not,
  type PExpr,
  PromelaRefusal,
  printExpr,
  printStmts,
  type WordPrinter,
  word,
} from './pexpr.js';
import { callbackCode } from './rcu-promela.js';

export { PromelaRefusal, REFUSAL_CODES, type RefusalCode } from './pexpr.js';

const KINDS = [
  ...['assertion', 'invariant', 'final', 'lock_misuse', 'sleep_in_atomic', 'lock_order'],
  ...['null_deref', 'use_after_free', 'premature_free', 'pool_exhausted'],
];

interface Region {
  name: string;
  base: number;
  size: number;
}

/**
 * The global arrays whose elements start equal: each one Promela array, so that a computed
 * index stays an index. Every other word is a scalar `wN`; an address computed over
 * scalars (a field through a reference, an element of an array that starts unequal) is
 * printed as the cases of its candidates.
 */
function regions(spec: CheckedSpec, layout: Layout, s: Int32Array): Region[] {
  const out: Region[] = [];
  for (const g of spec.globals.values()) {
    if (g.ty.k !== 'array') continue;
    const base = layout.globals.get(g.name)!;
    const size = typeWords(g.ty);
    if (s.subarray(base, base + size).every((v) => v === s[base])) out.push({ name: `a_${g.name}`, base, size });
  }
  return out;
}

function wordPrinter(rs: Region[]): WordPrinter {
  const at = (a: number): Region | undefined => rs.find((r) => a >= r.base && a < r.base + r.size);
  return (addr, print) => {
    if (addr.k === 'const') {
      const r = at(addr.v);
      return r === undefined ? `w${addr.v}` : `${r.name}[${addr.v - r.base}]`;
    }
    if (addr.k !== 'dyn')
      throw new Error(`[mmcheck internal bug] an address without candidates: ${JSON.stringify(addr)}`);
    const r = at(addr.cands[0]!);
    if (r !== undefined && addr.cands.every((c) => at(c) === r)) {
      const a = addr.a;
      const idx =
        a.k === 'bin' && a.op === '+' && a.a.k === 'const' ? offsetIn(a.a.v - r.base, a.b) : bin('-', a, cst(r.base));
      return `${r.name}[${print(idx)}]`;
    }
    const a = print(addr.a);
    return addr.cands.map((c) => [
      `${a} == ${c}`,
      at(c) === undefined ? `w${c}` : `${at(c)!.name}[${c - at(c)!.base}]`,
    ]);
  };
}

const offsetIn = (off: number, e: PExpr): PExpr => (off === 0 ? e : bin('+', cst(off), e));

/** The Promela text of one scenario, or a PromelaRefusal naming the construct. */
export function exportPromela(spec: CheckedSpec, scenario: ScenarioInfo): string {
  const program = compileProgram(spec, scenario);
  const layout = program.layout;
  const start = new ModelSystem(program).initial();
  if (!('state' in start))
    throw new PromelaRefusal(scenario.decl.span, 'PML07', 'the initial state already violates a check');
  const temps = { n: 0 };
  const threads: ThreadCode[] = layout.threads.map((t, tid) => {
    const ops = new ThreadLowerer(spec, layout, t, tid, temps).lower();
    const visible = checkAgainstProgram(ops, program.threads[tid]!.ops, program.entityNames[tid]!, t.body.span);
    return { ops, tid, t, visible };
  });
  const initOps = new ThreadLowerer(spec, layout, layout.init, layout.threads.length, temps).lower();
  checkAgainstProgram(initOps, program.init.ops, 'init', layout.init.body.span);
  const cond = (kind: 'invariant' | 'final', c: { cond: Parameters<typeof lowerCondition>[2] }): Lowered =>
    lowerCondition(spec, layout, c.cond, temps, kind);
  const invariants = spec.invariants.map((i) => ({ name: i.name, l: cond('invariant', i) }));
  const finals = spec.finals.map((f) => ({ name: f.name, l: cond('final', f) }));
  // The exporter's own initial state (the globals' initialisers, init run to its end, each
  // thread's local prefix) must be the model's, word for word.
  const { s, rest } = initialState(spec, layout, initOps, threads);
  for (let a = 0; a < layout.words; a++)
    if (s[a] !== start.state[a])
      throw new PromelaRefusal(scenario.decl.span, 'PML06', `word ${a} differs from the model's initial state`);
  const rs = regions(spec, layout, s);
  const wp = wordPrinter(rs);
  // One process per slot a deferred free may free (ModelSystem's callback entities).
  const callbacks = layout.poolList.flatMap((pool) =>
    pool.hasCallbacks
      ? Array.from({ length: pool.size }, (_, i) => ({ pool, i, c: callbackCode(layout, pool, i) }))
      : [],
  );
  const cbProcs = callbacks.map(({ pool, i, c }) =>
    [
      `active proctype cb_${pool.struct}_${i}() {`,
      `end_cb: do :: atomic { ${printExpr(c.ready, wp)} -> ${printStmts(c.body, wp).join(' ')} } od`,
      '}',
    ].join('\n'),
  );
  const done = [
    ...layout.threads.map((t) => bin('==', word(t.pc), cst(-1))),
    ...callbacks.map((c) => not(c.c.pending)),
  ];
  const terminal = done.reduce((a, b) => bin('&&', a, b), cst(1));
  const monitor = monitorProcess({ invariants, finals, terminal }, wp);
  const procs = threads.map((tc) => emitThread(tc, rest[tc.tid]!, layout, wp));
  return [
    `/* mmcheck export --promela: spec "${spec.title.replace(/\*\//g, '')}", scenario ${scenario.name} */`,
    `/* words: ${layout.words}; threads: ${layout.threads.map((t) => t.name).join(', ')} */`,
    // Each assert starts with its violation kind, a constant 1 kept out of the state vector
    // (hidden): SPIN prints the expression, so its message names the kind.
    ...KINDS.map((k) => `hidden byte ${k} = 1;`),
    // Temporaries: written before they are read within one atomic step, so never state.
    ...Array.from({ length: temps.n }, (_, n) => `hidden int _t${n};`),
    ...declarations(s, layout, rs),
    '',
    ...procs,
    ...cbProcs,
    monitor,
  ].join('\n');
}

function declarations(s: Int32Array, layout: Layout, rs: Region[]): string[] {
  const out: string[] = [];
  for (let a = 0; a < layout.words; a++) {
    const r = rs.find((x) => a >= x.base && a < x.base + x.size);
    if (r === undefined) out.push(`int w${a} = ${s[a]};`);
    else if (a === r.base) out.push(`int ${r.name}[${r.size}] = ${s[a]};`);
  }
  return out;
}
