// systemFactory (model/compile.ts): one compiled program, a new ModelSystem per call. Systems
// of one program used one after another must behave as freshly compiled ones: minimising
// every violation fixture of test/fixtures/kinds/ (every kind, data_race and lock_order
// included) gives the same schedule, rounds and violation either way.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { needsLeakCheck, runScenario } from '../../src/checker/scenario.js';
import { minimizeSchedule } from '../../src/checker/trace/minimize.js';
import { buildSystem, compileFile, systemFactory } from '../../src/model/compile.js';
import { NO_REDUCTIONS } from '../../src/model/reductions.js';

const DIR = 'test/fixtures/kinds';

test('a factory compiles once and returns a new system per call', () => {
  const c = compileFile(join(DIR, 'data_race-seqcount-reader.mmspec'));
  assert.ok(c.ok);
  const make = systemFactory(c.spec, c.spec.scenarios[0]!, { dataRace: true });
  const [a, b] = [make(), make()];
  assert.notEqual(a, b);
  assert.equal(a.program, b.program);
});

test('minimising on a factory equals minimising on fresh builds, for every violation fixture', async () => {
  let compared = 0;
  const kinds = new Set<string>();
  for (const name of readdirSync(DIR).sort()) {
    if (!name.endsWith('.mmspec')) continue;
    const c = compileFile(join(DIR, name));
    if (!c.ok) continue;
    for (const sc of c.spec.scenarios) {
      if (sc.expect.kind !== 'violation') continue;
      const checks = { leak: needsLeakCheck(sc), dataRace: sc.expect.violation === 'data_race' };
      const run = await runScenario(buildSystem(c.spec, sc, checks), sc, { dataRace: checks.dataRace });
      const v = run.result.verdict;
      if (v.kind !== 'violation') continue;
      const plain = { ...checks, reduce: NO_REDUCTIONS };
      const fresh = await minimizeSchedule(() => buildSystem(c.spec, sc, plain), v.schedule, v.violation);
      const shared = await minimizeSchedule(systemFactory(c.spec, sc, plain), v.schedule, v.violation);
      const seen = (m: typeof fresh) => [m.schedule, m.rounds, m.before, m.after, m.proved, m.violation.message];
      assert.deepEqual(seen(shared), seen(fresh), `${name} ${sc.name}`);
      compared++;
      kinds.add(v.violation.kind);
    }
  }
  assert.ok(compared >= 50, `compared ${compared}`);
  for (const k of ['data_race', 'lock_order', 'deadlock', 'use_after_free', 'assertion']) assert.ok(kinds.has(k), k);
});
