// Stateless DPOR: optimal DPOR with wakeup trees and sleep sets (opts.por 'optimal') or
// source-DPOR with source sets and sleep sets ('source'), after Abdulla, Aronis, Jonsson and
// Sagonas, "Source Sets: A Foundation for Optimal Dynamic Partial Order Reduction", JACM
// 2017 (POPL 2014): Algorithm 2 and Algorithm 1. docs/dpor.md explains the extensions for
// blocking steps, nondeterministic choices and spin loops, with a proof sketch.
//
// The search is iterative: node d of the current execution is its state (a slice of one
// Int32Array, see execution.ts), its sleep set (sleep-set.ts) and its wakeup-tree node
// (wakeup-tree.ts), whose first child is the branch being explored. An execution ends when
// no thread can move (a terminal state: sys.terminal checks it), when every thread that can
// move sleeps (sleep-set blocked), or at maxDepth; race analysis (races.ts) then adds
// the wakeup sequences that reverse its races, and the search backtracks to the deepest node
// with a branch left.
import { Footprint, STEP_VIOLATION, type TransitionSystem, type Violation } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry, Stats, Verdict } from '../result.js';
import { SearchMeter } from '../search/meter.js';
import { checkDisablings, eventFootprint } from './disabling.js';
import { Execution, growI32 } from './execution.js';
import { loadTask, takeTask, topUpSleep } from './handover.js';
import type { DporHooks, DporSplit } from './hooks.js';
import { RaceAnalyzer } from './races.js';
import { SleepSets } from './sleep-set.js';
import { SpinDetector } from './spin-parking.js';
import { WakeupTree } from './wakeup-tree.js';

export type { DporHooks, DporSplit } from './hooks.js';

const STOP = 0;
const END = 1;
const GO = 2;
/** Inner loops (over a node's choices, sleep sets, alternatives) check the bounds every this many items (+1). */
const WORK_MASK = 255;

export function exploreDpor(sys: TransitionSystem, opts: ExploreOptions, hooks: DporHooks = {}): ExploreResult {
  return new DporSearch(sys, opts, hooks, null).run();
}

/** One task of a split search: the subtree it was handed, and the branches its own races add above it. */
export function exploreDporTask(
  sys: TransitionSystem,
  opts: ExploreOptions,
  split: DporSplit,
  hooks: DporHooks = {},
): ExploreResult {
  return new DporSearch(sys, opts, hooks, split).run();
}

class DporSearch {
  private readonly T: number;
  private readonly exec: Execution;
  private readonly sleep = new SleepSets();
  private readonly tree: WakeupTree;
  private readonly races: RaceAnalyzer;
  private readonly spin: SpinDetector;
  private pathNode = new Int32Array(64);
  private started = new Int32Array(64);
  private preempt = new Int32Array(64);
  /** nodeCh[d * T + t]: choices of thread t at node d, 0 when it is blocked or parked. */
  private nodeCh: Int32Array;
  private readonly fp = new Footprint();
  private readonly guard = new Footprint();
  private readonly meter: SearchMeter;
  private readonly stats: Stats;
  /** Executions cut at maxDepth with threads still able to move. */
  private depthCuts = 0;
  private preemptionCut = false;
  private stopped: Bound | null = null;
  /** Items of inner loops done since the start (tick). */
  private work = 0;
  private readonly maxExecutions: number;
  private verdict: Verdict | null = null;
  /** Nodes of the split task's path whose sleep sets have been topped up (replayed). */
  private replayed = -1;

  constructor(
    private readonly sys: TransitionSystem,
    private readonly opts: ExploreOptions,
    private readonly hooks: DporHooks,
    private readonly split: DporSplit | null,
  ) {
    this.meter = new SearchMeter(opts);
    this.stats = this.meter.stats;
    this.maxExecutions = hooks.maxExecutions ?? Infinity;
    this.T = sys.threadCount;
    this.exec = new Execution(sys.stateWords, this.T, sys.locationCount);
    this.tree = new WakeupTree(this.exec);
    this.nodeCh = new Int32Array(64 * this.T);
    this.races = new RaceAnalyzer(
      sys,
      this.exec,
      this.sleep,
      this.tree,
      opts.por !== 'source',
      () => this.pathNode,
      this.tick,
    );
    this.spin = new SpinDetector(sys, this.exec);
  }

  run(): ExploreResult {
    const init = this.sys.initial();
    if (!('state' in init)) return this.result({ kind: 'violation', violation: init.violation, schedule: [] });
    this.exec.state(0).set(init.state);
    this.exec.clearParking();
    this.exec.disTop[0] = 0;
    this.sleep.clear();
    this.tree.reset();
    this.pathNode[0] = 0;
    this.started[0] = 0;
    this.preempt[0] = 0;
    if (this.split !== null) {
      loadTask(this.tree, this.split.task);
      this.replay(0);
    }
    this.stats.states = 1;
    let d = 0;
    let fresh = true;
    for (;;) {
      if (this.stopped !== null) break;
      if (fresh) {
        fresh = false;
        const r = this.arrive(d);
        if (r === STOP) break;
        if (r === END) {
          d = this.backtrack(d);
          if (d < 0) break;
          continue;
        }
      }
      const c = this.nextBranch(d);
      if (c < 0) {
        d = this.backtrack(d);
        if (d < 0) break;
        continue;
      }
      if (this.execute(d, c) === STOP) break;
      d++;
      fresh = true;
    }
    return this.result(this.verdict ?? this.boundVerdict());
  }

  /** A new node: bounds, then the end of the execution if no thread can move. */
  private arrive(d: number): number {
    if (this.pollBounds()) return STOP;
    if (this.split?.wants() === true) {
      const task = takeTask(this.exec, this.sleep, this.tree, this.pathNode, d);
      if (task !== null) this.split.give(task);
    }
    const sys = this.sys;
    const T = this.T;
    const s = this.exec.state(d);
    if ((d + 1) * T > this.nodeCh.length) this.nodeCh = growI32(this.nodeCh, (d + 1) * T);
    let any = false;
    for (let t = 0; t < T; t++) {
      const k = this.exec.isParked(d, t) ? 0 : sys.choices(s, t);
      this.nodeCh[d * T + t] = k;
      if (k > 0) any = true;
    }
    if (d > 0) checkDisablings(this.sys, this.exec, this.nodeCh, this.guard, d - 1);
    if (!any) {
      this.stats.executions++;
      this.hooks.onTerminal?.(s);
      this.hooks.onExecution?.(this.schedule(d), 'terminal');
      const v = sys.terminal(s);
      if (v !== null && this.report(v, d)) return STOP;
      this.races.analyze(d);
      return END;
    }
    if (d >= this.opts.maxDepth) {
      this.depthCuts++;
      this.hooks.onExecution?.(this.schedule(d), 'max-depth');
      this.races.analyze(d);
      return END;
    }
    return GO;
  }

  /**
   * The next branch to explore from node d: the first wakeup-tree child that is not asleep
   * (Algorithm 2 line 16) nor foreign, or at a fresh node without one, any enabled event that is not
   * asleep (lines 12-13). -1 when the node is done.
   */
  private nextBranch(d: number): number {
    const tree = this.tree;
    const node = this.pathNode[d]!;
    for (let c = tree.firstChild[node]!; c !== -1; ) {
      if (this.tick()) return -1;
      const next = tree.nextSibling[c]!;
      if (tree.foreign[c] === 1) {
        this.sleepForeign(d, c);
        tree.removeChild(node, c);
        c = next;
        continue;
      }
      const t = tree.thread[c]!;
      const ch = tree.choice[c]!;
      let drop = this.sleep.has(d, t, ch);
      if (!drop && this.nodeCh[d * this.T + t]! <= ch) {
        // a spinner parked again in this context (running it would repeat an iteration), or
        // a thread stopped by something no footprint shows
        if (this.hooks.strict === true && !this.exec.isParked(d, t)) {
          throw new Error(
            `[mmcheck internal bug] dpor: wakeup sequence event (thread ${t}, choice ${ch}) is not enabled at depth ${d}`,
          );
        }
        drop = true;
      }
      if (!drop && this.preempt[d]! + this.preemptionCost(d, t) > this.opts.preemptionBound) {
        this.preemptionCut = true;
        drop = true;
      }
      if (!drop) return c;
      tree.removeChild(node, c);
      c = next;
    }
    if (this.started[d] === 1) return -1;
    const pick = this.freeChoice(d);
    if (pick < 0) {
      if (pick === -1) {
        this.stats.sleepBlocked++;
        this.hooks.onExecution?.(this.schedule(d), 'sleep-blocked');
        this.races.analyze(d);
      }
      return -1;
    }
    return tree.addChild(node, pick % this.T, Math.floor(pick / this.T), null, 0);
  }

  /**
   * Foreign branch c of node d (a split search), reached in the order of node d's branches:
   * it sleeps at d from now on, as it would after this worker had explored it. The worker
   * that owns it explores it completely (docs/distributed.md).
   */
  private sleepForeign(d: number, c: number): void {
    const t = this.tree.thread[c]!;
    const ch = this.tree.choice[c]!;
    if (this.sleep.has(d, t, ch)) return;
    const f = eventFootprint(this.sys, this.exec.state(d), t, ch, this.fp, this.guard);
    if (f !== null) this.sleep.add(d, t, ch, f.loc, f.write, 0, f.loc.length);
  }

  /**
   * An enabled event that is not asleep, as choice * T + thread; the last thread first. -1
   * when every one sleeps, -2 when the preemption bound cuts, -3 when a bound stopped the search.
   */
  private freeChoice(d: number): number {
    const T = this.T;
    const last = d > 0 ? this.exec.thread[d - 1]! : 0;
    let bounded = false;
    for (let i = 0; i < T; i++) {
      const t = (last + i) % T;
      const k = this.nodeCh[d * T + t]!;
      for (let c = 0; c < k; c++) {
        if (this.tick()) return -3;
        if (this.sleep.has(d, t, c)) continue;
        if (this.preempt[d]! + this.preemptionCost(d, t) > this.opts.preemptionBound) {
          bounded = true;
          break;
        }
        return c * T + t;
      }
    }
    if (bounded) this.preemptionCut = true;
    return bounded ? -2 : -1;
  }

  private preemptionCost(d: number, t: number): number {
    if (d === 0) return 0;
    const last = this.exec.thread[d - 1]!;
    return last !== t && this.nodeCh[d * this.T + last]! > 0 ? 1 : 0;
  }

  /** Takes branch c from node d into node d + 1. */
  private execute(d: number, c: number): number {
    const sys = this.sys;
    const ex = this.exec;
    const tree = this.tree;
    const T = this.T;
    const t = tree.thread[c]!;
    const ch = tree.choice[c]!;
    this.started[d] = 1;
    ex.reserve(d);
    this.reserveNodes(d + 2);
    const s = ex.state(d);
    sys.guardFootprint(s, t, this.guard);
    const r = sys.step(s, t, ch, ex.state(d + 1), this.fp);
    ex.record(d, t, ch, this.nodeCh[d * T + t]!, this.fp, this.guard);
    tree.onPath(c, d);
    const st = this.stats;
    st.transitions++;
    st.states++;
    if (d + 1 > st.maxDepth) st.maxDepth = d + 1;
    if (r === STEP_VIOLATION && this.report(sys.lastViolation(), d + 1)) return STOP;
    const o = ex.fpStart[d]!;
    this.sleep.derive(d, t, ex.fpLoc, ex.fpWrite, o, ex.fpStart[d + 1]! - o);
    ex.inheritParking(d);
    for (let u = 0; u < T; u++) {
      if (u !== t && ex.isParked(d, u) && ex.wakesParked(d, u)) ex.unpark(d + 1, u);
    }
    ex.unpark(d + 1, t);
    this.spin.check(d, t);
    this.pathNode[d + 1] = c;
    // a claimed branch (a split search): node d + 1's free choice is its owner's
    this.started[d + 1] = tree.partial[c]!;
    this.preempt[d + 1] = this.preempt[d]! + this.preemptionCost(d, t);
    if (this.split !== null) this.replay(d + 1);
    return GO;
  }

  /**
   * Node k of a split task's path, reached for the first time: its sleep set topped up to the
   * donor's; the handed node has had its free choice already (the donor made it).
   */
  private replay(k: number): void {
    const task = this.split!.task;
    if (k <= this.replayed || k > task.prefix.length) return;
    this.replayed = k;
    topUpSleep(this.sleep, k, task.sleep[k]!);
    if (k === task.prefix.length && task.handed >= 0) this.started[k] = 1;
  }

  /** Back from the branch taken at node d - 1 and below: it sleeps there now (line 20). */
  private backtrack(d: number): number {
    if (d === 0) return -1;
    const p = d - 1;
    const ex = this.exec;
    const o = ex.fpStart[p]!;
    this.sleep.add(p, ex.thread[p]!, ex.choice[p]!, ex.fpLoc, ex.fpWrite, o, ex.fpStart[p + 1]! - o);
    this.tree.removeChild(this.pathNode[p]!, this.pathNode[d]!);
    return p;
  }

  /** A violation after `len` events: stop with it (true), or hand it to the hook. */
  private report(v: Violation, len: number): boolean {
    const schedule = this.schedule(len);
    if (this.hooks.onViolation !== undefined) {
      this.hooks.onViolation(v, schedule);
      return false;
    }
    this.verdict = { kind: 'violation', violation: v, schedule };
    return true;
  }

  private schedule(len: number): ScheduleEntry[] {
    const schedule: ScheduleEntry[] = [];
    for (let i = 0; i < len; i++) schedule.push({ thread: this.exec.thread[i]!, choice: this.exec.choice[i]! });
    return schedule;
  }

  /** Stop conditions checked at every node; the clock only when the meter's mask says. */
  private pollBounds(): boolean {
    if (this.stats.states > this.opts.maxStates) this.stopped = 'max-states';
    else if (this.stats.executions + this.stats.sleepBlocked + this.depthCuts >= this.maxExecutions)
      this.stopped = 'executions';
    else if (this.split !== null) this.stopped = this.split.stop(this.stats.states);
    if (this.stopped === null && (this.stats.transitions & this.meter.mask) === 0) this.stopped = this.meter.poll(0);
    return this.stopped !== null;
  }

  /** One item of an inner loop: checks the bounds every WORK_MASK + 1 items; true once stopped. */
  private readonly tick = (): boolean => {
    if ((++this.work & WORK_MASK) === 0 && this.stopped === null) this.stopped = this.meter.check(0);
    return this.stopped !== null;
  };

  private boundVerdict(): Verdict {
    let bound = this.stopped;
    if (bound === null && this.depthCuts > 0) bound = 'max-depth';
    if (bound === null && this.preemptionCut) bound = 'preemption-bound';
    return bound === null ? { kind: 'pass' } : this.meter.incomplete(bound, this.depthCuts, 0, '');
  }

  private result(verdict: Verdict): ExploreResult {
    const r = this.meter.finish('dpor', 0, verdict, this.opts.por);
    return this.split === null ? r : { ...r, depthCuts: this.depthCuts };
  }

  private reserveNodes(n: number): void {
    if (n <= this.pathNode.length) return;
    this.pathNode = growI32(this.pathNode, n);
    this.started = growI32(this.started, n);
    this.preempt = growI32(this.preempt, n);
  }
}
