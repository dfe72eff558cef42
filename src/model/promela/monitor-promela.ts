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
      return `_t${e.n}`;
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

/** A condition's statements as C: a failing check returns 0 (the condition raises). */
function cStmts(ss: PStmt[], wp: WordPrinter, tmps: Set<number>): string {
  return ss
    .map((s) => {
      switch (s.k) {
        case 'assert':
          return `if (!${cExpr(s.cond, wp)}) return ${code(s.kind)};`;
        case 'tmp':
          tmps.add(s.n);
          return `_t${s.n} = ${cExpr(s.value, wp)};`;
        case 'if':
          return `if (${cExpr(s.cond, wp)}) { ${cStmts(s.yes, wp, tmps)} } else { ${cStmts(s.no, wp, tmps)} }`;
        default:
          throw new Error(`[mmcheck internal bug] a ${s.k} statement in a condition`);
      }
    })
    .join(' ');
}

/** A C function: 0 when the condition holds (or is not checked here), else the code of its violation kind. */
function cFunction(name: string, kind: string, l: Lowered, when: PExpr | null, wp: WordPrinter): string {
  const tmps = new Set<number>();
  const body = cStmts(l.pre, wp, tmps);
  const decl = tmps.size > 0 ? `int ${[...tmps].map((n) => `_t${n}`).join(', ')}; ` : '';
  const gate = when === null ? '' : `if (!${cExpr(when, wp)}) return 0; `;
  return `int ${name}(void) { ${decl}${gate}${body} return ${cExpr(l.e, wp)} ? 0 : ${code(kind)}; }`;
}

/** The monitor process (with its C functions), or '' when the spec has no condition. */
export function monitorProcess(m: MonitorInput, wp: WordPrinter): string {
  const conds = [
    ...m.invariants.map((c, i) => ({ kind: 'invariant', fn: `mm_inv${i}`, when: null, ...c })),
    ...m.finals.map((c, i) => ({ kind: 'final', fn: `mm_fin${i}`, when: m.terminal, ...c })),
  ];
  if (conds.length === 0) return '';
  const fns = conds.map((c) => cFunction(c.fn, c.kind, c.l, c.when, wp));
  // SPIN refuses a c_expr with an '=' in it (it could be an assignment): `!(f() ^ k)` is f() == k.
  const alts = conds.flatMap((c) =>
    [c.kind, 'assertion'].map(
      (k) => `  :: atomic { c_expr { !(${c.fn}() ^ ${code(k)}) } -> assert(${k} && 0) } /* ${c.kind} ${c.name} */`,
    ),
  );
  // One c_code block per function: SPIN bounds a block's text.
  return [
    ...fns.map((f) => `c_code { ${f} }`),
    'active proctype monitor() {',
    'end_monitor: do',
    ...alts,
    '  od',
    '}',
  ].join('\n');
}
