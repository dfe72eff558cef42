// Loading a spec for a command: compile it or print why not, and pick its scenarios.
import { gateDiagnostic } from '../checker/gate/report.js';
import type { CommandInput } from '../io/write-atomic.js';
import { type CompileResult, compileFile, findScenario } from '../model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../model/lang/checked.js';
import type { SourceSet } from '../model/lang/diagnostics.js';
import { renderDiagnostics } from '../model/lang/diagnostics.js';
import { type Io, UsageError } from './exit.js';

/**
 * Compile a spec or report why not (exit 2). With `json`, a spec that does not compile is also
 * reported on stdout: `{ spec, errors: [{ at, code, message, rendered }] }`. With `warned`, the
 * warnings of a spec that compiles are not printed: they were, by an earlier loadSpec of the
 * same file (explore compiles on the main thread, then again on its worker thread).
 */
export function loadSpec(path: string, io: Io, json = false, warned = false): CheckedSpec | null {
  let r: CompileResult;
  try {
    r = compileFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UsageError(`cannot read spec '${path}': ${why}`);
  }
  if (r.diagnostics.length > 0 && !(r.ok && warned)) io.err(renderDiagnostics(r.sources, r.diagnostics));
  if (r.ok) return r.spec;
  if (json) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => gateDiagnostic(r.sources, d));
    io.out(JSON.stringify({ spec: path, errors }, null, 2));
  }
  return null;
}

/** The scenarios `names` (-s, repeatable) picks, each once in the order given; every one without. */
export function selectScenarios(
  spec: CheckedSpec,
  given: readonly string[] | string | undefined,
  path: string,
): ScenarioInfo[] {
  const names = typeof given === 'string' ? [given] : given;
  if (names === undefined || names.length === 0) {
    if (spec.scenarios.length === 0)
      throw new UsageError(`${path} declares no scenario; add one: scenario NAME expect pass { thread(args); }`);
    return spec.scenarios;
  }
  const out: ScenarioInfo[] = [];
  for (const name of names) {
    const s = findScenario(spec, name);
    if (s === undefined)
      throw new UsageError(
        `unknown scenario '${name}' in ${path}; its scenarios: ${spec.scenarios.map((x) => x.name).join(', ') || '(none)'}`,
      );
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** The files a compiled spec was read from: inputs that no output of the command may replace. */
export function specInputs(sources: SourceSet): CommandInput[] {
  return sources.files.map((f, i) => ({
    path: f.path,
    is: i === 0 ? 'the spec being read' : 'a file the spec imports',
  }));
}
