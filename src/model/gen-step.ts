// Generated step code: one JavaScript function per thread, built with `new Function`, that
// runs a step as ModelSystem.step does with the ops' closures — the op at the thread's pc with
// the chosen alternative, then the local ops after it (lower.ts's fusion rule) — as one
// `switch (pc)` in a loop. Each op whose form the generator knows (OpGen: branches, jumps,
// assignments, checks, atomic blocks, for loops) is written as straight-line source with its
// addresses and constants inlined (gen-expr.ts); any other op, and any expression the
// generator does not handle (calls to built-ins, allocs, macro fns), runs its closure from
// there. V8 then sees one monomorphic function per thread instead of a tree of closure calls.
// MMCHECK_CODEGEN=0 turns it off (the closures run): the differential test compares the two.
import type { CompileEnv } from './compile-env.js';
import { type GenPlace, GenUnit, genPlace, genStore, genValue } from './gen-expr.js';
import type { Expr, Span, Stmt } from './lang/ast.js';
import { localAddr } from './layout.js';
import { checkFail } from './lower-atomic.js';
import { END, type Op, type OpGen } from './lower-steps.js';
import type { Runtime } from './runtime.js';

/**
 * Run the op at `pc` with alternative `choice`, then the local ops after it; returns the pc
 * it stops at: END, the end of the table, a visible op, or — after `fuel` local ops — a local
 * op (the caller goes on as LocalRun.long does, local-run.ts).
 */
export type StepRunner = (s: Int32Array, pc: number, choice: number) => number;

/**
 * Steps a program runs on its closures before its step code is generated (TierUp), by
 * default. Generated code is new on every build and starts cold, in V8's interpreter, where
 * the closures are shared by every build and warm sooner: on the seed twin's first
 * counterexample (buggy_k5: ~22,000 steps, then ~10,000 minimising) generating from the first
 * step cost ~20% more search CPU, and the default search of fixed_k4 (163,406 states) was no
 * faster with it. It saves ~100 ns a step once compiled, which pays on searches of millions
 * of steps; switching after a million costs them at most ~0.1 s.
 */
export const TIER_UP_STEPS = 1 << 20;

/**
 * When step code is generated: after `steps` steps (TIER_UP_STEPS unless the caller knows
 * better); MMCHECK_CODEGEN=0 never (for A/B runs and the differential test), =1 from the first
 * step, =N (N > 1) after N steps, whatever the caller says.
 */
export function codegenDefault(steps = TIER_UP_STEPS): number | false {
  const env = process.env.MMCHECK_CODEGEN;
  if (env === '0') return false;
  if (env === '1') return 0;
  const n = Number(env);
  return env !== undefined && Number.isInteger(n) && n > 1 ? n : steps;
}

/**
 * The generation a program defers (compileProgram): ModelSystem.step counts down `stepsLeft`
 * and calls generate() at 0, between two steps. Generated and closure steps give the same
 * successors and footprints (test/model/codegen.test.ts), so a search may switch in the middle.
 * Shared by every system of the program: the count is the program's.
 */
export class TierUp {
  constructor(
    public stepsLeft: number,
    private readonly pending: (() => void)[],
  ) {}

  /** Generates every thread's step code, once. */
  generate(): void {
    for (const gen of this.pending.splice(0)) gen();
  }
}

/**
 * Source characters one generated function holds at most. V8 optimises no function of more
 * than 60 KiB of bytecode (--max-optimized-bytecode-size): a larger one runs in the baseline
 * compiler's code for good, where every store to the state is an inline-cache call. The step
 * code here compiles to 1-1.2 bytes of bytecode a character; a thread whose cases are longer
 * is split into parts, each a function of consecutive pcs.
 */
export const PART_CHARS = 24_000;

/**
 * The runner of one thread's ops. `clears` is the dead-local reset's table (ThreadSteps.clears),
 * when it is on: the runner clears the words of the visible pc where it stops, as LocalRun
 * does (a run stops at the first visible pc it reaches). The clearing is a function of its
 * own, one case of constant stores per pc: inlined after every op that may land on a pc, the
 * stores of every dead word there had made the step code 2.5 times as long.
 * `partChars`: see PART_CHARS (the tests split programs into many small parts).
 */
export function genThreadRunner(
  ops: readonly Op[],
  rt: Runtime,
  clears: readonly (Int32Array | null)[] | null,
  fuel: number,
  text: (span: Span) => string,
  partChars = PART_CHARS,
): StepRunner {
  const g = new GenUnit();
  const r = g.constant(rt);
  const vis = g.constant(Uint8Array.from(ops, (o) => (o.visible ? 1 : 0)));
  const cases = ops.map((op, pc) => ({ pc, src: `case ${pc}: {\n${opSource(op, g, text)}\nbreak;\n}` }));
  const stores: { pc: number; src: string }[] = [];
  clears?.forEach((words, pc) => {
    if (words !== null)
      stores.push({ pc, src: `case ${pc}: ${Array.from(words, (w) => `s[${w}] = 0;`).join(' ')} return;` });
  });
  const clear = parted('clear', stores, partChars, '(s, pc)', (body) => `switch (pc) {\n${body}\n}`);
  const stop = `if (pc < 0 || pc >= ${ops.length}) return pc;
    if (${vis}[pc] === 1) {${clear.call === '' ? '' : ` ${clear.call};`} return pc; }`;
  if (cases.reduce((n, c) => n + c.src.length, 0) <= partChars) {
    const src = `${g.constants()}
${clear.decls}
return function step(s, pc, c) {
  const fp = ${r}.fp;
  let fuel = ${fuel + 1};
  ${g.temporaries()}
  for (;;) {
    switch (pc) {
${cases.map((c) => c.src).join('\n')}
      default:
        return pc;
    }
    c = 0;
    ${stop}
    if (--fuel === 0) return pc;
  }
};`;
    return new Function('k', src)(g.consts) as StepRunner;
  }
  // Each part runs ops while the pc stays in its range, the budget shared through `fuel`;
  // `step` calls the part of the pc, and stops where the single function would.
  const run = parted(
    'part',
    cases,
    partChars,
    '(s, pc, c)',
    (body, lo, hi) => `const fp = ${r}.fp;
  ${g.temporaries()}
  for (;;) {
    switch (pc) {
${body}
    }
    c = 0;
    if (pc < 0 || pc >= ${ops.length} || ${vis}[pc] === 1 || --fuel === 0 || pc < ${lo} || pc >= ${hi}) return pc;
  }`,
  );
  const src = `${g.constants()}
let fuel = 0;
${clear.decls}
${run.decls}
return function step(s, pc, c) {
  fuel = ${fuel + 1};
  for (;;) {
    pc = ${run.call};
    c = 0;
    ${stop}
    if (fuel === 0) return pc;
  }
};`;
  return new Function('k', src)(g.consts) as StepRunner;
}

/**
 * Functions `name0`, `name1`, ... of `params`, each the cases of consecutive pcs up to
 * `chars` of source (or one case) in `body(cases, lo, hi)`, the part's pcs [lo, hi); and the
 * expression calling the one of `pc` ('' when there are no cases).
 */
function parted(
  name: string,
  cases: readonly { pc: number; src: string }[],
  chars: number,
  params: string,
  body: (cases: string, lo: number, hi: number) => string,
): { decls: string; call: string } {
  if (cases.length === 0) return { decls: '', call: '' };
  const parts: { pc: number; src: string }[][] = [[]];
  let size = 0;
  for (const c of cases) {
    if (parts.at(-1)!.length > 0 && size + c.src.length > chars) {
      parts.push([]);
      size = 0;
    }
    parts.at(-1)!.push(c);
    size += c.src.length;
  }
  // Part i takes the pcs from its first case to the next part's first (the last: all after).
  const lo = (i: number): number => (i === 0 ? 0 : parts[i]![0]!.pc);
  const hi = (i: number): number => (i === parts.length - 1 ? 2 ** 31 - 1 : parts[i + 1]![0]!.pc);
  const decls = parts.map(
    (p, i) => `function ${name}${i}${params} {\n${body(p.map((c) => c.src).join('\n'), lo(i), hi(i))}\n}`,
  );
  const call = parts
    .map((_, i) => (i === parts.length - 1 ? `${name}${i}${params}` : `pc < ${hi(i)} ? ${name}${i}${params} : `))
    .join('');
  return { decls: decls.join('\n'), call };
}

/** One op's case: generated when its form allows, else a call of its exec. */
function opSource(op: Op, g: GenUnit, text: (span: Span) => string): string {
  const body = op.gen === undefined ? null : genOp(op.gen, g, text);
  return body ?? `pc = ${g.constant(op.exec)}(s, c);`;
}

function genOp(op: OpGen, g: GenUnit, text: (span: Span) => string): string | null {
  switch (op.k) {
    case 'goto':
      return `pc = ${op.to.pc};`;
    case 'end':
      return `pc = ${END};`;
    case 'forInc':
      return `s[${op.addr}] = s[${op.addr}] + 1; pc = ${op.head};`;
    case 'branch': {
      const c = genValue(op.cond, op.env, g);
      return c === null ? null : `pc = ${c} !== 0 ? ${op.yes} : ${op.no.pc};`;
    }
    case 'forInit': {
      const v = genValue(op.from, op.env, g);
      return v === null ? null : `s[${op.addr}] = ${v}; pc = ${op.next};`;
    }
    case 'forTest': {
      const v = genValue(op.to, op.env, g);
      return v === null ? null : `pc = s[${op.addr}] < ${v} ? ${op.body} : ${op.end.pc};`;
    }
    case 'assign': {
      const store = genStore(placeOf(op.place, op.env, g), genValue(op.value, op.env, g), op.env, g);
      return store === null ? null : `${store} pc = ${op.next};`;
    }
    case 'eval': {
      const v = genValue(op.expr, op.env, g);
      return v === null ? null : `${v}; pc = ${op.next};`;
    }
    case 'check': {
      const c = genValue(op.stmt.cond, op.env, g);
      const test = op.stmt.kind === 'assert' ? '===' : '!==';
      return c === null ? null : `if (${c} ${test} 0) ${g.constant(op.fail)}(); pc = ${op.next};`;
    }
    case 'atomic': {
      const parts = op.body.map((st, i) => genStraight(st, op.env, g, text) ?? `${g.constant(op.runs[i])}(s);`);
      return `${parts.join('\n')}\npc = ${op.next};`;
    }
  }
}

/** An assignment's place: a local's word (a declaration's), or an lvalue. */
function placeOf(place: Expr | number, env: CompileEnv, g: GenUnit): GenPlace | null {
  if (typeof place !== 'number') return genPlace(place, env, g);
  return { addr: `${place}`, constAddr: place, shared: false, ty: { k: 'int' } };
}

/** A statement inside atomic { } as compileStraight (lower-atomic.ts) runs it, or null. */
function genStraight(s: Stmt, env: CompileEnv, g: GenUnit, text: (span: Span) => string): string | null {
  switch (s.kind) {
    case 'local':
    case 'assign': {
      const value = s.kind === 'local' ? s.init : s.value;
      if (value === undefined) return '';
      const place =
        s.kind === 'local'
          ? placeOf(localAddr(env.thread!, env.body!, env.body!.localByName.get(s.name)!), env, g)
          : genPlace(s.target, env, g);
      return genStore(place, genValue(value, env, g), env, g);
    }
    case 'expr': {
      const v = genValue(s.expr, env, g);
      return v === null ? null : `${v};`;
    }
    case 'if': {
      const c = genValue(s.cond, env, g);
      const then = genStraight(s.then, env, g, text);
      const els = s.else === undefined ? '' : genStraight(s.else, env, g, text);
      return c === null || then === null || els === null ? null : `if (${c} !== 0) {\n${then}\n} else {\n${els}\n}`;
    }
    case 'block': {
      const body = s.body.map((x) => genStraight(x, env, g, text));
      return body.some((x) => x === null) ? null : `{\n${body.join('\n')}\n}`;
    }
    case 'for': {
      const a = localAddr(env.thread!, env.body!, env.body!.localByName.get(s.var)!);
      const from = genValue(s.from, env, g);
      const to = genValue(s.to, env, g);
      const body = genStraight(s.body, env, g, text);
      if (from === null || to === null || body === null) return null;
      return `for (s[${a}] = ${from}; s[${a}] < ${to}; s[${a}] = s[${a}] + 1) {\n${body}\n}`;
    }
    case 'await': {
      const v = genValue(s.cond, env, g);
      return v === null ? null : `${v};`;
    }
    case 'assert':
    case 'bug_on': {
      const c = genValue(s.cond, env, g);
      const test = s.kind === 'assert' ? '===' : '!==';
      return c === null ? null : `if (${c} ${test} 0) ${g.constant(checkFail(s, env, text(s.cond.span)))}();`;
    }
    default:
      return '';
  }
}

/** The choice count of the op at `pc` (0 when its guard blocks), as ModelSystem.choices counts it. */
export type ChoiceCounter = (s: Int32Array, pc: number) => number;

/**
 * One thread's guards and choice counts as one generated function: an await's condition is
 * inlined (gen-expr.ts), any other guard (a blocking built-in's) and choice count is called.
 */
export function genChoiceCounter(ops: readonly Op[], rt: Runtime): ChoiceCounter {
  const g = new GenUnit();
  const r = g.constant(rt);
  const cases: string[] = [];
  ops.forEach((op, pc) => {
    if (op.guard === null && op.choices === null) return;
    const count = op.choices === null ? '1' : `${g.constant(op.choices)}(s)`;
    if (op.guard === null) {
      cases.push(`case ${pc}: return ${count};`);
      return;
    }
    const guard =
      (op.guardGen === undefined ? null : genValue(op.guardGen.cond, op.guardGen.env, g)) ??
      `${g.constant(op.guard)}(s)`;
    cases.push(`case ${pc}: return ${guard} === 0 ? 0 : ${count};`);
  });
  const src = `${g.constants()}
return function choices(s, pc) {
  const fp = ${r}.fp;
  ${g.temporaries()}
  switch (pc) {
${cases.join('\n')}
    default:
      return 1;
  }
};`;
  return new Function('k', src)(g.consts) as ChoiceCounter;
}

/** A condition (an invariant) as one generated function, or null when its form is not generated. */
export function genCondition(cond: Expr, env: CompileEnv, rt: Runtime): ((s: Int32Array) => number) | null {
  const g = new GenUnit();
  const r = g.constant(rt);
  const v = genValue(cond, env, g);
  if (v === null) return null;
  const src = `${g.constants()}
return function condition(s) {
  const fp = ${r}.fp;
  ${g.temporaries()}
  return ${v};
};`;
  return new Function('k', src)(g.consts) as (s: Int32Array) => number;
}
