// The coordinating thread's side of the parallel BFS (bfs-parallel.ts): the control words,
// the shared table and its growth, the worker threads, and the steps of one level — expand
// it in rounds, then make the next level of every thread's kept candidates (records.ts): a
// list of units, in order, each expanded by the thread that holds its block, the threads
// evened out by handing blocks over.
import { grouped } from '../../io/grouped.js';
import { storeKey } from '../../model/symmetry.js';
import { Footprint, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, SystemRecipe } from '../result.js';
import type { BfsSnapshot } from '../search/bfs.js';
import type { ParentTree } from '../search/bfs-frontier.js';
import type { CandidateRows } from '../search/candidates.js';
import { bytesOf, Fingerprinter } from '../search/fingerprint.js';
import type { Found, SearchMeter } from '../search/meter.js';
import { addCuts, type CutCounts } from '../systems/target.js';
import { Helper } from './helpers.js';
import {
  CONTROL_WORDS,
  EXPANDED,
  FIRST_TERMINAL,
  FIRST_VIOLATION,
  type Level,
  type LevelCounts,
  LevelExpander,
  NO_POSITION,
  type RoundEnd,
  STOP,
  STOP_BOUND,
  STOP_MAX_STATES,
  STOP_NO_MEMORY,
} from './level.js';
import { ParentsBuffer } from './parents-buffer.js';
import { COUNT, overLoaded, SharedTable } from './shared-table.js';
import { Superseded } from './superseded.js';
import { markTail, NEXT_SHARED, shareTail, tailStateAt } from './tail.js';
import { reportThreadTimes, type ThreadTimes, threadCpuMs } from './thread-time.js';
import { tuning } from './tuning.js';
import { balance, blockKey, mergeUnits, moveBlocks, UNIT, unitOf } from './units.js';
import type { BfsWorkerData } from './worker.js';

type Step = LevelCounts['step'];
type Counts = Omit<LevelCounts, 'step'>;

export class Coordination {
  readonly ctl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  table = new SharedTable(SharedTable.allocate(tuning.initialSlots));
  private readonly self: LevelExpander;
  private readonly helpers: Helper[] = [];
  /** The helpers expanding the current level; every helper that ever joined one. */
  private joined: Helper[] = [];
  private readonly everJoined = new Set<Helper>();
  /** The depth of the first level a helper joined (-1: none did). */
  private joinedAt = -1;
  private steps: Step[] = [];
  private stopped: Bound | null = null;
  /** The level being expanded: the progress line's depth is its depth + 1 once it has added a state. */
  private expanding: Level | null = null;
  private readonly buffers = new ParentsBuffer();
  /** This thread's CPU time when the search began (before the one-thread BFS handed it over). */
  private cpuAtStart = threadCpuMs();
  /** Milliseconds making next levels (filter, merge, index): the others take part or wait. */
  private betweenMs = 0;
  /**
   * Adds the parents of the level assembled last to the parent tree: done once the other
   * threads are expanding that level, not before (a tree's pages are new memory, faulted in:
   * 0.13 s of fixed_k6 on two threads the others waited for).
   */
  private addParents: (() => void) | null = null;
  /** Milliseconds this thread waited, its own part of a level done, for the others to finish theirs. */
  private levelEndMs = 0;
  /** Milliseconds evening out levels before they are expanded (rebalance: blocks handed over, the shared tail). */
  private balanceMs = 0;

  constructor(
    readonly sys: TransitionSystem,
    readonly opts: ExploreOptions,
    private readonly recipe: SystemRecipe,
    private readonly workers: number,
    readonly meter: SearchMeter,
  ) {
    this.self = new LevelExpander(sys, opts.reduce, this.ctl, this.table, this.settings(), 0);
  }

  get stored(): number {
    return Atomics.load(this.ctl, COUNT);
  }

  /** The states stored and not expanded (each thread adds its expanded ones after each unit). */
  get queued(): number {
    return this.stored - Atomics.load(this.ctl, EXPANDED);
  }

  /**
   * The one-thread BFS's search so far (search/bfs.ts BfsHandover) as the level to expand
   * next: its fingerprints in the shared table, as states of level 0 (no later level lowers
   * them), and its queue, the level `from.depth`, recorded in order by this thread.
   */
  resume(from: BfsSnapshot, cpuAtStart: number): Level {
    // This thread's times and states (MMCHECK_THREAD_TIMES) count the one-thread part too.
    this.cpuAtStart = cpuAtStart;
    this.self.expandedBefore(from.expanded);
    this.self.busyMs = from.meter.stats.seconds * 1000;
    const stored = from.store.size;
    let slots = this.table.capacity;
    while (stored * 2 > slots) slots *= 2;
    if (slots > this.table.capacity) {
      this.table = new SharedTable(SharedTable.allocate(slots));
      this.self.setTable(this.table);
    }
    const table = this.table;
    from.store.forEach((lo, hi) => {
      table.insert(lo, hi, 0, 0);
    });
    Atomics.store(this.ctl, COUNT, stored);
    const key = storeKey(this.sys, this.opts.reduce);
    const fp = new Fingerprinter();
    const records = this.self.records;
    for (let i = 0; i < from.size; i++) {
      from.queue.shift();
      const s = from.queue.front;
      fp.ofState(key(s, bytesOf(s)));
      records.add(0, fp.lo, fp.hi, 0, 0, s);
    }
    const merged = mergeUnits([this.self.filter(new Superseded())], 1);
    const units = new Int32Array(new SharedArrayBuffer(merged.units.length * 4));
    units.set(merged.units);
    return { units, size: merged.size, depth: from.depth, start: stored - from.size };
  }

  /** Expands `level` on every ready thread; the bound that stopped it, or null once it is done. */
  async expandLevel(level: Level): Promise<Bound | null> {
    const ctl = this.ctl;
    await this.join(level);
    const t0 = performance.now();
    await this.rebalance(level);
    this.balanceMs += performance.now() - t0;
    Atomics.store(ctl, FIRST_VIOLATION, NO_POSITION);
    Atomics.store(ctl, FIRST_TERMINAL, NO_POSITION);
    type Round = { step: Step; end: RoundEnd };
    this.expanding = level;
    let replies = this.joined.map((h) => h.ask<Round>({ t: 'level', level, table: this.table.buffer }));
    this.treeUpToDate();
    this.self.begin(level);
    for (;;) {
      const end = this.self.expandRound(this.between);
      const t1 = performance.now();
      const rounds = await Promise.all(replies);
      this.levelEndMs += performance.now() - t1;
      this.steps = [this.self.counts.step, ...rounds.map((r) => r.step)];
      const stop = Atomics.load(ctl, STOP);
      if (stop !== 0) {
        if (stop === STOP_BOUND) return this.stopped!;
        if (stop === STOP_MAX_STATES) return 'max-states';
        if (stop === STOP_NO_MEMORY) return this.meter.memoryFull('no memory for the next level of the search');
        return this.meter.memoryFull('the table of visited states filled up within one round');
      }
      if (overLoaded(this.stored, this.table.capacity)) {
        if (this.meter.noRoomFor(this.table.buffer.byteLength * 2, 'doubling the table of visited states'))
          return 'max-memory';
        if (!(await this.grow()))
          return this.meter.memoryFull(`the table of visited states holds ${grouped(this.stored)}`);
      }
      if (end === 'done' && rounds.every((r) => r.end === 'done')) return null;
      replies = this.joined.map((h) => h.ask<Round>({ t: 'resume', table: this.table.buffer }));
    }
  }

  /** The violation of `level`: the terminal one at `terminal`, else the least step violation. */
  async violation(level: Level, terminal: number, tree: ParentTree): Promise<Found> {
    const { sys } = this;
    const W = sys.stateWords;
    const T = sys.threadCount;
    const at = (pos: number): Promise<Int32Array> => this.stateAt(level, pos);
    if (terminal !== NO_POSITION) {
      const violation = sys.terminal(await at(terminal));
      if (violation === null) throw new Error('[mmcheck internal bug] a terminal violation did not repeat');
      return { violation, schedule: tree.path(level.start + terminal, T) };
    }
    let best: Step = null;
    for (const s of this.steps) if (s !== null && (best === null || s.pos < best.pos)) best = s;
    if (best === null) throw new Error('[mmcheck internal bug] a level violation without its step');
    sys.step(await at(best.pos), best.thread, best.choice, new Int32Array(W), Footprint.NONE);
    const schedule = tree.path(level.start + best.pos, T);
    schedule.push({ thread: best.thread, choice: best.choice });
    return { violation: sys.lastViolation(), schedule };
  }

  /** The state at `pos` of `level`, from the thread that holds it. */
  private async stateAt(level: Level, pos: number): Promise<Int32Array> {
    const u = unitOf(level.units, pos);
    const k = level.units[u]!;
    if (k < 0) return tailStateAt(level.tail!, level.units, u, pos, this.self.records);
    if (k === 0) return this.self.stateAt(level, pos);
    return (await this.helpers[k - 1]!.ask<{ state: Int32Array }>({ t: 'state', pos })).state;
  }

  /** The next level, in the one-thread BFS's order, its parents added to `tree`; null without memory for it. */
  async nextLevel(level: Level, tree: ParentTree): Promise<Level | null> {
    const t0 = performance.now();
    const next = await this.assemble(level, tree);
    this.betweenMs += performance.now() - t0;
    return next;
  }

  private async assemble(level: Level, tree: ParentTree): Promise<Level | null> {
    const table = this.table.buffer;
    const replaced = await Promise.all(this.joined.map((h) => h.ask<{ replaced: Int32Array }>({ t: 'replaced' })));
    const all = [this.self.replacedValues(), ...replaced.map((r) => r.replaced)];
    const superseded = new Int32Array(all.reduce((n, a) => n + a.length, 0));
    for (let i = 0, at = 0; i < all.length; at += all[i]!.length, i++) superseded.set(all[i]!, at);
    const asked = this.joined.map((h) => h.ask<{ segments: number[] }>({ t: 'filter', table, superseded }));
    const segments: number[][] = [this.self.filter(new Superseded(superseded))]; // while the others filter theirs
    for (const [i, kept] of (await Promise.all(asked)).entries())
      segments[this.number(this.joined[i]!)] = kept.segments;
    const merged = mergeUnits(segments, level.units.length / UNIT);
    let units: Int32Array;
    let parents: Int32Array;
    try {
      units = new Int32Array(new SharedArrayBuffer(merged.units.length * 4));
      parents = this.buffers.take(merged.size * 2);
    } catch (e) {
      if (e instanceof RangeError) return null;
      throw e;
    }
    units.set(merged.units);
    const indexed = this.joined.map((h) => h.ask({ t: 'index', units, parents }));
    this.self.index(units, parents);
    await Promise.all(indexed);
    this.addParents = () => tree.addAll(parents, merged.size);
    return { units, size: merged.size, depth: level.depth + 1, start: level.start + level.size };
  }

  /** The parent tree with the parents of every level assembled so far (addParents). */
  treeUpToDate(): void {
    this.addParents?.();
    this.addParents = null;
  }

  /** The thread number of a helper (LevelExpander.thread). */
  private number(h: Helper): number {
    return this.helpers.indexOf(h) + 1;
  }

  /**
   * Evens out `level`, before it is expanded, between the threads that expand it (a thread
   * that joins now gets its share at once): blocks are handed over (handOver) and the units
   * in them change holder.
   */
  private async rebalance(level: Level): Promise<void> {
    const w = level.units;
    const segments: number[][] = [[]];
    for (const h of this.joined) segments[this.number(h)] = [];
    for (let u = 0; u < w.length; u += UNIT) {
      const kept = (u + UNIT < w.length ? w[u + UNIT + 4]! : level.size) - w[u + 4]!;
      segments[w[u]!]!.push(u / UNIT, w[u + 1]!, w[u + 2]!, w[u + 3]!, kept);
    }
    const moved = await this.handOver(segments);
    for (let u = 0; u < w.length; u += UNIT) {
      const to = moved.get(blockKey(w[u]!, w[u + 1]!));
      if (to === undefined) continue;
      w[u] = to[0];
      w[u + 1] = to[1];
    }
    if (this.joined.length === 0) return;
    // The shared tail (tail.ts): each thread shares the blocks of its last units.
    type Shared = { blocks: SharedArrayBuffer[] | null; pairs: number[] };
    const asked = this.joined.map((h) => h.ask<Shared>({ t: 'share', units: w, size: level.size }));
    const all: Shared[] = [];
    all[0] = shareTail(this.self.records, w, 0, level.size);
    for (const [i, s] of (await Promise.all(asked)).entries()) all[this.number(this.joined[i]!)] = s;
    level.tail = {
      blocks: Array.from(all, (s) => s?.blocks ?? null),
      units: markTail(
        w,
        Array.from(all, (s) => s?.pairs ?? []),
      ),
    };
    Atomics.store(this.ctl, NEXT_SHARED, 0);
  }

  /**
   * Hands blocks of the level about to be expanded from thread to thread so that each holds
   * about as many states (units.ts balance): blockKey(from thread, block) → (to thread, its
   * id there). Only between levels, while each thread's blocks of that level are its newest.
   */
  private handOver(segments: number[][]): Promise<Map<number, [number, number]>> {
    const moves = balance(segments, [0, ...this.joined.map((h) => this.number(h))]);
    return moveBlocks(
      moves,
      async (k, ids) =>
        k === 0
          ? this.self.records.give(ids)
          : (await this.helpers[k - 1]!.ask<{ buffers: SharedArrayBuffer[] }>({ t: 'give', ids })).buffers,
      async (k, buffers) =>
        k === 0
          ? this.self.records.take(buffers)
          : (await this.helpers[k - 1]!.ask<{ ids: number[] }>({ t: 'take', buffers })).ids,
    );
  }

  /** Every thread's counts summed, and (when asked) every thread's candidate rows; merges the expected-kind cut counts. */
  async finish(wantEdges: boolean): Promise<{ counts: Counts; edges: CandidateRows[] | null }> {
    const { step: _step, ...mine } = this.self.counts;
    const counts = { ...mine };
    const logs: CandidateRows[] = wantEdges ? [this.self.takeEdges()] : [];
    const self = this.self;
    const times: ThreadTimes[] = [
      {
        ...{ cpuMs: threadCpuMs() - this.cpuAtStart, busyMs: self.busyMs, states: self.expanded },
        ...{ betweenMs: this.betweenMs, levelEndMs: this.levelEndMs, balanceMs: this.balanceMs },
      },
    ];
    for (const h of this.everJoined) {
      type Finished = { edges: CandidateRows | null; counts: Counts; target: CutCounts | null; times: ThreadTimes };
      const r = await h.ask<Finished>({ t: 'finish', edges: wantEdges });
      times.push(r.times);
      counts.transitions += r.counts.transitions;
      counts.executions += r.counts.executions;
      counts.cut += r.counts.cut;
      if (r.edges !== null) logs.push(r.edges);
      addCuts(this.sys, r.target);
    }
    reportThreadTimes(times);
    return { counts, edges: wantEdges ? logs : null };
  }

  async close(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.close()));
  }

  /** Starts the worker threads once a level is large enough; the ready ones join this level. */
  private async join(level: Level): Promise<void> {
    if (this.helpers.length === 0 && this.workers > 1 && level.size >= (this.opts.spawnAt ?? tuning.spawnAt)) {
      const data: BfsWorkerData = {
        mmcheckBfsWorker: true,
        recipe: this.recipe,
        reduce: [...this.opts.reduce],
        control: this.ctl.buffer as SharedArrayBuffer,
        table: this.table.buffer,
        settings: this.settings(),
        stateWords: this.sys.stateWords,
        thread: 0,
      };
      for (let i = 1; i < this.workers; i++) this.helpers.push(new Helper({ ...data, thread: i }));
    }
    // Lets the ready messages of threads still starting arrive (tests wait for every thread).
    if (tuning.awaitWorkers) await Promise.all(this.helpers.map((h) => h.started));
    else if (this.helpers.some((h) => !h.ready && h.failure === null)) await new Promise((r) => setImmediate(r));
    const failed = this.helpers.find((h) => h.failure !== null);
    if (failed !== undefined) throw failed.failure;
    this.joined = this.helpers.filter((h) => h.ready);
    for (const h of this.joined) this.everJoined.add(h);
    if (this.joined.length > 0 && this.joinedAt < 0) this.joinedAt = level.depth;
  }

  /** The threads that expanded a level, and the depth of the first level more than one did. */
  get threads(): { count: number; fromDepth: number } | null {
    return this.joinedAt < 0 ? null : { count: 1 + this.everJoined.size, fromDepth: this.joinedAt };
  }

  private settings(): LevelExpander['settings'] {
    const o = this.opts;
    return { maxDepth: o.maxDepth, maxStates: o.maxStates, livelock: o.livelock !== false };
  }

  /** Between the coordinating thread's units: the meter's bounds; true (and STOP set) when one is reached. */
  private readonly between = (): boolean => {
    // Every unit (at most 256 states, milliseconds of work): the meter's adaptive mask would
    // count units, and units of one state in the first levels widen it to 1,024 of them.
    const stats = this.meter.stats;
    stats.states = this.stored;
    // As the one-thread BFS counts it: the depth of the deepest state stored.
    const level = this.expanding;
    if (level !== null && stats.states > level.start + level.size) stats.maxDepth = level.depth + 1;
    const bound = this.meter.check(this.queued);
    if (bound === null) return false;
    this.stopped = bound;
    Atomics.store(this.ctl, STOP, STOP_BOUND);
    return true;
  };

  /** A table twice as large, every thread rehashing its part; false when it cannot be had. */
  private async grow(): Promise<boolean> {
    let to: SharedArrayBuffer;
    try {
      to = SharedTable.allocate(this.table.capacity * 2);
    } catch (e) {
      if (e instanceof RangeError) return false;
      throw e;
    }
    const parts = this.joined.length + 1;
    const asked = this.joined.map((h, i) => h.ask({ t: 'rehash', to, part: i + 1, parts }));
    this.table.rehashInto(to, 0, parts);
    await Promise.all(asked);
    this.table = new SharedTable(to);
    this.self.setTable(this.table);
    return true;
  }
}
