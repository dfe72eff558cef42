// Terminal rendering of a counterexample as swimlanes: one column per thread, one row per
// step, the statement in its thread's column and the values it changed at the right; the
// violating row marked, then the objects involved with where each was allocated and freed.
// Fits `width` columns (80 by default) by wrapping inside cells at spaces and punctuation;
// where the lanes would be narrower than MIN_LANE, one line per step instead (step-list.ts).
// Colour is an option the caller decides: the text is the same with and without it. Every
// string that comes from a file is cleaned of control characters (text-fit.ts cleanText).
// Iterative throughout: a counterexample can have 100,000 steps.

import type { TraceView } from '../checker/trace/trace-view.js';
import { grouped } from '../io/grouped.js';
import { type Rows, type Style, style, viewRows } from './rows.js';
import { renderStepList } from './step-list.js';
import { append, cleanText, fitColumns, fitLine, maxOf, plural, wrap } from './text-fit.js';

export { fitColumns, fitLine, wrap } from './text-fit.js';

export interface SwimlaneOptions {
  color: boolean;
  /** Columns to fit (default DEFAULT_WIDTH). */
  width?: number | undefined;
}

/** The width when the caller knows none (not a terminal, no --width, no $COLUMNS). */
export const DEFAULT_WIDTH = 80;
/** Lanes narrower than this (for a statement that wants more) read badly: one line per step instead. */
export const MIN_LANE = 20;
const MIN_CHANGES = 18;
const PREEMPTED = '⋯ preempted';
const SEP = ' │ ';
/** Steps named in the summary's "before step …" list; the ⋯ marks show them all. */
const LISTED_PREEMPTIONS = 8;

/**
 * Colour for a stream: FORCE_COLOR (0 off, anything else on) decides when set; else only on
 * a TTY, never with NO_COLOR set (https://no-color.org) or TERM=dumb.
 */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';
}

function summaryLine(view: TraceView): string {
  const n = view.steps.length;
  const p = view.preemptions;
  let listed = '';
  if (p.length > 0) {
    const shown = p.slice(0, LISTED_PREEMPTIONS).join(', ');
    listed = ` (before step ${shown}${p.length > LISTED_PREEMPTIONS ? `, … ${grouped(p.length - LISTED_PREEMPTIONS)} more` : ''})`;
  }
  return `path: ${plural(n, 'step')}, ${plural(p.length, 'preemption')}${listed}; lines of ${cleanText(view.mainFile)}`;
}

export function renderSwimlanes(view: TraceView, opts: SwimlaneOptions): string {
  const W = Math.max(20, opts.width ?? DEFAULT_WIDTH);
  const st = style(opts.color);
  const r = viewRows(view);
  const lines = fitLine(`  ${summaryLine(view)}`, W);
  if (r.rows.length > 0) {
    const table = laneTable(r, W, st, view.stepViolation);
    append(lines, table ?? renderStepList(r, W, st, view.stepViolation));
  }
  append(lines, violationBlock(view, r, st, W));
  return lines.join('\n');
}

/** Swimlanes, or null when the lanes would be narrower than MIN_LANE for what they hold. */
function laneTable(r: Rows, W: number, st: Style, stepViolation: boolean): string[] | null {
  const { rows, names } = r;
  const n = names.length;
  const stepW = Math.max(4, String(rows.length).length);
  const lineW = Math.min(
    16,
    maxOf(
      rows.map((x) => x.line.length),
      4,
    ),
  );
  const avail = W - (2 + stepW + 1 + lineW + SEP.length * (n + 1));
  const want = names.map((nm) => Math.min(nm.length, MIN_LANE));
  let wantChanges = 'changes'.length;
  for (const x of rows) {
    if (x.text.length > want[x.lane]!) want[x.lane] = x.text.length;
    if (x.preempts >= 0 && PREEMPTED.length > want[x.preempts]!) want[x.preempts] = PREEMPTED.length;
    for (const c of x.changes) if (c.length > wantChanges) wantChanges = c.length;
  }
  const min = want.map((w) => Math.min(w, MIN_LANE));
  min.push(Math.min(wantChanges, MIN_CHANGES));
  if (min.reduce((a, b) => a + b, 0) > avail) return null;
  const widths = fitColumns([...want, wantChanges], avail, min);
  const laneW = widths.slice(0, n);
  const changesW = widths[n]!;
  const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - s.length));
  const row = (gutter: string, step: string, line: string, cells: string[], changes: string): string =>
    `${gutter}${step.padStart(stepW)} ${line.padStart(lineW)}${cells.map((c) => SEP + c).join('')}${SEP}${changes}`.trimEnd();
  const out: string[] = [];
  // Thread names longer than their lane wrap onto more header lines.
  const heads = names.map((nm, i) => wrap(nm, laneW[i]!));
  const headH = maxOf(
    heads.map((h) => h.length),
    1,
  );
  for (let k = 0; k < headH; k++) {
    const cells = heads.map((h, i) => st.lane(i, h[k] ?? '') + ' '.repeat(laneW[i]! - (h[k] ?? '').length));
    out.push(st.head(row('  ', k === 0 ? 'step' : '', k === 0 ? 'line' : '', cells, k === 0 ? 'changes' : '')));
  }
  out.push(
    st.dim(
      `  ${'─'.repeat(stepW)} ${'─'.repeat(lineW)}${laneW.map((w) => `─┼─${'─'.repeat(w)}`).join('')}─┼─${'─'.repeat(changesW)}`,
    ),
  );
  const blank = laneW.map((w) => ' '.repeat(w));
  for (const x of rows) {
    const isViolation = stepViolation && x.index === rows.length;
    const text = wrap(x.text, laneW[x.lane]!);
    const changes: string[] = [];
    for (const c of x.changes) append(changes, wrap(c, changesW));
    const height = Math.max(text.length, changes.length);
    for (let k = 0; k < height; k++) {
      const cells = blank.slice();
      cells[x.lane] = pad(text[k] ?? '', laneW[x.lane]!);
      if (x.preempts >= 0 && k === 0) {
        const w = laneW[x.preempts]!;
        cells[x.preempts] = st.warn(pad(PREEMPTED.length <= w ? PREEMPTED : '⋯', w));
      }
      const gutter = k === 0 && isViolation ? '✗ ' : '  ';
      const line = row(
        gutter,
        k === 0 ? String(x.index) : '',
        k === 0 ? cutStart(x.line, lineW) : '',
        cells,
        changes[k] ?? '',
      );
      out.push(isViolation ? st.bad(line) : line);
    }
  }
  return out;
}

/** How a livelock's schedule goes on forever, or null when the trace is not a livelock. */
export function livelockPhrase(view: TraceView): string | null {
  const loop = view.livelock;
  if (loop === undefined) return null;
  const n = view.steps.length;
  const what =
    loop.from === 0
      ? 'no execution ever ends'
      : loop.from === n
        ? `step ${loop.from} repeats forever`
        : `steps ${loop.from}–${n} repeat forever`;
  return `${what} (nothing the spinning threads wait on can change)`;
}

/** The violation, and for each object it names: allocation and free events, then its notes. */
function violationBlock(view: TraceView, r: Rows, st: Style, W: number): string[] {
  const v = view.violation;
  if (v === null) return [];
  const { rows, lineOf } = r;
  const last = rows[rows.length - 1];
  const where = v.at === undefined ? '' : `, line ${lineOf(v.at)}`;
  const loop = livelockPhrase(view);
  const endsHow = loop !== null ? loop : v.kind === 'deadlock' ? 'no thread can go on' : 'at termination';
  const head =
    view.stepViolation && last !== undefined
      ? `✗ step ${last.index} (${last.name}${where}): ${v.kind}`
      : `✗ ${rows.length === 0 ? 'in the initial state' : `after step ${rows.length}, ${endsHow}`}${where}: ${v.kind}`;
  const out = [''];
  for (const l of fitLine(head, W)) out.push(st.bad(l));
  const body: string[] = [];
  for (const o of v.involved) {
    body.push(`  ${cleanText(o.object)}`);
    if (o.allocatedByInit) body.push('    allocated  by init, before step 1');
    for (const s of view.steps) {
      for (const c of s.changes) {
        if (c.kind === 'value' || c.object !== o.object || (c.after !== 'allocated' && c.after !== 'freed')) continue;
        const x = rows[s.index - 1]!;
        const line = x.line === '' ? '' : `, line ${x.line}`;
        body.push(`    ${c.after.padEnd(9)}  step ${String(s.index).padEnd(3)} ${x.name}${line}: ${x.text}`);
      }
    }
    for (const n of o.notes) body.push(`    ${cleanText(n)}`);
  }
  for (const l of body) append(out, fitLine(l, W));
  return out;
}

/** The end of `s` in `w` columns, an ellipsis marking a cut start (`…ee-name:57`). */
function cutStart(s: string, w: number): string {
  return s.length <= w ? s : `…${s.slice(s.length - w + 1)}`;
}
