// The partial-order reduction in the breadth-first search (bfs.ts): which thread to expand
// alone at a state (model/por.ts chooses it), under the conditions only the search can check.
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { ExploreOptions } from '../result.js';
import type { BitstateTable } from './bitstate.js';
import type { Fingerprinter } from './fingerprint.js';
import { FingerprintStore } from './fingerprint-store.js';

/**
 * The thread the partial-order reduction expands alone at `cur` (model/por.ts), or -1 for a
 * full expansion. Its steps must be invisible: none may raise a violation or end in a state
 * where nothing runs (a cut: the other threads' steps would be lost). The cycle proviso, for
 * a breadth-first search: every successor through that thread must lie one level deeper
 * than `cur` (not stored yet, or stored in the next level; written into
 * `next`), else `cur` is expanded in full. Then every cycle of the stored graph has a state
 * expanded in full (a cycle has an edge that does not go one level deeper, and every edge of
 * a reduced state does), and from every state a path of reduced edges is as long as the
 * levels are many (docs/reductions.md).
 */
export class PorExpansion {
  /** The store index of the first state of the level after the one being expanded. */
  private levelEnd = 1;

  /** Whether a BFS applies it: with `por`, on a system that has ample sets, not partitioned. */
  static applies(sys: TransitionSystem, opts: ExploreOptions, hook: unknown): boolean {
    // A partitioned run (its hook) decides ownership per state: it expands every state in full.
    return opts.reduce.has('por') && sys.ample !== undefined && hook === undefined;
  }

  static of(
    sys: TransitionSystem,
    opts: ExploreOptions,
    hook: unknown,
    store: FingerprintStore | BitstateTable,
    hashNext: () => void,
    fp: Fingerprinter,
  ): PorExpansion | null {
    return PorExpansion.applies(sys, opts, hook) ? new PorExpansion(sys, sys.ample!, store, hashNext, fp) : null;
  }

  private constructor(
    private readonly sys: TransitionSystem,
    private readonly ample: (s: Int32Array) => number,
    private readonly store: FingerprintStore | BitstateTable,
    /** Fingerprints `next` (or its canonical form) into `fp`. */
    private readonly hashNext: () => void,
    private readonly fp: Fingerprinter,
  ) {}

  /** For `cur`, of store index `index` (a BFS expands states in the order it stores them). */
  thread(cur: Int32Array, index: number, next: Int32Array): number {
    // The first state of a level: every state of it is stored, none of the next one yet.
    if (index >= this.levelEnd) this.levelEnd = this.store.size;
    const sys = this.sys;
    const t = this.ample(cur);
    if (t < 0) return -1;
    const n = sys.choices(cur, t);
    if (n === 0) return -1;
    for (let c = 0; c < n; c++) {
      // A step that raises a violation is visible: it ends the execution (a cut leads to a
      // sink, target.ts, where no thread runs), so it does not commute with the others' steps.
      if (sys.step(cur, t, c, next, Footprint.NONE) === STEP_VIOLATION || !anyEnabled(sys, next)) return -1;
      if (!this.deeper()) return -1;
    }
    return t;
  }

  /** `next` is not stored yet, or stored in the next level (bitstate: not stored yet). */
  private deeper(): boolean {
    this.hashNext();
    const { store, fp } = this;
    return !store.has(fp.lo, fp.hi) || (store instanceof FingerprintStore && store.index >= this.levelEnd);
  }
}

function anyEnabled(sys: TransitionSystem, s: Int32Array): boolean {
  for (let u = 0; u < sys.threadCount; u++) if (sys.choices(s, u) > 0) return true;
  return false;
}
