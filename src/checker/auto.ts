// The default search, `--mode auto`: stored-state BFS, with bounded DPOR attempts along the
// way. docs/search.md gives the rule, why, and the measurements behind the constants.
//
// BFS runs with the caller's bounds. Each time it has expanded FIRST_CHECKPOINT ×
// CHECKPOINT_GROWTH^i states, auto runs DPOR (optimal unless --por source) from the start,
// allowed one transition for every DPOR_SHARE states BFS has expanded and one execution for
// every DPOR_EXECUTION_SHARE transitions. If that DPOR run gives a verdict (pass or a
// violation) within its budget, BFS stops and DPOR's result is the verdict; otherwise BFS goes
// on where it was. DPOR wins where it wins by orders of magnitude (independent threads: the
// classic programs of specs/bench/), so a small share is enough; where a protocol has far more
// Mazurkiewicz traces than states, every attempt stops at its budget and costs BFS about one
// part in DPOR_SHARE × 3/4 of its transitions. A scenario under FIRST_CHECKPOINT states is plain BFS.
//
// With a finite preemption bound auto is bounded DPOR outright (the bound means nothing to BFS).
// Budgets count states and transitions, never seconds, so a spec gets the same choice on
// every run. The result is the deciding search's own (mode, stats, verdict); `auto` lists the
// searches stopped short of a verdict, so an incomplete sub-search is never taken for a pass.
import { grouped } from '../io/grouped.js';
import type { TransitionSystem } from '../model/system.js';
import { exploreDpor } from './dpor/search.js';
import { searchBfs } from './parallel/search.js';
import type { AbandonedSearch, ExploreOptions, ExploreResult } from './result.js';
import { POLL_MASK } from './search/meter.js';
import { cutsOf, restoreCuts } from './systems/target.js';

/**
 * BFS expansions before the first DPOR attempt: below it, auto is BFS exactly. It was 16,384:
 * in a fresh process an attempt there cost the BFS that went on ~0.2 s of CPU whatever its
 * size (one execution or sixteen), most of it V8 re-optimising the BFS and model code the
 * attempt deoptimised and compiling DPOR's hot functions, and no scenario of specs/ needed it:
 * the three DPOR wins there (indexer-locked n4, indexer n8, filesystem n6) win at 65,536 too
 * (docs/performance.md, "The first DPOR attempt's cost in a fresh process").
 */
export const FIRST_CHECKPOINT = 65_536;
/** The next attempt comes when BFS has expanded this many times more states. */
export const CHECKPOINT_GROWTH = 4;
/** A DPOR attempt may take one transition per this many states BFS has expanded. */
export const DPOR_SHARE = 64;
/**
 * ... and end one execution per this many of its transitions. An execution costs DPOR its
 * race analysis, the length of the whole execution: where executions share most of their
 * steps (protocols with far more traces than states: ~6–20 new transitions each), 256
 * transitions took 27–43 executions and 0.04–0.2 s, ~20× a BFS state's cost per transition.
 * The programs DPOR wins on end far fewer (6–64 executions for 238–2,712 transitions,
 * docs/search.md), well inside the cap at the checkpoint where they win today.
 */
export const DPOR_EXECUTION_SHARE = 16;

export async function exploreAuto(sys: TransitionSystem, opts: ExploreOptions): Promise<ExploreResult> {
  // A preemption bound asks for bounded DPOR: BFS has no notion of preemptions.
  if (Number.isFinite(opts.preemptionBound)) return { ...exploreDpor(sys, { ...opts, mode: 'dpor' }), auto: [] };
  const startMs = performance.now();
  const abandoned: AbandonedSearch[] = [];
  let won: ExploreResult | null = null;
  let polls = 0;
  let checkpoint = opts.autoFirstCheckpoint ?? FIRST_CHECKPOINT;
  const userStop = opts.shouldStop;
  // BFS polls shouldStop once every POLL_MASK + 1 expansions, starting with the first.
  const shouldStop = (): boolean => {
    if (userStop?.() === true) return true;
    const expansions = polls++ * (POLL_MASK + 1);
    if (expansions < checkpoint) return false;
    checkpoint *= CHECKPOINT_GROWTH;
    const budget = Math.floor(expansions / DPOR_SHARE);
    const attempt = attemptDpor(
      sys,
      { ...opts, maxSeconds: opts.maxSeconds - (performance.now() - startMs) / 1000 },
      budget,
    );
    if (attempt.verdict.kind !== 'incomplete') won = attempt;
    else abandoned.push({ mode: 'dpor', stats: attempt.stats, reason: dporStopReason(attempt, budget, expansions) });
    return won !== null || userStop?.() === true;
  };
  // Threads not asked for start after the first attempt: a spec DPOR decides there stays on one.
  const spawnAfter = opts.threadsByDefault === true ? checkpoint : 0;
  const bfs = await searchBfs(sys, { ...opts, mode: 'bfs', shouldStop, spawnAfter });
  if (won === null) return { ...bfs, auto: abandoned };
  const dpor: ExploreResult = won;
  abandoned.push({ mode: 'bfs', stats: bfs.stats, reason: 'stopped: DPOR gave the verdict first' });
  return { ...dpor, auto: abandoned };
}

/**
 * DPOR (opts.por's variant, optimal by default) with at most `budget` visited states
 * (= transitions + 1). The counts of cut violations an expected-kind search keeps
 * (systems/target.ts) are restored after an attempt that gives no verdict, so that the
 * report counts only the search that decided.
 */
function attemptDpor(sys: TransitionSystem, opts: ExploreOptions, budget: number): ExploreResult {
  const saved = cutsOf(sys);
  const maxExecutions = Math.max(1, Math.floor(budget / DPOR_EXECUTION_SHARE));
  const result = exploreDpor(
    sys,
    { ...opts, mode: 'dpor', maxStates: Math.min(opts.maxStates, budget) },
    { maxExecutions },
  );
  if (result.verdict.kind === 'incomplete') restoreCuts(sys, saved);
  return result;
}

function dporStopReason(r: ExploreResult, budget: number, expansions: number): string {
  const v = r.verdict;
  const bound = v.kind === 'incomplete' ? v.bound : 'none';
  const at = `tried at BFS's ${grouped(expansions)}th state`;
  if (bound === 'max-states') return `${at}: no verdict within ${grouped(budget)} transitions`;
  if (bound === 'executions')
    return `${at}: no verdict within ${grouped(Math.max(1, Math.floor(budget / DPOR_EXECUTION_SHARE)))} executions`;
  return `${at}: ${bound}`;
}
