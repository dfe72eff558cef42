// The reductions a run was asked for (`--reduce` on the command line) that the search behind
// its verdict did not apply, and why: reported, never silent (docs/reductions.md, "Asked for
// and not applied"). A reduction of the default set is not asked for, so a search that does
// not use it says nothing. Decided from the result and the system, after the search:
//   por          only the one-thread breadth-first search applies it (search/por-expansion.ts):
//                not DFS, DPOR, random walks or simulation, not a part of a partitioned run, and
//                not with the leak or data_race check (the system then has no ample sets:
//                model/por.ts porAmple);
//   symmetry     every search that stores states applies it (storeKey): not DPOR (auto's
//                DPOR that decided) nor random walks;
//   dead-locals  compiled into the steps every search runs: always applied.
import type { Reduction, ReductionSet } from '../model/reductions.js';
import type { ExploreResult, NotAppliedReason, ReductionNotApplied } from './result.js';

/** What the system searched offers: its checks, and whether it has ample sets (TransitionSystem.ample). */
export interface SearchedSystem {
  leak: boolean;
  dataRace: boolean;
  ample: boolean;
}

/**
 * The reductions of `asked` that the search of `result` did not apply, in the order of
 * REDUCTIONS; `partitioned`: the result is a part of a partitioned run.
 */
export function reductionsNotApplied(
  asked: ReductionSet,
  result: ExploreResult,
  partitioned: boolean,
  sys: SearchedSystem,
): ReductionNotApplied[] {
  const out: ReductionNotApplied[] = [];
  const stateless = result.mode === 'dpor' || result.mode === 'random' ? result.mode : null;
  if (asked.has('symmetry') && stateless !== null) out.push(notApplied('symmetry', stateless, result));
  if (asked.has('por')) {
    const reason = porReason(result, partitioned, sys);
    if (reason !== null) out.push(notApplied('por', reason, result));
  }
  return out;
}

function porReason(result: ExploreResult, partitioned: boolean, sys: SearchedSystem): NotAppliedReason | null {
  if (result.mode !== 'bfs' && result.mode !== 'auto') return result.mode;
  if (partitioned) return 'partition';
  if (sys.ample) return null;
  if (sys.dataRace) return 'data-race';
  return sys.leak ? 'leak' : null;
}

function notApplied(reduction: Reduction, reason: NotAppliedReason, result: ExploreResult): ReductionNotApplied {
  return { reduction, reason, detail: detailOf(reduction, reason, result.auto !== undefined) };
}

function detailOf(reduction: Reduction, reason: NotAppliedReason, auto: boolean): string {
  const bfsOnly = reduction === 'por' ? ' (only the breadth-first search applies it)' : '';
  switch (reason) {
    case 'dfs':
      return `the depth-first search has no ample sets${bfsOnly}`;
    case 'dpor':
      return auto ? "auto's DPOR search decided, and DPOR stores no states" : 'a DPOR search stores no states';
    case 'random':
      return 'a random-walk search stores no states';
    case 'simulate':
      return `a simulation takes every step of its runs${bfsOnly}`;
    case 'partition':
      return 'a part of a partitioned run expands every state in full (which part expands a state is decided state by state)';
    case 'leak':
      return 'the leak check is on (--leak, or the scenario expects leak): its step-time warning reads the whole heap, which the footprints do not cover';
    case 'data-race':
      return "the data_race check is on (--data-race, or the scenario expects data_race): a step reads the other threads' next steps";
  }
}
