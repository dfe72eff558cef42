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

/**
 * The frame word of `place` when it is a plain local (a fixed address, not shared, no
 * scratch): a store writes it whole and nothing else sees it. Else -1.
 */
export function plainLocalWord(place: Place): number {
  return place.constAddr >= 0 && !place.shared && place.scratch === undefined ? place.constAddr : -1;
}

/** The frame word a store to `place` overwrites whole, if it is a plain local. */
export function placeKills(place: Place): number[] {
  const x = plainLocalWord(place);
  return x >= 0 ? [x] : [];
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
 *
 * A worklist over bit rows (32 words of the frame per Uint32), last pc first: a pc is
 * recomputed only when one of its successors' rows changed. The round-robin version it
 * replaced recomputed every pc, with a byte per word and a new row each time, until nothing
 * changed, and was a fifth of building a large spec's system. Both compute the least fixpoint.
 */
export function deadAtRest(ops: readonly Op[], t: ThreadLayout): (Int32Array | null)[] {
  const from = t.pc + 1;
  const n = t.frameEnd - from;
  const w = (n + 31) >>> 5;
  const live = new Uint32Array(ops.length * w);
  const succ = ops.map((op) => (op.flow?.next ?? []).map(pcOf).filter((pc) => pc !== END && pc < ops.length));
  const preds: number[][] = ops.map(() => []);
  succ.forEach((targets, pc) => {
    for (const to of targets) preds[to]!.push(pc);
  });
  const bits = (words: readonly number[]): number[] => words.map((a) => a - from).filter((i) => i >= 0 && i < n);
  const kills = ops.map((op) => bits(op.flow?.kills ?? []));
  const reads = ops.map((op) => bits(op.flow?.reads ?? []));
  const row = new Uint32Array(w);
  const queued = new Uint8Array(ops.length).fill(1);
  const work = ops.map((_, pc) => pc); // popped from the end: the last pc first
  while (work.length > 0) {
    const pc = work.pop()!;
    queued[pc] = 0;
    if (ops[pc]!.flow === undefined) allWords(row, n);
    else {
      row.fill(0);
      for (const to of succ[pc]!) for (let i = 0, at = to * w; i < w; i++) row[i]! |= live[at + i]!;
      for (const k of kills[pc]!) row[k >>> 5]! &= ~(1 << (k & 31));
      for (const r of reads[pc]!) row[r >>> 5]! |= 1 << (r & 31);
    }
    let same = true;
    for (let i = 0, at = pc * w; i < w; i++) if (row[i] !== live[at + i]) same = false;
    if (same) continue;
    live.set(row, pc * w);
    for (const p of preds[pc]!)
      if (queued[p] === 0) {
        queued[p] = 1;
        work.push(p);
      }
  }
  return ops.map((op, pc) => {
    if (!op.visible) return null;
    const dead: number[] = [];
    for (let i = 0; i < n; i++) if ((live[pc * w + (i >>> 5)]! & (1 << (i & 31))) === 0) dead.push(from + i);
    return dead.length === 0 ? null : Int32Array.from(dead);
  });
}

const pcOf = (to: number | Target): number => (typeof to === 'number' ? to : to.pc);

/** Sets the row's first n bits (every word of the frame live), the rest clear. */
function allWords(row: Uint32Array, n: number): void {
  row.fill(0xffffffff);
  if ((n & 31) !== 0) row[row.length - 1] = (1 << (n & 31)) - 1;
}

/**
 * Per pc, the words a step that stops there clears (null: none): those dead there that may be
 * non-zero when a step arrives. A word dead where the thread rested before the step is zero
 * already (that step's reset cleared it) unless an op of the step wrote it, and an op writes
 * only frame words its LocalFlow names (reads, kills): so a forward pass over the ops, from
 * every word possibly non-zero at the thread's start (its parameters), keeps the set of words
 * possibly non-zero at each pc; at a visible pc, less the words cleared there. On the stress
 * spec it is 6 of the 85 words dead at a fault thread's visible pc, on average. The states are
 * those of clearing every dead word (test/model/dead-locals.test.ts). A thread with an op
 * without a LocalFlow clears every dead word.
 */
export function clearedAtRest(
  ops: readonly Op[],
  t: ThreadLayout,
  dead: readonly (Int32Array | null)[] = deadAtRest(ops, t),
): (Int32Array | null)[] {
  if (ops.some((op) => op.flow === undefined)) return [...dead];
  const from = t.pc + 1;
  const n = t.frameEnd - from;
  const w = (n + 31) >>> 5;
  const rows = (sets: readonly (readonly number[] | Int32Array | null)[]): Uint32Array => {
    const out = new Uint32Array(sets.length * w);
    sets.forEach((words, pc) => {
      for (const a of words ?? [])
        if (a >= from && a - from < n) out[pc * w + ((a - from) >>> 5)]! |= 1 << ((a - from) & 31);
    });
    return out;
  };
  const touched = rows(ops.map((op) => [...op.flow!.reads, ...op.flow!.kills]));
  const cleared = rows(dead);
  const nonzero = new Uint32Array(ops.length * w); // possibly non-zero while at pc
  const arriving = new Uint32Array(ops.length * w); // possibly non-zero as a step arrives at pc
  if (ops.length > 0) allWords(nonzero.subarray(0, w), n);
  const out = new Uint32Array(w);
  const work = ops.length > 0 ? [0] : [];
  const queued = new Uint8Array(ops.length);
  const reached = new Uint8Array(ops.length); // a pc is processed once at least, grown or not
  queued[0] = 1;
  reached[0] = 1;
  while (work.length > 0) {
    const pc = work.pop()!;
    queued[pc] = 0;
    for (let i = 0; i < w; i++) out[i] = nonzero[pc * w + i]! | touched[pc * w + i]!;
    for (const to of ops[pc]!.flow!.next) {
      const q = pcOf(to);
      if (q === END || q >= ops.length) continue;
      let grew = reached[q] === 0;
      reached[q] = 1;
      for (let i = 0, at = q * w; i < w; i++) {
        arriving[at + i]! |= out[i]!;
        const keep = ops[q]!.visible ? out[i]! & ~cleared[at + i]! : out[i]!;
        if ((nonzero[at + i]! | keep) >>> 0 !== nonzero[at + i]) grew = true; // unsigned, as stored
        nonzero[at + i]! |= keep;
      }
      if (grew && queued[q] === 0) {
        queued[q] = 1;
        work.push(q);
      }
    }
  }
  return dead.map((words, pc) => {
    if (words === null) return null;
    const kept = words.filter((a) => (arriving[pc * w + ((a - from) >>> 5)]! & (1 << ((a - from) & 31))) !== 0);
    return kept.length === 0 ? null : kept;
  });
}
