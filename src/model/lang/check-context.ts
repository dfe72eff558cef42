// What the body and expression checks know about where they are: the body, the kind of
// place (a thread, an invariant, ...), its labels and loops, and the names visible there.
import type { Span } from './ast.js';
import type { BodyInfo, CheckedSpec } from './checked.js';
import type { Diagnostic } from './diagnostics.js';

export type Where = 'thread' | 'fn' | 'init' | 'invariant' | 'final';

export interface Ctx {
  spec: CheckedSpec;
  diags: Diagnostic[];
  body: BodyInfo | null;
  where: Where;
  /** Every label of the body and where it is, so a goto may jump forward. */
  labels: Map<string, Span>;
  loops: number;
  /** Set while checking the statements of an `atomic { }` block. */
  inAtomic: boolean;
  /** fns called from this body, for the recursion check. */
  calls: Set<string>;
  /** Set while checking a built-in's sync argument: an unknown name there gets the candidates. */
  wantSync?: readonly string[] | undefined;
}

/**
 * The expressions where a C `&` is accepted: a built-in's sync argument (`spin_lock(&lock)`
 * means `spin_lock(lock)`). check-call.ts adds them; check-expr.ts rejects `&` elsewhere.
 */
export const ADDR_OK = new WeakSet<object>();

/** The context of a condition or initialiser: no body, no labels, no loops. */
export function exprCtx(spec: CheckedSpec, diags: Diagnostic[], where: Where): Ctx {
  return { spec, diags, body: null, where, labels: new Map(), loops: 0, inAtomic: false, calls: new Set() };
}

export function isEnumMember(spec: CheckedSpec, name: string): boolean {
  for (const members of spec.enums.values()) if (members.includes(name)) return true;
  return false;
}

/** Every name an expression in this body could mean, for did-you-mean hints. */
export function visibleNames(ctx: Ctx): string[] {
  const names = [...(ctx.body?.localByName.keys() ?? []), ...ctx.spec.globals.keys(), ...ctx.spec.consts.keys()];
  for (const members of ctx.spec.enums.values()) names.push(...members);
  return names;
}

/** `the rwsem globals are: mmap_sem`, when an unknown name was passed where one is wanted. */
export function syncCandidates(ctx: Ctx): string | undefined {
  const want = ctx.wantSync;
  if (want === undefined) return undefined;
  const names = [...ctx.spec.globals.values()]
    .filter((g) => g.ty.k === 'sync' && want.includes(g.ty.prim))
    .map((g) => g.name);
  return names.length === 0 ? undefined : `the ${want.join(' and ')} globals are: ${names.join(', ')}`;
}
