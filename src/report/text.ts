// Plain-text rendering of a scenario run: verdict line, stats, and the counterexample as
// swimlanes (swimlane.ts).
import type { ScenarioRun } from '../checker/scenario.js';
import type { Replay } from '../checker/trace/record.js';
import { formatLine } from '../model/lang/diagnostics.js';
import type { Stats } from '../checker/result.js';
import { renderSwimlanes, type SwimlaneOptions } from './swimlane.js';

export function renderStats(s: Stats): string {
  const parts = [`${s.states.toLocaleString('en-US')} states`, `${s.transitions.toLocaleString('en-US')} transitions`];
  if (s.executions > 0) parts.push(`${s.executions.toLocaleString('en-US')} executions`);
  if (s.sleepBlocked > 0) parts.push(`${s.sleepBlocked} sleep-set-blocked`);
  parts.push(
    `depth ${s.maxDepth}`,
    `${s.seconds.toFixed(2)} s`,
    `${Math.round(s.statesPerSecond).toLocaleString('en-US')} states/s`,
  );
  if (s.peakMemoryBytes > 0) parts.push(`peak ${(s.peakMemoryBytes / 1048576).toFixed(0)} MiB`);
  return parts.join(', ');
}

export function renderRunHeader(run: ScenarioRun): string {
  const mark = run.asExpected ? 'ok' : 'UNEXPECTED';
  return `scenario ${run.scenario.name}: ${run.got} (expected ${run.expected}) ${mark}`;
}

export function renderRun(run: ScenarioRun, replay: Replay | null, lanes: SwimlaneOptions = { color: false }): string {
  const out = [renderRunHeader(run), `  ${renderStats(run.result.stats)}`];
  const v = run.result.verdict;
  if (v.kind === 'incomplete') out.push(`  incomplete: ${v.detail}`);
  if (run.other !== undefined && v.kind !== 'violation') {
    out.push(
      `  note: ${run.other.count} execution(s) were cut at another violation first, e.g. ${run.other.first.kind}: ${run.other.first.message}`,
    );
  }
  if (v.kind === 'violation') {
    const where = v.violation.span === undefined ? '' : ` at ${formatLine(run.system.spec.sources, v.violation.span)}`;
    out.push(`  ${v.violation.kind}${where}: ${v.violation.message}`);
    for (const o of v.violation.objects) out.push(`    ${o.object}: ${o.event}`);
    if (replay !== null) out.push(renderSwimlanes(run.system, replay, lanes));
  }
  return out.join('\n');
}
