// User errors are values: every stage returns Diagnostics, and one renderer prints them as
// `path:line:col: error[MM104]: message`, the source line, and a caret under the span. The
// code is stable (diagnostic-codes.ts, docs/diagnostics.md); the message may be reworded.
import { cleanText } from '../../io/clean-text.js';
import { terminalWidth } from '../../io/text-width.js';
import type { Span } from './ast.js';
import type { DiagnosticCode } from './diagnostic-codes.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  span: Span;
  message: string;
  hint?: string;
}

/** The texts of every file of one compilation; Span.file indexes `files`. */
export interface SourceSet {
  files: { path: string; text: string }[];
}

export function error(code: DiagnosticCode, span: Span, message: string, hint?: string): Diagnostic {
  return diagnostic('error', code, span, message, hint);
}

export function warning(code: DiagnosticCode, span: Span, message: string, hint?: string): Diagnostic {
  return diagnostic('warning', code, span, message, hint);
}

function diagnostic(
  severity: Severity,
  code: DiagnosticCode,
  span: Span,
  message: string,
  hint: string | undefined,
): Diagnostic {
  return hint === undefined ? { severity, code, span, message } : { severity, code, span, message, hint };
}

/** Errors reported for one file, at most; MM020 says that more were found. */
export const MAX_FILE_ERRORS = 100;

/**
 * `diags` with at most MAX_FILE_ERRORS errors for each file, in their order, then one MM020
 * where the next one was: a file of random bytes under the size bound (4 MiB) gave some
 * 700,000, printed for minutes, with the source line of each.
 */
export function capErrors(diags: readonly Diagnostic[]): Diagnostic[] {
  const errors = new Map<number, number>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const n = errors.get(d.span.file) ?? 0;
    if (n > MAX_FILE_ERRORS) continue;
    if (d.severity === 'error') errors.set(d.span.file, n + 1);
    if (n < MAX_FILE_ERRORS || d.severity !== 'error') out.push(d);
    else
      out.push(
        error(
          'MM020',
          d.span,
          `more than ${MAX_FILE_ERRORS} errors in this file; only the first ${MAX_FILE_ERRORS} are reported`,
          'fix the first ones: the rest often follow from them (or is this not a spec?)',
        ),
      );
  }
  return out;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/**
 * The offsets at which the lines of the last text asked about start. Counting the newlines
 * before an offset on every call made a spec of many errors quadratic: 200 KB of random bytes,
 * 35,000 diagnostics, took 40 s to print, and 4 MB (under the size bound) did not end in 15 min.
 */
let indexed: { text: string; starts: Int32Array } | null = null;

function lineStarts(text: string): Int32Array {
  if (indexed !== null && indexed.text === text) return indexed.starts;
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  const starts = new Int32Array(n);
  let k = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  indexed = { text, starts };
  return starts;
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  const starts = lineStarts(text);
  const end = Math.min(offset, text.length);
  // The last line starting at or before `end`: a newline at end - 1 starts a line at end.
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= end) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** `path:line:col` of a span's start. */
export function formatPosition(sources: SourceSet, span: Span): string {
  const f = sources.files[span.file];
  if (f === undefined) return '<unknown>';
  const { line, col } = lineCol(f.text, span.start);
  return `${f.path}:${line}:${col}`;
}

/** `path:line` of a span's start (the short form used in traces and violation messages). */
export function formatLine(sources: SourceSet, span: Span): string {
  const f = sources.files[span.file];
  if (f === undefined) return '<unknown>';
  return `${f.path}:${lineCol(f.text, span.start).line}`;
}

/** The source line under a span, trimmed of its newline. */
export function sourceLine(sources: SourceSet, span: Span): string {
  const f = sources.files[span.file];
  if (f === undefined) return '';
  const start = f.text.lastIndexOf('\n', span.start - 1) + 1;
  let end = f.text.indexOf('\n', span.start);
  if (end < 0) end = f.text.length;
  return f.text.slice(start, end).replace(/\r$/, '');
}

/** Source text as a diagnostic shows it: control characters escaped, tabs kept. */
const shown = (text: string): string =>
  text
    .split('\t')
    .map((part) => cleanText(part))
    .join('\t');

/** Columns of a source line a diagnostic shows at most, and of them at most this many before the column. */
const LINE_SHOWN = 240;
const LINE_BEFORE = 100;

/**
 * The part of a long source line around the diagnostic's span, cut with `…`: a generated
 * spec on one line would print the whole line, and a caret line as long, per diagnostic.
 */
function fitSourceLine(
  before: string,
  marked: string,
  after: string,
): { before: string; marked: string; after: string } {
  if (before.length + marked.length + after.length <= LINE_SHOWN) return { before, marked, after };
  const b = before.length > LINE_BEFORE ? `…${lastUnits(before, LINE_BEFORE - 1)}` : before;
  const room = LINE_SHOWN - b.length;
  if (marked.length >= room) return { before: b, marked: `${firstUnits(marked, room - 1)}…`, after: '' };
  const rest = room - marked.length;
  return { before: b, marked, after: after.length > rest ? `${firstUnits(after, rest - 1)}…` : after };
}

/** The first `n` UTF-16 units of `s`, one fewer rather than half of a surrogate pair (an emoji). */
function firstUnits(s: string, n: number): string {
  const c = s.charCodeAt(n - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
}

/** The last `n` UTF-16 units of `s`, one fewer rather than half of a surrogate pair. */
function lastUnits(s: string, n: number): string {
  const c = s.charCodeAt(s.length - n);
  return s.slice(c >= 0xdc00 && c <= 0xdfff ? s.length - n + 1 : s.length - n);
}

/** Render one diagnostic: header, source line, caret line, optional hint. Plain text. */
export function renderDiagnostic(sources: SourceSet, d: Diagnostic): string {
  const header = cleanText(`${formatPosition(sources, d.span)}: ${d.severity}[${d.code}]: ${d.message}`);
  const out = [header, ...sourceExcerpt(sources, d.span)];
  if (d.hint !== undefined) out.push(cleanText(`    hint: ${d.hint}`));
  return out.join('\n');
}

/**
 * The source line of `span` and a caret line under the span, indented, as a diagnostic shows
 * them (none when the span's file is unknown). The line's control characters are shown
 * escaped (`\x1b`): a spec must not drive the terminal. Tabs are kept, and keep their width
 * in the prefix, and the other characters their terminal width (io/text-width.ts: a CJK
 * character two columns), so the caret lines up, where `col` in the header counts UTF-16 code
 * units; a long line is cut around the span.
 */
export function sourceExcerpt(sources: SourceSet, span: Span): string[] {
  const f = sources.files[span.file];
  if (f === undefined) return [];
  const line = sourceLine(sources, span);
  const { col } = lineCol(f.text, span.start);
  const lineEnd = f.text.indexOf('\n', span.start);
  const spanEnd = Math.min(span.end, lineEnd < 0 ? f.text.length : lineEnd);
  const { before, marked, after } = fitSourceLine(
    shown(line.slice(0, col - 1)),
    shown(f.text.slice(span.start, spanEnd)),
    shown(line.slice(col - 1 + (spanEnd - span.start))),
  );
  // Tabs stay tabs, so that they line up with the line's; the rest by terminal columns.
  const prefix = before
    .split('\t')
    .map((part) => ' '.repeat(terminalWidth(part)))
    .join('\t');
  // A tab under the span takes one caret, as it always did.
  const carets = terminalWidth(marked.replaceAll('\t', ' '));
  return [`    ${before}${marked}${after}`, `    ${prefix}${'^'.repeat(Math.max(1, carets))}`];
}

export function renderDiagnostics(sources: SourceSet, diags: readonly Diagnostic[]): string {
  return diags.map((d) => renderDiagnostic(sources, d)).join('\n');
}

/**
 * `did you mean 'x'?` for a misspelt name: the closest candidate within an edit distance
 * that grows with the name's length (1 for short names, at most 3), or undefined. Typos are
 * the commonest cause of "undeclared" errors, and naming the intended declaration is the fix.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : `did you mean '${best}'?`;
}

/** Levenshtein distance, giving up (returning `cap`) once it must be at least `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return Math.min(prev[b.length] as number, cap);
}
