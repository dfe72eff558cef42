// Terminal rendering of a `mmcheck check` run: one table (spec, scenario, expected, got,
// states/executions, time), the reports of the cases that failed, a summary line; and the
// GitHub Actions annotations for the same failures. Renders a GateReport, computes nothing.
import { type GateCase, type GateReport, gateCounts, type SourcePoint } from '../checker/gate/report.js';

const HEADER = ['', 'spec', 'scenario', 'expected', 'got', 'states/executions', 'time'];

export function renderGateTable(r: GateReport, verbose = false): string {
  const rows: string[][] = [HEADER];
  for (const spec of r.specs) {
    if (spec.status === 'error') {
      const n = spec.errors.length;
      rows.push(['ERROR', spec.path, '-', '-', `spec error (${n} error${n === 1 ? '' : 's'})`, '-', '-']);
    } else if (spec.status === 'library') {
      const what =
        spec.importedBy === undefined
          ? 'compiled, no scenarios to run'
          : `imported by ${spec.importedBy}, checked through it`;
      if (verbose) rows.push(['-', spec.path, `(library: ${what})`]);
    } else {
      for (const c of r.cases) if (c.spec === spec.path) rows.push(caseRow(c));
    }
  }
  for (const t of r.traces) {
    rows.push([
      t.reproduces ? 'ok' : 'FAIL',
      t.path,
      t.scenario,
      t.expected,
      t.reproduces ? 'reproduces' : 'does not reproduce',
      '-',
      seconds(t.seconds),
    ]);
  }
  return formatTable(rows);
}

function caseRow(c: GateCase): string[] {
  const got = c.asExpected && c.got !== c.expected ? `${c.got} (within budget)` : c.got;
  const n = (x: number): string => x.toLocaleString('en-US');
  return [
    c.asExpected ? 'ok' : 'FAIL',
    c.spec,
    c.scenario,
    c.expected,
    got,
    `${n(c.stats.states)}/${n(c.stats.executions)}`,
    seconds(c.stats.seconds),
  ];
}

function seconds(s: number): string {
  return `${s.toFixed(2)} s`;
}

/** Pads every column to its widest cell; a short row's last cell spans the rest, unpadded. */
function formatTable(rows: string[][]): string {
  const full = rows[0]!.length;
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.filter((row) => row.length === full || i < row.length - 1).map((row) => (row[i] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What went wrong, case by case: the reason and the run's report (with its path). */
export function renderGateFailures(r: GateReport): string {
  const out: string[] = [];
  for (const c of r.cases) {
    if (c.asExpected) continue;
    out.push(`FAIL ${c.spec} ${c.scenario}: ${c.why}`, indent(c.report));
  }
  for (const t of r.traces) if (!t.reproduces) out.push(`FAIL ${t.path}: ${t.detail}`);
  return out.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** "14 scenarios: 13 as expected, 1 not; 3 traces reproduce (2.41 s, 2 jobs)". */
export function renderGateSummary(r: GateReport): string {
  const c = gateCounts(r);
  const interrupted = r.cases.filter((k) => k.incomplete?.bound === 'interrupted').length;
  const not = interrupted > 0 ? `${c.notAsExpected} not (${interrupted} interrupted)` : `${c.notAsExpected} not`;
  const parts = [`${plural(c.scenarios, 'scenario')}: ${c.asExpected} as expected, ${not}`];
  if (interrupted > 0) parts.push('traces not replayed (interrupted)');
  if (c.specErrors > 0) parts.push(`${plural(c.specErrors, 'spec')} with errors`);
  if (c.traces > 0) {
    const failing = c.traces - c.tracesReproducing;
    parts.push(
      failing === 0
        ? `${plural(c.traces, 'trace')} ${c.traces === 1 ? 'reproduces' : 'reproduce'}`
        : `${plural(c.traces, 'trace')}: ${c.tracesReproducing} ${c.tracesReproducing === 1 ? 'reproduces' : 'reproduce'}, ${failing} ${failing === 1 ? 'does' : 'do'} not`,
    );
  }
  return `${parts.join('; ')} (${r.seconds.toFixed(2)} s, ${plural(r.jobs, 'job')})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), one per failed
 * scenario (at the violating statement, else at the scenario's declaration), spec error and
 * trace that no longer reproduces. The runner turns them into annotations on the diff.
 */
export function githubAnnotations(r: GateReport): string[] {
  const out: string[] = [];
  for (const spec of r.specs) {
    for (const d of spec.errors) out.push(annotation(d.at, `mmcheck: spec error in ${spec.path}`, d.message));
  }
  for (const c of r.cases) {
    if (c.asExpected) continue;
    const at = c.violation?.at ?? c.declaredAt;
    const detail = c.violation === undefined ? '' : `\n${c.violation.kind}: ${c.violation.message}`;
    out.push(
      annotation(
        at,
        `mmcheck: ${c.scenario} is not as expected`,
        `scenario ${c.scenario} (${c.spec}): ${c.why}${detail}`,
      ),
    );
  }
  for (const t of r.traces) {
    if (!t.reproduces)
      out.push(annotation({ path: t.path }, 'mmcheck: trace does not reproduce', `${t.path}: ${t.detail}`));
  }
  return out;
}

function annotation(at: Partial<SourcePoint> & { path: string }, title: string, message: string): string {
  const props = [`file=${escapeProperty(at.path)}`];
  if (at.line !== undefined) props.push(`line=${at.line}`);
  if (at.col !== undefined) props.push(`col=${at.col}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::error ${props.join(',')}::${escapeData(message)}`;
}

// The escaping of @actions/core's command.ts: data escapes %, CR, LF; properties also : and ,.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
