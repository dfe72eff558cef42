// `explore --partitions n` with the index from the job engine's variable, `--result-out`, and
// `mmcheck merge`: the verdict, the exit codes, and the refusal of parts of different runs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exploreSpec } from '../../src/checker/explore-spec.js';
import { writePartFile } from '../../src/cli/partition.js';
import { compileFile } from '../../src/model/compile.js';
import { DEFAULT_REDUCTIONS } from '../../src/model/reductions.js';
import { runCli as run } from '../support/cli.js';
import { parts, SEED_SPEC } from '../support/merge-parts.js';

const SPEC = SEED_SPEC;

test('parts indexed by SLURM_ARRAY_TASK_ID merge to the single run: pass, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files = await parts(dir, 'fixed_k2', 'SLURM_ARRAY_TASK_ID', 2);
  assert.deepEqual(
    files.map((f) => JSON.parse(readFileSync(f, 'utf8')).k),
    [0, 1],
  );
  const r = await run('merge', ...files);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^scenario fixed_k2: pass \(expected pass\) ok$/m);
  // A missing part: incomplete, exit 3.
  const one = await run('merge', files[0]!);
  assert.equal(one.code, 3);
  assert.match(
    one.out,
    /^scenario fixed_k2: incomplete \(expected pass\) UNEXPECTED\n(?:.*\n)+? {2}incomplete: parts 1 missing$/m,
  );
});

test('parts indexed by JOB_COMPLETION_INDEX: the violation wins, with its steps, exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files = await parts(dir, 'buggy_k2', 'JOB_COMPLETION_INDEX', 4);
  const r = await run('merge', ...files);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    r.out,
    /^scenario buggy_k2: violation\(use_after_free\) \(expected violation\(use_after_free\)\) ok\n(?:.*\n)+? {2}found by part \d$/m,
  );
  assert.match(r.out, / {2}\s+1\. /);
});

// A part interrupted with scenarios not yet started wrote a file listing only those it ran:
// merge then refused it (exit 2, "not a part of the same run: its scenarios … differ").
test('a part interrupted before its last scenarios: merge reports them incomplete, with the violations found', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const path = join(dir, 'three.mmspec');
  writeFileSync(
    path,
    `shared x: int;
thread t() { x = 1; assert(x == 0, "boom"); }
scenario one expect violation(assertion) { t(); }
scenario two expect violation(assertion) { t(); t(); }
scenario three expect violation(assertion) { t(); t(); t(); }
`,
  );
  const c = compileFile(path);
  assert.ok(c.ok);
  let stop = false;
  const flags = { mode: 'bfs' as const, por: 'optimal' as const, reduce: DEFAULT_REDUCTIONS, target: true };
  const explored = await exploreSpec(
    path,
    c.spec,
    c.spec.scenarios,
    { mode: 'bfs', partition: { k: 0, n: 2 } },
    {},
    {
      onScenario: () => {
        stop = true;
      },
      shouldStop: () => stop,
    },
  );
  assert.equal(explored.length, 2, 'one found its violation, two was interrupted, three never started');
  writePartFile(join(dir, '0.json'), path, c.sources, { k: 0, n: 2 }, flags, explored, c.spec.scenarios);
  const other = await run('explore', path, '--partition', '1/2', '--result-out', join(dir, '1.json'));
  assert.equal(other.code, 1, other.out + other.err);
  const r = await run('merge', join(dir, '0.json'), join(dir, '1.json'), '--width', '200');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^scenario one: violation\(assertion\) \(expected violation\(assertion\)\) ok$/m);
  for (const name of ['two', 'three'])
    assert.match(r.out, new RegExp(`^scenario ${name}: (violation\\(assertion\\)|incomplete \\(interrupted\\))`, 'm'));
});

test('merge reads parts saved by an editor with a byte order mark or CRLF line ends, as replay reads traces', async () => {
  // JSON.parse refused the BOM: "p.0.json: error: not JSON (Unexpected token '\ufeff' …)", exit 2.
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files = await parts(dir, 'fixed_k2', 'MMCHECK_PARTITION_INDEX', 2);
  writeFileSync(files[0]!, `\ufeff${readFileSync(files[0]!, 'utf8')}`);
  writeFileSync(files[1]!, `\ufeff${readFileSync(files[1]!, 'utf8').replace(/\n/g, '\r\n')}`);
  const r = await run('merge', ...files);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^scenario fixed_k2: pass \(expected pass\) ok$/m);
});

test('merge refuses parts of different runs and files that are not parts (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const [a] = await parts(dir, 'fixed_k1', 'MMCHECK_PARTITION_INDEX', 2);
  const other = JSON.parse(readFileSync(a!, 'utf8'));
  other.k = 1;
  other.settings.reduce = 'none';
  const b = join(dir, 'other.json');
  writeFileSync(b, JSON.stringify(other));
  const r = await run('merge', a!, b);
  assert.equal(r.code, 2);
  assert.match(r.err, /not a part of the same run .*: it ran with reduce = none/);
  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{}');
  const j = await run('merge', junk);
  assert.equal(j.code, 2);
  assert.match(j.err, /junk\.json: error: not an mmcheck part file/);
  const bad = await run('explore', SPEC, '--partition', '2/2');
  assert.equal(bad.code, 2);
  const dfs = await run('explore', SPEC, '--partition', '0/2', '--mode', 'dfs');
  assert.equal(dfs.code, 2);
  assert.match(dfs.err, /--mode dfs cannot be partitioned/);
});

test('parts run against different versions of an imported file do not merge (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-lib-'));
  const lib = join(dir, 'lib.mmspec');
  const spec = join(dir, 'main.mmspec');
  writeFileSync(spec, 'import "lib.mmspec";\nthread t() { x = x + 1; }\nscenario s expect pass { t(); t(); }\n');
  const partWith = async (k: number, init: number): Promise<string> => {
    writeFileSync(lib, `shared x: int = ${init};\n`);
    const file = join(dir, `p${k}.json`);
    const r = await run('explore', spec, '--partition', `${k}/2`, '--result-out', file);
    assert.equal(r.code, 0, r.err);
    return file;
  };
  const a = await partWith(0, 0);
  const b = await partWith(1, 5);
  const r = await run('merge', a, b);
  assert.equal(r.code, 2);
  assert.match(r.err, /the spec differs \(hash/);
  const same = await run('merge', a, await partWith(1, 0));
  assert.equal(same.code, 0, same.err);
});

test('merge refuses a part whose scenario verdict it does not know, rather than merging it as a pass (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files = await parts(dir, 'fixed_k1', 'MMCHECK_PARTITION_INDEX', 2);
  const edited = JSON.parse(readFileSync(files[1]!, 'utf8'));
  edited.scenarios[0].verdict = 'error';
  writeFileSync(files[1]!, JSON.stringify(edited));
  const r = await run('merge', ...files);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /its scenario #1 \("fixed_k1"\) has verdict "error", not pass, violation or incomplete/);
  delete edited.scenarios[0].stats;
  edited.scenarios[0].verdict = 'pass';
  writeFileSync(files[1]!, JSON.stringify(edited));
  assert.match((await run('merge', ...files)).err, /has no "stats"/);
  // Its verdict text decides ok or UNEXPECTED: without it, no verdict line to print.
  const original = JSON.parse(readFileSync(files[0]!, 'utf8'));
  delete original.scenarios[0].got;
  writeFileSync(files[0]!, JSON.stringify(original));
  const noGot = await run('merge', files[0]!);
  assert.equal(noGot.code, 2, noGot.out + noGot.err);
  assert.match(noGot.err, /its scenario #1 \("fixed_k1"\) has no "expected" or "got" verdict text/);
});

test('merge refuses a hand-edited part with no split record or impossible counts, not crash or pass (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files = await parts(dir, 'fixed_k2', 'MMCHECK_PARTITION_INDEX', 2);
  const original = readFileSync(files[1]!, 'utf8');
  const edit = async (change: (sc: { part?: { ownedStates: number }; stats: { states: number } }) => void) => {
    const edited = JSON.parse(original);
    change(edited.scenarios[0]);
    writeFileSync(files[1]!, JSON.stringify(edited));
    return run('merge', ...files);
  };
  const noPart = await edit((sc) => delete sc.part);
  assert.equal(noPart.code, 2, noPart.out + noPart.err);
  assert.match(noPart.err, /its scenario #1 \("fixed_k2"\) has no "part" record/);
  const zero = await edit((sc) => {
    sc.stats.states = 0;
  });
  assert.equal(zero.code, 2, zero.out + zero.err);
  assert.match(zero.err, /its scenario #1 \("fixed_k2"\) has "states" 0, fewer than the \d+ states every part stores/);
  const negative = await edit((sc) => {
    if (sc.part) sc.part.ownedStates = -3;
  });
  assert.equal(negative.code, 2, negative.out + negative.err);
  assert.match(negative.err, /its scenario #1 \("fixed_k2"\) has a "part" record that is not counts/);
});

test("a part's own output says its pass covers its region only, and when nothing was saved for merge", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const file = join(dir, 'p0.json');
  const saved = await run('explore', SPEC, '-s', 'fixed_k2', '--partition', '0/2', '--result-out', file);
  assert.equal(saved.code, 0, saved.out + saved.err);
  const flat = saved.out.replace(/\s+/g, ' ');
  assert.match(
    flat,
    /part 0 of 2: these verdicts cover this part's region only; `mmcheck merge` of all 2 part files gives the run's verdict/,
  );
  assert.doesNotMatch(flat, /not saved/);
  const unsaved = await run('explore', SPEC, '-s', 'fixed_k2', '--partition', '0/2');
  assert.equal(unsaved.code, 0, unsaved.out + unsaved.err);
  assert.match(unsaved.out.replace(/\s+/g, ' '), /no --result-out: this part's result is not saved for merge/);
});

test('a huge n: explore refuses it (exit 2), merge of a part claiming it refuses it too, and missing parts print as ranges', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const file = join(dir, 'p3.json');
  const huge = await run('explore', SPEC, '-s', 'fixed_k1', '--partition', '0/99999999999999999999');
  assert.equal(huge.code, 2, huge.out + huge.err);
  assert.match(huge.err, /--partition: n = 99999999999999999999 parts is more than 4,194,304/);
  const r = await run('explore', SPEC, '-s', 'fixed_k1', '--partition', '3/1000', '--result-out', file);
  assert.equal(r.code, 0, r.out + r.err);
  const one = await run('merge', file);
  assert.equal(one.code, 3, one.out + one.err);
  // The head is fitted to the width: where it breaks depends on the spec's path.
  assert.match(one.out.replace(/\n +/g, ' '), /: 1 of 1000 parts \(missing: 0-2, 4-999\)\n/);
  assert.match(
    one.out,
    /incomplete \(expected pass\) UNEXPECTED\n(?:.*\n)+? {2}incomplete: parts 0-2, 4-999 missing$/m,
  );
  const edited = JSON.parse(readFileSync(file, 'utf8'));
  edited.n = 1e20;
  edited.scenarios[0].part.n = 1e20;
  writeFileSync(file, JSON.stringify(edited));
  const bad = await run('merge', file);
  assert.equal(bad.code, 2, bad.out + bad.err);
  assert.match(bad.err, /its "k" and "n" are not a part k of n \(0 <= k < n <= 4,194,304\)/);
});

test('--partitions: two index variables that disagree are a usage error (exit 2), ones that agree are not', async () => {
  process.env.MMCHECK_PARTITION_INDEX = '0';
  process.env.JOB_COMPLETION_INDEX = '1';
  try {
    const r = await run('explore', SPEC, '-s', 'fixed_k1', '--partitions', '2');
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /MMCHECK_PARTITION_INDEX=0 and JOB_COMPLETION_INDEX=1 disagree: which part is this\?/);
    process.env.JOB_COMPLETION_INDEX = '0';
    const same = await run('explore', SPEC, '-s', 'fixed_k1', '--partitions', '2');
    assert.equal(same.code, 0, same.out + same.err);
    assert.match(same.out, /part 0 of 2/);
  } finally {
    delete process.env.MMCHECK_PARTITION_INDEX;
    delete process.env.JOB_COMPLETION_INDEX;
  }
});

test('--partitions n: a number of parts out of range is the error, whatever the environment holds', async () => {
  for (const n of ['0', '4194305']) {
    const r = await run('explore', SPEC, '-s', 'fixed_k1', '--partitions', n);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, new RegExp(`--partitions ${n}: n is the number of parts, 1 to 4,194,304`));
  }
});

test('merge of a pattern that matched no file: exit 2, and the message says it may be one', async () => {
  const r = await run('merge', join(mkdtempSync(join(tmpdir(), 'mmcheck-merge-')), '*.json'));
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /\*\.json: error: cannot read it: no such file or folder \(a pattern that matched no file\?\)/);
});

test('explore --partition refuses the flags only a DPOR or random search honours, naming the flag (exit 2)', async () => {
  // A part is a one-thread BFS: each of these ran and had no effect before.
  const refused: [string[], RegExp][] = [
    [
      ['--preemption-bound', '2'],
      /^mmcheck: --preemption-bound with --partition: each part \(a breadth-first search\) has no preemption bound; run the whole search with --mode dpor --preemption-bound 2, or drop the bound$/,
    ],
    [
      ['--por', 'source'],
      /^mmcheck: --por with --partition: each part \(a breadth-first search\) runs no DPOR; drop --por, or run the whole search with --mode dpor --por source$/,
    ],
    [
      ['--por', 'optimal'],
      /^mmcheck: --por with --partition: .* runs no DPOR; drop --por, or run the whole search with --mode dpor --por optimal$/,
    ],
    [
      ['--seed', '7'],
      /^mmcheck: --seed with --partition: each part \(a breadth-first search\) uses no seed \(--seed is for --mode random and --bitstate\); drop --seed$/,
    ],
    [
      ['--executions', '10'],
      /^mmcheck: --executions with --partition: each part \(a breadth-first search\) samples no executions \(--executions is for --mode random\); drop --executions$/,
    ],
    [
      ['--workers', '2'],
      /^mmcheck: --workers 2 with --partition: each part \(a breadth-first search\) runs on one thread; use more cores by running more parts at once \(a larger n\), or drop --workers$/,
    ],
  ];
  for (const [flags, message] of refused) {
    const r = await run('explore', SPEC, '-s', 'buggy_k2', '--partition', '0/2', ...flags);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.err, message, flags.join(' '));
    assert.equal(r.out, '', flags.join(' '));
  }
  // --partitions n is named as given.
  process.env.MMCHECK_PARTITION_INDEX = '1';
  try {
    const r = await run('explore', SPEC, '-s', 'buggy_k2', '--partitions', '2', '--seed', '7');
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /^mmcheck: --seed with --partitions: /);
  } finally {
    delete process.env.MMCHECK_PARTITION_INDEX;
  }
  // What a part does honour is still accepted: one thread, and --mode bfs.
  const one = await run('explore', SPEC, '-s', 'buggy_k2', '--partition', '0/2', '--workers', '1', '--mode', 'bfs');
  assert.equal(one.code, 1, one.out + one.err);
  assert.match(
    one.out,
    /^scenario buggy_k2: violation\(use_after_free\) \(expected violation\(use_after_free\)\) ok$/m,
  );
});

test('merge marks a verdict the spec does not expect UNEXPECTED, as explore does, and exits 1; as expected, ok', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  // fault-vs-munmap with two expectations wrong: fixed_k2 passes, buggy_k2 ends in a use_after_free.
  const wrong = join(dir, 'wrong.mmspec');
  const text = readFileSync(SPEC, 'utf8')
    .replace('scenario fixed_k2 expect pass', 'scenario fixed_k2 expect violation(use_after_free)')
    .replace('scenario buggy_k2 expect violation(use_after_free)', 'scenario buggy_k2 expect violation(deadlock)');
  writeFileSync(wrong, text);
  const merged = async (spec: string, scenario: string): Promise<{ code: number; out: string }> => {
    const files = [0, 1].map((k) => join(dir, `${scenario}.${spec === SPEC ? 'right' : 'wrong'}.${k}.json`));
    for (const [k, file] of files.entries()) {
      const r = await run('explore', spec, '-s', scenario, '--partition', `${k}/2`, '--result-out', file);
      assert.ok(r.code === 0 || r.code === 1, r.out + r.err);
    }
    return run('merge', ...files);
  };
  const header = (scenario: string, got: string, expected: string, mark: string): RegExp =>
    new RegExp(`^scenario ${scenario}: ${got} \\(expected ${expected}\\) ${mark}$`, 'm');
  const esc = (s: string): string => s.replace(/[()]/g, '\\$&');
  // The whole run's line, which the merge's must match word for word.
  const whole = await run('explore', wrong, '-s', 'fixed_k2');
  assert.match(whole.out, header('fixed_k2', 'pass', esc('violation(use_after_free)'), 'UNEXPECTED'));

  const pass = await merged(wrong, 'fixed_k2');
  assert.equal(pass.code, 1, pass.out);
  assert.match(pass.out, header('fixed_k2', 'pass', esc('violation(use_after_free)'), 'UNEXPECTED'));
  const other = await merged(wrong, 'buggy_k2');
  assert.equal(other.code, 1, other.out);
  assert.match(
    other.out,
    header('buggy_k2', esc('violation(use_after_free)'), esc('violation(deadlock)'), 'UNEXPECTED'),
  );
  assert.match(other.out, /^ {2}found by part [01]$/m);

  const right = await merged(SPEC, 'fixed_k2');
  assert.equal(right.code, 0, right.out);
  assert.match(right.out, header('fixed_k2', 'pass', 'pass', 'ok'));
  assert.doesNotMatch(right.out, /UNEXPECTED/);
  const json = await run('merge', join(dir, 'fixed_k2.wrong.0.json'), join(dir, 'fixed_k2.wrong.1.json'), '--json');
  assert.equal(json.code, 1, json.out);
  const s = JSON.parse(json.out).scenarios[0];
  assert.deepEqual([s.got, s.expected, s.asExpected], ['pass', 'violation(use_after_free)', false]);
});
