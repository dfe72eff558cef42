// Hints shared by the declaration, body and expression checks: what the declared structs
// are, and how a thread or fn is declared, for messages about names and calls that do not
// match.
import type { BodyInfo, CheckedSpec } from './checked.js';
import { didYouMean } from './diagnostics.js';
import { typeName } from './types.js';

/** For an unknown struct: the likely one, or the declared ones, or how to declare it. */
export function unknownStructHint(spec: CheckedSpec, name: string): string {
  const structs = structNames(spec);
  const near = didYouMean(name, structs);
  if (near !== undefined) return near;
  return structs.length > 0 ? `the structs are: ${structs.join(', ')}` : `declare it with \`struct ${name} { ... }\``;
}

export function structNames(spec: CheckedSpec): string[] {
  return spec.decls.flatMap((d) => (d.kind === 'struct' ? [d.name] : []));
}

export function isStructDeclared(spec: CheckedSpec, name: string): boolean {
  return spec.decls.some((d) => d.kind === 'struct' && d.name === name);
}

/** `thread fault(addr: int)` / `fn get(): int`, for hints about calls that do not match. */
export function signature(body: BodyInfo): string {
  const params = body.params.map((p) => `${p.name}: ${typeName(p.ty)}`).join(', ');
  return `${body.kind} ${body.name}(${params})${body.returns.k === 'void' ? '' : `: ${typeName(body.returns)}`}`;
}
