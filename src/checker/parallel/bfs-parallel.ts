// Breadth-first search on several threads (`explore --workers N`): level-synchronous, over
// one lock-free table of fingerprints every thread shares (shared-table.ts).
//
// The coordinating thread (the one that called explore) keeps the parent tree, the bounds
// and the verdict, and expands its share of each level like every worker thread
// (level.ts). Each level's frontier is a list of units of states, each held by one thread
// (records.ts) and expanded by it, or by any thread for the level's shared tail (tail.ts); the
// next level is assembled in the order the one-thread BFS (search/bfs.ts) would have queued
// it, so results do not depend on the number of threads nor on their timing: the same states,
// transitions, verdict and counterexample as the one-thread BFS. A level's violations are
// all looked at before one is chosen: a terminal violation of the level, else the step
// violation of least (position, thread, choice), which is the one-thread BFS's rule.
//
// The search begins as the one-thread BFS (search/bfs.ts), which hands it over here at its
// first level of tuning.spawnAt states (a smaller search pays nothing for threads). Worker
// threads start then, each compiles the spec itself from the recipe, and joins at the first
// level after it is ready. The table grows between rounds: threads stop taking units when it
// is 3/4 full, each rehashes its part into a table twice as large, and they resume. Each thread
// keeps the livelock check's rows of the candidates it expanded (search/candidates.ts); the
// coordinator reads them all as one graph, once, at the end.
//
// Why not a level barrier-free search: BFS's shortest counterexample and the one-thread
// order of states need a level complete before the next is numbered. A level starts with the
// threads holding about as many states each (blocks are handed over), and ends with them
// about one unit apart: a thread done with its own units claims the shared tail's one by one.
import { storeKey } from '../../model/symmetry.js';
import type { TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, SystemRecipe } from '../result.js';
import type { BfsSnapshot } from '../search/bfs.js';
import type { ParentTree } from '../search/bfs-frontier.js';
import { type CandidateRows, candidateLivelock } from '../search/candidates.js';
import { chunkBytes } from '../search/chunks.js';
import { bytesOf, Fingerprinter } from '../search/fingerprint.js';
import { type Found, POLL_MASK } from '../search/meter.js';
import { Coordination } from './coordination.js';
import { FIRST_TERMINAL, FIRST_VIOLATION, type Level, NO_POSITION } from './level.js';

/** The search the one-thread BFS began and handed over at level `from.depth` (search/bfs.ts BfsHandover). */
export async function exploreBfsParallel(
  sys: TransitionSystem,
  opts: ExploreOptions,
  recipe: SystemRecipe,
  workers: number,
  from: BfsSnapshot,
  cpuAtStart: number,
): Promise<ExploreResult> {
  const run = new Coordination(sys, opts, recipe, workers, from.meter);
  try {
    return await new ParallelBfs(run, from).search(cpuAtStart);
  } finally {
    await run.close();
  }
}

class ParallelBfs {
  private readonly tree: ParentTree;
  private bound: Bound | null = null;
  private found: Found | null = null;
  /** The one-thread BFS's polls so far: it polls before expanding states 0, POLL_MASK + 1, … */
  private polls: number;
  /** What the one-thread BFS counted before the handover. */
  private readonly before: { transitions: number; executions: number };

  constructor(
    private readonly run: Coordination,
    private readonly from: BfsSnapshot,
  ) {
    this.tree = from.tree;
    this.polls = Math.ceil(from.expanded / (POLL_MASK + 1));
    const { transitions, executions } = from.meter.stats;
    this.before = { transitions, executions };
  }

  async search(cpuAtStart: number): Promise<ExploreResult> {
    const run = this.run;
    const stats = run.meter.stats;
    let level: Level = run.resume(this.from, cpuAtStart);
    while (level.size > 0) {
      const end = await run.expandLevel(level);
      stats.states = run.stored;
      if (stats.states > level.start + level.size) stats.maxDepth = level.depth + 1;
      if (end !== null) {
        this.bound = end;
        break;
      }
      if (await this.stopsAtLevel(level)) break;
      const next = await run.nextLevel(level, this.tree);
      if (next === null) {
        this.bound = run.meter.memoryFull('no memory for the next level of the search');
        break;
      }
      level = next;
    }
    // A safeguard: expandLevel adds each level's parents before it can return, so only an
    // empty last level can be pending here (its parents are none).
    run.treeUpToDate();
    return this.conclude();
  }

  /** After a level: the polls the one-thread BFS made while expanding it, then its violation. */
  private async stopsAtLevel(level: Level): Promise<boolean> {
    const ctl = this.run.ctl;
    const first = Atomics.load(ctl, FIRST_VIOLATION);
    // The one-thread BFS polls before expanding state number k·(POLL_MASK + 1), up to the first violation.
    const last = level.start + (first === NO_POSITION ? level.size - 1 : first);
    while (this.polls * (POLL_MASK + 1) <= last) {
      this.polls++;
      if (this.run.opts.shouldStop?.() === true) {
        this.bound = 'interrupted';
        return true;
      }
    }
    if (first === NO_POSITION) return false;
    this.found = await this.run.violation(level, Atomics.load(ctl, FIRST_TERMINAL), this.tree);
    return true;
  }

  private async conclude(): Promise<ExploreResult> {
    const run = this.run;
    const stats = run.meter.stats;
    const wantEdges = this.found === null && this.bound === null && run.opts.livelock !== false;
    const { counts, edges: rows } = await run.finish(wantEdges);
    stats.transitions = this.before.transitions + counts.transitions;
    stats.executions = this.before.executions + counts.executions;
    // The candidates' rows of the states the one-thread BFS expanded, then the threads'.
    const mine = this.from.rows;
    const edges = rows === null || mine === null ? rows : [mine.data(), ...rows];
    stats.states = run.stored;
    if (wantEdges && counts.cut === 0 && edges !== null) this.found = this.livelock(edges);
    stats.storedBytes = run.table.buffer.byteLength;
    for (const log of edges ?? []) stats.storedBytes += chunkBytes(log.words);
    const result = run.meter.conclude('bfs', this.found, {
      bound: this.bound,
      cut: counts.cut,
      // Stored and not expanded, as the one-thread BFS's queue: the rest of a level a bound
      // cut short and the next level's states found so far, or a whole next level.
      pending: run.queued,
      pendingWhere: 'queued',
    });
    const threads = run.threads;
    return threads === null ? result : { ...result, threads };
  }

  private livelock(rows: CandidateRows[]): Found | null {
    const { sys, opts } = this.run;
    const key = storeKey(sys, opts.reduce);
    const fp = new Fingerprinter();
    const hash = (s: Int32Array): Fingerprinter => {
      fp.ofState(key(s, bytesOf(s)));
      return fp;
    };
    return candidateLivelock(sys, rows, (i) => this.tree.path(i, sys.threadCount), hash);
  }
}
