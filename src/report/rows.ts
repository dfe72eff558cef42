// A counterexample's steps as the terminal renderers draw them (swimlane.ts, step-list.ts):
// every string that came from a file cleaned of control characters, each step's lane, the
// lane it preempts and the changes worth showing as text; and the colours they use.
import { basename } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { changeName, type StateChange } from '../checker/trace/state-change.js';
import type { StepView, TraceView } from '../checker/trace/trace-view.js';
import { cleanText } from './text-fit.js';

export interface Style {
  head: (s: string) => string;
  lane: (i: number, s: string) => string;
  dim: (s: string) => string;
  bad: (s: string) => string;
  warn: (s: string) => string;
}

export function style(color: boolean): Style {
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

/** A step as the renderers draw it: every string cleaned, the changes worth a row as text. */
export interface Row {
  index: number;
  lane: number;
  name: string;
  text: string;
  line: string;
  preempted: boolean;
  /** The lane of the thread this step preempts, or -1. */
  preempts: number;
  changes: string[];
}

/** The rows, the lanes' thread names (in thread order), and how a position reads. */
export interface Rows {
  rows: Row[];
  names: string[];
  lineOf: (pos: string) => string;
}

/**
 * The changes worth a row: not the fields a free poisons (the free says it), not the locals
 * a finishing thread clears (they no longer exist); each as its new value ("pmd =
 * pte_page#0", "pte_page#0 freed"): the old one is on an earlier row.
 */
function visibleChanges(s: StepView): string[] {
  const freed = new Set<string>();
  for (const c of s.changes) if (c.kind === 'free') freed.add(c.object);
  const out: string[] = [];
  for (const c of s.changes) {
    if (c.field !== undefined && (freed.has(c.object) || (s.finished && c.object === s.threadName))) continue;
    out.push(cleanText(change(c)));
  }
  return out;
}

const change = (c: StateChange): string =>
  c.kind === 'value' ? `${changeName(c)} = ${c.after}` : `${c.object} ${c.after}`;

export function viewRows(view: TraceView): Rows {
  const mainFile = view.mainFile;
  // Lines of the main file are bare numbers; an imported file's carry its name without the
  // extension (`vma-tree:57`), so the narrow line column keeps the part that tells files apart.
  const lineOf = (pos: string): string =>
    cleanText(
      pos.startsWith(`${mainFile}:`) ? pos.slice(mainFile.length + 1) : basename(pos).replace(/\.mmspec:/, ':'),
    );
  const threads: number[] = [];
  const nameOf = new Map<number, string>();
  for (const s of view.steps) {
    if (nameOf.has(s.thread)) continue;
    nameOf.set(s.thread, cleanText(s.threadName));
    threads.push(s.thread);
  }
  threads.sort((a, b) => a - b);
  const laneOf = new Map<number, number>();
  const names: string[] = [];
  for (const t of threads) {
    laneOf.set(t, names.length);
    names.push(nameOf.get(t)!);
  }
  const rows: Row[] = [];
  let prev = -1;
  for (const s of view.steps) {
    const lane = laneOf.get(s.thread)!;
    rows.push({
      index: s.index,
      lane,
      name: names[lane]!,
      text: cleanText(s.text),
      line: lineOf(s.position),
      preempted: s.preempted,
      preempts: s.preempted && prev >= 0 ? prev : -1,
      changes: visibleChanges(s),
    });
    prev = lane;
  }
  return { rows, names, lineOf };
}
