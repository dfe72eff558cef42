// Property tests for the parser: it never throws, whatever the text, and always returns
// well-formed arrays whose spans lie inside the text. `parser.test.ts` runs these with 1,000
// cases; an opt-in script can call fuzzParserCases(100_000) for a longer run.
import fc from 'fast-check';
import type { Span } from '../../../src/model/lang/ast.js';
import { parse } from '../../../src/model/lang/parser.js';

/** The design example spec (the language reference's first example), verbatim. */
export const DESIGN_EXAMPLE = `spec "rfc-2008: SRCU-guarded lockless VMA lookup"   // self-contained; larger specs import "lib/mm.mmspec"

struct vma { start: int; end: int; usage: atomic; }   // vm_usage: 0 = dead
struct pte_page srcu_protected(mm_srcu) { pte: int[2]; ptl: spinlock; }

pool vma[2];                            // at most 2 VMAs alive at once
pool pte_page[2];

shared mmap_sem: rwsem;
shared mm_srcu: srcu;
shared tree: ref vma;                   // a 1-slot "VMA tree" is enough here
shared pmd: ref pte_page;
ghost unmapped: bool = false;

init { tree = alloc vma { start: 0, end: 2, usage: 1 }; }

thread fault(addr: int) {
  local v: ref vma; local pt: ref pte_page; local idx: int;
  idx = srcu_read_lock(mm_srcu);
retry:
  v = tree;                             // lockless find_vma
  if (v == null || v.start > addr) goto out;
  if (atomic_read(v.usage) == 0) goto retry;
  pt = pmd;                             // walk, no lock held
  if (pt == null) { pt = alloc pte_page {}; pmd = pt; }
  spin_lock(pt.ptl);
  if (atomic_read(v.usage) == 0) { spin_unlock(pt.ptl); goto out; }   // VM_FAULT_SIGBUS
  if (pt.pte[addr] == 0) pt.pte[addr] = 1;
  spin_unlock(pt.ptl);
out:
  srcu_read_unlock(mm_srcu, idx);
}

thread munmap() {
  local v: ref vma; local pt: ref pte_page;
  down_write(mmap_sem);
  v = tree; tree = null;                // rb_erase
  await atomic_cmpxchg(v.usage, 1, 0) == 1;  // vma_remove(): waits while others hold a ref
  pt = pmd;
  if (pt != null) {
    for i in 0..2 { spin_lock(pt.ptl); pt.pte[i] = 0; spin_unlock(pt.ptl); }
    pmd = null; free(pt);               // free_pgtables: immediate, as posted
  }
  call_srcu(mm_srcu, v);                // the VMA waits for a grace period
  up_write(mmap_sem);
  unmapped = true;
}

invariant no_pte_after_munmap: unmapped => (pmd == null || (pmd.pte[0] == 0 && pmd.pte[1] == 0));

scenario fault_vs_munmap expect violation(premature_free) { fault(1); munmap(); }
scenario two_faults      expect violation(premature_free) { fault(0); fault(1); munmap(); }
`;

// The grammar's vocabulary, plus the broken pieces a careless edit produces.
const VOCABULARY: readonly string[] = [
  ...'spec import const enum struct pool shared ghost init thread fn local if else while for goto return break'.split(
    ' ',
  ),
  ...'continue await choose either assert BUG_ON invariant final scenario alloc null true false'.split(' '),
  ...'expect pass violation budget in or srcu_protected rcu_protected int bool ref atomic spinlock'.split(' '),
  ...'{ } ( ) [ ] ; : , . .. = == != < <= > >= + - * / % ! && || =>'.split(' '),
  'x',
  'v',
  'usage',
  'vma',
  'f',
  '0',
  '1',
  '42',
  '0x1f',
  '5e6',
  '"s"',
  '"a\\"b"',
  // broken pieces
  '"open',
  '/*',
  '*/',
  '//',
  '@',
  '&',
  '1.5',
  '0x',
  '12ab',
  '\\q',
  '\u0000',
];

const separator = fc.constantFrom(' ', '\n', '', '\t');

/** Random token streams: vocabulary words joined by random separators. */
const tokenStream: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), separator), { maxLength: 120 })
  .map((parts) => parts.map(([word, sep]) => word + sep).join(''));

type Edit =
  | { kind: 'delete'; a: number; b: number }
  | { kind: 'duplicate'; a: number; b: number; at: number }
  | { kind: 'swap'; a: number; b: number; c: number; d: number };

const position = fc.nat({ max: DESIGN_EXAMPLE.length });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), a: position, b: position }),
  fc.record({ kind: fc.constant('duplicate' as const), a: position, b: position, at: position }),
  fc.record({ kind: fc.constant('swap' as const), a: position, b: position, c: position, d: position }),
);

function applyEdit(text: string, e: Edit): string {
  const clamp = (n: number): number => Math.min(n, text.length);
  const [a, b] = [clamp(Math.min(e.a, e.b)), clamp(Math.max(e.a, e.b))];
  switch (e.kind) {
    case 'delete':
      return text.slice(0, a) + text.slice(b);
    case 'duplicate': {
      const at = clamp(e.at);
      return text.slice(0, at) + text.slice(a, b) + text.slice(at);
    }
    case 'swap': {
      // Two ranges, ordered and made disjoint, trade places.
      const [x0, x1, y0, y1] = [a, b, clamp(e.c), clamp(e.d)].sort((m, n) => m - n) as [number, number, number, number];
      return text.slice(0, x0) + text.slice(y0, y1) + text.slice(x1, y0) + text.slice(x0, x1) + text.slice(y1);
    }
  }
}

/** The DESIGN example after 1–4 random deletions, duplications and swaps of character ranges. */
const mutatedExample: fc.Arbitrary<string> = fc
  .array(edit, { minLength: 1, maxLength: 4 })
  .map((edits) => edits.reduce(applyEdit, DESIGN_EXAMPLE));

/** Any string at all, including lone surrogates and control characters. */
const junk: fc.Arbitrary<string> = fc.string({ unit: 'binary', maxLength: 300 });

function spansIn(value: unknown, out: Span[]): void {
  if (Array.isArray(value)) {
    for (const v of value) spansIn(v, out);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (typeof o['start'] === 'number' && typeof o['end'] === 'number' && typeof o['file'] === 'number') {
      out.push(o as unknown as Span);
      return;
    }
    for (const v of Object.values(o)) spansIn(v, out);
  }
}

/** Parse, and fail unless the result is well-formed. Throws (so fast-check shrinks) on a bug. */
export function checkParse(text: string): void {
  const r = parse(text, 7);
  if (!Array.isArray(r.spec.decls) || !Array.isArray(r.diagnostics)) throw new Error('parse did not return arrays');
  if (r.spec.file !== 7) throw new Error('wrong file index');
  const spans: Span[] = [];
  spansIn(r.spec.decls, spans);
  for (const d of r.diagnostics) {
    if (typeof d.message !== 'string' || d.message === '') throw new Error('empty diagnostic message');
    spans.push(d.span);
  }
  for (const s of spans) {
    if (s.file !== 7 || s.start < 0 || s.start > s.end || s.end > text.length) {
      throw new Error(`span out of range: ${JSON.stringify(s)} in text of length ${text.length}`);
    }
  }
  for (let i = 1; i < r.diagnostics.length; i++) {
    if ((r.diagnostics[i - 1] as { span: Span }).span.start > (r.diagnostics[i] as { span: Span }).span.start) {
      throw new Error('diagnostics not in source order');
    }
  }
}

/** Run the three parser properties with `n` cases each. Throws fast-check's report on failure. */
export function fuzzParserCases(n: number, seed?: number): void {
  const params = seed === undefined ? { numRuns: n } : { numRuns: n, seed };
  for (const arbitrary of [tokenStream, mutatedExample, junk]) {
    fc.assert(
      fc.property(arbitrary, (text) => checkParse(text)),
      params,
    );
  }
}
