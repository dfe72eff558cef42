// Worker threads of the parallel BFS build the searched system themselves, from a recipe of
// plain data (the spec file, the scenario, the build options, the expected-kind wrapper):
// compiled systems are closures over typed arrays that cannot be posted between threads.
import { resolve } from 'node:path';
import { buildSystem, compileFile, compileText, findScenario, type ReadFile } from '../../model/compile.js';
import type { ViolationKind } from '../../model/lang/violation-kinds.js';
import { ModelSystem } from '../../model/model-system.js';
import type { TransitionSystem } from '../../model/system.js';
import type { SystemRecipe } from '../result.js';
import { TargetSystem } from '../systems/target.js';

/**
 * The system `recipe` describes; throws when the spec no longer compiles or lacks the scenario.
 * `codegen`: when its step code is generated (SystemOptions.codegen; absent, the default).
 */
export function buildFromRecipe(recipe: SystemRecipe, codegen?: number | false): TransitionSystem {
  const compiled = recipe.files === undefined ? compileFile(recipe.path) : compileAsRead(recipe.path, recipe.files);
  if (!compiled.ok) throw new Error(`${recipe.path} no longer compiles`);
  const scenario = findScenario(compiled.spec, recipe.scenario);
  if (scenario === undefined) throw new Error(`${recipe.path} has no scenario ${recipe.scenario}`);
  const options = { leak: recipe.leak, dataRace: recipe.dataRace, ...(codegen === undefined ? {} : { codegen }) };
  const sys = buildSystem(
    compiled.spec,
    scenario,
    recipe.reduce === undefined ? options : { ...options, reduce: new Set(recipe.reduce) },
  );
  return recipe.target === undefined ? sys : new TargetSystem(sys, recipe.target.kind, recipe.target.condition);
}

/** Compile `path` from the files the main thread read (SystemRecipe.files), not from the disk. */
function compileAsRead(path: string, files: readonly { path: string; text: string }[]): ReturnType<typeof compileText> {
  const texts = new Map(files.map((f) => [resolve(f.path), f.text]));
  const read: ReadFile = (p) => {
    const text = texts.get(p);
    if (text === undefined) throw new Error(`${p} was not read by the main thread`);
    return text;
  };
  return compileText(read(resolve(path)), path, read);
}

/**
 * Whether `sys` is what `recipe` builds: a ModelSystem, or one expected-kind wrapper of one
 * with the recipe's target. Other wrappers (minimisation's bounded goal) run on one thread.
 */
export function recipeFits(sys: TransitionSystem, recipe: SystemRecipe | undefined): recipe is SystemRecipe {
  if (recipe === undefined) return false;
  if (sys instanceof ModelSystem) return recipe.target === undefined;
  if (!(sys instanceof TargetSystem) || !(sys.inner instanceof ModelSystem)) return false;
  const t = recipe.target;
  return t !== undefined && t.kind === sys.target && t.condition === sys.condition;
}

/** Options whose recipe has the expected-kind wrapper `runScenario` puts around its system. */
export function withTarget<O extends { recipe?: SystemRecipe }>(
  opts: O,
  kind: ViolationKind,
  condition: string | null,
): O {
  return opts.recipe === undefined ? opts : { ...opts, recipe: { ...opts.recipe, target: { kind, condition } } };
}
