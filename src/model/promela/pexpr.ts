// The small IR the Promela exporter lowers a thread to: pure expressions over the state
// array W (the model's words, at the layout's addresses) and hidden temporaries, and the
// straight-line statements a step runs (checks, stores, temporaries, conditionals). Printed
// as Promela, and evaluated here on an Int32Array with the model's 32-bit semantics for the
// local code a thread runs when it is created (export-promela.ts checks the result against
// the model's initial state word for word).
import type { Expr, Span } from '../lang/ast.js';
import type { CheckedSpec } from '../lang/checked.js';
import type { Layout, ThreadLayout } from '../layout.js';

/** The refusal codes (docs/diagnostics.md, "Export refusals"); PML04 and PML05 (pools, init) are retired: both are exported. */
export const REFUSAL_CODES = {
  PML01: 'a statement the exporter does not translate',
  PML02: 'an expression the exporter does not translate',
  PML03: 'a built-in use the exporter does not translate (an srcu inside a pool object)',
  PML06: "the exporter's lowering of a thread disagrees with the compiler's steps",
  PML07: 'a check that already fails when a thread is created',
  PML08: 'a loop of local code only (no step in it: the model would report it)',
} as const;
export type RefusalCode = keyof typeof REFUSAL_CODES;

/** A construct the exporter cannot state exactly in Promela: where, why, and its code. */
export class PromelaRefusal extends Error {
  constructor(
    readonly span: Span,
    readonly code: RefusalCode,
    readonly why: string,
  ) {
    super(why);
  }
}

export type PExpr =
  | { k: 'const'; v: number }
  | { k: 'word'; addr: PExpr }
  | { k: 'tmp'; n: number }
  | { k: 'un'; op: '!' | '-' | '~'; a: PExpr }
  | { k: 'bin'; op: string; a: PExpr; b: PExpr }
  /** An address computed by a, known to be one of cands (a field through a reference, an element). */
  | { k: 'dyn'; a: PExpr; cands: number[] };

/** What a step does in order; an assert names its violation kind. */
export type PStmt =
  | { k: 'assert'; kind: string; cond: PExpr }
  | { k: 'store'; addr: PExpr; value: PExpr }
  | { k: 'tmp'; n: number; value: PExpr }
  | { k: 'if'; cond: PExpr; yes: PStmt[]; no: PStmt[] }
  /** Inside atomic { }: run pre, then body while cond holds (re-running pre before each test). */
  | { k: 'while'; pre: PStmt[]; cond: PExpr; body: PStmt[] }
  /** choose: temporary n takes any value from 0 to count - 1 (a nondeterministic do loop). */
  | { k: 'pick'; n: number; count: PExpr };

export const cst = (v: number): PExpr => ({ k: 'const', v });
export const word = (addr: number | PExpr): PExpr => ({ k: 'word', addr: typeof addr === 'number' ? cst(addr) : addr });
/** A binary operation, folded when both operands are constants and the model's operation cannot raise. */
export function bin(op: string, a: PExpr, b: PExpr): PExpr {
  if (a.k === 'const' && b.k === 'const') {
    const raises = ((op === '/' || op === '%') && b.v === 0) || ((op === '<<' || op === '>>') && (b.v < 0 || b.v > 31));
    if (!raises) return cst(binop(op, a.v, b.v));
  }
  return { k: 'bin', op, a, b };
}

/** An address computed by a among cands; a constant one is just its constant. */
export function dyn(a: PExpr, cands: number[]): PExpr {
  return a.k === 'const' ? a : { k: 'dyn', a, cands };
}
export const not = (a: PExpr): PExpr => ({ k: 'un', op: '!', a });

/**
 * How a word prints: a scalar `wN`, an element of the Promela array of a global array, or,
 * for an address that may be one of several scalars, the cases: [test, scalar] each.
 */
export type WordPrinter = (addr: PExpr, print: (e: PExpr) => string) => string | [string, string][];

/** A word that is one lvalue (a constant address, or an element of a Promela array). */
export function lvalue(wp: WordPrinter, addr: PExpr, print: (e: PExpr) => string): string {
  const w = wp(addr, print);
  if (typeof w !== 'string')
    throw new Error('[mmcheck internal bug] a computed address where a constant one was expected');
  return w;
}

function readCases(cases: [string, string][]): string {
  // The last case is the fallback: the deref or bounds check before it fails on any other address.
  let out = cases[cases.length - 1]![1];
  for (let i = cases.length - 2; i >= 0; i--) out = `(${cases[i]![0]} -> ${cases[i]![1]} : ${out})`;
  return out;
}

export function printExpr(e: PExpr, wp: WordPrinter): string {
  const p = (x: PExpr): string => printExpr(x, wp);
  switch (e.k) {
    case 'const':
      return e.v < 0 ? `(${e.v})` : String(e.v);
    case 'word': {
      const w = wp(e.addr, p);
      return typeof w === 'string' ? w : readCases(w);
    }
    case 'tmp':
      return `_t${e.n}`;
    case 'un':
      return `(${e.op}${p(e.a)})`;
    case 'bin':
      // Promela's && and || take booleans and give 0/1, as the model's do.
      return `(${p(e.a)} ${e.op} ${p(e.b)})`;
    case 'dyn':
      return p(e.a);
  }
}

export function printStmts(ss: PStmt[], wp: WordPrinter): string[] {
  return ss.map((s) => printStmt(s, wp));
}

function printStmt(s: PStmt, wp: WordPrinter): string {
  const p = (x: PExpr): string => printExpr(x, wp);
  switch (s.k) {
    case 'assert':
      // A check that cannot fail is left out (a constant index within bounds).
      return s.cond.k === 'const' && s.cond.v !== 0 ? '' : `assert(${s.kind} && ${p(s.cond)});`;
    case 'store': {
      const w = wp(s.addr, p);
      const v = p(s.value);
      if (typeof w === 'string') return `${w} = ${v};`;
      const last = w.length - 1;
      return `if ${w.map(([c, l], i) => `:: ${i === last ? 'else' : c} -> ${l} = ${v}`).join(' ')} fi;`;
    }
    case 'tmp':
      return `_t${s.n} = ${p(s.value)};`;
    case 'if': {
      const body = (b: PStmt[]): string => (b.length === 0 ? 'skip' : printStmts(b, wp).join(' '));
      return `if :: ${p(s.cond)} -> ${body(s.yes)} :: else -> ${body(s.no)} fi;`;
    }
    case 'while': {
      const pre = printStmts(s.pre, wp).join(' ');
      return `do :: true -> ${pre} if :: ${p(s.cond)} -> ${printStmts(s.body, wp).join(' ')} :: else -> break fi od;`;
    }
    case 'pick':
      return `_t${s.n} = 0; do :: _t${s.n} < ${p(s.count)} - 1 -> _t${s.n} = _t${s.n} + 1 :: break od;`;
  }
}

/** Evaluation on a state, for the local code run at thread creation. */
export interface EvalEnv {
  s: Int32Array;
  tmps: number[];
}

function binop(op: string, a: number, b: number): number {
  switch (op) {
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '*':
      return Math.imul(a, b);
    case '/':
      return (a / b) | 0;
    case '%':
      return (a % b) | 0;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
  }
  throw new Error(`[mmcheck internal bug] operator ${op} in the Promela IR`);
}

export function evalExpr(e: PExpr, env: EvalEnv): number {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'word':
      return env.s[evalExpr(e.addr, env)]!;
    case 'tmp':
      return env.tmps[e.n] ?? 0;
    case 'un': {
      const a = evalExpr(e.a, env);
      return e.op === '!' ? (a === 0 ? 1 : 0) : e.op === '-' ? -a | 0 : ~a;
    }
    case 'bin':
      return binop(e.op, evalExpr(e.a, env), evalExpr(e.b, env));
    case 'dyn':
      return evalExpr(e.a, env);
  }
}

/** Run statements; returns the kind of the first failing assert, or null. */
export function evalStmts(ss: PStmt[], env: EvalEnv): string | null {
  for (const s of ss) {
    if (s.k === 'assert') {
      if (evalExpr(s.cond, env) === 0) return s.kind;
    } else if (s.k === 'store') env.s[evalExpr(s.addr, env)] = evalExpr(s.value, env);
    else if (s.k === 'tmp') env.tmps[s.n] = evalExpr(s.value, env);
    else if (s.k === 'if') {
      const r = evalStmts(evalExpr(s.cond, env) !== 0 ? s.yes : s.no, env);
      if (r !== null) return r;
    } else if (s.k === 'pick')
      env.tmps[s.n] = 0; // only init runs a choice here: the model takes choice 0
    else
      for (;;) {
        const r = evalStmts(s.pre, env) ?? (evalExpr(s.cond, env) === 0 ? 'done' : evalStmts(s.body, env));
        if (r === 'done') break;
        if (r !== null) return r;
      }
  }
  return null;
}

/** Whether an expression reads a state word (else it is stable: constants and temporaries). */
export function readsWords(e: PExpr): boolean {
  if (e.k === 'word') return true;
  if (e.k === 'un') return readsWords(e.a);
  if (e.k === 'bin') return readsWords(e.a) || readsWords(e.b);
  if (e.k === 'dyn') return readsWords(e.a);
  return false;
}

/** A lowered value: statements run first, then a pure expression read after them. */
export interface Lowered {
  pre: PStmt[];
  e: PExpr;
}

/** What the built-ins' lowering needs of the expression lowering (lower-promela-expr.ts). */
export interface LowerCtx {
  readonly spec: CheckedSpec;
  readonly layout: Layout;
  readonly thread: ThreadLayout | null;
  readonly tid: number;
  fresh(): number;
  snap(pre: PStmt[], e: PExpr): PExpr;
  seq(parts: (() => Lowered)[]): { pre: PStmt[]; es: PExpr[] };
  value(e: Expr, effects?: boolean): Lowered;
  place(e: Expr): Lowered;
  /** A shared place's value, as loadPlace reads it (with protectedLoad's bookkeeping). */
  load(e: Expr, effects?: boolean): Lowered;
}

/** The address k words after addr (an object's second word), keeping a computed one's candidates. */
export function offset(addr: PExpr, k: number): PExpr {
  if (k === 0) return addr;
  if (addr.k === 'const') return cst(addr.v + k);
  if (addr.k === 'dyn')
    return dyn(
      bin('+', addr.a, cst(k)),
      addr.cands.map((c) => c + k),
    );
  return bin('+', addr, cst(k));
}

/** A lowered value as one pure expression: its temporaries substituted, its checks folded in as "or it raises". */
export function pureOf(l: Lowered, span: Span): PExpr {
  const tmps = new Map<number, PExpr>();
  const sub = (e: PExpr): PExpr => {
    if (e.k === 'tmp') return tmps.get(e.n) ?? e;
    if (e.k === 'word') return word(sub(e.addr));
    if (e.k === 'un') return { ...e, a: sub(e.a) };
    if (e.k === 'bin') return bin(e.op, sub(e.a), sub(e.b));
    if (e.k === 'dyn') return dyn(sub(e.a), e.cands);
    return e;
  };
  const okOf = (pre: PStmt[], inBranch: boolean): PExpr | null => {
    let ok: PExpr | null = null;
    const and = (c: PExpr): void => {
      ok = ok === null ? c : bin('&&', ok, c);
    };
    for (const s of pre) {
      if (s.k === 'tmp' && !inBranch) tmps.set(s.n, sub(s.value));
      else if (s.k === 'assert') and(sub(s.cond));
      else if (s.k === 'if') {
        // A short circuit's right operand: its checks count only where it is evaluated.
        const c = sub(s.cond);
        const yes = okOf(s.yes, true);
        const no = okOf(s.no, true);
        if (yes !== null) and(bin('||', not(c), yes));
        if (no !== null) and(bin('||', c, no));
      } else throw new PromelaRefusal(span, 'PML01', 'a blocking condition with effects is not exported');
    }
    return ok;
  };
  const ok = okOf(l.pre, false);
  return ok === null ? sub(l.e) : bin('||', not(ok), sub(l.e));
}
