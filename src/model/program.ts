// The Program stage: a checked spec and one of its scenarios compiled into what the model
// runs — the state layout, each thread's table of steps, the deferred-free entities, the
// invariants and final conditions, and the globals' initial values. Everything the typechecker
// knew is in the data by now: running a Program needs no part of the language front end.

import { type CompileEnv, compileValue, type Val } from './compile-expr.js';
import { type Explain, explainCondition } from './explain-condition.js';
import {
  type ChoiceCounter,
  codegenDefault,
  genChoiceCounter,
  genCondition,
  genThreadRunner,
  type StepRunner,
  TierUp,
} from './gen-step.js';
import { type Expr, forEachChild, type Span } from './lang/ast.js';
import type { CheckedSpec, ScenarioInfo } from './lang/checked.js';
import { sourceLine } from './lang/diagnostics.js';
import { typeWords } from './lang/types.js';
import { computeLayout, type Layout, type ThreadLayout } from './layout.js';
import { Lowerer, type Op } from './lower.js';
import { clearedAtRest, deadAtRest } from './lower-flow.js';
import { LOCAL_FUEL } from './lower-steps.js';
import { BUILTIN_DEFS, callbackEntity, syncType, THREAD_WORD_DECLS } from './prims/index.js';
import { NO_REDUCTIONS, type ReductionSet } from './reductions.js';
import { Runtime } from './runtime.js';
import { wordNaming } from './word-names.js';

/** One thread's compiled body: its words and its table of ops (indexed by pc). */
export interface ThreadSteps {
  layout: ThreadLayout;
  ops: Op[];
  /** The thread's generated step code (gen-step.ts), when compiled with it (or once tiered up). */
  run?: StepRunner;
  /** Its guards and choice counts, generated with `run`. */
  choices?: ChoiceCounter;
  /**
   * Per pc, the frame words a step that stops there clears (dead-locals: clearedAtRest in
   * lower-flow.ts), or null without the reset. LocalRun and the generated code clear them.
   */
  clears: readonly (Int32Array | null)[] | null;
}

/** An invariant or final condition, compiled. */
export interface Condition {
  name: string;
  cond: Val;
  span: Span;
  /** Its expression and the values it reads in a state where it fails (explain-condition.ts). */
  explain: Explain;
}

export type CallbackEntity = ReturnType<typeof callbackEntity>;

export interface Program {
  spec: CheckedSpec;
  scenario: ScenarioInfo;
  layout: Layout;
  /**
   * The context the compiled steps run in (footprint, stepping entity, violation raised):
   * the closures capture it, so a Program is run by one ModelSystem at a time.
   */
  rt: Runtime;
  /** Scheduled entities: the scenario's threads, then one deferred free per callback slot. */
  entityNames: string[];
  threads: ThreadSteps[];
  /** The `init` body, run once before the threads start. */
  init: ThreadSteps;
  callbacks: CallbackEntity[];
  /** Globals with an initialiser: their word and initial value. */
  globalInits: { addr: number; value: number }[];
  invariants: Condition[];
  finals: Condition[];
  /** Words some invariant may read: a step writing one checks the invariants. */
  invariantReads: Uint8Array;
  /** Compiled with the data_race check's access log. */
  dataRace: boolean;
  /** The step code still to generate, after a number of steps (gen-step.ts TierUp); null: none. */
  tierUp: TierUp | null;
}

/**
 * Checks compiled into the steps: `dataRace` logs data accesses (data-race.ts); `leak` warns
 * where a step leaks (a refcount_dec to 0), beside the terminal leak check.
 */
export interface CompileChecks {
  dataRace?: boolean;
  leak?: boolean;
  /**
   * Not a check but how steps run: generated step code (gen-step.ts) from the first step when
   * true, after that many steps when a number, the closures only when false; by default after
   * TIER_UP_STEPS (MMCHECK_CODEGEN=1: from the first, 0: never). Off with the data_race check.
   */
  codegen?: boolean | number;
  /** Source characters per generated function (gen-step.ts PART_CHARS); the tests split small. */
  codegenPartChars?: number;
  /** dead-locals clears every dead word, not only those possibly non-zero: the tests' oracle. */
  clearAllDead?: boolean;
}

/** `reduce` picks the reductions compiled into the steps (dead-locals: lower-flow.ts). */
export function compileProgram(
  spec: CheckedSpec,
  scenario: ScenarioInfo,
  reduce: ReductionSet = NO_REDUCTIONS,
  checks: CompileChecks = {},
): Program {
  const layout = computeLayout(spec, scenario, findCallbackStructs(spec, scenario), syncType, THREAD_WORD_DECLS);
  const cbSlots: { pool: number; slot: number }[] = [];
  for (const p of layout.poolList)
    if (p.hasCallbacks) for (let i = 0; i < p.size; i++) cbSlots.push({ pool: p.index, slot: i });
  const entityNames = [
    ...layout.threads.map((t) => t.name),
    ...cbSlots.map((c) => `callback(${layout.poolList[c.pool]!.struct}#${c.slot})`),
  ];
  const rt = new Runtime(spec, layout, entityNames, wordNaming(spec, layout, entityNames));
  const base = (thread: ThreadLayout | null, tid: number): CompileEnv => ({
    rt,
    spec,
    layout,
    thread,
    tid,
    body: thread?.body ?? null,
    macroArgs: null,
    record: true,
    effects: true,
    derefKind: 'normal',
    races: checks.dataRace === true,
    leak: checks.leak === true,
  });
  const after = checks.dataRace === true ? false : checks.codegen === true ? 0 : (checks.codegen ?? codegenDefault());
  const codegen = after !== false;
  const deferred: (() => void)[] = [];
  const text = (span: Span): string => stmtText(spec, span);
  const lower = (t: ThreadLayout, tid: number, resets = reduce.has('dead-locals')): ThreadSteps => {
    const lowerer = new Lowerer(base(t, tid), text);
    lowerer.lowerBody(t.body);
    const ops = lowerer.ops;
    let clears: (Int32Array | null)[] | null = null;
    if (resets) clears = checks.clearAllDead === true ? deadAtRest(ops, t) : clearedAtRest(ops, t);
    const steps: ThreadSteps = { layout: t, ops, clears };
    if (!codegen) return steps;
    const generate = (): void => {
      steps.run = genThreadRunner(ops, rt, clears, LOCAL_FUEL, text, checks.codegenPartChars);
      steps.choices = genChoiceCounter(ops, rt);
    };
    if (after === 0) generate();
    else deferred.push(generate);
    return steps;
  };
  const threads = layout.threads.map((t, tid) => lower(t, tid));
  // Invariants record what they read: the reads join the footprint of the step that checks them.
  const condition = (kind: 'invariant' | 'final', c: { name: string; cond: Expr; span: Span }): Condition => {
    const env: CompileEnv = { ...base(null, -1), record: kind === 'invariant', effects: false, derefKind: kind };
    const compiled = compileValue(c.cond, { ...env, condName: c.name });
    // Invariants are checked after most steps: generated too (gen-step.ts).
    const generated = codegen && kind === 'invariant' ? genCondition(c.cond, { ...env, condName: c.name }, rt) : null;
    const cond = generated ?? compiled;
    const explain = explainCondition(c.cond, { ...env, condName: c.name }, (e) => exprText(spec, e.span));
    return { name: c.name, span: c.span, cond, explain };
  };
  const invariants = spec.invariants.map((i) => condition('invariant', i));
  const finals = spec.finals.map((f) => condition('final', f));
  const globalInits: Program['globalInits'] = [];
  for (const g of spec.globals.values())
    if (g.init !== undefined) globalInits.push({ addr: layout.globals.get(g.name)!, value: g.initValue ?? 0 });
  return {
    spec,
    scenario,
    layout,
    rt,
    entityNames,
    threads,
    // init runs to its end in one go and its words are cleared after: nothing to reset.
    init: lower(layout.init, layout.threads.length, false),
    callbacks: cbSlots.map((c) => callbackEntity(rt, layout, c.pool, c.slot)),
    globalInits,
    invariants,
    finals,
    invariantReads: invariantReads(spec, layout),
    dataRace: checks.dataRace === true,
    tierUp: deferred.length === 0 || after === false ? null : new TierUp(after, deferred),
  };
}

/** The spec's threads' and fns' part of findCallbackStructs: one walk per spec, not per system built. */
const callbackStructsOfSpec = new WeakMap<CheckedSpec, Set<string>>();

/** Structs whose objects some call_rcu/call_srcu may defer-free: their slots get callback words. */
function findCallbackStructs(spec: CheckedSpec, scenario: ScenarioInfo): Set<string> {
  let common = callbackStructsOfSpec.get(spec);
  if (common === undefined) {
    common = deferredStructs(spec, [...spec.threads.values(), ...spec.fns.values()]);
    callbackStructsOfSpec.set(spec, common);
  }
  return new Set([...common, ...deferredStructs(spec, [scenario.init ?? spec.init])]);
}

function deferredStructs(spec: CheckedSpec, blocks: readonly { body: unknown }[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const e = n as Expr;
    const defers = e.kind === 'call' ? BUILTIN_DEFS.get(e.callee)?.defersFree : undefined;
    if (e.kind === 'call' && defers !== undefined) {
      const arg = e.args[defers];
      const ty = arg === undefined ? undefined : spec.types.get(arg);
      if (ty?.k === 'ref') out.add(ty.struct);
    }
    forEachChild(n, visit);
  };
  for (const b of blocks) visit(b.body);
  return out;
}

/** The words invariants may read: globals they name, and the fields they dereference in every slot. */
function invariantReads(spec: CheckedSpec, layout: Layout): Uint8Array {
  const marks = new Uint8Array(layout.locations);
  const markRange = (from: number, n: number): void => {
    marks.fill(1, from, from + n);
  };
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const e = n as Expr;
    if (e.kind === 'name') {
      const sym = spec.names.get(e);
      if (sym?.k === 'global') markRange(layout.globals.get(sym.global.name)!, typeWords(sym.global.ty));
    } else if (e.kind === 'field') {
      // The field in every slot, and the slot's allocation word (a dereference reads it):
      // not the other fields — a PTL taken and released must not look like a PTE write.
      const ty = spec.types.get(e.object);
      const pool = ty?.k === 'ref' ? layout.pools.get(ty.struct) : undefined;
      const field = ty?.k === 'ref' ? spec.structs.get(ty.struct)?.fieldByName.get(e.field) : undefined;
      if (pool !== undefined && field !== undefined) {
        for (let i = 0; i < pool.size; i++) {
          const slot = pool.base + i * pool.slotWords;
          markRange(slot, 1);
          markRange(slot + 1 + field.offset, typeWords(field.ty));
        }
      }
    }
    forEachChild(n, visit);
  };
  const fnBodies = [...spec.fns.values()].filter((f) => f.macro !== undefined).map((f) => f.macro);
  visit([...spec.invariants.map((i) => i.cond), ...fnBodies]);
  return marks;
}

/** The source text of an expression, on one line. */
function exprText(spec: CheckedSpec, span: Span): string {
  const f = spec.sources.files[span.file];
  return f === undefined ? '' : f.text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
}

/** The text of a statement for traces and `show`: its first source line, trimmed. */
export function stmtText(spec: CheckedSpec, span: Span): string {
  const f = spec.sources.files[span.file];
  if (f === undefined) return '';
  const nl = f.text.indexOf('\n', span.start);
  const firstLine = f.text
    .slice(span.start, nl < 0 || nl > span.end ? span.end : nl)
    .replace(/\s+/g, ' ')
    .trim();
  return firstLine.length > 0 ? firstLine : sourceLine(spec.sources, span).trim();
}
