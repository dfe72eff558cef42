// The violation kinds are words of the language: `expect violation(kind)` names one, traces
// and reports print them. The explorer interface (system.ts) uses them, not the other way round.

/** Stable violation ids, used by `expect`, traces and reports (docs/language.md lists what each means). */
export const VIOLATION_KINDS = [
  'assertion',
  'use_after_free',
  'null_deref',
  'premature_free',
  'invariant',
  'final',
  'deadlock',
  'lock_misuse',
  'sleep_in_atomic',
  'lock_order',
  'pool_exhausted',
  'leak',
  'data_race',
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export function isViolationKind(s: string): s is ViolationKind {
  return (VIOLATION_KINDS as readonly string[]).includes(s);
}
