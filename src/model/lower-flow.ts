// The dead-local reset (reduction `dead-locals`, on by default in SPIN as well): a liveness
// pass over a thread's table of ops, and the ops rewritten so that a step resets every frame
// word that is dead where the thread comes to rest. Two states that differ only in a local
// no path reads again before writing it have the same futures; resetting it makes them one.
//
// The analysis is the textbook backward one (live_in = reads ∪ (live_out − kills)) over the
// ops' LocalFlow. Its only consumers of frame words are the ops themselves: invariants and
// final conditions cannot name locals (the checker rejects them outside a thread), and a
// finished thread's frame is cleared anyway. Traces still replay: a dead word influences no
// guard, choice count or later write, so every schedule stays enabled step for step.

import type { CompileEnv, Place } from './compile-env.js';
import { type Expr, forEachChild, type Stmt } from './lang/ast.js';
import type { ThreadLayout } from './layout.js';
import { END, type LocalFlow, type Op, type Target } from './lower-steps.js';

/** Every frame word an expression or statement (tree) names, as a conservative read set. */
export function localReads(node: Expr | Stmt | readonly (Expr | Stmt)[] | undefined, env: CompileEnv): number[] {
  const out = new Set<number>();
  const t = env.thread;
  if (t === null || node === undefined) return [];
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const e = n as Expr | Stmt;
    if (e.kind === 'name') {
      const sym = env.spec.names.get(e);
      const frame = sym?.k === 'local' ? t.frames.get(sym.body) : undefined;
      if (sym?.k === 'local' && frame !== undefined) out.add(frame + sym.local.index);
    } else if ((e.kind === 'for' || e.kind === 'local') && env.body !== null) {
      // Statements inside atomic { } name their variable by string, not by a name node.
      const local = env.body.localByName.get(e.kind === 'for' ? e.var : e.name);
      const frame = t.frames.get(env.body);
      if (local !== undefined && frame !== undefined) out.add(frame + local.index);
    }
    forEachChild(n, visit);
  };
  visit(node);
  return [...out];
}

/** The frame word a store to `place` overwrites whole, if it is a plain local. */
export function placeKills(place: Place): number[] {
  return place.constAddr >= 0 && !place.shared && place.scratch === undefined ? [place.constAddr] : [];
}

/** What reading the target of an assignment reads: nothing for a plain local. */
export function targetReads(target: Expr, env: CompileEnv): number[] {
  return target.kind === 'name' ? [] : localReads(target, env);
}

/**
 * The flow of an atomic { } body run in order: a top-level assignment to a plain local kills
 * it (after its value is read); anything nested (if, for) only reads. Its guard is the first
 * statement's, which is read before anything is killed.
 */
export function straightFlow(stmts: readonly Stmt[], env: CompileEnv, next: (number | Target)[]): LocalFlow {
  const killed = new Set<number>();
  const reads = new Set<number>();
  const read = (n: Expr | Stmt | undefined): void => {
    for (const a of localReads(n, env)) if (!killed.has(a)) reads.add(a);
  };
  for (const st of stmts) {
    if (st.kind === 'assign' && st.target.kind === 'name') {
      read(st.value);
      for (const a of localReads(st.target, env)) killed.add(a);
    } else if (st.kind === 'local') {
      read(st.init);
      // Only the declared local: localReads of the whole statement would add the init's names.
      if (st.init !== undefined) {
        const { init: _init, ...declared } = st;
        for (const a of localReads(declared, env)) killed.add(a);
      }
    } else read(st);
  }
  return { reads: [...reads], kills: [...killed], next };
}

export function flow(reads: number[], kills: number[], next: (number | Target)[]): LocalFlow {
  return { reads, kills, next };
}

/**
 * Per pc, the frame words dead when the thread rests there (null: none to reset). Words are
 * in [t.pc + 1, t.frameEnd); an op without a LocalFlow keeps every word live.
 */
export function deadAtRest(ops: readonly Op[], t: ThreadLayout): (Int32Array | null)[] {
  const from = t.pc + 1;
  const n = t.frameEnd - from;
  const live = ops.map(() => new Uint8Array(n));
  const all = (row: Uint8Array): void => {
    row.fill(1);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let pc = ops.length - 1; pc >= 0; pc--) {
      const row = new Uint8Array(n);
      const f = ops[pc]!.flow;
      if (f === undefined) all(row);
      else transfer(row, f, live, from);
      if (!sameBits(row, live[pc]!)) {
        live[pc] = row;
        changed = true;
      }
    }
  }
  return ops.map((op, pc) => {
    if (!op.visible) return null;
    const dead: number[] = [];
    for (let i = 0; i < n; i++) if (live[pc]![i] === 0) dead.push(from + i);
    return dead.length === 0 ? null : Int32Array.from(dead);
  });
}

function transfer(row: Uint8Array, f: LocalFlow, live: readonly Uint8Array[], from: number): void {
  for (const to of f.next) {
    const pc = typeof to === 'number' ? to : to.pc;
    const succ = pc === END ? undefined : live[pc];
    if (succ !== undefined) for (let i = 0; i < row.length; i++) row[i] = row[i]! | succ[i]!;
  }
  for (const k of f.kills) if (k - from >= 0 && k - from < row.length) row[k - from] = 0;
  for (const r of f.reads) if (r - from >= 0 && r - from < row.length) row[r - from] = 1;
}

function sameBits(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The ops with the reset built in: an op that may lead to a visible op (where the thread
 * rests, ADR 001) clears the words dead there after it runs. Ops whose successors have
 * nothing to reset are kept as they are.
 */
export function withDeadLocalReset(ops: readonly Op[], t: ThreadLayout): Op[] {
  const dead = deadAtRest(ops, t);
  return ops.map((op) => {
    const inner = op.exec;
    const targets = op.flow?.next ?? [];
    const resets = targets.some((to) => {
      const pc = typeof to === 'number' ? to : to.pc;
      return pc !== END && dead[pc] != null;
    });
    // An op without a LocalFlow may go anywhere: it resets wherever it lands.
    if (!resets && op.flow !== undefined) return op;
    const exec = (s: Int32Array, choice: number): number => {
      const next = inner(s, choice);
      const words = next === END ? null : dead[next];
      if (words != null) for (let i = 0; i < words.length; i++) s[words[i]!] = 0;
      return next;
    };
    return { ...op, exec };
  });
}
