// `explore --partition k/n` and `--partitions n`: which part this process runs, from the flag
// or from the job engine's index variable, and the part file it writes (--result-out).
import {
  MAX_PARTS,
  PART_FORMAT,
  type PartFile,
  type PartScenario,
  partScenario,
} from '../checker/distrib/part-file.js';
import type { ExploredScenario } from '../checker/explore-spec.js';
import { emptyStats } from '../checker/result.js';
import { expectedText } from '../checker/scenario.js';
import { sha256, specFiles } from '../checker/trace/file.js';
import { grouped } from '../io/grouped.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import type { ScenarioInfo } from '../model/lang/checked.js';
import type { SourceSet } from '../model/lang/diagnostics.js';
import { reductionsText } from '../model/reductions.js';
import { UsageError } from './exit.js';
import type { SearchFlags } from './search-options.js';

/** The explore flags a partitioned run reads (explore-cmd.ts ExploreFlags, which imports this module). */
export interface PartitionFlags extends SearchFlags {
  partition?: string;
  partitions?: number;
  leak?: boolean;
  dataRace?: boolean;
  target: boolean;
}

/** The variables job engines set to a task's index, in the order they are read. */
export const INDEX_VARIABLES = ['MMCHECK_PARTITION_INDEX', 'JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID'] as const;

/** The part this run explores, or undefined for the whole search. */
export function resolvePartition(
  o: Pick<PartitionFlags, 'partition' | 'partitions' | 'mode'>,
  env: NodeJS.ProcessEnv = process.env,
): { k: number; n: number } | undefined {
  if (o.partition !== undefined && o.partitions !== undefined)
    throw new UsageError('give --partition k/n or --partitions n (the index from the environment), not both');
  let part: { k: number; n: number } | undefined;
  if (o.partition !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(o.partition);
    if (m === null) throw new UsageError(`--partition '${o.partition}': expected k/n, e.g. 0/4 (parts 0 to n-1)`);
    part = { k: Number(m[1]), n: Number(m[2]) };
    if (part.n > MAX_PARTS) throw new UsageError(`--partition: n = ${m[2]} parts is more than ${grouped(MAX_PARTS)}`);
  } else if (o.partitions !== undefined) {
    // n first: `--partitions 0` is wrong whatever the environment holds.
    if (o.partitions < 1 || o.partitions > MAX_PARTS)
      throw new UsageError(`--partitions ${o.partitions}: n is the number of parts, 1 to ${grouped(MAX_PARTS)}`);
    const name = INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
    if (name === undefined)
      throw new UsageError(
        `--partitions ${o.partitions}: no part index in the environment (set one of ${INDEX_VARIABLES.join(', ')})`,
      );
    const v = env[name]!;
    // A variable left over from another engine (or exported by hand) must not pick the part silently.
    const other = INDEX_VARIABLES.find((w) => env[w] !== undefined && env[w] !== '' && env[w] !== v);
    if (other !== undefined)
      throw new UsageError(`${name}=${v} and ${other}=${env[other]} disagree: which part is this?`);
    if (!/^\d+$/.test(v)) throw new UsageError(`${name}=${v} is not a part index (0, 1, ...)`);
    part = { k: Number(v), n: o.partitions };
  }
  if (part === undefined) return undefined;
  if (part.n < 1 || part.k >= part.n)
    throw new UsageError(`part ${part.k} of ${part.n} does not exist: parts are numbered 0 to n-1 (n >= 1)`);
  if (o.mode !== 'auto' && o.mode !== 'bfs')
    throw new UsageError(
      `--mode ${o.mode} cannot be partitioned: a partitioned run is a breadth-first search (--mode bfs)`,
    );
  return part;
}

/** Writes this part's result file (atomically: a reader never sees half a file). */
export function writePartFile(
  file: string,
  specPath: string,
  sources: SourceSet,
  part: { k: number; n: number },
  o: PartitionFlags,
  explored: readonly ExploredScenario[],
  scenarios: readonly ScenarioInfo[],
): void {
  const record: PartFile = {
    format: PART_FORMAT,
    spec: specPath,
    // Every file the spec imports counts: parts run against different library files must
    // not merge. One file's hash is its text's; with imports, the hash of each file's path and hash.
    specHash: partSpecHash(sources),
    k: part.k,
    n: part.n,
    settings: {
      mode: 'bfs',
      reduce: reductionsText(o.reduce),
      maxDepth: o.maxDepth ?? null,
      maxStates: o.maxStates ?? null,
      leak: o.leak === true,
      dataRace: o.dataRace === true,
      target: o.target,
    },
    scenarios: [
      ...explored.map((e) =>
        partScenario(
          e.run,
          e.steps.map((s) => ({ thread: s.threadName, text: s.text })),
          savedTrace(e.notes),
        ),
      ),
      // Interrupted before these started: listed as such, so that the part still merges with
      // the others (a shorter list was refused as another run's) and they merge incomplete.
      ...scenarios.slice(explored.length).map(notStarted),
    ],
  };
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** A scenario the part never started (Ctrl-C during an earlier one): incomplete, interrupted. */
function notStarted(sc: ScenarioInfo): PartScenario {
  return {
    scenario: sc.name,
    expected: expectedText(sc),
    got: 'incomplete (interrupted)',
    verdict: 'incomplete',
    stats: emptyStats(),
    part: null,
    bound: 'interrupted',
    detail: 'interrupted before this scenario started',
  };
}

function savedTrace(notes: readonly string[]): string | undefined {
  for (const n of notes) {
    const m = /^trace saved: (.*) \(replay it with/.exec(n);
    if (m !== null) return m[1];
  }
  return undefined;
}

/** The spec's identity for merge: the sha256 of its text, or of every file's path and sha256 when it imports. */
export function partSpecHash(sources: SourceSet): string {
  const files = specFiles(sources);
  return files.length === 1 ? files[0]!.sha256 : sha256(files.map((f) => `${f.path}\0${f.sha256}`).join('\n'));
}
