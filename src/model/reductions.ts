// The state-space reductions a search may apply, named once for the CLI (`--reduce`), the
// explorers and the compiler. Each reduction must give the same verdict, the same violation
// kinds and the same terminal states (up to symmetry) as the unreduced search: the property
// tests compare every one against `--reduce none`.
//   symmetry     identical thread instances are interchangeable: states are canonicalised
//                before they are stored (stored-state search; pool slots are not, see
//                docs/reductions.md)
//   dead-locals  a local that is dead after a step is reset, so equal futures are one state
//   por          stored-state partial-order reduction: a thread whose next step commutes with
//                everything the others may still do is expanded alone (BFS; model/por.ts)
export const REDUCTIONS = ['symmetry', 'dead-locals', 'por'] as const;
export type Reduction = (typeof REDUCTIONS)[number];
export type ReductionSet = ReadonlySet<Reduction>;

/**
 * The reductions on when none is asked for: each joins once its soundness properties pass
 * (`por` passes them, but stays off until its gain is measured against its cost).
 */
export const DEFAULT_REDUCTIONS: ReductionSet = new Set<Reduction>(['symmetry', 'dead-locals']);

export const NO_REDUCTIONS: ReductionSet = new Set<Reduction>();

/** `all`, `none`, or a comma-separated list of REDUCTIONS; an error message otherwise. */
export function parseReductions(text: string): ReductionSet | { error: string } {
  const t = text.trim();
  if (t === 'none') return NO_REDUCTIONS;
  if (t === 'all') return new Set(REDUCTIONS);
  const out = new Set<Reduction>();
  for (const part of t.split(',')) {
    const name = part.trim();
    if (!(REDUCTIONS as readonly string[]).includes(name))
      return { error: `unknown reduction '${name}': expected all, none or a list of ${REDUCTIONS.join(', ')}` };
    out.add(name as Reduction);
  }
  return out;
}

/** The set in the words `--reduce` accepts (for reports and trace files). */
export function reductionsText(set: ReductionSet): string {
  if (set.size === 0) return 'none';
  return REDUCTIONS.filter((r) => set.has(r)).join(',');
}
