// Terminal rendering of a counterexample as swimlanes: one column per thread, one row per
// step, the statement in its thread's column and the values it changed at the right; the
// violating row marked, then the objects involved with where each was allocated and freed.
// Fits `width` columns (100 by default) by wrapping inside cells. Colour is an option the
// caller decides (a TTY and no NO_COLOR): the text is the same with and without it.

import { basename } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { changeName, type StateChange } from '../checker/trace/state-change.js';
import type { StepView, TraceView } from '../checker/trace/trace-view.js';

export interface SwimlaneOptions {
  color: boolean;
  width?: number;
}

/** Colour for a stream: only on a TTY, never when NO_COLOR is set (https://no-color.org). */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';
}

interface Style {
  head: (s: string) => string;
  lane: (i: number, s: string) => string;
  dim: (s: string) => string;
  bad: (s: string) => string;
  warn: (s: string) => string;
}

function style(color: boolean): Style {
  const c: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  const lanes = [c.cyan, c.magenta, c.green, c.blue, c.yellow];
  return {
    head: (s) => c.bold(s),
    lane: (i, s) => c.bold(lanes[i % lanes.length]!(s)),
    dim: (s) => c.dim(s),
    bad: (s) => c.red.bold(s),
    warn: (s) => c.yellow(s),
  };
}

const MIN_LANE = 8;
const PREEMPTED = '⋯ preempted';
const MIN_CHANGES = 18;
const SEP = ' │ ';

/**
 * Greedy word wrap to `width`; continuation lines are indented by two spaces so that they
 * read as part of the line above. A word longer than the width is cut. At least one line.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const indent = width > 12 ? '  ' : '';
  let line = '';
  const room = (): number => width - (out.length > 0 ? indent.length : 0);
  const flush = (): void => {
    out.push(out.length > 0 ? indent + line : line);
    line = '';
  };
  for (let word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room()) flush();
    while (word.length > room()) {
      if (line !== '') flush();
      const r = room();
      line = word.slice(0, r);
      word = word.slice(r);
      flush();
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || out.length === 0) flush();
  return out;
}

/**
 * The changes worth a row: not the fields a free poisons (the free says it), not the locals
 * a finishing thread clears (they no longer exist).
 */
function visibleChanges(s: StepView): StateChange[] {
  const freed = new Set(s.changes.filter((c) => c.kind === 'free').map((c) => c.object));
  return s.changes.filter(
    (c) => c.field === undefined || !(freed.has(c.object) || (s.finished && c.object === s.threadName)),
  );
}

/** A line outside the table, wrapped to the width under its own indentation. */
export function fitLine(line: string, W: number): string[] {
  if (line.length <= W) return [line];
  const indent = /^ */.exec(line)![0];
  return wrap(line.slice(indent.length), Math.max(20, W - indent.length)).map((l) => indent + l);
}

/** A change as its new value ("pmd = pte_page#0", "pte_page#0 freed"): the old one is on an earlier row. */
const change = (c: StateChange): string =>
  c.kind === 'value' ? `${changeName(c)} = ${c.after}` : `${c.object} ${c.after}`;

export function renderSwimlanes(view: TraceView, opts: SwimlaneOptions): string {
  const W = opts.width ?? 100;
  const st = style(opts.color);
  const steps = view.steps;
  const mainFile = view.mainFile;
  const lineOf = (pos: string): string =>
    pos.startsWith(`${mainFile}:`) ? pos.slice(mainFile.length + 1) : basename(pos);
  const preempted = new Set(view.preemptions);
  const stepViolation = view.stepViolation;
  const { laneOf, names } = lanes(steps);

  const stepW = Math.max(4, String(steps.length).length);
  const lineW = Math.min(16, Math.max(4, ...steps.map((s) => lineOf(s.position).length)));
  const fixed = 2 + stepW + 1 + lineW + SEP.length * (names.length + 1);
  const changesOf = steps.map(visibleChanges);
  const wantLane = laneWidths(steps, laneOf, names);
  const wantChanges = Math.max('changes'.length, ...changesOf.flatMap((cs) => cs.map((c) => change(c).length)));
  const avail = W - fixed;
  const n = names.length;
  const lines: string[] = [];
  const summary = `path: ${steps.length} step${steps.length === 1 ? '' : 's'}, ${preempted.size} preemption${preempted.size === 1 ? '' : 's'}${preempted.size > 0 ? ` (before step ${[...preempted].join(', ')})` : ''}; lines of ${mainFile}`;
  lines.push(...fitLine(`  ${summary}`, W));
  if (n === 0) return [...lines, ...violationBlock(view, lineOf, st, W)].join('\n');

  if (avail < n * MIN_LANE + MIN_CHANGES)
    return [...lines, ...listRows(steps, changesOf, lineOf, W, st), ...violationBlock(view, lineOf, st, W)].join('\n');
  const widths = fitColumns([...wantLane, wantChanges], avail, [...wantLane.map(() => MIN_LANE), MIN_CHANGES]);
  const laneW = widths.slice(0, n);
  const changesW = widths[n]!;

  const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - s.length));
  const row = (gutter: string, step: string, line: string, cells: string[], changes: string): string =>
    `${gutter}${step.padStart(stepW)} ${line.padStart(lineW)}${cells.map((c) => SEP + c).join('')}${SEP}${changes}`.trimEnd();
  lines.push(
    st.head(
      row(
        '  ',
        'step',
        'line',
        names.map((nm, i) => st.lane(i, nm) + ' '.repeat(laneW[i]! - nm.length)),
        'changes',
      ),
    ),
  );
  lines.push(
    st.dim(
      `  ${'─'.repeat(stepW)} ${'─'.repeat(lineW)}${laneW.map((w) => `─┼─${'─'.repeat(w)}`).join('')}─┼─${'─'.repeat(changesW)}`,
    ),
  );
  for (const s of steps) {
    const lane = laneOf.get(s.thread)!;
    const isViolation = stepViolation && s.index === steps.length;
    const text = wrap(s.text, laneW[lane]!);
    const changes = changesOf[s.index - 1]!.flatMap((c) => wrap(change(c), changesW));
    const prev = preempted.has(s.index) ? laneOf.get(steps[s.index - 2]!.thread) : undefined;
    const height = Math.max(text.length, changes.length);
    for (let k = 0; k < height; k++) {
      const cells = laneW.map((w, i) => {
        if (i === lane) return pad(text[k] ?? '', w);
        if (i === prev && k === 0) return st.warn(pad(PREEMPTED.length <= w ? PREEMPTED : '⋯', w));
        return ' '.repeat(w);
      });
      const line = row(
        k === 0 && isViolation ? '✗ ' : '  ',
        k === 0 ? String(s.index) : '',
        k === 0 ? lineOf(s.position).slice(-lineW) : '',
        cells,
        changes[k] ?? '',
      );
      lines.push(isViolation ? st.bad(line) : line);
    }
  }
  lines.push(...violationBlock(view, lineOf, st, W));
  return lines.join('\n');
}

/** One lane per thread that steps, in thread order, with its name. */
function lanes(steps: StepView[]): { laneOf: Map<number, number>; names: string[] } {
  const laneOf = new Map<number, number>();
  const names: string[] = [];
  for (const s of [...steps].sort((a, b) => a.thread - b.thread)) {
    if (laneOf.has(s.thread)) continue;
    laneOf.set(s.thread, laneOf.size);
    names.push(s.threadName);
  }
  return { laneOf, names };
}

/** The width each lane wants: its name, its longest statement, the preemption mark if it is preempted. */
function laneWidths(steps: StepView[], laneOf: Map<number, number>, names: string[]): number[] {
  const wasPreempted = new Set(steps.filter((s) => s.preempted).map((s) => steps[s.index - 2]!.thread));
  return names.map((n, i) => {
    const t = [...laneOf.keys()][i]!;
    return Math.max(
      n.length,
      wasPreempted.has(t) ? PREEMPTED.length : 0,
      ...steps.filter((s) => s.thread === t).map((s) => s.text.length),
    );
  });
}

/**
 * Column widths summing to at most `total`: every column gets what it wants if that fits,
 * else the widths are levelled from the top (water-filling), never below each minimum.
 */
export function fitColumns(want: number[], total: number, min: number[]): number[] {
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (sum(want) <= total) return [...want];
  let lo = 0;
  let hi = Math.max(...want);
  const at = (cap: number): number[] => want.map((w, i) => Math.max(min[i]!, Math.min(w, cap)));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(at(mid)) <= total) lo = mid;
    else hi = mid - 1;
  }
  const out = at(lo);
  let left = total - sum(out);
  for (let i = out.length - 1; i >= 0 && left > 0; i--) {
    const give = Math.min(left, want[i]! - out[i]!);
    if (give > 0) {
      out[i]! += give;
      left -= give;
    }
  }
  return out;
}

/** Too many threads for lanes in the width: one line per step, thread named. */
function listRows(
  steps: StepView[],
  changesOf: StateChange[][],
  lineOf: (p: string) => string,
  W: number,
  st: Style,
): string[] {
  const out: string[] = [];
  const nameW = Math.max(...steps.map((s) => s.threadName.length));
  for (const s of steps) {
    const head = `${s.preempted ? '⋯ ' : '  '}${String(s.index).padStart(4)} ${lineOf(s.position).padStart(4)}  ${s.threadName.padEnd(nameW)}  `;
    const body = [s.text, ...changesOf[s.index - 1]!.map((c) => `  ${change(c)}`)].flatMap((t) =>
      wrap(t, Math.max(8, W - head.length)),
    );
    body.forEach((b, k) => {
      out.push(k === 0 ? head + b : ' '.repeat(head.length) + b);
    });
  }
  return out.map((l) => (l.startsWith('⋯') ? st.warn(l) : l));
}

/** The violation, and for each object it names: allocation and free events, then its notes. */
function violationBlock(view: TraceView, lineOf: (p: string) => string, st: Style, W: number): string[] {
  const v = view.violation;
  if (v === null) return [];
  const steps = view.steps;
  const last = steps[steps.length - 1];
  const where = v.at === undefined ? '' : `, line ${lineOf(v.at)}`;
  const loop = view.livelock;
  const endsHow =
    loop !== undefined
      ? `${loop.from === 0 ? 'no execution ever ends' : loop.from === steps.length ? `step ${loop.from} repeats forever` : `steps ${loop.from}–${steps.length} repeat forever`} (nothing the spinning threads wait on can change)`
      : v.kind === 'deadlock'
        ? 'no thread can go on'
        : 'at termination';
  const head =
    view.stepViolation && last !== undefined
      ? `✗ step ${last.index} (${last.threadName}${where}): ${v.kind}`
      : `✗ ${steps.length === 0 ? 'in the initial state' : `after step ${steps.length}, ${endsHow}`}${where}: ${v.kind}`;
  const out = ['', ...fitLine(head, W).map(st.bad)];
  for (const o of v.involved) {
    out.push(`  ${o.object}`);
    if (o.allocatedByInit) out.push('    allocated  by init, before step 1');
    for (const s of steps) {
      for (const c of s.changes) {
        if (c.kind === 'value' || c.object !== o.object || (c.after !== 'allocated' && c.after !== 'freed')) continue;
        out.push(
          `    ${c.after.padEnd(9)}  step ${String(s.index).padEnd(3)} ${s.threadName}, line ${lineOf(s.position)}: ${s.text}`,
        );
      }
    }
    for (const n of o.notes) out.push(`    ${n}`);
  }
  return [...out.slice(0, 2), ...out.slice(2).flatMap((l) => fitLine(l, W))];
}
