// Plain-text rendering of a scenario run: verdict line, stats, and the counterexample as
// swimlanes (swimlane.ts).
import type { ExploreResult, RunReport, Stats } from '../checker/result.js';
import type { TraceView } from '../checker/trace/trace-view.js';
import { grouped } from '../io/grouped.js';
import { DEFAULT_WIDTH, renderSwimlanes, type SwimlaneOptions } from './swimlane.js';
import { cleanText, fitLine, plural } from './text-fit.js';

export function renderStats(s: Stats): string {
  const parts = [plural(s.states, 'state'), plural(s.transitions, 'transition')];
  if (s.executions > 0) parts.push(plural(s.executions, 'execution'));
  if (s.sleepBlocked > 0) parts.push(`${s.sleepBlocked} sleep-set-blocked`);
  parts.push(`depth ${s.maxDepth}`, `${s.seconds.toFixed(2)} s`, `${grouped(Math.round(s.statesPerSecond))} states/s`);
  if (s.peakMemoryBytes > 0) parts.push(`peak ${(s.peakMemoryBytes / 1048576).toFixed(0)} MiB`);
  return parts.join(', ');
}

/**
 * Which search `--mode auto` ran, and what it stopped before: `search: auto → bfs (2 dpor
 * attempts without a verdict, 0.05 s)`, `search: auto → dpor (bfs stopped at 65,536 states)`.
 */
export function renderAutoChoice(r: ExploreResult): string {
  const tried = r.auto ?? [];
  const attempts = tried.filter((a) => a.mode === 'dpor');
  const bfs = tried.find((a) => a.mode === 'bfs');
  const notes: string[] = [];
  if (attempts.length > 0) {
    const seconds = attempts.reduce((sum, a) => sum + a.stats.seconds, 0);
    notes.push(
      `${attempts.length} dpor attempt${attempts.length === 1 ? '' : 's'} without a verdict, ${seconds.toFixed(2)} s`,
    );
  }
  if (bfs !== undefined) notes.push(`bfs stopped at ${grouped(bfs.stats.states)} states`);
  return `search: auto → ${r.mode}${notes.length === 0 ? '' : ` (${notes.join('; ')})`}`;
}

/** How many threads a BFS ran on: several from some level on, or one where more were asked for. */
function threadsLine(threads: NonNullable<ExploreResult['threads']>): string {
  if ('fromDepth' in threads)
    return `threads: ${threads.count} from the level of depth ${threads.fromDepth} on (one before it)`;
  return `threads: 1, not the ${threads.asked} of --workers ${threads.asked}: partial-order reduction (--reduce …,por) runs on one thread only`;
}

export function renderRunHeader(run: RunReport): string {
  return verdictLine(run.scenario.name, run.got, run.expected, run.asExpected);
}

/** `scenario NAME: GOT (expected EXPECTED) ok`, or UNEXPECTED: explore's and merge's verdict line. */
export function verdictLine(scenario: string, got: string, expected: string, asExpected: boolean): string {
  return `scenario ${scenario}: ${got} (expected ${expected}) ${asExpected ? 'ok' : 'UNEXPECTED'}`;
}

/**
 * The run; `trace`, the view of its counterexample's replay, when it has one. Every line fits
 * `lanes.width` (default DEFAULT_WIDTH); text from the spec is cleaned of control characters.
 */
export function renderRun(run: RunReport, trace: TraceView | null, lanes: SwimlaneOptions = { color: false }): string {
  const out = [cleanText(renderRunHeader(run)), `  ${renderStats(run.result.stats)}`];
  if (run.result.auto !== undefined) out.push(`  ${renderAutoChoice(run.result)}`);
  const threads = run.result.threads;
  if (threads !== undefined) out.push(`  ${threadsLine(threads)}`);
  for (const r of run.reductionsNotApplied ?? []) out.push(`  ${r.reduction}: not applied: ${r.detail}`);
  const split = run.result.split;
  if (split !== undefined) {
    // docs/distributed.md: a split DPOR search's counts add up its tasks, overlap included
    out.push(
      `  split: ${grouped(split.tasks)} subtree${split.tasks === 1 ? '' : 's'} between the threads, ${grouped(split.replayed)} transitions replaying their paths; the counts are sums, executions explored twice included`,
    );
  }
  const v = run.result.verdict;
  if (v.kind === 'incomplete') out.push(`  incomplete: ${v.detail}`);
  if (run.other !== undefined && v.kind !== 'violation') {
    out.push(
      `  note: ${run.other.count} execution(s) were cut at another violation first, e.g. ${run.other.first.kind}: ${cleanText(run.other.first.message)}`,
    );
  }
  if (run.targetIncomplete !== undefined) {
    out.push(
      `  note: the search for ${run.expected} stopped before it was complete (${run.targetIncomplete}); it may lie past that bound. The violation below is one a plain search of the same bounds found`,
    );
  }
  if (v.kind === 'violation') {
    const at = trace?.violation?.at;
    const where = v.violation.span === undefined || at === undefined ? '' : ` at ${at}`;
    out.push(cleanText(`  ${v.violation.kind}${where}: ${v.violation.message}`));
    for (const o of v.violation.objects) out.push(cleanText(`    ${o.object}: ${o.event}`));
  }
  const W = lanes.width ?? DEFAULT_WIDTH;
  // The verdict line stays one line (it is what a log is searched for); the rest fits W.
  const lines: string[] = [out[0]!];
  for (const l of out.slice(1)) for (const x of fitLine(l, W)) lines.push(x);
  if (v.kind === 'violation' && trace !== null) lines.push(renderSwimlanes(trace, lanes));
  return lines.join('\n');
}
