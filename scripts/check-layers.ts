// The layering `npm run lint` enforces (docs/architecture.md: one direction of flow):
//   model (lang → Program → ModelSystem)  →  checker  →  report  →  cli
// - src/model imports nothing from src/checker, src/report or src/cli;
// - src/checker imports nothing from src/report or src/cli;
// - src/report renders data it is given: from the model only the language's own types
//   (src/model/lang/), from the checker only its result and view modules (REPORT_INPUTS),
//   and the views that are built by running a system (trace-view.ts, program-view.ts) only
//   as types, so that no reporter can run, decode or lay out anything itself.
// - src/lsp (the language server) reads the model only (compile, the language's tables, the
//   primitive registry), and only the CLI imports it: it is an editor's view of a spec, not a
//   stage of the pipeline.
// - src/io (bounded reads, atomic writes, folder walks: plain file-system helpers that every
//   layer may use) imports nothing from the layers.
// Run from the repository root: node dist/scripts/check-layers.js (prints each breach, exits 1).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** Checker modules a reporter may import from: plain data and formatting of that data. */
const REPORT_INPUTS = new Set([
  'src/checker/result.ts',
  'src/checker/gate/report.ts',
  'src/checker/trace/state-change.ts',
  'src/checker/trace/trace-view.ts',
  'src/checker/program-view.ts',
]);

/** Of REPORT_INPUTS, those a reporter may import types from only (their code runs a system). */
const TYPE_ONLY = new Set(['src/checker/trace/trace-view.ts', 'src/checker/program-view.ts']);

export interface Import {
  from: string;
  /** The imported module, relative to the repository root (`src/…/x.ts`), or the bare package name. */
  target: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:(\{[^}]*\}|[^'";]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;

/** The static imports and re-exports of one source file. */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3]!;
    const names = m[2] ?? '';
    const allTypes =
      names.startsWith('{') &&
      names
        .slice(1, -1)
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
        .every((n) => n.startsWith('type '));
    const target = spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    out.push({ from: file, target, typeOnly: m[1] !== undefined || allTypes });
  }
  return out;
}

const layer = (path: string): string | undefined => /^src\/(io|model|checker|report|cli|lsp)\//.exec(path)?.[1];

/** Why an import breaks the layering, or null when it is allowed. */
export function breach(i: Import): string | null {
  const from = layer(i.from);
  const to = layer(i.target);
  if (from === undefined || to === undefined || from === to) return null;
  if (from === 'io') return `src/io imports ${to}`;
  if (to === 'io') return null;
  if (to === 'lsp' && from !== 'cli')
    return `${from === 'model' ? 'the model' : `src/${from}`} imports the language server`;
  if (from === 'lsp') return to === 'model' ? null : `the language server imports ${to}`;
  if (from === 'model') return `the model imports ${to}`;
  if (from === 'checker' && (to === 'report' || to === 'cli')) return `the checker imports ${to}`;
  if (from !== 'report') return null;
  if (to === 'cli') return 'a reporter imports the CLI';
  if (to === 'model') return i.target.startsWith('src/model/lang/') ? null : 'a reporter imports the model runtime';
  if (!REPORT_INPUTS.has(i.target)) return 'a reporter imports a checker module that is not a result or view';
  if (TYPE_ONLY.has(i.target) && !i.typeOnly) return 'a reporter imports code (not only types) from a view builder';
  return null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function main(): number {
  const root = process.cwd();
  const files = sourceFiles(join(root, 'src')).map((f) => relative(root, f));
  let breaches = 0;
  for (const f of files) {
    for (const i of importsOf(f, readFileSync(join(root, f), 'utf8'))) {
      const why = breach(i);
      if (why === null) continue;
      breaches++;
      console.error(`${f}: imports ${i.target}: ${why}`);
    }
  }
  if (breaches > 0) {
    console.error(
      `check-layers: ${breaches} import(s) break the layering (scripts/check-layers.ts says which are allowed)`,
    );
    return 1;
  }
  console.log(`check-layers: ${files.length} files, layering holds`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  process.exitCode = main();
}
