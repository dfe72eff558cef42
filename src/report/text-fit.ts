// Fitting text to a terminal: word wrap that breaks at spaces and punctuation (never inside
// an identifier when it can help it), column widths that share a total, and the removal of
// control characters from text that comes from files (a trace or a spec can hold an escape
// sequence that would clear the screen or retitle the window). Every function is iterative:
// a counterexample can have 100,000 steps.

export { cleanText } from '../io/clean-text.js';
export { plural } from '../io/grouped.js';

/** Characters after which a line may break inside a word: `spin_|lock(|lock);`, `a.|b`. */
const BREAK_AFTER = new Set(['(', ',', ';', '.', '[', '_', '-', '>', '|', '&', ':', '/', '#', '=', '+', '*']);
/** Of those, the ones that end a phrase: a break there reads as well as one at a space. */
const GOOD_AFTER = new Set(['(', ',', ';']);

/** A unit after a number: a line of prose does not break between `0.01 s` or `peak 65 MiB`. */
const UNIT_AFTER = /^ (?:s|ms|\u00b5s|ns|B|KiB|MiB|GiB|%)(?![\w/])/;

/** Whether the space at `p` lies between a number and its unit. */
function unitAt(text: string, p: number): boolean {
  const c = text.charCodeAt(p - 1);
  return c >= 48 && c <= 57 && UNIT_AFTER.test(text.slice(p, p + 6));
}

/**
 * Where to end a line of `text` that is longer than `room`: the length of the line, and
 * whether a space follows it (and is dropped). Prefers a space or the end of a phrase that
 * fills at least a third of the line, else the last break inside a word, else a hard cut.
 */
function breakAt(text: string, room: number, prose: boolean): { len: number; space: boolean } {
  if (prose) {
    for (let p = room; p > 0; p--)
      if (text[p] === ' ' && text[p - 1] !== ' ' && !unitAt(text, p)) return { len: p, space: true };
    for (let p = room; p > 0; p--) if (text[p] === ' ' && text[p - 1] !== ' ') return { len: p, space: true };
  }
  let good = -1;
  let goodSpace = false;
  let any = -1;
  for (let p = 1; p <= room; p++) {
    if (text[p] === ' ' && text[p - 1] !== ' ') {
      good = p;
      goodSpace = true;
    } else if (GOOD_AFTER.has(text[p - 1]!) && text[p] !== ' ') {
      good = p;
      goodSpace = false;
    } else if (BREAK_AFTER.has(text[p - 1]!) && text[p] !== ' ') any = p;
  }
  if (good > 0 && (good * 3 >= room || any < 0 || good >= any)) return { len: good, space: goodSpace };
  if (any > 0) return { len: any, space: false };
  if (good > 0) return { len: good, space: goodSpace };
  return { len: room, space: false };
}

/**
 * Wraps `text` to `width` columns, breaking at spaces and punctuation (`prose`: at spaces
 * only, unless a word is longer than the line); continuation lines are indented by two
 * spaces so that they read as part of the line above. At least one line.
 */
export function wrap(text: string, width: number, prose = false): string[] {
  const w = Math.max(1, width);
  const indent = w > 12 ? '  ' : '';
  const out: string[] = [];
  let rest = text;
  while (true) {
    const room = out.length === 0 ? w : w - indent.length;
    if (rest.length <= room) {
      out.push(out.length === 0 ? rest : indent + rest);
      return out;
    }
    const b = breakAt(rest, room, prose);
    out.push((out.length === 0 ? '' : indent) + rest.slice(0, b.len));
    rest = rest.slice(b.len).replace(/^ +/, '');
    if (rest === '') return out;
  }
}

/** A line of prose outside the table, wrapped at spaces to the width under its own indentation. */
export function fitLine(line: string, W: number): string[] {
  if (line.length <= W) return [line];
  const indent = /^ */.exec(line)![0];
  const body = wrap(line.slice(indent.length), Math.max(20, W - indent.length), true);
  const out: string[] = [];
  for (const l of body) out.push(indent + l);
  return out;
}

/** The largest of `xs` and `floor` (no spread: an array can be longer than the stack). */
export function maxOf(xs: Iterable<number>, floor = 0): number {
  let m = floor;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/**
 * Column widths summing to at most `total`: every column gets what it wants if that fits,
 * else the widths are levelled from the top (water-filling), never below each minimum.
 */
export function fitColumns(want: number[], total: number, min: number[]): number[] {
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (sum(want) <= total) return [...want];
  let lo = 0;
  let hi = maxOf(want);
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

/** Appends `more` to `out` one by one (`out.push(...more)` overflows the stack on long arrays). */
export function append<T>(out: T[], more: readonly T[]): T[] {
  for (const x of more) out.push(x);
  return out;
}

/** `1 step`, `2 steps`, `1,024 states`. */
