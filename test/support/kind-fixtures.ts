// The violation-kind fixtures (test/fixtures/kinds/) and what the kinds tests ask of a run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checksFor, runScenario, type ScenarioOptions, type ScenarioRun } from '../../src/checker/scenario.js';
import { buildSystem, compileText } from '../../src/model/compile.js';
import type { CheckedSpec, ScenarioInfo } from '../../src/model/lang/checked.js';
import type { Violation } from '../../src/model/system.js';

/** The scenario's system, built as the CLI builds it, explored by runScenario. */
export function runSpec(spec: CheckedSpec, sc: ScenarioInfo, o: ScenarioOptions): Promise<ScenarioRun> {
  return runScenario(buildSystem(spec, sc, checksFor(sc, o)), sc, o);
}

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/support -> repo
export const KINDS = `${ROOT}test/fixtures/kinds/`;
export const MODES = ['bfs', 'dfs'] as const;
export type Mode = (typeof MODES)[number];

/** Compiled under a display path that does not depend on the working directory. */
export function load(path: string, display: string): CheckedSpec {
  const r = compileText(readFileSync(path, 'utf8'), display);
  if (!r.ok) assert.fail(`${display} does not compile:\n${r.diagnostics.map((d) => d.message).join('\n')}`);
  return r.spec;
}

export const fixture = (name: string): CheckedSpec => load(`${KINDS}${name}.mmspec`, `kinds/${name}.mmspec`);

export function only(spec: CheckedSpec): ScenarioInfo {
  assert.equal(spec.scenarios.length, 1);
  return spec.scenarios[0]!;
}

/** 1-based line of a violation's span, or null when it has none. */
export function lineOf(spec: CheckedSpec, v: Violation): number | null {
  if (v.span === undefined) return null;
  const text = spec.sources.files[v.span.file]!.text;
  return text.slice(0, v.span.start).split('\n').length;
}

export function violation(run: ScenarioRun): Violation {
  const v = run.result.verdict;
  if (v.kind !== 'violation') assert.fail(`expected a violation, got ${run.got}`);
  return v.violation;
}

export const who = (run: ScenarioRun, v: Violation): string | null =>
  v.thread < 0 ? null : run.system.threadName(v.thread);

/** The first violation of a fixture's only scenario. */
export async function firstViolation(name: string, mode: Mode = 'bfs'): Promise<Violation> {
  const spec = fixture(name);
  return violation(await runSpec(spec, only(spec), { mode }));
}
