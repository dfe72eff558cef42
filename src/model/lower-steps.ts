// The data lowering produces (ops, the thread's table of steps) and the interface the
// statement lowerers (lower.ts, lower-call.ts, lower-atomic.ts) share.

import type { CompileEnv, Val } from './compile-env.js';
import type { Expr, Span, Stmt } from './lang/ast.js';
import type { BodyInfo } from './lang/checked.js';

export const END = -1;

/** Local ops a step runs before it starts watching for a repeated local state (model-system.ts). */
export const LOCAL_FUEL = 1_000;

export interface Op {
  visible: boolean;
  span: Span;
  text: string;
  /** 1 when the op may run now (blocking ops only). Records what it reads. */
  guard: Val | null;
  /** Number of alternatives (choose / either), else null (one). */
  choices: Val | null;
  /** Run the op on s (already a copy); returns the next pc, or END. */
  exec: (s: Int32Array, choice: number) => number;
  /** How it uses the thread's frame words, for the dead-local reset; absent: it may read all. */
  flow?: LocalFlow;
  /** What exec does, for the step code generator (gen-step.ts); absent: generated code calls exec. */
  gen?: OpGen;
  /** The guard's condition when it is one (an await's), for the generator; absent: it calls guard. */
  guardGen?: { cond: Expr; env: CompileEnv };
}

/**
 * An op's exec as data the generator writes as source (gen-step.ts), form by form the same
 * as the closure: `next`, `yes`, `body`, `head` are pcs; Targets are read once lowered.
 */
export type OpGen =
  | { k: 'goto'; to: Target }
  | { k: 'branch'; cond: Expr; env: CompileEnv; yes: number; no: Target }
  /** `place = value`: place a local's word (a declaration's initialiser) or an lvalue. */
  | { k: 'assign'; place: Expr | number; value: Expr; env: CompileEnv; next: number }
  /** Evaluate for the footprint and violations only (await's condition, once enabled). */
  | { k: 'eval'; expr: Expr; env: CompileEnv; next: number }
  | { k: 'check'; stmt: CheckStmt; fail: () => never; env: CompileEnv; next: number }
  /** atomic { }: each statement generated, or run by its closure in `runs`. */
  | { k: 'atomic'; body: Stmt[]; runs: ((st: Int32Array) => void)[]; env: CompileEnv; next: number }
  | { k: 'forInit'; addr: number; from: Expr; env: CompileEnv; next: number }
  | { k: 'forTest'; addr: number; to: Expr; env: CompileEnv; body: number; end: Target }
  | { k: 'forInc'; addr: number; head: number }
  | { k: 'end' };

export type CheckStmt = Extract<Stmt, { kind: 'assert' | 'bug_on' }>;

/**
 * An op's use of its thread's frame words (locals, params, fn results), stated statically:
 * `reads` over-approximates what it (its guard and choice count included) may read, `kills`
 * under-approximates what it writes on every path before any read, `next` lists every pc it
 * may go to (END and the end of the table need not be listed).
 */
export interface LocalFlow {
  reads: number[];
  kills: number[];
  next: (number | Target)[];
}

export interface Target {
  pc: number;
}

export interface Frame {
  body: BodyInfo;
  labels: Map<string, Target>;
  /** Where `return` jumps (fns: the code storing the result); null in a thread: the end. */
  exit: Target | null;
}

/** Where lowered ops go, and what the lowerers of one body share. */
export interface StepSink {
  /** The text of a statement for traces and `show`. */
  readonly text: (span: Span) => string;
  /** Enclosing loops: where `break` and `continue` jump (an inlined fn starts with none). */
  loops: { brk: Target; cont: Target }[];
  envFor(frame: Frame): CompileEnv;
  emit(op: Op): number;
  here(): number;
  block(stmts: Stmt[], f: Frame): void;
}

export function labelTargets(body: Stmt[]): Map<string, Target> {
  const labels = new Map<string, Target>();
  const walk = (s: Stmt): void => {
    if (s.kind === 'label') labels.set(s.name, { pc: -2 });
    else if (s.kind === 'if') {
      walk(s.then);
      if (s.else) walk(s.else);
    } else if (s.kind === 'while' || s.kind === 'for') walk(s.body);
    else if (s.kind === 'block' || s.kind === 'atomic') s.body.forEach(walk);
    else if (s.kind === 'either') for (const b of s.branches) b.forEach(walk);
  };
  body.forEach(walk);
  return labels;
}
