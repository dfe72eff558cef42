// Thread symmetry: instances of one thread started with equal arguments are interchangeable.
// Their compiled steps are the same table (lowering depends on the body alone, pcs agree)
// and differ only in the thread id baked into them, so renaming the members of such a class
// maps every run to a run, every violation to one of the same kind. A stored-state search
// fingerprints a canonical member of the state's orbit (canonicalize) and keeps the concrete
// state in its queue, so counterexamples stay schedules of the real threads.
//
// The renaming touches every word that names a thread (the `who` words of prims/family.ts):
// the thread blocks themselves (pc, frames, per-thread family words), lock owner words
// (thread id + 1), rwsem reader and queue masks, grace-period domain reader masks, the
// waiting snapshot of each synchronize_* (thread waitMask), of each kick_all_cpus_sync
// (thread ipiWait) and of each deferred free (a
// slot's callback-wait word). Nothing else holds a thread id: the language has no way to
// name the running thread, and invariants and final conditions read only globals and pool
// fields (they are compiled with no thread), so every check is invariant under the renaming.
//
// Any permutation within classes is sound (the state it gives is in the orbit); sorting the
// members' blocks is what makes it a canonical one, and equal blocks keep their order.
//
// Pool slots are not permuted: `alloc` takes the lowest slot that is not live, so a slot's
// index decides which freed object a new one reuses, which a stale reference can observe
// (use_after_free or not). Only pools that are never freed would be safe; see docs/reductions.md.
import type { Program } from './program.js';
import type { ReductionSet } from './reductions.js';
import type { SymmetryTables, TransitionSystem } from './system.js';

/** A set of thread ids whose instances are interchangeable (two or more). */
export interface ThreadClass {
  body: string;
  args: number[];
  tids: number[];
}

/** Threads with the same body and equal argument values, in thread order; singletons left out. */
export function threadClasses(program: Program): ThreadClass[] {
  const byKey = new Map<string, ThreadClass>();
  program.scenario.threads.forEach((t, tid) => {
    const key = `${t.body.name}(${t.args.join(',')})`;
    const c = byKey.get(key);
    if (c === undefined) byKey.set(key, { body: t.body.name, args: t.args, tids: [tid] });
    else c.tids.push(tid);
  });
  return [...byKey.values()].filter((c) => c.tids.length > 1 && sameShape(program, c.tids));
}

/** Members must share a block layout word for word (always so for one body; checked, not assumed). */
function sameShape(program: Program, tids: number[]): boolean {
  const first = program.layout.threads[tids[0]!]!;
  return tids.every((tid) => {
    const t = program.layout.threads[tid]!;
    return t.end - t.base === first.end - first.base && t.waitMask - t.base === first.waitMask - first.base;
  });
}

/**
 * The canonicaliser of a program's states, or null when no two threads are interchangeable.
 * canonicalize(s, out) writes into `out` the orbit member whose class members' blocks are
 * sorted and returns true, or returns false when that is s itself (out left as it was). It
 * reads and writes only the program's words (a wrapper's words after them are the
 * caller's) and allocates nothing.
 */
export function threadCanonicalizer(program: Program): Canonicalizer | null {
  return threadSymmetry(program)?.canonicalize ?? null;
}

/** The tables of threadSymmetry's canonicaliser, or null when no two threads are interchangeable. */
export function symmetryTables(program: Program): SymmetryTables | null {
  const classes = threadClasses(program);
  if (classes.length === 0) return null;
  const { layout } = program;
  const tids = Int32Array.from(classes.flatMap((c) => c.tids));
  const table = new Int32Array(3 * classes.length);
  let from = 0;
  classes.forEach((c, i) => {
    table.set([from, from + c.tids.length, blockLength(layout.threads[c.tids[0]!]!)], 3 * i);
    from += c.tids.length;
  });
  return {
    words: layout.words,
    threads: layout.threads.length,
    classes: table,
    bases: Int32Array.from(tids, (tid) => layout.threads[tid]!.base),
    tids,
    owners: Int32Array.from(layout.locks.map((l) => l.addr)),
    masks: Int32Array.from(threadMaskWords(program)),
  };
}

/**
 * threadCanonicalizer's function with the renaming it applies: after a call that returned
 * true, order[new tid] is the old tid (the identity after one that returned false). A wrapper
 * whose own words name a thread (the minimiser's last thread, systems/bounded-goal.ts) renames
 * them by it.
 */
export function threadSymmetry(program: Program): ThreadSymmetry | null {
  const classes = threadClasses(program);
  if (classes.length === 0) return null;
  const { layout } = program;
  const rename = threadRenaming(program);
  const order = Int32Array.from(layout.threads.keys()); // order[new tid] = old tid
  // The classes flattened (it is the hot path): class c's members are tids[from[c]..from[c+1]).
  const tids = Int32Array.from(classes.flatMap((c) => c.tids));
  const bases = Int32Array.from(tids, (tid) => layout.threads[tid]!.base);
  const from = new Int32Array(classes.length + 1);
  classes.forEach((c, i) => {
    from[i + 1] = from[i]! + c.tids.length;
  });
  const blockWords = Int32Array.from(classes, (c) => blockLength(layout.threads[c.tids[0]!]!));
  const sorted = new Int32Array(tids.length); // per class: member indices in block order

  /** order for s: each class's members sorted by block (insertion sort: classes are small). */
  const sortClasses = (s: Int32Array): boolean => {
    let moved = false;
    for (let c = 0; c < blockWords.length; c++) {
      const lo = from[c]!;
      const hi = from[c + 1]!;
      const len = blockWords[c]!;
      for (let i = lo; i < hi; i++) {
        const b = bases[i]!;
        const first = s[b]!; // the pc: most pairs of blocks differ there, so compare it inline
        let j = i - 1;
        for (; j >= lo; j--) {
          const a = bases[sorted[j]!]!;
          const d = s[a]! - first;
          if (d < 0 || (d === 0 && compareBlocks(s, a + 1, b + 1, len - 1) <= 0)) break;
          sorted[j + 1] = sorted[j]!;
        }
        sorted[j + 1] = i;
      }
      for (let i = lo; i < hi; i++) {
        const member = sorted[i]!;
        order[tids[i]!] = tids[member]!;
        if (member !== i) moved = true;
      }
    }
    return moved;
  };

  // sortClasses writes every class member's entry of order: the identity when nothing moves.
  const canonicalize: Canonicalizer = (s, out) => {
    if (!sortClasses(s)) return false;
    rename(s, out, order);
    return true;
  };
  return { canonicalize, order };
}

const blockLength = (t: { base: number; end: number }): number => t.end - t.base;

/** Lexicographic order of the blocks of `len` words at x and y in s. */
function compareBlocks(s: Int32Array, x: number, y: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = s[x + i]! - s[y + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Writes the canonical form of s into out (true), or says s is its own (false). */
export type Canonicalizer = (s: Int32Array, out: Int32Array) => boolean;

/** A canonicalizer and the renaming its last call applied (threadSymmetry). */
export interface ThreadSymmetry {
  canonicalize: Canonicalizer;
  /** order[new tid] = old tid. */
  order: Int32Array;
}

/**
 * rename(s, out, order) writes into `out` the state s with thread order[t] renamed t (order
 * must permute threads within classes only): blocks moved, owner words and masks renamed.
 */
export function threadRenaming(program: Program): (s: Int32Array, out: Int32Array, order: Int32Array) => void {
  const { layout } = program;
  const n = layout.threads.length;
  const words = layout.words;
  const bases = Int32Array.from(layout.threads.map((t) => t.base));
  const blockWords = Int32Array.from(layout.threads.map((t) => t.end - t.base));
  const owners = Int32Array.from(layout.locks.map((l) => l.addr));
  const masks = Int32Array.from(threadMaskWords(program));
  const perm = new Int32Array(n); // perm[old tid] = new tid
  return (s, out, order) => {
    if (s.length === out.length) out.set(s);
    else for (let i = 0; i < words; i++) out[i] = s[i]!;
    // Bit t: thread t is renamed. A mask or owner word naming no such thread stays as it is
    // (most of them: only a class's members move, and most masks are 0).
    let movedBits = 0;
    for (let t = 0; t < n; t++) {
      const from = order[t]!;
      perm[from] = t;
      if (from === t) continue;
      movedBits |= 1 << t;
      // A loop, not set() from a subarray: a view per block and state was an allocation a
      // move, and the builtin's call cost more than the 16 or so words it copies.
      for (let i = bases[from]!, j = bases[t]!, end = i + blockWords[from]!; i < end; i++, j++) out[j] = s[i]!;
    }
    if (movedBits === 0) return;
    for (let i = 0; i < owners.length; i++) {
      const w = owners[i]!;
      const owner = out[w]! - 1;
      if (owner >= 0 && owner < n) out[w] = perm[owner]! + 1;
    }
    for (let i = 0; i < masks.length; i++) {
      const w = masks[i]!;
      const mask = out[w]!;
      let hit = mask & movedBits;
      if (hit === 0) continue;
      // Bits of unmoved threads (and the init pseudo-thread's, tid n) keep their place.
      let renamed = mask & ~movedBits;
      while (hit !== 0) {
        const t = 31 - Math.clz32(hit);
        hit &= ~(1 << t);
        renamed |= 1 << perm[t]!;
      }
      out[w] = renamed;
    }
  };
}

/** Every word holding a set of threads as a bit mask (bit tid): see the header. */
function threadMaskWords(program: Program): number[] {
  const { layout } = program;
  const out: number[] = [];
  for (const l of layout.locks) {
    if (l.readers !== undefined) out.push(l.addr + l.readers);
    if (l.queued !== undefined) out.push(l.addr + l.queued);
  }
  for (const d of layout.domains) out.push(d.addr);
  for (const p of layout.poolList) {
    if (!p.hasCallbacks) continue;
    for (let i = 0; i < p.size; i++) out.push(p.base + i * p.slotWords + 1 + p.fieldWords + 1);
  }
  for (const t of layout.threads) out.push(t.waitMask, t.ipiWait);
  return out;
}

/**
 * What a stored-state search fingerprints for a state (given with its byte view): the state
 * itself, or with `symmetry` on a system that offers it, its canonical form written into one
 * buffer reused for every state (made by `allocate`: the search's hasher may want it in its
 * own memory, to hash it in place).
 */
export function storeKey(
  sys: TransitionSystem,
  reduce: ReductionSet,
  allocate: (words: number) => { words: Int32Array; bytes: Uint8Array } = plainBuffer,
): (state: Int32Array, bytes: Uint8Array) => Uint8Array {
  const canonicalize = reduce.has('symmetry') ? sys.canonicalize : undefined;
  if (canonicalize === undefined) return (_state, bytes) => bytes;
  const { words: canonical, bytes: canonicalBytes } = allocate(sys.stateWords);
  return (state, bytes) => (canonicalize(state, canonical) ? canonicalBytes : bytes);
}

function plainBuffer(words: number): { words: Int32Array; bytes: Uint8Array } {
  const state = new Int32Array(words);
  return { words: state, bytes: new Uint8Array(state.buffer) };
}

/** Is symmetry asked for? (A system built without options offers it; the search decides.) */
export function wantsSymmetry(reduce: ReductionSet | undefined): boolean {
  return reduce === undefined || reduce.has('symmetry');
}
