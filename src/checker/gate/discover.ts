// Finding and compiling the specs of a gate run, and classifying each: checked (it has
// scenarios), library (imported by another spec of the run, or nothing of its own to run),
// or error (it does not compile).
import { realpathSync, statSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { errnoReason } from '../../io/errors.js';
import { walkFiles } from '../../io/walk.js';
import { type CompileResult, compileFile } from '../../model/compile.js';
import { renderDiagnostics } from '../../model/lang/diagnostics.js';
import { type GateSpec, gateDiagnostic } from './report.js';

/** A user error in the gate's input (a path that does not exist, no specs): the CLI's exit 2. */
export class GateInputError extends Error {}

/**
 * Every .mmspec under the paths: a file is taken as named, a folder is searched recursively
 * (following symbolic links, each real folder and file once; skipping dot-entries and
 * node_modules) in name order, so the table's order is stable. An entry that cannot be read
 * (a folder without permission, a dangling link) is an input error naming every such entry.
 */
export function findSpecs(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new GateInputError(`no such file or folder: '${p}'`);
      problems.push(`${p}: ${errnoReason(e)}`);
      continue;
    }
    if (isDir) {
      const w = walkFiles(p, '.mmspec', seen);
      found.push(...w.files);
      problems.push(...w.problems);
      continue;
    }
    const real = realpathSync(p);
    if (!seen.has(real)) found.push(normalize(p));
    seen.add(real);
  }
  if (problems.length > 0) throw new GateInputError(cannotRead(problems));
  return found;
}

/** Files under `dir` whose name ends in `ext` (walkFiles); an entry that cannot be read is an input error. */
export function findFiles(dir: string, ext: string): string[] {
  const w = walkFiles(dir, ext);
  if (w.problems.length > 0) throw new GateInputError(cannotRead(w.problems));
  return w.files;
}

function cannotRead(problems: readonly string[]): string {
  if (problems.length === 1) return `cannot read ${problems[0]}`;
  return `cannot read ${problems.length} entries:\n${problems.map((p) => `  ${p}`).join('\n')}`;
}

/** The absolute path with links resolved, or as it is where it cannot be (it does not exist). */
export function realPath(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}

export type CompiledSpec = { path: string; result: CompileResult } | { path: string; unreadable: string };

export function compileSpec(path: string): CompiledSpec {
  try {
    return { path, result: compileFile(path) };
  } catch (e) {
    return { path, unreadable: (e as Error).message };
  }
}

/**
 * Every file some spec of the run imports (real path: a library found under one path and
 * imported through a link is one file) → the first spec importing it.
 */
export function importersOf(all: CompiledSpec[]): Map<string, string> {
  const importers = new Map<string, string>();
  for (const c of all) {
    if (!('result' in c)) continue;
    for (const f of c.result.sources.files.slice(1)) {
      const abs = realPath(f.path);
      if (!importers.has(abs)) importers.set(abs, c.path);
    }
  }
  return importers;
}

/**
 * Classify a compiled spec. Its diagnostics go to `print` as every command prints them (not
 * a library's: its importers' runs report them).
 */
export function classifySpec(
  c: CompiledSpec,
  importedBy: string | undefined,
  print: (text: string) => void,
): { spec: GateSpec; scenarios: string[] } {
  const path = c.path;
  if (!('result' in c)) {
    const message = `cannot read spec: ${c.unreadable}`;
    print(`${path}: error: ${message}`);
    return {
      spec: {
        path,
        status: 'error',
        scenarios: 0,
        errors: [{ at: { path, line: 1, col: 1 }, message, rendered: `${path}: error: ${message}` }],
      },
      scenarios: [],
    };
  }
  const r = c.result;
  const names = r.ok ? r.spec.scenarios.map((s) => s.name) : [];
  // Imported and nothing of its own to run: its importers' runs check it, in their context.
  if (importedBy !== undefined && names.length === 0)
    return { spec: { path, status: 'library', scenarios: 0, errors: [], importedBy }, scenarios: [] };
  if (r.diagnostics.length > 0) print(renderDiagnostics(r.sources, r.diagnostics));
  if (!r.ok) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => gateDiagnostic(r.sources, d));
    return { spec: { path, status: 'error', scenarios: 0, errors }, scenarios: [] };
  }
  return {
    spec: { path, status: names.length === 0 ? 'library' : 'checked', scenarios: names.length, errors: [] },
    scenarios: names,
  };
}
