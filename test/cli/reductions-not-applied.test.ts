// A reduction `--reduce` names that the search behind the verdict does not apply is reported:
// one line in explore's text (`por: not applied: …`), `reductionsNotApplied` in its --json and
// in check's JSON cases, JUnit's <system-out> and SARIF's result properties, one line per
// reduction before check's summary. Not when --reduce was not typed (its default), nor when
// the search applied it. Exit codes do not change (checker/reductions-applied.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli as run } from '../support/cli.js';
import { check, F, tmp } from '../support/gate-cli.js';

const TUTORIAL = ['explore', 'specs/tutorial.mmspec', '--scenario', 'step3', '--width', '300'];
const ALL = ['--reduce', 'symmetry,dead-locals,por'];

const DFS = 'the depth-first search has no ample sets (only the breadth-first search applies it)';
const PART =
  'a part of a partitioned run expands every state in full (which part expands a state is decided state by state)';
const LEAK =
  'the leak check is on (--leak, or the scenario expects leak): its step-time warning reads the whole heap, which the footprints do not cover';
const RACE =
  "the data_race check is on (--data-race, or the scenario expects data_race): a step reads the other threads' next steps";
const AUTO_DPOR = "auto's DPOR search decided, and DPOR stores no states";

/** The `… not applied: …` lines of a text report. */
function notApplied(out: string): string[] {
  return out.split('\n').filter((l) => /^ {2}[a-z-]+: not applied: /.test(l));
}

/** The runs' reductionsNotApplied of explore's --json (undefined where absent). */
function json(out: string): unknown[] {
  return (JSON.parse(out) as { reductionsNotApplied?: unknown }[]).map((r) => r.reductionsNotApplied);
}

/** explore with `args` in text and in --json: the exit codes, the lines and the field of its one scenario. */
async function explore(...args: string[]): Promise<{ code: number; lines: string[]; field: unknown }> {
  const text = await run(...args);
  const machine = await run(...args, '--json');
  assert.equal(machine.code, text.code, 'the same exit code with --json');
  return { code: text.code, lines: notApplied(text.out), field: json(machine.out)[0] };
}

test('explore --mode dfs --reduce symmetry,dead-locals,por: por is not applied, and says so', async () => {
  const r = await explore(...TUTORIAL, '--mode', 'dfs', ...ALL);
  assert.equal(r.code, 0);
  assert.deepEqual(r.lines, [`  por: not applied: ${DFS}`]);
  assert.deepEqual(r.field, [{ reduction: 'por', reason: 'dfs', detail: DFS }]);
  // `all` names por too.
  assert.deepEqual((await explore(...TUTORIAL, '--mode', 'dfs', '--reduce', 'all')).lines, [
    `  por: not applied: ${DFS}`,
  ]);
});

test('explore: a search that applies what --reduce asked, or a --reduce not typed, prints no such line', async () => {
  const applied = await explore(...TUTORIAL, '--mode', 'bfs', ...ALL);
  assert.equal(applied.code, 0);
  assert.deepEqual(applied.lines, []);
  assert.equal(applied.field, undefined);
  // The default set (symmetry,dead-locals) is not asked for; DFS applies both when typed.
  for (const reduce of [[], ['--reduce', 'symmetry,dead-locals']]) {
    const dfs = await explore(...TUTORIAL, '--mode', 'dfs', ...reduce);
    assert.deepEqual([dfs.lines, dfs.field], [[], undefined], reduce.join(' '));
  }
  // auto's BFS with por on one thread (--workers asked for two): the threads line, no por line.
  const workers = await run(...TUTORIAL, ...ALL, '--workers', '2');
  assert.deepEqual(notApplied(workers.out), []);
  assert.match(workers.out, /^ {2}threads: 1, not the 2 of --workers 2: /m);
});

test('explore --partition 1/2 --reduce …,por: each part expands every state, and says so', async () => {
  const r = await explore(...TUTORIAL, '--partition', '1/2', ...ALL);
  assert.equal(r.code, 0);
  assert.deepEqual(r.lines, [`  por: not applied: ${PART}`]);
  assert.deepEqual(r.field, [{ reduction: 'por', reason: 'partition', detail: PART }]);
});

test('explore --leak or --data-race --reduce …,por: the check turns the reduction off, and says so', async () => {
  const leak = await explore(...TUTORIAL, '--mode', 'bfs', '--leak', ...ALL);
  assert.equal(leak.code, 0);
  assert.deepEqual(leak.lines, [`  por: not applied: ${LEAK}`]);
  assert.deepEqual(leak.field, [{ reduction: 'por', reason: 'leak', detail: LEAK }]);
  const race = await explore(...TUTORIAL, '--mode', 'bfs', '--data-race', ...ALL);
  assert.deepEqual(race.lines, [`  por: not applied: ${RACE}`]);
  assert.deepEqual(race.field, [{ reduction: 'por', reason: 'data-race', detail: RACE }]);
});

test('explore --mode dpor --reduce …,por is refused (exit 2); auto whose DPOR decides says what it did not apply', async () => {
  const refused = await run(...TUTORIAL, '--mode', 'dpor', ...ALL);
  assert.equal(refused.code, 2);
  assert.equal(
    refused.err,
    'mmcheck: --reduce with --mode dpor: a DPOR search stores no states, so no reduction applies (--reduce is for auto, bfs, dfs, --bitstate, --partition and simulate); drop --reduce',
  );
  // indexer n8: auto's BFS stops at its first checkpoint and DPOR decides in 32 transitions.
  const auto = await explore('explore', 'specs/bench/indexer.mmspec', '--scenario', 'n8', '--width', '300', ...ALL);
  assert.equal(auto.code, 0);
  assert.deepEqual(auto.lines, [`  symmetry: not applied: ${AUTO_DPOR}`, `  por: not applied: ${AUTO_DPOR}`]);
  assert.deepEqual(auto.field, [
    { reduction: 'symmetry', reason: 'dpor', detail: AUTO_DPOR },
    { reduction: 'por', reason: 'dpor', detail: AUTO_DPOR },
  ]);
});

test('simulate --reduce por: a simulation takes every step, and says so', async () => {
  const detail = 'a simulation takes every step of its runs (only the breadth-first search applies it)';
  const args = ['simulate', 'specs/tutorial.mmspec', '--scenario', 'step3', '--width', '300', '--runs', '20'];
  const r = await run(...args, '--reduce', 'por');
  assert.equal(r.code, 3);
  assert.deepEqual(notApplied(r.out), [`  por: not applied: ${detail}`]);
  assert.deepEqual(notApplied((await run(...args)).out), []);
});

test('check --mode dfs --reduce …,por: in the JSON cases, JUnit, SARIF and one line before the summary', async () => {
  // unexpected.mmspec: three scenarios not as expected (violations: SARIF results); locked.mmspec: three as expected.
  const specs = [`${F}/unexpected.mmspec`, `${F}/locked.mmspec`];
  const junit = tmp('check.xml');
  const sarif = tmp('check.sarif');
  const text = await check(...specs, '--mode', 'dfs', ...ALL, '--junit', junit, '--sarif', sarif);
  assert.equal(text.code, 1);
  assert.equal(text.out.split('\n').at(-2), `por: not applied in 6 of 6 scenarios: ${DFS}`);
  const por = { reduction: 'por', reason: 'dfs', detail: DFS };
  const machine = await check(...specs, '--mode', 'dfs', ...ALL, '--json');
  assert.equal(machine.code, 1);
  const cases = (JSON.parse(machine.out) as { cases: { scenario: string; reductionsNotApplied?: unknown }[] }).cases;
  assert.deepEqual(
    cases.map((c) => [c.scenario, c.reductionsNotApplied]),
    ['racy_claims_pass', 'wrong_kind', 'no_bug', 'locked', 'lost_update', 'hooked'].map((s) => [s, [por]]),
  );
  // JUnit: a failure's text is the run's report, with the line; a case as expected says it in <system-out>.
  const xml = readFileSync(junit, 'utf8');
  assert.equal(xml.split(`  por: not applied: ${DFS}`).length - 1, 3, xml);
  assert.equal(xml.split(`<system-out>por: not applied: ${DFS}</system-out>`).length - 1, 3, xml);
  const log = JSON.parse(readFileSync(sarif, 'utf8')) as {
    runs: {
      results: { properties: object }[];
      invocations: {
        executionSuccessful: boolean;
        toolExecutionNotifications: { level: string; message: { text: string }; descriptor: { id: string } }[];
      }[];
    }[];
  };
  const results = log.runs[0]!.results;
  assert.equal(results.length, 2); // no_bug passes: not a violation result
  for (const result of results)
    assert.deepEqual((result.properties as { reductionsNotApplied?: unknown }).reductionsNotApplied, [por]);
  // Every scenario's, the passes' too, as notes (a note fails nothing: the one error is no_bug's violation not found).
  const invocation = log.runs[0]!.invocations[0]!;
  const notes = invocation.toolExecutionNotifications.filter((n) => n.descriptor.id === 'reduction_not_applied');
  assert.deepEqual(
    notes.map((n) => [n.level, n.message.text]),
    ['racy_claims_pass', 'wrong_kind', 'no_bug', 'locked', 'lost_update', 'hooked'].map((s) => [
      'note',
      `scenario ${s}: por: not applied: ${DFS}`,
    ]),
  );
  assert.equal(invocation.executionSuccessful, false);
  // BFS applies it: no line, no field, no <system-out>.
  const bfs = await check(...specs, ...ALL, '--json');
  const bfsCases = (JSON.parse(bfs.out) as { cases: { reductionsNotApplied?: unknown }[] }).cases;
  assert.deepEqual(
    bfsCases.map((c) => c.reductionsNotApplied),
    Array(6).fill(undefined),
  );
  assert.doesNotMatch((await check(...specs, ...ALL)).out, /not applied/);
});
