// Inputs of the CLI fuzzer (cli-fuzz.ts): text edits for specs, JSON and text edits for
// traces, as fast-check arbitraries of plain data applied afterwards (so a failing case
// prints what it did).
import fc from 'fast-check';

/** Tokens worth inserting into a spec: keywords, punctuation, numbers at the edges, odd bytes. */
const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  ';',
  ',',
  '=',
  '==',
  '..',
  'atomic {',
  'either {',
  '} or {',
  'while (true) {',
  'if (',
  'goto out;',
  'out:',
  'return;',
  'break;',
  'fn f() { f(); }',
  'import "/dev/zero";',
  'import "nowhere.mmspec";',
  'import "spec.mmspec";',
  'thread t() { }',
  'scenario s expect pass { t(); }',
  'scenario z expect violation(deadlock) { }',
  'shared q: int[1024];',
  'pool vma[31];',
  '2147483647',
  '-2147483648',
  '9007199254740993',
  '0x',
  '/*',
  '"',
  '\\',
  '\u0000',
  '\u{1F600}',
  '\n',
];

export type TextEdit =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'dup'; at: number; len: number }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'truncate'; at: number };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export function applyTextEdit(text: string, e: TextEdit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.len);
    case 'dup':
      return text.slice(0, at + e.len) + text.slice(at, at + e.len) + text.slice(at + e.len);
    case 'insert':
      return `${text.slice(0, at)} ${e.token} ${text.slice(at)}`;
    case 'truncate':
      return text.slice(0, at);
  }
}

export const withEdits = (text: string, edits: readonly TextEdit[]): string => edits.reduce(applyTextEdit, text);

/** A change to a trace's JSON: a value (picked by its index in a walk of the document) replaced or removed. */
export type TraceEdit =
  | { kind: 'set'; node: number; value: unknown }
  | { kind: 'remove'; node: number }
  | { kind: 'text'; edit: TextEdit };

const VALUES: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.constantFrom(-1, 2 ** 31, 2 ** 53, 1e308, Number.NaN, 0.5),
  fc.constantFrom('', 'x', '/dev/zero', '../nowhere.mmspec', 'mmcheck-trace', 'deadlock', 'fault_vs_munmap'),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [{}], [0, 0, 0]),
);

export const traceEdit: fc.Arbitrary<TraceEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), node: fc.nat(), value: VALUES }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), node: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), edit: textEdit }) },
);

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(v: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      slots(x, out);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      slots(x, out);
    }
  }
  return out;
}

/**
 * A trace's text after the edits. `specPath` replaces the trace's spec path first (the
 * mutated trace is written elsewhere than the original, and must still find its spec).
 */
export function traceText(original: string, specPath: string, edits: readonly TraceEdit[]): string {
  const doc = JSON.parse(original) as { spec: { path: string } };
  doc.spec.path = specPath;
  const textEdits: TextEdit[] = [];
  for (const e of edits) {
    if (e.kind === 'text') {
      textEdits.push(e.edit);
      continue;
    }
    const all = slots(doc);
    const s = all[e.node % all.length];
    if (s === undefined) continue;
    if (e.kind === 'remove') {
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
    } else if (Array.isArray(s.parent)) s.parent[s.key as number] = e.value;
    else s.parent[s.key as string] = e.value;
  }
  return withEdits(JSON.stringify(doc, null, 1), textEdits);
}
