// `mmcheck simulate`: opts.executions seeded runs from the initial state, each a walk that
// picks one enabled (thread, choice) move at a time until a terminal state or opts.maxDepth,
// by one of two strategies: `random` (uniform over all enabled moves, as --mode random) or
// `pct` (PCT's random priorities and change points, pct.ts). Every state a run reaches is
// fingerprinted as the stored-state searches do it (with the same reductions), so the report
// says how many distinct states the runs saw. A simulation samples: without a violation its
// verdict is incomplete (bound 'simulation'), never pass. One seed gives the same runs.
import { plural } from '../../io/grouped.js';
import { storeKey } from '../../model/symmetry.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry, SimulationCoverage } from '../result.js';
import { Fingerprinter } from './fingerprint.js';
import { FingerprintStore } from './fingerprint-store.js';
import { type Found, SearchMeter } from './meter.js';
import { decodeMove } from './move.js';
import { PctScheduler, pctBound } from './pct.js';
import { mulberry32 } from './random.js';

/** The fingerprints of the states the runs saw: all runs together, and the current run's (PCT). */
class SeenStates {
  readonly all = new FingerprintStore();
  run = new FingerprintStore(1 << 8);
  private readonly fingerprint = new Fingerprinter();
  private readonly key: (state: Int32Array, bytes: Uint8Array) => Uint8Array;

  constructor(
    sys: TransitionSystem,
    opts: ExploreOptions,
    private readonly perRun: boolean,
  ) {
    this.key = storeKey(sys, opts.reduce);
  }

  /** Records state s (its bytes `bytes`); true when the current run had already visited it. */
  add(s: Int32Array, bytes: Uint8Array): boolean {
    const f = this.fingerprint;
    f.ofState(this.key(s, bytes));
    // A table that cannot grow stops counting (the figure is then a lower bound), never the runs.
    if (!this.all.full) this.all.add(f.lo, f.hi);
    return this.perRun && !this.run.add(f.lo, f.hi);
  }

  startRun(): void {
    if (this.perRun && this.run.size > 0) this.run = new FingerprintStore(1 << 8);
  }
}

/** What the runs covered, for the verdict. */
interface Coverage {
  runs: number;
  steps: number;
  cut: number;
  longest: number;
}

export function exploreSimulate(sys: TransitionSystem, opts: ExploreOptions): ExploreResult {
  const meter = new SearchMeter(opts);
  const stats = meter.stats;
  const init = sys.initial();
  if ('violation' in init) {
    return meter.finish('simulate', 0, { kind: 'violation', violation: init.violation, schedule: [] });
  }
  const sim = new Simulation(sys, opts, meter);
  const cov = sim.cov;
  let end: Found | Bound | null = null;
  while (end === null && cov.runs < opts.executions) {
    end = sim.run(init.state);
    if (end === null || typeof end !== 'string') cov.runs++;
  }
  stats.states = sim.seen.all.size;
  stats.maxDepth = cov.longest;
  stats.storedBytes = sim.seen.all.storedBytes;
  const covered = { ...cov, steps: stats.transitions };
  const simulation = simulationCoverage(opts, covered, stats.states, sys.threadCount, sim.seen.all.full);
  if (end !== null && typeof end !== 'string') {
    return { ...meter.finish('simulate', 0, { kind: 'violation', ...end }), simulation };
  }
  // The bound's own words ("stopped after --max-seconds 10") before what the runs covered.
  const stopped = end === null ? null : meter.incomplete(end, 0, 0, '');
  const why = stopped?.kind === 'incomplete' ? `${stopped.detail.replace(/:.*$/, '')}; ` : '';
  const detail = `${why}${coverageText(simulation, opts.maxDepth)}`;
  return { ...meter.finish('simulate', 0, { kind: 'incomplete', bound: end ?? 'simulation', detail }), simulation };
}

/** The runs of one simulation: the scheduler, the states seen and two state buffers. */
class Simulation {
  readonly cov: Coverage = { runs: 0, steps: 0, cut: 0, longest: 0 };
  readonly seen: SeenStates;
  private readonly random: () => number;
  private readonly pct: PctScheduler | null;
  private readonly counts: Int32Array;
  private cur: Int32Array;
  private next: Int32Array;
  private curBytes: Uint8Array;
  private nextBytes: Uint8Array;
  private moves: Int32Array = new Int32Array(256); // the current run, encoded as in move.ts
  private polls = 0;

  constructor(
    private readonly sys: TransitionSystem,
    private readonly opts: ExploreOptions,
    private readonly meter: SearchMeter,
  ) {
    this.random = mulberry32(opts.seed);
    this.pct = opts.strategy === 'pct' ? new PctScheduler(sys.threadCount, opts.pctDepth, this.random) : null;
    this.seen = new SeenStates(sys, opts, this.pct !== null);
    this.counts = new Int32Array(sys.threadCount);
    this.cur = new Int32Array(sys.stateWords);
    this.next = new Int32Array(sys.stateWords);
    this.curBytes = new Uint8Array(this.cur.buffer);
    this.nextBytes = new Uint8Array(this.next.buffer);
  }

  /** One run from `init`: the violation it ends in, the bound that stopped it, or null. */
  run(init: Int32Array): Found | Bound | null {
    const { sys, opts, counts, cov, meter } = this;
    const T = sys.threadCount;
    this.cur.set(init);
    this.seen.startRun();
    this.seen.add(this.cur, this.curBytes);
    this.pct?.startRun(cov.longest);
    for (let depth = 0; ; depth++) {
      if ((this.polls++ & meter.mask) === 0) {
        meter.stats.states = this.seen.all.size;
        meter.stats.maxDepth = cov.longest;
        if (this.seen.all.size >= opts.maxStates) return 'max-states';
        const bound = meter.poll(0);
        if (bound !== null) return bound;
      }
      let total = 0;
      for (let t = 0; t < T; t++) total += counts[t] = sys.choices(this.cur, t);
      if (total === 0) {
        meter.stats.executions++;
        const violation = sys.terminal(this.cur);
        return violation === null ? null : { violation, schedule: this.schedule(depth) };
      }
      if (depth >= opts.maxDepth) {
        cov.cut++;
        return null;
      }
      const [t, c] = this.pick(total, depth + 1);
      if (depth === this.moves.length) this.moves = wider(this.moves);
      this.moves[depth] = c * T + t;
      meter.stats.transitions++;
      if (sys.step(this.cur, t, c, this.next, Footprint.NONE) === STEP_VIOLATION) {
        return { violation: sys.lastViolation(), schedule: this.schedule(depth + 1) };
      }
      [this.cur, this.next] = [this.next, this.cur];
      [this.curBytes, this.nextBytes] = [this.nextBytes, this.curBytes];
      if (this.seen.add(this.cur, this.curBytes)) this.pct?.demote(t);
      if (depth + 1 > cov.longest) cov.longest = depth + 1;
    }
  }

  /** The move for step `step` (1-based): [thread, choice]. */
  private pick(total: number, step: number): [number, number] {
    const counts = this.counts;
    if (this.pct === null) {
      // Uniform over all enabled moves, drawn as --mode random draws them.
      let c = Math.floor(this.random() * total);
      let t = 0;
      for (; c >= counts[t]!; t++) c -= counts[t]!;
      return [t, c];
    }
    const t = this.pct.pick(counts, step);
    return [t, Math.floor(this.random() * counts[t]!)];
  }

  private schedule(length: number): ScheduleEntry[] {
    const T = this.sys.threadCount;
    return Array.from(this.moves.subarray(0, length), (m) => decodeMove(m, T));
  }
}

function wider(moves: Int32Array): Int32Array {
  const w = new Int32Array(moves.length * 2);
  w.set(moves);
  return w;
}

/** What the runs covered, as the result carries it. */
function simulationCoverage(
  opts: ExploreOptions,
  cov: Coverage,
  states: number,
  threads: number,
  full: boolean,
): SimulationCoverage {
  const c: SimulationCoverage = {
    strategy: opts.strategy,
    seed: opts.seed,
    runs: cov.runs,
    steps: cov.steps,
    distinctStates: states,
    atLeast: full,
    longestRun: cov.longest,
    cutRuns: cov.cut,
  };
  if (opts.strategy === 'pct') c.bugDepth = opts.pctDepth;
  // No step taken (--depth 0): nothing was sampled, so no bound.
  if (opts.strategy === 'pct' && cov.runs > 0 && cov.longest > 0) {
    const d = opts.pctDepth;
    c.pct = { bugDepth: d, threads, k: cov.longest, ...pctBound(threads, cov.longest, d, cov.runs) };
  }
  return c;
}

/** The coverage sentence: runs, steps, distinct states, and PCT's bound; never "pass". */
export function coverageText(c: SimulationCoverage, maxDepth: number): string {
  const strategy = c.bugDepth === undefined ? c.strategy : `${c.strategy}, bug depth ${c.bugDepth}`;
  const parts = [
    `simulation: ${plural(c.runs, 'run')} (strategy ${strategy}, seed ${c.seed}) without a violation`,
    `${plural(c.steps, 'step')}, ${c.atLeast ? 'at least ' : ''}${plural(c.distinctStates, 'distinct state')} seen, longest run ${plural(c.longestRun, 'step')}`,
  ];
  if (c.cutRuns > 0) parts.push(`${plural(c.cutRuns, 'run')} cut at --depth ${maxDepth}`);
  const p = c.pct;
  if (p !== undefined) {
    // The paper's bound is for executions of at most k steps; a cut run's execution is longer.
    const scope =
      c.cutRuns > 0
        ? `, only for a bug within a run's first ${plural(maxDepth, 'step')} (the runs were cut there)`
        : '';
    parts.push(
      `PCT bound${scope}: a bug of depth ${p.bugDepth} is found by each run with probability ≥ 1/(${p.threads}·${p.k}^${p.bugDepth - 1}) = ${p.perRun.toPrecision(2)}, by these runs with probability ≥ ${percent(p.overall)} (n = ${p.threads} threads, k = ${p.k}, the longest run seen)`,
    );
  }
  parts.push('a simulation cannot prove a pass');
  return parts.join('; ');
}

function percent(p: number): string {
  if (p >= 0.9999) return '99.99%+';
  return `${(p * 100).toPrecision(p < 0.001 ? 2 : 3)}%`;
}
