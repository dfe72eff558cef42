// Terminal rendering of a `mmcheck check` run: one table (grouped by spec: scenario,
// states/executions, time, result), the reports of the cases that failed, a summary line; and the
// GitHub Actions annotations for the same failures. Renders a GateReport, computes nothing.
import { type GateCase, type GateReport, gateCounts, type SourcePoint } from '../checker/gate/report.js';
import { grouped } from '../io/grouped.js';
import { cleanText, fitColumns, fitLine, wrap } from './text-fit.js';

/** Default width of the table when the caller gives none (it fits a 100-column CI log). */
const TABLE_WIDTH = 100;

/** A row of the table: the cells, and the group (spec file or trace folder) it is listed under. */
interface TableRow {
  group: string;
  status: string;
  name: string;
  states: string;
  time: string;
  result: string;
  /** A row that is one note across the columns (a library, with --verbose). */
  span?: string;
}

/**
 * The check table, grouped by spec file (then trace folder), fitted to `width` columns:
 *
 *     specs/rfc-2008.mmspec
 *       ok    q1_pgtable_freed_under_walk           127/1  0.02 s  violation(premature_free)
 *       FAIL  q2_racy                                 4/1  0.00 s  violation(final) (expected pass)
 *
 * The result is what the search got, with what was expected when it differs. Long names and
 * results wrap inside their column. Iterative: a gate can have 100,000 scenarios.
 */
export function renderGateTable(r: GateReport, verbose = false, width = TABLE_WIDTH): string {
  const rows: TableRow[] = [];
  const byName = new Map<string, GateCase[]>();
  for (const c of r.cases) {
    const list = byName.get(c.spec);
    if (list === undefined) byName.set(c.spec, [c]);
    else list.push(c);
  }
  for (const spec of r.specs) {
    if (spec.status === 'error') {
      const n = spec.errors.length;
      rows.push(row(spec.path, 'ERROR', '-', '-', '-', `spec error (${n} error${n === 1 ? '' : 's'})`));
    } else if (spec.status === 'library') {
      const what =
        spec.importedBy === undefined
          ? 'compiled, no scenarios to run'
          : `imported by ${spec.importedBy}, checked through it`;
      if (verbose) rows.push({ ...row(spec.path, '-', '', '', '', ''), span: `(library: ${what})` });
    } else {
      for (const c of byName.get(spec.path) ?? []) rows.push(caseRow(c));
    }
  }
  for (const t of r.traces) {
    const slash = t.path.lastIndexOf('/');
    const [dir, file] = slash < 0 ? ['./', t.path] : [t.path.slice(0, slash + 1), t.path.slice(slash + 1)];
    // '?': the file could not be read as a trace (gate/traces.ts), so it claims nothing.
    const result = t.reproduces
      ? `reproduces ${t.expected}`
      : t.expected === '?'
        ? 'cannot be read'
        : `does not reproduce ${t.expected}`;
    rows.push(row(dir, t.reproduces ? 'ok' : 'FAIL', file, '-', seconds(t.seconds), result));
  }
  return formatTable(rows, width);
}

function row(group: string, status: string, name: string, states: string, time: string, result: string): TableRow {
  return { group, status, name: cleanText(name), states, time, result };
}

function caseRow(c: GateCase): TableRow {
  const n = (x: number): string => grouped(x);
  const result =
    c.got === c.expected
      ? c.got
      : c.asExpected
        ? `${c.got} within budget (expected ${c.expected})`
        : `${c.got} (expected ${c.expected})`;
  return row(
    c.spec,
    c.asExpected ? 'ok' : 'FAIL',
    c.scenario,
    `${n(c.stats.states)}/${n(c.stats.executions)}`,
    seconds(c.stats.seconds),
    result,
  );
}

function seconds(s: number): string {
  return `${s.toFixed(2)} s`;
}

const HEAD: TableRow = row('', '', 'scenario', 'states/execs', 'time', 'result');

/** The rows under their group headings, the name and result columns sharing what is left of `width`. */
function formatTable(rows: TableRow[], width: number): string {
  let statusW = 4;
  let statesW = HEAD.states.length;
  let timeW = HEAD.time.length;
  let nameW = HEAD.name.length;
  let resultW = HEAD.result.length;
  for (const x of rows) {
    statusW = Math.max(statusW, x.status.length);
    statesW = Math.max(statesW, x.states.length);
    timeW = Math.max(timeW, x.time.length);
    nameW = Math.max(nameW, x.name.length);
    resultW = Math.max(resultW, x.result.length);
  }
  const fixed = 2 + statusW + 2 + 2 + statesW + 2 + timeW + 2;
  const [nw, rw] = fitColumns([nameW, resultW], Math.max(20, width - fixed), [
    Math.min(nameW, 20),
    Math.min(resultW, 26),
  ]);
  const line = (x: TableRow, k: number, name: string[], result: string[]): string =>
    (k === 0
      ? `  ${x.status.padEnd(statusW)}  ${(name[0] ?? '').padEnd(nw!)}  ${x.states.padStart(statesW)}  ${x.time.padStart(timeW)}  ${result[0] ?? ''}`
      : `  ${' '.repeat(statusW)}  ${(name[k] ?? '').padEnd(nw!)}  ${' '.repeat(statesW)}  ${' '.repeat(timeW)}  ${result[k] ?? ''}`
    ).trimEnd();
  const out = [line(HEAD, 0, [HEAD.name], [HEAD.result])];
  let group: string | undefined;
  for (const x of rows) {
    // Paths come from the file system (a folder walked): their control characters are shown
    // escaped, as in every other report, never sent to the terminal.
    if (x.group !== group) {
      group = x.group;
      for (const l of fitLine(cleanText(group), width)) out.push(l);
    }
    if (x.span !== undefined) {
      for (const l of fitLine(cleanText(`  ${x.status.padEnd(statusW)}  ${x.span}`), width)) out.push(l);
      continue;
    }
    const name = wrap(x.name, nw!);
    const result = wrap(x.result, rw!, true);
    for (let k = 0; k < Math.max(name.length, result.length); k++) out.push(line(x, k, name, result));
  }
  return out.join('\n');
}

/**
 * What went wrong, case by case: the reason and the run's report (with its path), indented
 * by 4 (the report is rendered 4 columns narrower than `width`, run-case.ts).
 */
export function renderGateFailures(r: GateReport, width = TABLE_WIDTH): string {
  const out: string[] = [];
  for (const c of r.cases) {
    if (c.asExpected) continue;
    for (const l of fitLine(cleanText(`FAIL ${c.spec} ${c.scenario}: ${c.why}`), width)) out.push(l);
    out.push(indent(c.report));
  }
  for (const t of r.traces) {
    if (!t.reproduces) for (const l of fitLine(cleanText(`FAIL ${t.path}: ${t.detail}`), width)) out.push(l);
  }
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
  if (interrupted > 0 || (r.tracesNotReplayed ?? 0) > 0) parts.push('traces not replayed (interrupted)');
  if (c.specErrors > 0) parts.push(`${plural(c.specErrors, 'spec')} with errors`);
  if (c.traces > 0) {
    const failing = c.traces - c.tracesReproducing;
    parts.push(
      failing === 0
        ? `${plural(c.traces, 'trace')} ${c.traces === 1 ? 'reproduces' : 'reproduce'}`
        : `${plural(c.traces, 'trace')}: ${c.tracesReproducing} ${c.tracesReproducing === 1 ? 'reproduces' : 'reproduce'}, ${failing} ${failing === 1 ? 'does' : 'do'} not`,
    );
  }
  if ((r.tracesSkipped ?? 0) > 0) parts.push(`${plural(r.tracesSkipped ?? 0, 'trace')} of other specs skipped`);
  return `${parts.join('; ')} (${r.seconds.toFixed(2)} s, ${plural(r.jobs, 'job')})`;
}

/**
 * One line per reduction `check --reduce` asked for that some scenarios' searches did not
 * apply, and why (GateCase.reductionsNotApplied): `por: not applied in 4 of 4 scenarios: the
 * depth-first search has no ample sets (…)`. Printed before the summary line; none when every
 * search applied what was asked.
 */
export function renderGateNotApplied(r: GateReport): string[] {
  const counts = new Map<string, number>();
  for (const c of r.cases)
    for (const n of c.reductionsNotApplied ?? []) {
      const key = `${n.reduction}\u0000${n.detail}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return [...counts].map(([key, n]) => {
    const [reduction, detail] = key.split('\u0000') as [string, string];
    return `${reduction}: not applied in ${n} of ${plural(r.cases.length, 'scenario')}: ${detail}`;
  });
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
