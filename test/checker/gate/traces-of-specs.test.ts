// Which committed traces `check` replays: without --traces, those of the specs it checks (and
// any whose spec is missing or that cannot be read, so that they still fail the gate); with
// --traces, all of them.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCasesInProcess, runGate } from '../../../src/checker/gate/gate.js';
import { gateCounts, gatePassed } from '../../../src/checker/gate/report.js';
import { tracesOfSpecs } from '../../../src/checker/gate/traces.js';
import { exitCode } from '../../../src/cli/check.js';
import { EXIT_INCOMPLETE } from '../../../src/cli/exit.js';
import { renderGateSummary } from '../../../src/report/gate-text.js';
import { renderRun } from '../../../src/report/text.js';

const TRACE = 'traces/rfc-2008-example.fault_vs_munmap.premature_free.json';
const SPEC = 'rfc-2008-example.mmspec';

/** The RFC example twice (a/ and b/), traces/ with a trace of each, one of a missing spec, and junk. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-traces-of-specs-'));
  mkdirSync(join(dir, 'traces'));
  const trace = JSON.parse(readFileSync(TRACE, 'utf8')) as { spec: { path: string } };
  for (const name of ['a', 'b']) {
    mkdirSync(join(dir, name));
    copyFileSync('specs/rfc-2008-example.mmspec', join(dir, name, SPEC));
    trace.spec.path = `../${name}/${SPEC}`;
    writeFileSync(join(dir, 'traces', `${name}.json`), JSON.stringify(trace));
  }
  trace.spec.path = `../gone/${SPEC}`;
  writeFileSync(join(dir, 'traces', 'gone.json'), JSON.stringify(trace));
  writeFileSync(join(dir, 'traces', 'junk.json'), '{ not json');
  return dir;
}

test('tracesOfSpecs: keeps the traces of the specs checked, of missing specs and unreadable ones; skips the rest', () => {
  const dir = project();
  try {
    const files = ['a', 'b', 'gone', 'junk'].map((n) => join(dir, 'traces', `${n}.json`));
    const { kept, skipped } = tracesOfSpecs(files, [join(dir, 'a', SPEC)]);
    assert.deepEqual(
      kept.map((f) => f.slice(dir.length + 1)),
      ['traces/a.json', 'traces/gone.json', 'traces/junk.json'],
    );
    assert.equal(skipped, 1);
    assert.deepEqual(tracesOfSpecs(files, [join(dir, 'a', SPEC), join(dir, 'b', SPEC)]).skipped, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tracesOfSpecs: a spec checked through a symbolic link keeps its traces (they were skipped as of another spec)', () => {
  // `check link/rfc-2008-example.mmspec`, link -> a: its trace names ../a/…, the same file.
  const dir = project();
  try {
    symlinkSync(join(dir, 'a'), join(dir, 'link'));
    const files = ['a', 'b'].map((n) => join(dir, 'traces', `${n}.json`));
    const { kept, skipped } = tracesOfSpecs(files, [join(dir, 'link', SPEC)]);
    assert.deepEqual(
      kept.map((f) => f.slice(dir.length + 1)),
      ['traces/a.json'],
    );
    assert.equal(skipped, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gate: only the checked specs traces replay by default; the summary counts those skipped; --traces replays all', async () => {
  const dir = project();
  try {
    const hooks = { runCases: runCasesInProcess(renderRun), onDiagnostics: () => {} };
    const o = { mode: 'bfs' as const, traces: join(dir, 'traces'), jobs: 1 };
    const own = await runGate([join(dir, 'b', SPEC)], { ...o, tracesOfCheckedSpecs: true }, hooks);
    assert.deepEqual(
      own.traces.map((t) => [t.path.slice(dir.length + 1), t.reproduces]),
      [
        ['traces/b.json', true],
        ['traces/gone.json', false],
        ['traces/junk.json', false],
      ],
    );
    assert.equal(own.tracesSkipped, 1);
    assert.match(renderGateSummary(own), /3 traces: 1 reproduces, 2 do not; 1 trace of other specs skipped/);
    assert.equal(gatePassed(own), false, 'a trace of a missing spec still fails the gate');
    const all = await runGate([join(dir, 'b', SPEC)], o, hooks);
    assert.equal(gateCounts(all).traces, 4);
    assert.equal(all.tracesSkipped, 0);
    assert.doesNotMatch(renderGateSummary(all), /skipped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gate: a Ctrl-C after every scenario ran as expected, before the traces replayed, does not pass the gate', async () => {
  // The traces are not replayed once the gate is stopped; with every scenario as expected
  // and no trace in the report, the gate passed (exit 0) with its traces never replayed.
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-traces-stopped-'));
  try {
    mkdirSync(join(dir, 'traces'));
    copyFileSync(`specs/${SPEC}`, join(dir, SPEC));
    const trace = JSON.parse(readFileSync(TRACE, 'utf8')) as { spec: { path: string } };
    trace.spec.path = `../${SPEC}`;
    writeFileSync(join(dir, 'traces', 'a.json'), JSON.stringify(trace));
    let stopped = false;
    const cases = runCasesInProcess(renderRun);
    const hooks = {
      runCases: async (...a: Parameters<typeof cases>) => {
        const out = await cases(...a);
        stopped = true; // Ctrl-C once the last scenario has finished
        return out;
      },
      onDiagnostics: () => {},
      stopped: () => stopped,
    };
    const r = await runGate([join(dir, SPEC)], { mode: 'bfs', traces: join(dir, 'traces'), jobs: 1 }, hooks);
    assert.ok(r.cases.length > 0 && r.cases.every((c) => c.asExpected));
    assert.equal(r.tracesNotReplayed, 1);
    assert.equal(gatePassed(r), false);
    assert.equal(exitCode(r), EXIT_INCOMPLETE);
    assert.match(renderGateSummary(r), /\d+ as expected, 0 not; traces not replayed \(interrupted\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
