// What an exploration returns. Plain data: reporters render it, they never compute.

import type { ScenarioInfo } from '../model/lang/checked.js';
import type { ViolationKind } from '../model/lang/violation-kinds.js';
import { DEFAULT_REDUCTIONS, type Reduction, type ReductionSet } from '../model/reductions.js';
import type { Violation } from '../model/system.js';
import { defaultMaxMemory } from './memory.js';

/** `auto` chooses among the others (auto.ts); a result's mode is always the search that ran. */
export type Mode = 'auto' | 'dpor' | 'bfs' | 'dfs' | 'random' | 'simulate';
/** The searches that can produce a verdict. */
export type SearchMode = Exclude<Mode, 'auto'>;
export type PorVariant = 'optimal' | 'source';
/** `mmcheck simulate`: uniform random walks, or PCT's priority schedules (search/pct.ts). */
export type Strategy = 'random' | 'pct';

export interface ExploreOptions {
  mode: Mode;
  por: PorVariant;
  maxDepth: number; // transitions along one path; Infinity = none
  maxStates: number; // stored states (bfs/dfs) or visited states (dpor); Infinity = none
  maxSeconds: number; // wall clock; Infinity = none
  /** Resident memory (bytes) at which the search stops as incomplete; default: defaultMaxMemory(). */
  maxMemory: number;
  preemptionBound: number; // dpor only; Infinity = none
  seed: number; // random mode
  executions: number; // random and simulate modes: executions (runs) to sample
  /** simulate mode: how each run picks the next thread (docs/simulate.md). */
  strategy: Strategy;
  /** simulate mode, PCT: the bug depth d (d - 1 priority change points per run). */
  pctDepth: number;
  /**
   * bfs mode: SPIN's bitstate (supertrace) search with a bit array of 2^bitstate bits in place
   * of the fingerprint table (search/bitstate.ts); 0 = off. Its pass is incomplete.
   */
  bitstate: number;
  /**
   * Stored-state searches: report a reachable bottom cycle as a deadlock (search/livelock.ts).
   * Off (false) only for searches of a restricted graph, where a loop may have a way out the
   * restriction removed (counterexample minimisation's preemption bound).
   */
  livelock?: boolean;
  /** The reductions the search applies (model/reductions.ts); `--reduce none` turns all off. */
  reduce: ReductionSet;
  /** Called about once a second with the running stats (the CLI's progress line). */
  onProgress?: (stats: Stats) => void;
  /** Polled between transitions; when it returns true the search stops as incomplete. */
  shouldStop?: () => boolean;
  /**
   * Polled within a fraction of a second wherever the search spends its time, inner loops
   * included (Ctrl-C); true stops the search as incomplete (interrupted).
   */
  interrupted?: () => boolean;
  /**
   * The bounds above that the scenario's `budget(...)` set and no flag replaced: an incomplete
   * verdict names the budget (`budget(states: 40)`), not a flag that was never typed.
   */
  budgeted?: readonly BudgetBound[];
  /** Explore only part k of n of the state space (BFS; docs/distributed.md). */
  partition?: { k: number; n: number };
  /**
   * Threads for the stored-state BFS (parallel/bfs-parallel.ts; default 1). More than one needs
   * `recipe`: each worker thread compiles the system itself from it.
   */
  workers?: number;
  /**
   * The size of the first BFS level that the threads of a search with more than one worker
   * start at (parallel/coordination.ts tuning.spawnAt when absent); the levels before it run on one thread.
   */
  spawnAt?: number;
  /**
   * States the BFS expands before its threads may start, whatever the level's size (default 0).
   * `--mode auto` sets it to its first DPOR checkpoint when the threads were not asked for
   * (`threadsByDefault`): a spec DPOR decides there never starts them.
   */
  spawnAfter?: number;
  /** The threads are the default's, not asked for with `--workers` (parallel/search.ts defaultThreads). */
  threadsByDefault?: boolean;
  /** How the searched system was built, as plain data a worker thread can rebuild it from. */
  recipe?: SystemRecipe;
  /**
   * `--mode auto`'s first checkpoint (auto.ts FIRST_CHECKPOINT when absent). No flag sets it:
   * test/checker/auto.test.ts lowers it to make DPOR attempts on scenarios of specs/ that the
   * default rule leaves to BFS alone, and checks the verdicts against BFS's.
   */
  autoFirstCheckpoint?: number;
}

/** The bounds a scenario's `budget(states: N, seconds: S, depth: D, executions: E)` sets. */
export type BudgetBound = 'maxStates' | 'maxSeconds' | 'maxDepth' | 'executions';

/** A scenario's system as data: the spec file (or its text), the scenario, the build options, the expected-kind wrapper. */
export interface SystemRecipe {
  path: string;
  /**
   * The spec's files as the main thread read them (its SourceSet: `path` as loadSources names
   * it, relative to the shared working directory). A worker compiles these, never the disk,
   * so that a file edited during the run cannot make the threads search different systems.
   * Absent: the worker reads `path` and its imports.
   */
  files?: readonly { path: string; text: string }[];
  scenario: string;
  leak: boolean;
  dataRace: boolean;
  /** The reductions the system is built with (absent: buildSystem's default). */
  reduce?: Reduction[];
  /** The search is for this violation kind (and condition) only (systems/target.ts). */
  target?: { kind: ViolationKind; condition: string | null };
}

export const DEFAULT_OPTIONS: ExploreOptions = {
  mode: 'auto',
  por: 'optimal',
  maxDepth: 10_000,
  maxStates: Infinity,
  maxSeconds: Infinity,
  maxMemory: defaultMaxMemory(),
  preemptionBound: Infinity,
  seed: 1,
  executions: 1000,
  strategy: 'random',
  pctDepth: 3,
  bitstate: 0,
  reduce: DEFAULT_REDUCTIONS,
};

export interface Stats {
  states: number; // distinct stored states (bfs/dfs) or states visited (dpor)
  transitions: number;
  executions: number; // complete executions (dpor/random); terminal states reached (bfs/dfs)
  sleepBlocked: number; // dpor: executions cut by the sleep set
  maxDepth: number;
  queue: number; // bfs frontier / dfs stack at the time of the report
  seconds: number;
  statesPerSecond: number;
  peakMemoryBytes: number; // process RSS peak sampled during the run (start and end readings may be up to 100 ms old)
  storedBytes: number; // bytes held by the fingerprint store and the livelock check's edges (bfs/dfs), 0 otherwise
}

/** One transition of a counterexample: which thread took which of its choices. */
export interface ScheduleEntry {
  thread: number;
  choice: number;
}

/** Which bound stopped an incomplete search. */
export type Bound =
  | 'max-depth'
  | 'max-states'
  | 'max-seconds'
  | 'max-memory'
  | 'preemption-bound'
  | 'interrupted'
  | 'executions'
  /** A simulation ran all its runs without a violation: it samples, it never proves. */
  | 'simulation'
  /** A bitstate search ended: states whose bits collided were never explored. */
  | 'bitstate';

export type Verdict =
  | { kind: 'pass' }
  | {
      kind: 'violation';
      violation: Violation;
      schedule: ScheduleEntry[];
      /**
       * A livelock found by a stored-state search: schedule[loop..] is one turn of a loop that
       * returns to the state it starts from, from which no execution ever ends (docs/search.md).
       */
      loop?: number;
    }
  | { kind: 'incomplete'; bound: Bound; detail: string };

export interface ExploreResult {
  verdict: Verdict;
  /** The deciding search's own figures (not those of the searches `auto` abandoned). */
  stats: Stats;
  /** The search that produced the verdict (never 'auto': that one reports the search it ran). */
  mode: Mode;
  por?: PorVariant;
  /** With `--mode auto`: the searches it stopped before this one, in order (empty: the first). */
  auto?: AbandonedSearch[];
  /** With a partition: how the search was split and what this part covered. */
  part?: PartInfo;
  /** A simulation (mode simulate): what its runs covered, violation or not. */
  simulation?: SimulationCoverage;
  /** A bitstate search: its bit array and the states it may have missed. */
  bitstate?: BitstateCoverage;
  /**
   * A DPOR search split between workers (docs/distributed.md): how many tasks (subtrees handed
   * over, the first is the whole search) and the transitions spent replaying their paths.
   * Its stats are sums over the tasks, executions two workers both explored included.
   */
  split?: { tasks: number; replayed: number };
  /**
   * A task of a split DPOR search: the executions it cut at --max-depth with threads still able
   * to move, which dpor/split.ts Tally adds up for the whole search's incomplete line.
   */
  depthCuts?: number;
  /**
   * A BFS on more than one thread (parallel/bfs-parallel.ts): how many expanded its levels,
   * from the level of depth `fromDepth` on (the levels before it ran on one thread). Or a BFS
   * that `asked` for more threads (`--workers`) ran on one, for `reason`: `por`, the
   * partial-order reduction, which only the one-thread BFS has (parallel/search.ts).
   */
  threads?: { count: number; fromDepth: number } | OneThread;
}

/** A BFS asked for `asked` threads that ran on one (ExploreResult.threads). */
export interface OneThread {
  count: 1;
  asked: number;
  reason: 'por';
}

/** What the runs of a simulation covered (search/simulate.ts). */
export interface SimulationCoverage {
  strategy: Strategy;
  seed: number;
  /** Runs done: the last one is the one that found the violation, if any. */
  runs: number;
  steps: number;
  /** Distinct states the runs reached (fingerprints, with the search's reductions). */
  distinctStates: number;
  /** The table of fingerprints could not grow: distinctStates is a lower bound. */
  atLeast: boolean;
  longestRun: number;
  /** Runs cut at the depth bound. */
  cutRuns: number;
  /** PCT: the bug depth d (--pct-depth). */
  bugDepth?: number;
  /** PCT, after one run or more: the bug depth, n, k, and the probabilities of the paper's bound per run and over all runs. */
  pct?: { bugDepth: number; threads: number; k: number; perRun: number; overall: number };
}

/** A bitstate search's table (search/bitstate.ts). */
export interface BitstateCoverage {
  log2Bits: number;
  hashes: number;
  /** States stored: at least this many distinct states were explored. */
  states: number;
  /** Holzmann's estimate of the states taken for visited ones. */
  expectedMissed: number;
}

/** One part of a partitioned search (distrib/partition.ts): the split every part computes alike. */
export interface PartInfo {
  k: number;
  n: number;
  /** Depth of the frontier: every part expands all states of smaller depth (the shared prefix). */
  frontierDepth: number;
  /** States of depth < frontierDepth (stored and expanded by every part). */
  prefixStates: number;
  /** States at frontierDepth (stored by every part; each expanded by the part its fingerprint picks). */
  frontierStates: number;
  /** Frontier states this part owns. */
  ownedStates: number;
  /** Shared states (prefix, other parts' frontier) this part's own states lead back to, so it expands them too. */
  reentries: number;
}

/** A search the automatic mode stopped short of a verdict, and why it moved on. */
export interface AbandonedSearch {
  mode: SearchMode;
  stats: Stats;
  reason: string;
}

export function emptyStats(): Stats {
  return {
    states: 0,
    transitions: 0,
    executions: 0,
    sleepBlocked: 0,
    maxDepth: 0,
    queue: 0,
    seconds: 0,
    statesPerSecond: 0,
    peakMemoryBytes: 0,
    storedBytes: 0,
  };
}

/** A scenario's run judged against its `expect`, as the reporters receive it (no system). */
export interface RunReport {
  scenario: ScenarioInfo;
  result: ExploreResult;
  /** The verdict in words: pass, violation(kind), incomplete. */
  got: string;
  expected: string;
  /** The result meets the scenario's `expect`. */
  asExpected: boolean;
  /** With a target: the first violation of another kind that was cut from the search. */
  other?: { first: Violation; count: number };
  /**
   * The search for the expected kind stopped at a bound (its detail) and a plain search of the
   * same bounds then found this violation of another kind: the expected one may lie past it.
   */
  targetIncomplete?: string;
  /** The reductions `--reduce` named that the search did not apply (reductions-applied.ts); absent: none. */
  reductionsNotApplied?: ReductionNotApplied[];
}

/** Why a reduction was not applied: the search that decided, or the system (ReductionNotApplied.detail says it in words). */
export type NotAppliedReason = 'dfs' | 'dpor' | 'random' | 'simulate' | 'partition' | 'leak' | 'data-race';

/** A reduction asked for that the deciding search did not apply (RunReport.reductionsNotApplied). */
export interface ReductionNotApplied {
  reduction: Reduction;
  reason: NotAppliedReason;
  /** The reason in words, as the text report prints it after `por: not applied: `. */
  detail: string;
}
