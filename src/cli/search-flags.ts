// The flags only some searches read. Each search honours its own (--preemption-bound and --por:
// DPOR; --seed: random walks, bitstate, simulate; --executions: random walks; --workers: BFS
// and DPOR; --pct-depth: PCT; --reduce: the searches that store states, and simulate's count
// of them); one that only another search reads would be accepted and then do nothing, so
// explore, simulate and check refuse it here: a usage error (exit 2) that names the flag, the
// search that will run and what to do instead (docs/search.md, "Flags each search reads").
import type { Mode, Strategy } from '../checker/result.js';
import { UsageError } from './exit.js';
import { resolvePartition } from './partition.js';

/** The flags that choose the search and the flags only some searches read, as parsed. */
export interface SearchChoiceFlags {
  mode: Mode;
  por?: string;
  preemptionBound?: number;
  seed?: number;
  executions?: number;
  workers?: number;
  bitstate?: boolean;
  bitstateBits?: number;
  strategy?: Strategy;
  pctDepth?: number;
  minimize?: boolean;
  /**
   * The options given on the command line (commander's option source 'cli'), by attribute
   * name: --por, --reduce, --pct-depth and --minimize-seconds have defaults, and only a typed
   * one is refused.
   */
  typed?: readonly string[];
}

/** The flags a search may not read. */
type Flag = 'preemptionBound' | 'por' | 'seed' | 'executions' | 'workers' | 'pctDepth' | 'reduce';

/** The search the flags choose, as a refusal names it. */
interface Search {
  kind: 'partition' | 'bitstate' | 'auto-bounded' | Mode | 'simulate-random';
  /** The flags that chose it: "--mode dfs". */
  chosen: string;
  /** The subject of what it lacks: "a depth-first search" (uses no seed). */
  subject: string;
  reads: readonly Flag[];
}

/** The options commander says were typed on the command line (not defaults), by attribute name. */
export function typedOptions(cmd: {
  options: readonly { attributeName(): string }[];
  getOptionValueSource(key: string): string | undefined;
}): string[] {
  return cmd.options.map((o) => o.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli');
}

/**
 * Why the run refuses one of `o`'s flags, or null: a flag the search it will run does not
 * read. `partition` names the flag of a partitioned run (a part is a one-thread BFS).
 */
export function searchFlagsProblem(o: SearchChoiceFlags, partition?: '--partition' | '--partitions'): string | null {
  const bitstate = o.bitstate === true || o.bitstateBits !== undefined;
  if (bitstate && o.mode !== 'auto' && o.mode !== 'bfs')
    return `--bitstate is a breadth-first search: it cannot run with --mode ${o.mode}`;
  if (bitstate && partition !== undefined)
    return '--bitstate with --partition is not supported (yet): run the whole bitstate search';
  const search = searchOf(o, bitstate, partition);
  for (const flag of givenFlags(o)) {
    if (search.reads.includes(flag)) continue;
    return `${flagText(flag, o)} with ${search.chosen}: ${search.subject} ${LACKS[flag]}; ${advice(flag, search, o)}`;
  }
  if (o.minimize === false && o.typed?.includes('minimizeSeconds') === true)
    return '--minimize-seconds with --no-minimize: nothing is minimised; drop one of them';
  return null;
}

/**
 * The part of a partitioned run that explore's flags ask for (partition.ts resolvePartition),
 * once no flag is refused (searchFlagsProblem): a UsageError otherwise. Both come from the
 * flags alone, so explore and simulate decide them before the spec is read (explore-thread.ts):
 * a wrong flag fails at once on a big spec, and is reported before a spec's own errors, as
 * commander's usage errors and `check`'s refusals are.
 */
export function resolveSearchFlags(
  o: SearchChoiceFlags & { partition?: string; partitions?: number },
): { k: number; n: number } | undefined {
  const part = resolvePartition(o);
  const problem = searchFlagsProblem(
    o,
    part === undefined ? undefined : o.partition !== undefined ? '--partition' : '--partitions',
  );
  if (problem !== null) throw new UsageError(problem);
  return part;
}

function searchOf(o: SearchChoiceFlags, bitstate: boolean, partition: string | undefined): Search {
  if (partition !== undefined)
    return { kind: 'partition', chosen: partition, subject: 'each part (a breadth-first search)', reads: ['reduce'] };
  if (bitstate)
    return { kind: 'bitstate', chosen: '--bitstate', subject: 'a bitstate search', reads: ['seed', 'reduce'] };
  switch (o.mode) {
    case 'auto':
      // A preemption bound makes auto a bounded DPOR search, on one thread (checker/auto.ts).
      return o.preemptionBound !== undefined
        ? {
            kind: 'auto-bounded',
            chosen: `--mode auto --preemption-bound ${o.preemptionBound}`,
            subject: 'auto with a preemption bound (a bounded DPOR search)',
            reads: ['preemptionBound', 'por'],
          }
        : {
            kind: 'auto',
            chosen: '--mode auto',
            subject: 'auto (breadth-first search with DPOR attempts)',
            reads: ['preemptionBound', 'por', 'workers', 'reduce'],
          };
    case 'bfs':
      return { kind: 'bfs', chosen: '--mode bfs', subject: 'a breadth-first search', reads: ['workers', 'reduce'] };
    case 'dfs':
      return { kind: 'dfs', chosen: '--mode dfs', subject: 'a depth-first search', reads: ['reduce'] };
    case 'dpor':
      return {
        kind: 'dpor',
        chosen: '--mode dpor',
        subject: 'a DPOR search',
        reads: ['preemptionBound', 'por', 'workers'],
      };
    case 'random':
      return {
        kind: 'random',
        chosen: '--mode random',
        subject: 'a random-walk search',
        reads: ['seed', 'executions'],
      };
    case 'simulate':
      return o.strategy === 'random'
        ? {
            kind: 'simulate-random',
            chosen: '--strategy random',
            subject: 'a uniform random simulation',
            reads: ['seed', 'executions', 'reduce'],
          }
        : {
            kind: 'simulate',
            chosen: '--strategy pct',
            subject: 'PCT',
            reads: ['seed', 'executions', 'pctDepth', 'reduce'],
          };
    default: {
      const never: never = o.mode;
      throw new Error(`[mmcheck internal bug] unknown mode ${String(never)}`);
    }
  }
}

/** The flags `o` gives: a value without a default, or typed (--por, --pct-depth, --reduce). */
function givenFlags(o: SearchChoiceFlags): Flag[] {
  const typed = (k: string): boolean => o.typed?.includes(k) === true;
  const given: Record<Flag, boolean> = {
    preemptionBound: o.preemptionBound !== undefined,
    por: typed('por'),
    seed: o.seed !== undefined,
    executions: o.executions !== undefined,
    // One thread is what every search can run on.
    workers: o.workers !== undefined && o.workers > 1,
    pctDepth: typed('pctDepth'),
    // Its default is symmetry,dead-locals: only a typed one is refused.
    reduce: typed('reduce'),
  };
  return (Object.keys(given) as Flag[]).filter((f) => given[f]);
}

function flagText(flag: Flag, o: SearchChoiceFlags): string {
  return flag === 'workers' ? `--workers ${o.workers}` : `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const LACKS: Record<Flag, string> = {
  preemptionBound: 'has no preemption bound',
  por: 'runs no DPOR',
  seed: 'uses no seed (--seed is for --mode random and --bitstate)',
  executions: 'samples no executions (--executions is for --mode random)',
  workers: 'runs on one thread',
  pctDepth: 'has no bug depth (--pct-depth is for --strategy pct)',
  reduce:
    'stores no states, so no reduction applies (--reduce is for auto, bfs, dfs, --bitstate, --partition and simulate)',
};

/** What to do instead of `flag` with `search`. */
function advice(flag: Flag, search: Search, o: SearchChoiceFlags): string {
  const whole = search.kind === 'partition' ? 'run the whole search with ' : 'use ';
  switch (flag) {
    case 'preemptionBound':
      return `${whole}--mode dpor --preemption-bound ${o.preemptionBound}, or drop the bound`;
    case 'por':
      return `drop --por, or ${whole}--mode dpor --por ${o.por}`;
    case 'workers':
      if (search.kind === 'partition')
        return 'use more cores by running more parts at once (a larger n), or drop --workers';
      if (search.kind === 'auto-bounded')
        return `use --mode dpor --preemption-bound ${o.preemptionBound} --workers ${o.workers} to split it between threads, or drop --workers`;
      if (search.kind === 'bitstate')
        return 'drop --workers (a breadth-first search with a state table, without --bitstate, runs on several)';
      return 'drop --workers, or use --mode bfs or dpor (they run on several threads)';
    case 'pctDepth':
      return 'drop --pct-depth, or use --strategy pct';
    default:
      return `drop --${flag}`;
  }
}
