// Terminal rendering of a counterexample as swimlanes: one column per thread, one row per
// step, the statement in its thread's column and the values it changed at the right; the
// violating row marked, then the objects involved with where each was allocated and freed.
// Fits `width` columns (100 by default) by wrapping inside cells. Colour is an option the
// caller decides (a TTY and no NO_COLOR): the text is the same with and without it.
import { Chalk, type ChalkInstance } from 'chalk';
import { basename } from 'node:path';
import { preemptionPoints } from '../checker/trace/preemptions.js';
import type { Replay, TraceStep } from '../checker/trace/record.js';
import { SLOT_LIVE } from '../model/layout.js';
import type { ModelSystem } from '../model/model-system.js';

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
function visibleChanges(sys: ModelSystem, replay: Replay, s: TraceStep): TraceStep['changes'] {
  const freed = new Set(s.changes.filter((c) => c.after === 'freed' && !c.name.includes('.')).map((c) => `${c.name}.`));
  const after = replay.states[s.index];
  const finished = after !== undefined && s.thread < sys.userThreads && sys.isFinished(after, s.thread);
  return s.changes.filter(
    (c) => ![...freed].some((f) => c.name.startsWith(f)) && !(finished && c.name.startsWith(`${s.threadName}.`)),
  );
}

/** A line outside the table, wrapped to the width under its own indentation. */
export function fitLine(line: string, W: number): string[] {
  if (line.length <= W) return [line];
  const indent = /^ */.exec(line)![0];
  return wrap(line.slice(indent.length), Math.max(20, W - indent.length)).map((l) => indent + l);
}

/** A change as its new value ("pmd = pte_page#0", "pte_page#0 freed"): the old one is on an earlier row. */
const change = (c: TraceStep['changes'][number]): string =>
  !c.name.includes('.') && ['allocated', 'freed', 'unallocated'].includes(c.after)
    ? `${c.name} ${c.after}`
    : `${c.name} = ${c.after}`;

export function renderSwimlanes(sys: ModelSystem, replay: Replay, opts: SwimlaneOptions): string {
  const W = opts.width ?? 100;
  const st = style(opts.color);
  const steps = replay.steps;
  const mainFile = sys.spec.sources.files[0]?.path ?? '';
  const lineOf = (pos: string): string =>
    pos.startsWith(`${mainFile}:`) ? pos.slice(mainFile.length + 1) : basename(pos);
  const preempted = new Set(preemptionPoints(sys, steps, replay.states));
  const stepViolation =
    replay.violation !== null && replay.diverged === undefined && replay.states.length <= steps.length;
  const laneOf = new Map<number, number>();
  for (const s of [...steps].sort((a, b) => a.thread - b.thread))
    if (!laneOf.has(s.thread)) laneOf.set(s.thread, laneOf.size);
  const names = [...laneOf.keys()].map((t) => sys.threadName(t));

  const stepW = Math.max(4, String(steps.length).length);
  const lineW = Math.min(16, Math.max(4, ...steps.map((s) => lineOf(s.position).length)));
  const fixed = 2 + stepW + 1 + lineW + SEP.length * (names.length + 1);
  const changesOf = steps.map((s) => visibleChanges(sys, replay, s));
  const wasPreempted = new Set([...preempted].map((i) => steps[i - 2]!.thread));
  const wantLane = names.map((n, i) => {
    const t = [...laneOf.keys()][i]!;
    return Math.max(
      n.length,
      wasPreempted.has(t) ? PREEMPTED.length : 0,
      ...steps.filter((s) => s.thread === t).map((s) => s.text.length),
    );
  });
  const wantChanges = Math.max('changes'.length, ...changesOf.flatMap((cs) => cs.map((c) => change(c).length)));
  const avail = W - fixed;
  const n = names.length;
  const lines: string[] = [];
  const summary = `path: ${steps.length} step${steps.length === 1 ? '' : 's'}, ${preempted.size} preemption${preempted.size === 1 ? '' : 's'}${preempted.size > 0 ? ` (before step ${[...preempted].join(', ')})` : ''}; lines of ${mainFile}`;
  lines.push(...fitLine(`  ${summary}`, W));
  if (n === 0) return [...lines, ...violationBlock(sys, replay, stepViolation, lineOf, st, W)].join('\n');

  if (avail < n * MIN_LANE + MIN_CHANGES)
    return [
      ...lines,
      ...listRows(replay, changesOf, preempted, lineOf, W, st),
      ...violationBlock(sys, replay, stepViolation, lineOf, st, W),
    ].join('\n');
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
  lines.push(...violationBlock(sys, replay, stepViolation, lineOf, st, W));
  return lines.join('\n');
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
  replay: Replay,
  changesOf: TraceStep['changes'][],
  preempted: Set<number>,
  lineOf: (p: string) => string,
  W: number,
  st: Style,
): string[] {
  const out: string[] = [];
  const nameW = Math.max(...replay.steps.map((s) => s.threadName.length));
  for (const s of replay.steps) {
    const head = `${preempted.has(s.index) ? '⋯ ' : '  '}${String(s.index).padStart(4)} ${lineOf(s.position).padStart(4)}  ${s.threadName.padEnd(nameW)}  `;
    const body = [s.text, ...changesOf[s.index - 1]!.map((c) => `  ${change(c)}`)].flatMap((t) =>
      wrap(t, Math.max(8, W - head.length)),
    );
    body.forEach((b, k) => out.push(k === 0 ? head + b : ' '.repeat(head.length) + b));
  }
  return out.map((l) => (l.startsWith('⋯') ? st.warn(l) : l));
}

/** The violation, and for each object it names: allocation and free events, then its notes. */
function violationBlock(
  sys: ModelSystem,
  replay: Replay,
  stepViolation: boolean,
  lineOf: (p: string) => string,
  st: Style,
  W: number,
): string[] {
  const v = replay.violation;
  if (v === null) return [];
  const steps = replay.steps;
  const last = steps[steps.length - 1];
  const where = v.span === undefined ? '' : `, line ${lineOf(sys.rt.where(v.span))}`;
  const head =
    stepViolation && last !== undefined
      ? `✗ step ${last.index} (${last.threadName}${where}): ${v.kind}`
      : `✗ ${steps.length === 0 ? 'in the initial state' : `after step ${steps.length}, ${v.kind === 'deadlock' ? 'no thread can go on' : 'at termination'}`}${where}: ${v.kind}`;
  const out = ['', ...fitLine(head, W).map(st.bad)];
  const objects = new Map<string, string[]>();
  for (const o of v.objects) {
    const base = /^\w+#\d+/.exec(o.object)?.[0] ?? o.object;
    if (!objects.has(base)) objects.set(base, []);
    objects.get(base)!.push(o.object === base ? o.event : `${o.object.slice(base.length)}: ${o.event}`);
  }
  for (const [obj, notes] of objects) {
    out.push(`  ${obj}`);
    const slot = /^(\w+)#(\d+)$/.exec(obj);
    const pool = slot === null ? undefined : sys.layout.pools.get(slot[1]!);
    if (pool !== undefined && replay.states[0]?.[pool.base + Number(slot![2]) * pool.slotWords] === SLOT_LIVE)
      out.push('    allocated  by init, before step 1');
    for (const s of steps) {
      for (const c of s.changes) {
        if (c.name !== obj || (c.after !== 'allocated' && c.after !== 'freed')) continue;
        out.push(
          `    ${c.after.padEnd(9)}  step ${String(s.index).padEnd(3)} ${s.threadName}, line ${lineOf(s.position)}: ${s.text}`,
        );
      }
    }
    for (const n of notes) out.push(`    ${n}`);
  }
  return [...out.slice(0, 2), ...out.slice(2).flatMap((l) => fitLine(l, W))];
}
