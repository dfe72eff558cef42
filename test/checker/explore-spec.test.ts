// exploreSpec, the library behind `mmcheck explore`, in process: runs, replays, minimises,
// saves, and stops when asked, without the command line.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ExploredScenario, exploreSpec } from '../../src/checker/explore-spec.js';
import { compileFile, compileText, findScenario } from '../../src/model/compile.js';
import type { CheckedSpec } from '../../src/model/lang/checked.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(ROOT, 'specs/rfc-2008-example.mmspec');

function checked(r: ReturnType<typeof compileText>): CheckedSpec {
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.spec;
}

/** exploreSpec over every scenario of `spec`, asked to stop once the first has reported: each scenario's name and verdict. */
async function stoppedAfterFirst(spec: CheckedSpec, flags: Parameters<typeof exploreSpec>[4]): Promise<string[][]> {
  let stop = false;
  const explored = await exploreSpec('input.mmspec', spec, spec.scenarios, { mode: 'bfs' }, flags, {
    onScenario: () => {
      stop = true;
    },
    shouldStop: () => stop,
  });
  return explored.map((e) => [e.run.scenario.name, e.run.got]);
}

const TWO = `shared x: int;
thread t() { x = 1; }
scenario one expect pass { t(); t(); }
scenario two expect pass { t(); }
`;

test('exploreSpec: a counterexample comes back replayed, as the reporters render it', async () => {
  const spec = checked(compileFile(EXAMPLE));
  const sc = findScenario(spec, 'fault_vs_munmap')!;
  const [e, ...rest] = await exploreSpec(EXAMPLE, spec, [sc], { mode: 'bfs' }, { minimize: false });
  assert.equal(rest.length, 0);
  assert.equal(e!.run.got, 'violation(premature_free)');
  assert.ok(e!.run.asExpected);
  assert.equal(e!.steps.length, 20);
  assert.equal(e!.trace?.steps.length, 20);
  assert.equal(e!.trace?.violation?.kind, 'premature_free');
  assert.deepEqual(e!.notes, []);
  assert.ok(!('system' in e!.run), 'the run as reported, without its system');
});

test('exploreSpec: every scenario in order, each handed to onScenario as it finishes', async () => {
  const spec = checked(compileText(TWO));
  const seen: string[] = [];
  const explored = await exploreSpec(
    'input.mmspec',
    spec,
    spec.scenarios,
    { mode: 'bfs' },
    {},
    {
      onScenario: (e: ExploredScenario) => seen.push(`${e.run.scenario.name} ${e.run.got}`),
    },
  );
  assert.deepEqual(seen, ['one pass', 'two pass']);
  assert.deepEqual(
    explored.map((e) => [e.trace, e.steps.length, e.run.result.stats.states]),
    // one: the two t() instances are symmetric, so 3 states rather than 4 (x=0; x=1 with one
    // or both done); two: 2 states
    [
      [null, 0, 3],
      [null, 0, 2],
    ],
  );
});

test('exploreSpec: shouldStop ends the search and skips the scenarios after it', async () => {
  const spec = checked(compileText(TWO));
  const explored = await exploreSpec(
    'input.mmspec',
    spec,
    spec.scenarios,
    { mode: 'bfs' },
    {},
    {
      shouldStop: () => true,
    },
  );
  assert.equal(explored.length, 1);
  assert.equal(explored[0]!.run.got, 'incomplete (interrupted)');
});

test('exploreSpec: a stop that comes after a scenario passed does not skip the rest unreported', async () => {
  // Ctrl-C taken once a scenario's search has ended (while it is reported): before, the loop
  // ended there and the scenarios after it went unexplored with every explored one passing,
  // so explore exited 0 (and a part file listed only the passing ones).
  const spec = checked(compileText(TWO));
  assert.deepEqual(await stoppedAfterFirst(spec, {}), [
    ['one', 'pass'],
    ['two', 'incomplete (interrupted)'],
  ]);
});

test('exploreSpec: a stop that comes after a scenario found its violation does not skip the rest unreported', async () => {
  // Ctrl-C taken while a violation was minimised or printed: the loop ended there, and on a spec
  // whose scenarios all expect violations the output was that of a complete run of fewer
  // scenarios, all `ok`, exit 1, with nothing saying the rest never ran.
  const spec = checked(
    compileText(`shared x: int;
thread t() { x = 1; assert(x == 0, "boom"); }
scenario one expect violation(assertion) { t(); }
scenario two expect violation(assertion) { t(); }
scenario three expect violation(assertion) { t(); }
`),
  );
  assert.deepEqual(await stoppedAfterFirst(spec, { minimize: false }), [
    ['one', 'violation(assertion)'],
    ['two', 'incomplete (interrupted)'],
  ]);
});

test('exploreSpec: --minimize and --trace-out as flags: the note says what was done, the file is written', async () => {
  const spec = checked(compileFile(EXAMPLE));
  const sc = findScenario(spec, 'fault_vs_munmap')!;
  const dir = `${mkdtempSync(join(tmpdir(), 'mmcheck-explore-spec-'))}/`;
  const [e] = await exploreSpec(EXAMPLE, spec, [sc], { mode: 'bfs' }, { traceOut: dir });
  assert.match(e!.notes[0]!, /^minimised: 20 → \d+ steps/);
  const saved = join(dir, 'rfc-2008-example.fault_vs_munmap.premature_free.json');
  assert.equal(e!.notes[1], `trace saved: ${saved} (replay it with: mmcheck replay ${saved})`);
  assert.ok(existsSync(saved));
  assert.equal(e!.steps.length, e!.trace?.steps.length);
});
