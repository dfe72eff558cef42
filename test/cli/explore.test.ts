// The CLI contract of `explore` and `show`, through main() with captured output: exit codes
// 0/1/2/3, verdict lines, spec errors as `file:line:col: error:` with no stack trace.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli as run } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(ROOT, 'specs/rfc-2008-example.mmspec');

function spec(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-cli-'));
  const path = join(dir, 'x.mmspec');
  writeFileSync(path, text);
  return path;
}

const PASSING = `shared x: int;
thread t() { x = 1; }
scenario one expect pass { t(); t(); }
`;

test('explore: a violation exits 1 and prints the verdict, the objects and the path', async () => {
  const r = await run('explore', EXAMPLE, '--mode', 'bfs', '--scenario', 'fault_vs_munmap');
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /^scenario fault_vs_munmap: violation\(premature_free\) \(expected violation\(premature_free\)\) ok$/m,
  );
  assert.match(r.out, /premature_free at .*rfc-2008-example\.mmspec:42: pte_page#0 freed by munmap/);
  assert.match(r.out, /^. +20 +42 │.*free\(pt\);/m);
  assert.match(r.out, /step 20 \(munmap, line 42\): premature_free/);
});

test('explore: a passing spec exits 0', async () => {
  const r = await run('explore', spec(PASSING), '--mode', 'bfs', '--reduce', 'none');
  assert.equal(r.code, 0);
  assert.match(r.out, /^scenario one: pass \(expected pass\) ok$/m);
  assert.match(r.out, /4 states, 4 transitions/);
});

test('explore: a pass where the spec expects a violation exits 1 (not as expected), as check does', async () => {
  const text = PASSING.replace('expect pass', 'expect violation(deadlock)');
  const r = await run('explore', spec(text), '--mode', 'bfs', '--reduce', 'none');
  assert.equal(r.code, 1);
  assert.match(r.out, /^scenario one: pass \(expected violation\(deadlock\)\) UNEXPECTED$/m);
  // A part of a partitioned run covers its region only: merge decides, so the part exits 0.
  const part = await run('explore', spec(text), '--partition', '0/2');
  assert.equal(part.code, 0, part.out);
  assert.match(part.out, /^scenario one: pass \(expected violation\(deadlock\)\) UNEXPECTED$/m);
});

test('explore: a bound hit without a violation exits 3 and says incomplete, never pass', async () => {
  const r = await run('explore', spec(PASSING), '--mode', 'bfs', '--max-depth', '1');
  assert.equal(r.code, 3);
  assert.match(r.out, /^scenario one: incomplete \(expected pass\) UNEXPECTED$/m);
  assert.match(r.out, /incomplete: reached --max-depth 1/);
});

test('explore: a spec error exits 2 with file:line:col, the line and a caret, no stack trace', async () => {
  const r = await run('explore', spec('shared x: int;\nthread t() { y = 1; }\nscenario s expect pass { t(); }\n'));
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /x\.mmspec:2:14: error\[MM307\]: undeclared name 'y'\n {4}thread t\(\) \{ y = 1; \}\n {4} {13}\^/,
  );
  assert.doesNotMatch(r.err, /at .*\.js:\d+/);
});

// runCli runs explore in this thread; explore-inline.test.ts holds the worker thread, which
// compiles the spec a second time, to the same single warning.
test('explore: a warning is printed once (the spec compiles on the main thread, then on the worker)', async () => {
  const r = await run(
    'explore',
    spec('shared x: int;\nthread t() { local old: int; x = 1; }\nscenario s expect pass { t(); }\n'),
  );
  assert.equal(r.code, 0);
  assert.equal(r.err.match(/warning\[MM202\]: unused local 'old'/g)?.length, 1, r.err);
  assert.match(r.out, /^scenario s: pass \(expected pass\) ok$/m);
});

test('explore --json: a spec error is also on stdout, with its code beside the message', async () => {
  const r = await run(
    'explore',
    spec('shared x: int;\nthread t() { y = 1; }\nscenario s expect pass { t(); }\n'),
    '--json',
  );
  assert.equal(r.code, 2);
  const j = JSON.parse(r.out) as { errors: { code: string; message: string; at: { line: number; col: number } }[] };
  assert.deepEqual(
    j.errors.map((e) => [e.code, e.message, e.at.line, e.at.col]),
    [['MM307', "undeclared name 'y'", 2, 14]],
  );
  assert.match(r.err, /error\[MM307\]: undeclared name 'y'/);
});

test('explore: an unreadable spec and an unknown scenario are usage errors (exit 2)', async () => {
  const missing = await run('explore', '/nonexistent/x.mmspec');
  assert.equal(missing.code, 2);
  assert.equal(missing.err, "mmcheck: cannot read spec '/nonexistent/x.mmspec': no such file");
  const unknown = await run('explore', spec(PASSING), '--scenario', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown scenario 'nope' .*its scenarios: one/);
  const badFlag = await run('explore', spec(PASSING), '--max-depth', 'many');
  assert.equal(badFlag.code, 2);
});

test('explore --json: machine-readable runs with the trace', async () => {
  const r = await run('explore', EXAMPLE, '--mode', 'bfs', '--scenario', 'fault_vs_munmap', '--json');
  assert.equal(r.code, 1);
  const runs = JSON.parse(r.out) as {
    got: string;
    asExpected: boolean;
    violation: { kind: string };
    trace: { threadName: string; text: string }[];
  }[];
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.got, 'violation(premature_free)');
  assert.equal(runs[0]!.violation.kind, 'premature_free');
  assert.equal(runs[0]!.trace.length, 20);
  assert.deepEqual(runs[0]!.trace.at(-1), { ...runs[0]!.trace.at(-1), threadName: 'munmap', text: 'free(pt);' });
});

test('show: steps with source lines, fused local statements marked, and the layout size', async () => {
  const r = await run('show', EXAMPLE, '--scenario', 'fault_vs_munmap');
  assert.equal(r.code, 0);
  assert.match(r.out, /^thread fault: 14 steps \(18 ops; ~ = thread-local, fused into the step before it\)$/m);
  assert.match(r.out, /^ +3~ .*rfc-2008-example\.mmspec:22 +goto out$/m);
  assert.match(r.out, /^environment: callback\(vma#0\), callback\(vma#1\)$/m);
  assert.match(r.out, /^state layout: \d+ words \(\d+ bytes\)$/m);
  const json = await run('show', EXAMPLE, '--scenario', 'fault_vs_munmap', '--json');
  const views = JSON.parse(json.out) as { threads: { name: string }[]; stateWords: number }[];
  assert.deepEqual(
    views[0]!.threads.map((t) => t.name),
    ['fault', 'munmap'],
  );
});

test('explore: a bad option value names the flag and the expected form, exit 2', async () => {
  const states = await run('explore', EXAMPLE, '--max-states', 'abc');
  assert.equal(states.code, 2);
  assert.equal(
    states.err,
    "error: option '--max-states <n|none>' argument 'abc' is invalid. expected a non-negative integer (1000, 1e6) or none.",
  );
  const reduce = await run('explore', EXAMPLE, '--reduce', 'symmetry,foo');
  assert.equal(reduce.code, 2);
  assert.match(
    reduce.err,
    /^error: option '--reduce <list>' argument 'symmetry,foo' is invalid\. unknown reduction 'foo'/,
  );
});

test('explore --data-race: two unlocked x = x + 1 race (exit 1); without the flag they pass; the trace replays', async () => {
  const path = spec(`shared x: int;
thread t() { x = x + 1; }
scenario one expect pass { t(); t(); }
`);
  const off = await run('explore', path, '--mode', 'bfs');
  assert.equal(off.code, 0, off.out);
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-race-'));
  const on = await run('explore', path, '--mode', 'bfs', '--data-race', '--trace-out', `${dir}/`);
  assert.equal(on.code, 1, on.out);
  assert.match(on.out, /^scenario one: violation\(data_race\) \(expected pass\) UNEXPECTED$/m);
  // The report wraps long lines to the terminal's width: compare the words.
  assert.match(
    on.out.replace(/\s+/g, ' '),
    /data race on x: t#1 reads it \(plain\) in `x = x \+ 1;` \(\S*x\.mmspec:2\) while t#2's next step, enabled in the same state, writes it \(plain\) in `x = x \+ 1;`/,
  );
  const replayed = await run('replay', join(dir, 'x.one.data_race.json'));
  assert.match(replayed.out, /reproduced: data_race at step 1/);
});

test('explore: prints the minimised counterexample by default, --no-minimize the one found; --trace-out saves what is printed', async () => {
  const seqlock = join(ROOT, 'specs/bench/seqlock.mmspec');
  const found = await run('explore', seqlock, '-s', 'torn_r2w2', '--mode', 'dfs', '--no-minimize');
  assert.equal(found.code, 1);
  assert.match(found.out, /path: 10 steps, 2 preemptions/);
  assert.doesNotMatch(found.out, /minimised/);
  const out = join(mkdtempSync(join(tmpdir(), 'mmcheck-cli-')), 't.json');
  const shown = await run('explore', seqlock, '-s', 'torn_r2w2', '--mode', 'dfs', '--trace-out', out);
  assert.equal(shown.code, 1);
  assert.match(shown.out, /path: 9 steps, 1 preemption /);
  assert.match(shown.out, /minimised: 10 → 9 steps, 2 → 1 preemptions \(minimal: /);
  const saved = JSON.parse(readFileSync(out, 'utf8')) as { schedule: unknown[] };
  assert.equal(saved.schedule.length, 9);
});

test('explore --max-states none lifts the scenario budget; a count replaces it', async () => {
  const spec = join(ROOT, 'test/fixtures/check/budget.mmspec'); // budget(states: 40), an endless counter
  const states = async (...flags: string[]): Promise<[number, string]> => {
    const r = await run('explore', spec, '--json', ...flags);
    const [one] = JSON.parse(r.out) as { stats: { states: number }; bound: string }[];
    return [one!.stats.states, one!.bound];
  };
  assert.deepEqual(await states(), [40, 'max-states']);
  assert.deepEqual(await states('--max-states', '75'), [75, 'max-states']);
  assert.deepEqual(await states('--max-states', 'none', '--max-depth', '500'), [501, 'max-depth']);
});

// A scenario stopped by its own budget(...) said `stopped at --max-states 40`, a flag nobody typed.
test("explore: a search stopped by the scenario's budget names the budget, one stopped by a flag the flag", async () => {
  const budget = join(ROOT, 'test/fixtures/check/budget.mmspec'); // budget(states: 40), an endless counter
  const detail = async (...flags: string[]): Promise<string> => {
    const r = await run('explore', budget, '--json', ...flags);
    assert.equal(r.code, 3, r.out + r.err);
    return (JSON.parse(r.out) as { detail: string }[])[0]!.detail;
  };
  assert.match(await detail(), /^stopped at the scenario's budget\(states: 40\): explored 40 states to depth /);
  assert.match(await detail('--max-states', '75'), /^stopped at --max-states 75: explored 75 states to depth /);
  const timed = spec(
    'shared x: int;\nthread t() { x = 1; }\nscenario s budget(seconds: 0, depth: 9) expect pass { t(); }\n',
  );
  const r = await run('explore', timed, '--mode', 'bfs');
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.out, /incomplete: stopped after the scenario's budget\(seconds: 0\): explored 1 state/);
});

test('explore --max-memory below what the process holds: incomplete at once, exit 3, however short the search', async () => {
  // Both scenarios end in milliseconds, before the first memory sample: they reported their
  // violations (exit 1) as if the bound of 1 MiB held.
  for (const flags of [[], ['--mode', 'dpor', '--workers', '2']]) {
    const r = await run('explore', EXAMPLE, '--max-memory', '1', ...flags);
    assert.equal(r.code, 3, r.out + r.err);
    for (const name of ['fault_vs_munmap', 'two_faults'])
      assert.match(
        r.out,
        new RegExp(
          `^scenario ${name}: incomplete \\(memory bound\\) \\(expected violation\\(premature_free\\)\\) UNEXPECTED$`,
          'm',
        ),
      );
    assert.match(
      r.out.replace(/\s+/g, ' '),
      /incomplete: the process already held [\d,]+ MiB when the search started, more than --max-memory 1 MiB: explored/,
    );
  }
});

test('--scenario repeated: explore, simulate and show take every one named, once, in the order given; export refuses two', async () => {
  // Commander kept the last: `-s fault_vs_munmap -s two_faults` ran two_faults alone, silently.
  const r = await run('explore', EXAMPLE, '-s', 'two_faults', '-s', 'fault_vs_munmap', '-s', 'two_faults');
  assert.equal(r.code, 1, r.out + r.err);
  assert.deepEqual(
    r.out.split('\n').filter((l) => l.startsWith('scenario ')),
    [
      'scenario two_faults: violation(premature_free) (expected violation(premature_free)) ok',
      'scenario fault_vs_munmap: violation(premature_free) (expected violation(premature_free)) ok',
    ],
  );
  const unknown = await run('explore', EXAMPLE, '-s', 'two_faults', '-s', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown scenario 'nope' in .*; its scenarios: fault_vs_munmap, two_faults/);
  const sim = await run('simulate', EXAMPLE, '-s', 'fault_vs_munmap', '-s', 'two_faults', '--runs', '50', '--no-save');
  assert.deepEqual(
    sim.out
      .split('\n')
      .filter((l) => l.startsWith('scenario '))
      .map((l) => l.split(':')[0]),
    ['scenario fault_vs_munmap', 'scenario two_faults'],
  );
  const show = await run('show', EXAMPLE, '-s', 'two_faults', '-s', 'fault_vs_munmap', '--json');
  assert.equal(show.code, 0, show.err);
  assert.equal((JSON.parse(show.out) as unknown[]).length, 2);
  const exp = await run('export', '--promela', EXAMPLE, '-s', 'two_faults', '-s', 'fault_vs_munmap');
  assert.equal(exp.code, 2);
  assert.match(
    exp.err,
    /export --promela writes one scenario per model: --scenario two_faults, fault_vs_munmap names several/,
  );
});

test('explore --json: the notes go to stderr fitted to the width, stdout stays one JSON document', async () => {
  // They went out as one line each, however narrow the terminal.
  const r = await run('explore', EXAMPLE, '-s', 'fault_vs_munmap', '--json', '--width', '60');
  assert.equal(r.code, 1, r.err);
  assert.equal((JSON.parse(r.out) as unknown[]).length, 1);
  const lines = r.err.trimEnd().split('\n');
  assert.match(lines[0]!, /^ {2}minimised: 20 → 20 steps/);
  assert.ok(lines.length > 1 && lines.every((l) => l.length <= 60), r.err);
});
