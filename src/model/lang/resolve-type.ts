// Written types to checked types: `ref vma`, `int[NPTE]`, `spinlock`, enums.
import type { TypeExpr } from './ast.js';
import { SYNC_PRIMS, syncTy } from './builtins.js';
import { isStructDeclared, structNames, unknownStructHint } from './check-hints.js';
import type { CheckedSpec } from './checked.js';
import { evalConst } from './const-eval.js';
import { type Diagnostic, didYouMean, error } from './diagnostics.js';
import { BOOL, ERROR, INT, type Ty } from './types.js';

const MAX_ARRAY = 1024;

/** Resolve a written type. Sync primitives are allowed only where storage lives. */
export function resolveType(t: TypeExpr, spec: CheckedSpec, diags: Diagnostic[], storage: boolean): Ty {
  switch (t.kind) {
    case 'int':
      return INT;
    case 'bool':
      return BOOL;
    case 'ref':
      if (!spec.structs.has(t.target) && !isStructDeclared(spec, t.target)) {
        diags.push(error('MM104', t.span, `unknown struct '${t.target}'`, unknownStructHint(spec, t.target)));
        return ERROR;
      }
      return { k: 'ref', struct: t.target };
    case 'array': {
      const elem = resolveType(t.elem, spec, diags, storage);
      const size = evalConst(t.size, spec, diags);
      if (size === undefined || elem.k === 'error') return ERROR;
      if (size < 1 || size > MAX_ARRAY) {
        diags.push(error('MM107', t.size.span, `array size must be between 1 and ${MAX_ARRAY}, got ${size}`));
        return ERROR;
      }
      return { k: 'array', elem, size };
    }
    case 'named':
      return resolveNamedType(t, spec, diags, storage);
  }
}

function resolveNamedType(
  t: Extract<TypeExpr, { kind: 'named' }>,
  spec: CheckedSpec,
  diags: Diagnostic[],
  storage: boolean,
): Ty {
  if (t.name === 'int') return INT;
  if (t.name === 'bool') return BOOL;
  if ((SYNC_PRIMS as readonly string[]).includes(t.name)) {
    if (!storage) {
      diags.push(
        error(
          'MM110',
          t.span,
          `a ${t.name} cannot be a local or parameter`,
          'declare it as a shared global or a struct field',
        ),
      );
      return ERROR;
    }
    return syncTy(t.name);
  }
  if (spec.enums.has(t.name)) return { k: 'enum', name: t.name };
  if (isStructDeclared(spec, t.name)) {
    diags.push(error('MM111', t.span, `struct '${t.name}' can only be held by reference`, `write \`ref ${t.name}\``));
    return ERROR;
  }
  const types = ['int', 'bool', ...SYNC_PRIMS, ...spec.enums.keys(), ...structNames(spec)];
  diags.push(
    error(
      'MM112',
      t.span,
      `unknown type '${t.name}'`,
      didYouMean(t.name, types) ?? `the types are int, bool, ${SYNC_PRIMS.join(', ')}, enums and \`ref STRUCT\``,
    ),
  );
  return ERROR;
}
