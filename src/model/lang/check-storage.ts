// Where the state lives: struct layouts, pools and globals, and the limits on their size
// (a pool's slots are one bitmask word, the whole state one Int32Array).
import type { Decl, Span } from './ast.js';
import { unknownStructHint } from './check-hints.js';
import type { CheckedSpec, FieldInfo, StructInfo } from './checked.js';
import { evalConst } from './const-eval.js';
import { type Diagnostic, error, formatLine } from './diagnostics.js';
import { resolveType } from './resolve-type.js';
import { typeName, typeWords } from './types.js';

const MAX_POOL = 1024;
const MAX_PROTECTED_POOL = 31; // the slots a reader holds are one bitmask word
// Every state is one Int32Array of this many words at most (4 MiB). Arrays nest, so a few
// `[1024]`s multiply past what can be allocated (or explored): say so instead of failing
// (or hanging) while laying out the state.
const MAX_STATE_WORDS = 1 << 20;

/** Lay out every struct once (the first declaration of a name wins). */
export function layOutStructs(decls: Decl[], spec: CheckedSpec, diags: Diagnostic[]): void {
  for (const d of decls) {
    if (d.kind !== 'struct' || spec.structs.has(d.name)) continue;
    const fields: FieldInfo[] = [];
    const fieldByName = new Map<string, FieldInfo>();
    let offset = 0;
    for (const f of d.fields) {
      const ty = resolveType(f.type, spec, diags, true);
      const first = fieldByName.get(f.name);
      if (first !== undefined) {
        diags.push(
          error(
            'MM103',
            f.nameSpan,
            `duplicate field '${f.name}' in struct ${d.name}`,
            `'${f.name}' is already declared at ${formatLine(spec.sources, first.span)}; rename or remove one`,
          ),
        );
        continue;
      }
      const info: FieldInfo = { name: f.name, ty, offset, span: f.nameSpan };
      offset += typeWords(ty);
      fields.push(info);
      fieldByName.set(f.name, info);
    }
    const info: StructInfo = { name: d.name, fields, fieldByName, words: offset, span: d.nameSpan };
    if (d.protectedBy !== undefined) {
      info.protectedBy =
        d.protectedBy.kind === 'rcu' ? { kind: 'rcu' } : { kind: 'srcu', domain: d.protectedBy.domain };
    }
    spec.structs.set(d.name, info);
  }
}

/** Pools and globals; `lost` holds the declarations whose name was already taken. */
export function declareStorage(decls: Decl[], lost: Set<Decl>, spec: CheckedSpec, diags: Diagnostic[]): void {
  for (const d of decls) {
    if (d.kind === 'pool') declarePool(d, spec, diags);
    else if (d.kind === 'global' && !lost.has(d)) {
      const ty = resolveType(d.type, spec, diags, true);
      const g = { name: d.name, ty, ghost: d.ghost, span: d.nameSpan };
      spec.globals.set(d.name, d.init === undefined ? g : { ...g, init: d.init });
    }
  }
  checkStateSize(spec, diags);
  checkSrcuDomains(decls, spec, diags);
}

function declarePool(d: Extract<Decl, { kind: 'pool' }>, spec: CheckedSpec, diags: Diagnostic[]): void {
  if (!spec.structs.has(d.type)) {
    diags.push(error('MM104', d.typeSpan, `unknown struct '${d.type}' in pool`, unknownStructHint(spec, d.type)));
    return;
  }
  if (spec.pools.has(d.type)) {
    diags.push(error('MM105', d.typeSpan, `duplicate pool for struct '${d.type}'`));
    return;
  }
  // A bad size still declares the pool (with one slot), so that `alloc` of its struct is
  // not also reported as having no pool.
  let size = evalConst(d.size, spec, diags);
  // A protected struct's slots are one bitmask word per reader (the objects it holds);
  // other pools are bounded only by the state's size.
  const max = spec.structs.get(d.type)?.protectedBy === undefined ? MAX_POOL : MAX_PROTECTED_POOL;
  if (size !== undefined && (size < 1 || size > max)) {
    diags.push(
      error(
        'MM106',
        d.size.span,
        `pool size must be between 1 and ${max}, got ${size}`,
        max === MAX_PROTECTED_POOL
          ? `the slots of an srcu/rcu-protected struct are one bitmask word: at most ${max} objects alive at once`
          : `at most ${max} objects alive at once`,
      ),
    );
    size = undefined;
  }
  spec.pools.set(d.type, {
    struct: d.type,
    size: size ?? 1,
    span: d.typeSpan,
    typesafeByRcu: d.typesafeByRcu === true,
  });
}

function checkStateSize(spec: CheckedSpec, diags: Diagnostic[]): void {
  let total = 0;
  let biggest: { name: string; span: Span; words: number } | undefined;
  const add = (name: string, span: Span, words: number): void => {
    total += words;
    if (biggest === undefined || words > biggest.words) biggest = { name, span, words };
  };
  for (const g of spec.globals.values()) add(g.name, g.span, typeWords(g.ty));
  for (const p of spec.pools.values())
    add(`pool ${p.struct}`, p.span, p.size * (1 + (spec.structs.get(p.struct)?.words ?? 0)));
  if (total <= MAX_STATE_WORDS || biggest === undefined) return;
  const words = (n: number): string => (Number.isSafeInteger(n) ? `${n} words` : 'too many words');
  diags.push(
    error(
      'MM108',
      biggest.span,
      `the model state is too large: ${words(total)}, at most ${MAX_STATE_WORDS}`,
      `'${biggest.name}' takes ${words(biggest.words)}: shrink its arrays${biggest.name.startsWith('pool ') ? ' or the pool' : ''}`,
    ),
  );
}

/** `srcu_protected(d)` names a shared srcu global. */
function checkSrcuDomains(decls: Decl[], spec: CheckedSpec, diags: Diagnostic[]): void {
  for (const s of spec.structs.values()) {
    const p = s.protectedBy;
    if (p?.kind !== 'srcu') continue;
    const g = spec.globals.get(p.domain);
    const decl = decls.find((d) => d.kind === 'struct' && d.name === s.name);
    const span = decl?.kind === 'struct' && decl.protectedBy?.kind === 'srcu' ? decl.protectedBy.domainSpan : s.span;
    if (g === undefined || g.ty.k !== 'sync' || g.ty.prim !== 'srcu') {
      // When the name is taken by something else, declaring it again would be a duplicate.
      const domains = [...spec.globals.values()]
        .filter((x) => x.ty.k === 'sync' && x.ty.prim === 'srcu')
        .map((x) => x.name);
      const hint =
        domains.length > 0
          ? `the srcu globals are: ${domains.join(', ')}`
          : g === undefined
            ? `declare \`shared ${p.domain}: srcu;\``
            : `'${p.domain}' is a ${typeName(g.ty)}; declare an srcu domain, e.g. \`shared ${p.domain}_srcu: srcu;\``;
      diags.push(error('MM109', span, `srcu_protected needs a shared srcu global, '${p.domain}' is not one`, hint));
    }
  }
}
