// The bundled specs the lockstep tests walk (codegen, the WebAssembly canonicaliser).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's specs/ folder, from a compiled test under dist/test/. */
export const SPECS = join(import.meta.dirname, '../../../specs');

/** Every .mmspec in specs/ and specs/bench/, in name order. */
export function specFiles(): string[] {
  const out: string[] = [];
  for (const dir of [SPECS, join(SPECS, 'bench')])
    for (const f of readdirSync(dir)) if (f.endsWith('.mmspec')) out.push(join(dir, f));
  return out.sort();
}
