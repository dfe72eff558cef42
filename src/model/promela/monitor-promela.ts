// Promela export: the invariants and final conditions, checked by one more process, the
// monitor. Each is an alternative of its loop, enabled exactly where the condition fails
// (or raises, as a failing dereference does in the model): in a state where all hold the
// monitor never moves, so it adds no state and no transition, and it rests at an `end_`
// label, so it hides no deadlock. ModelSystem checks the invariants after every step that
// writes a word they read (and in the initial state, which the export requires to pass):
// a state that breaks one is reached in both searches. A final condition is checked where
// every thread has finished and no deferred free is pending (ModelSystem.terminal).
// The test that enables an alternative is a C function over the state (SPIN's c_expr): a
// condition's temporaries are then C locals, where a Promela guard would have to repeat
// each one's expression at every use (the bundled mm invariants grow to megabytes so).
// The function returns 0 where the condition holds, else the code of the violation kind
// (the condition's, or the kind of the check that raises: a zero divisor is an
// `assertion`), and the alternative of that kind asserts it, so SPIN's message names it.
import type { Lowered, PExpr, PStmt, WordPrinter } from './pexpr.js';

const CODES = ['invariant', 'final', 'assertion'];
const code = (kind: string): number => {
  const c = CODES.indexOf(kind);
  if (c < 0) throw new Error(`[mmcheck internal bug] a ${kind} check in a condition`);
  return c + 1;
};

export interface MonitorInput {
  invariants: { name: string; l: Lowered }[];
  finals: { name: string; l: Lowered }[];
  /** Every thread has finished and no deferred free is pending. */
  terminal: PExpr;
}

/** The C text of an expression over the state (`now.wN`), temporaries as C locals. */
function cExpr(e: PExpr, wp: WordPrinter): string {
  const p = (x: PExpr): string => cExpr(x, wp);
  switch (e.k) {
    case 'const':
      return e.v < 0 ? `(${e.v})` : String(e.v);
    case 'tmp':
      return `c_t${e.n}`;
    case 'dyn':
      return p(e.a);
    case 'un':
      return `(${e.op}${p(e.a)})`;
    case 'bin':
      return `(${p(e.a)} ${e.op} ${p(e.b)})`;
    case 'word': {
      const w = wp(e.addr, p);
      if (typeof w === 'string') return `now.${w}`;
      let out = `now.${w[w.length - 1]![1]}`;
      for (let i = w.length - 2; i >= 0; i--) out = `(${w[i]![0]} ? now.${w[i]![1]} : ${out})`;
      return out;
    }
  }
}

/**
 * SPIN copies a c_code block through a 65,536-byte buffer ("inline text too long" above it):
 * a statement list longer than this moves into helper functions, each its own block.
 */
export const C_BLOCK_LIMIT = 48_000;

/** A function's text being built: its temporaries and the helpers its long lists moved into. */
interface CFn {
  name: string;
  wp: WordPrinter;
  tmps: Set<number>;
  helpers: string[];
}

/** A condition's statements as C: a failing check returns its kind's code (the condition raises). */
function cStmts(ss: PStmt[], f: CFn): string {
  const texts = ss.map((s) => {
    switch (s.k) {
      case 'assert':
        return `if (!${cExpr(s.cond, f.wp)}) return ${code(s.kind)};`;
      case 'tmp':
        f.tmps.add(s.n);
        return `c_t${s.n} = ${cExpr(s.value, f.wp)};`;
      case 'if':
        return `if (${cExpr(s.cond, f.wp)}) { ${cStmts(s.yes, f)} } else { ${cStmts(s.no, f)} }`;
      default:
        throw new Error(`[mmcheck internal bug] a ${s.k} statement in a condition`);
    }
  });
  const all = texts.join(' ');
  if (all.length <= C_BLOCK_LIMIT) return all;
  // Too long for one block: consecutive statements, in order, go into helpers that return
  // 0 to go on or the code to return (the statements only return on a failing check).
  const chunks: string[][] = [[]];
  let size = 0;
  for (const t of texts) {
    if (t.length > C_BLOCK_LIMIT) throw new Error(`[mmcheck internal bug] a C statement of ${t.length} bytes`);
    if (size + t.length + 1 > C_BLOCK_LIMIT) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(t);
    size += t.length + 1;
  }
  return chunks
    .map((c) => {
      const h = `${f.name}_h${f.helpers.length}`;
      f.helpers.push(`static int ${h}(void) { ${c.join(' ')} return 0; }`);
      return `mm_r = ${h}(); if (mm_r) return mm_r;`;
    })
    .join(' ');
}

/**
 * The C blocks of a function: 0 when the condition holds (or is not checked here), else the
 * code of its violation kind. Its temporaries are `c_tN` (pan.h declares the Promela
 * processes' hidden `_tN`). A function split into helpers shares its temporaries with
 * them as file statics (the helpers run one after another, each writing a temporary before
 * reading it, as the whole function does).
 */
function cFunction(name: string, kind: string, l: Lowered, when: PExpr | null, wp: WordPrinter): string[] {
  const f: CFn = { name, wp, tmps: new Set(), helpers: [] };
  const body = cStmts(l.pre, f);
  const vars = [...f.tmps].map((n) => `c_t${n}`);
  const split = f.helpers.length > 0;
  const decl = split ? 'int mm_r; ' : vars.length > 0 ? `int ${vars.join(', ')}; ` : '';
  const gate = when === null ? '' : `if (!${cExpr(when, wp)}) return 0; `;
  const fn = `int ${name}(void) { ${decl}${gate}${body} return ${cExpr(l.e, wp)} ? 0 : ${code(kind)}; }`;
  if (!split) return [fn];
  return [...(vars.length > 0 ? [`static int ${vars.join(', ')};`] : []), ...f.helpers, fn];
}

/** The monitor process (with its C functions), or '' when the spec has no condition. */
export function monitorProcess(m: MonitorInput, wp: WordPrinter): string {
  const conds = [
    ...m.invariants.map((c, i) => ({ kind: 'invariant', fn: `mm_inv${i}`, when: null, ...c })),
    ...m.finals.map((c, i) => ({ kind: 'final', fn: `mm_fin${i}`, when: m.terminal, ...c })),
  ];
  if (conds.length === 0) return '';
  const fns = conds.flatMap((c) => cFunction(c.fn, c.kind, c.l, c.when, wp));
  // SPIN refuses a c_expr with an '=' in it (it could be an assignment): `!(f() ^ k)` is f() == k.
  const alts = conds.flatMap((c) =>
    [c.kind, 'assertion'].map(
      (k) => `  :: atomic { c_expr { !(${c.fn}() ^ ${code(k)}) } -> assert(${k} && 0) } /* ${c.kind} ${c.name} */`,
    ),
  );
  // One c_code block per function or helper: SPIN bounds a block's text (C_BLOCK_LIMIT).
  return [
    ...fns.map((f) => `c_code { ${f} }`),
    'active proctype monitor() {',
    'end_monitor: do',
    ...alts,
    '  od',
    '}',
  ].join('\n');
}
