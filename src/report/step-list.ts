// A counterexample as one line per step, for widths where swimlanes would be too narrow
// (many threads, a narrow terminal): step, line, thread, statement, then what it changed —
// on the same line when it fits, else on the lines under it. A step that preempts another
// thread is marked ⋯ in the gutter and names the thread it preempts.
import type { Rows, Style } from './rows.js';
import { append, maxOf, wrap } from './text-fit.js';

export function renderStepList(r: Rows, W: number, st: Style, stepViolation: boolean): string[] {
  const { rows, names } = r;
  const stepW = Math.max(4, String(rows.length).length);
  const lineW = Math.min(
    16,
    Math.max(4, Math.floor(W / 6)),
    maxOf(
      rows.map((x) => x.line.length),
      4,
    ),
  );
  const head = 2 + stepW + 1 + lineW + 2;
  // The thread column: the longest name, at most a quarter of the width (longer ones wrap).
  const nameW = Math.max(
    6,
    Math.min(
      maxOf(
        names.map((n) => n.length),
        6,
      ),
      Math.floor(W / 4),
    ),
  );
  const bodyW = Math.max(8, W - head - nameW - 2);
  const title = bodyW >= 19 ? 'statement → changes' : 'statement';
  const out: string[] = [];
  out.push(st.head(`  ${'step'.padStart(stepW)} ${'line'.padStart(lineW)}  ${'thread'.padEnd(nameW)}  ${title}`));
  out.push(st.dim(`  ${'─'.repeat(stepW)} ${'─'.repeat(lineW)}  ${'─'.repeat(nameW)}  ${'─'.repeat(bodyW)}`));
  const blankHead = ' '.repeat(head);
  for (const x of rows) {
    const isViolation = stepViolation && x.index === rows.length;
    const body = bodyLines(x.text, x.changes, x.preempts >= 0 ? names[x.preempts]! : undefined, bodyW);
    const name = wrap(x.name, nameW);
    const height = Math.max(body.length, name.length);
    const gutter = isViolation ? '✗ ' : x.preempted ? '⋯ ' : '  ';
    for (let k = 0; k < height; k++) {
      const left =
        k === 0 ? `${gutter}${String(x.index).padStart(stepW)} ${x.line.slice(-lineW).padStart(lineW)}  ` : blankHead;
      const nm = name[k] ?? '';
      const cell = st.lane(x.lane, nm) + ' '.repeat(nameW - nm.length);
      const line = `${left}${cell}  ${body[k] ?? ''}`.trimEnd();
      out.push(isViolation ? st.bad(line) : k === 0 && x.preempted ? st.warn(line) : line);
    }
  }
  return out;
}

/**
 * The statement, then its changes after an arrow: on one line when everything fits, else
 * the changes one per line under the statement. A preempting step says whom it preempts.
 */
function bodyLines(text: string, changes: string[], preempts: string | undefined, w: number): string[] {
  const tail = preempts === undefined ? '' : `  (preempts ${preempts})`;
  const one = changes.length === 0 ? `${text}${tail}` : `${text}  → ${changes.join(', ')}${tail}`;
  if (one.length <= w) return [one];
  const first = `${text}${tail}`;
  const out = first.length <= w ? [first] : wrap(text, w);
  for (const c of changes) append(out, wrap(`  → ${c}`, w));
  if (tail !== '' && first.length > w) append(out, wrap(tail.trimStart(), w));
  return out;
}
