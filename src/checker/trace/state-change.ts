// What a step of a replayed trace changed, as the reporters receive it (trace-view.ts).

/**
 * One value a step changed, typed: an object allocated or freed (its slot's allocation word),
 * or a field, a global or a local taking a new value. `object` is the object, global or
 * thread; `field` what inside it ("refcnt", "pte[1]"), absent for a global or an allocation.
 */
export interface StateChange {
  object: string;
  field?: string;
  kind: 'alloc' | 'free' | 'value';
  before: string;
  after: string;
}

/** A typed change under the one name steps print it by: `vma#0.refcnt`, `pmd`, `pte_page#0`. */
export function changeName(c: StateChange): string {
  return c.field === undefined ? c.object : `${c.object}.${c.field}`;
}
