// The front door of the model: read a spec and its imports, parse, check, and build the
// TransitionSystem of a scenario. Stages run in order and a stage that found errors stops
// the pipeline, so messages never cascade from one stage into the next.
import { dirname, relative, resolve } from 'node:path';
import { ignoredLimit, inputLimits, LIMIT_ENV } from '../io/limits.js';
import { readTextBounded } from '../io/read-bounded.js';
import type { SpecFile } from './lang/ast.js';
import { checkSpec } from './lang/check.js';
import type { CheckedSpec, ScenarioInfo } from './lang/checked.js';
import { capErrors, type Diagnostic, error, hasErrors, type SourceSet } from './lang/diagnostics.js';
import { parse } from './lang/parser.js';
import { ModelSystem, type SystemOptions } from './model-system.js';
import { type CompileChecks, compileProgram, type Program } from './program.js';
import { NO_REDUCTIONS } from './reductions.js';

export type CompileResult =
  | { ok: true; spec: CheckedSpec; sources: SourceSet; diagnostics: Diagnostic[] }
  | { ok: false; sources: SourceSet; diagnostics: Diagnostic[] };

export type ReadFile = (path: string) => string;

/** What loadSources read: every file parsed, in load order and imports-first order. */
export interface LoadedSources {
  sources: SourceSet;
  files: SpecFile[];
  order: number[];
  diagnostics: Diagnostic[];
}

/**
 * A spec file's text: a regular file of at most MMCHECK_MAX_SPEC_BYTES (io/limits.ts); throws
 * FileReadError (with the errno `code` where there is one) saying why not.
 */
export const readSpecText: ReadFile = (p) =>
  readTextBounded(p, { bytes: inputLimits().specBytes, what: 'a spec file', env: LIMIT_ENV.specBytes });

/**
 * Load `path` and, transitively, every file it imports (paths relative to the importing
 * file; each file once, at most MMCHECK_MAX_SPEC_FILES files). Displayed paths are relative
 * to the working directory. `files` is in load order (the spec first, then its imports
 * depth-first: a file's index names it in spans); `order` lists the same files imports first
 * (depth-first post-order), the order their declarations and `init` blocks take.
 */
export function loadSources(path: string, read: ReadFile = readSpecText, text?: string): LoadedSources {
  const sources: SourceSet = { files: [] };
  const files: SpecFile[] = [];
  const order: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  const maxFiles = inputLimits().specFiles;
  const load = (abs: string, display: string, content: string): void => {
    const index = sources.files.length;
    seen.set(abs, index);
    sources.files.push({ path: display, text: content });
    const parsed = parse(content, index);
    // A loop, not push(...): a file of random bytes has more diagnostics than a call has arguments.
    for (const d of capErrors(parsed.diagnostics)) diagnostics.push(d);
    files.push(parsed.spec);
    for (const d of parsed.spec.decls) {
      if (d.kind !== 'import') continue;
      const target = resolve(dirname(abs), d.path);
      if (seen.has(target)) continue;
      let body: string;
      try {
        if (sources.files.length >= maxFiles)
          throw new Error(
            `the spec already loads ${maxFiles} files, the limit (set ${LIMIT_ENV.specFiles} to raise it${ignoredLimit(LIMIT_ENV.specFiles)})`,
          );
        body = read(target);
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
        diagnostics.push(
          error(
            'MM420',
            d.pathSpan,
            `cannot read imported file '${d.path}': ${why}`,
            `imports are relative to ${display}`,
          ),
        );
        continue;
      }
      load(target, displayPath(target), body);
    }
    order.push(index);
  };
  const abs = resolve(path);
  // '' would read the working folder ("it is a folder"): the reader refuses it as no file.
  load(abs, displayPath(abs), text ?? read(path === '' ? '' : abs));
  return { sources, files, order, diagnostics };
}

function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel.startsWith('..') || rel === '' ? abs : rel;
}

/** Parse and check a spec file. Throws only when the file itself cannot be read. */
export function compileFile(path: string, read: ReadFile = readSpecText): CompileResult {
  return compileLoaded(loadSources(path, read));
}

/** Compile spec text (tests, fuzzing); `path` names it in messages and anchors imports. */
export function compileText(text: string, path = 'input.mmspec', read: ReadFile = readSpecText): CompileResult {
  return compileLoaded(loadSources(path, read, text));
}

/** Check sources loadSources read (the language server keeps the parsed files too). */
export function compileLoaded(loaded: LoadedSources): CompileResult {
  const { sources, files, order, diagnostics } = loaded;
  if (hasErrors(diagnostics)) return { ok: false, sources, diagnostics };
  const checked = checkSpec(
    sources,
    order.map((i) => files[i]!),
  );
  const all = [...diagnostics, ...capErrors(checked.diagnostics)];
  if (hasErrors(all)) return { ok: false, sources, diagnostics: all };
  return { ok: true, spec: checked.spec, sources, diagnostics: all };
}

export function findScenario(spec: CheckedSpec, name: string): ScenarioInfo | undefined {
  return spec.scenarios.find((s) => s.name === name);
}

/**
 * compileProgram, then a ModelSystem running it. Reductions compiled into the steps
 * (dead-locals) are the searching caller's to ask for: without `reduce` the system runs the
 * program as written, which is what replays and trace files show (a local keeps its value
 * until the program overwrites it), so traces do not depend on how they were found.
 */
export function buildSystem(spec: CheckedSpec, scenario: ScenarioInfo, options: SystemOptions = {}): ModelSystem {
  return systemFactory(spec, scenario, options)();
}

/**
 * buildSystem for callers that want many fresh systems of one scenario: the program is
 * compiled on the first call only, and each call returns a new ModelSystem running it.
 * Minimising and saving a counterexample build the plain system six to eight times, and
 * compiling was most of a small scenario's minimisation.
 *
 * Systems of one program may be used one after another, never one inside another's step: the
 * program's runtime (runtime.ts) holds what one step uses (its footprint, accesses, violation,
 * scratch words) and the kinds a caller continues past, set and cleared around its steps;
 * what a search carries from step to step (lock-order edges, RCU and SRCU history) is in the
 * state, and the rest (the initial state, the race check's buffers) in each ModelSystem.
 */
export function systemFactory(
  spec: CheckedSpec,
  scenario: ScenarioInfo,
  options: SystemOptions = {},
): () => ModelSystem {
  const checks: CompileChecks = { dataRace: options.dataRace === true, leak: options.leak === true };
  if (options.codegen !== undefined) checks.codegen = options.codegen;
  if (options.codegenPartChars !== undefined) checks.codegenPartChars = options.codegenPartChars;
  if (options.clearAllDead === true) checks.clearAllDead = true;
  let program: Program | null = null;
  return () => {
    program ??= compileProgram(spec, scenario, options.reduce ?? NO_REDUCTIONS, checks);
    return new ModelSystem(program, options);
  };
}
