// `mmcheck check`, the CI gate, end to end through main() (no subprocess; scenarios still
// run on real worker threads): exit codes, the table, the budget rule, and every output
// format but SARIF (check-sarif.test.ts), validated against vendored schemas
// (test/fixtures/schemas/README.md).

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { runCli as run } from '../support/cli.js';
import { check, F, tmp } from '../support/gate-cli.js';

const PASSING = [`${F}/locked.mmspec`, `${F}/budget.mmspec`];
const FAILING = [`${F}/locked.mmspec`, `${F}/unexpected.mmspec`, `${F}/unbounded.mmspec`];

/**
 * The table's rows as the cells [status, spec or trace path, scenario, expected, got,
 * states/executions], without the time (wall clock); read from the grouped table (a heading
 * line per spec or trace folder, then its rows), printed wide enough that no cell wraps.
 */
function rows(out: string): string[][] {
  const lines = out.split('\n');
  const end = lines.indexOf('');
  const cells: string[][] = [];
  let group = '';
  for (const l of lines.slice(1, end < 0 ? lines.length - 1 : end)) {
    if (!l.startsWith('  ')) {
      group = l;
      continue;
    }
    const [status, name, states, , result] = l.trim().split(/ {2,}/) as string[];
    if (status === '-') {
      cells.push([status, group, name!]);
      continue;
    }
    const path = group.endsWith('/') ? group + name : group;
    const scenario = group.endsWith('/') ? '' : name!;
    const trace = /^(reproduces|does not reproduce) (.*)$/.exec(result ?? '');
    const m = /^(.*?)( within budget)? \(expected (.*)\)$/.exec(result ?? '');
    const [expected, got] = trace
      ? [trace[2]!, trace[1]!]
      : status === 'ERROR'
        ? ['-', result!]
        : m
          ? [m[3]!, m[2] === undefined ? m[1]! : `${m[1]} (within budget)`]
          : [result!, result!];
    cells.push([status!, path, scenario, expected, got, states!]);
  }
  return cells;
}

test('check: every scenario as expected exits 0; one table, one summary line', async () => {
  const r = await check(...PASSING, '--jobs', '2');
  assert.equal(r.code, 0, r.out + r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0]!, /^ +scenario +states\/execs +time +result$/);
  assert.deepEqual(
    rows(r.out).map((c) => c.slice(0, 5)),
    [
      ['ok', `${F}/locked.mmspec`, 'locked', 'pass', 'pass'],
      ['ok', `${F}/locked.mmspec`, 'lost_update', 'violation(final)', 'violation(final)'],
      ['ok', `${F}/locked.mmspec`, 'hooked', 'pass', 'pass'],
      ['ok', `${F}/budget.mmspec`, 'bounded', 'pass', 'incomplete (within budget)'],
    ],
  );
  for (const row of rows(r.out)) assert.match(row[5]!, /^[\d,]+\/[\d,]+$/);
  assert.equal(rows(r.out)[3]![5], '40/0', 'the declared budget(states: 40) bounds the search');
  assert.match(lines.at(-1)!, /^4 scenarios: 4 as expected, 0 not \(\d+\.\d\d s, 2 jobs\)$/);
  assert.equal(lines.length, 8, 'two headings, four rows, no failure section when everything passes');
});

test('check: a scenario not as expected exits 1 and prints why, with its trace', async () => {
  const r = await check(...FAILING);
  assert.equal(r.code, 1, r.out + r.err);
  assert.deepEqual(
    rows(r.out).map((c) => c.slice(0, 5)),
    [
      ['ok', `${F}/locked.mmspec`, 'locked', 'pass', 'pass'],
      ['ok', `${F}/locked.mmspec`, 'lost_update', 'violation(final)', 'violation(final)'],
      ['ok', `${F}/locked.mmspec`, 'hooked', 'pass', 'pass'],
      ['FAIL', `${F}/unexpected.mmspec`, 'racy_claims_pass', 'pass', 'violation(final)'],
      ['FAIL', `${F}/unexpected.mmspec`, 'wrong_kind', 'violation(deadlock)', 'violation(assertion)'],
      ['FAIL', `${F}/unexpected.mmspec`, 'no_bug', 'violation(assertion)', 'pass'],
      ['FAIL', `${F}/unbounded.mmspec`, 'unbounded', 'pass', 'incomplete'],
      ['FAIL', `${F}/unbounded.mmspec`, 'bounded_hunt', 'violation(assertion)', 'incomplete'],
    ],
  );
  assert.match(
    r.out,
    /FAIL test\/fixtures\/check\/unexpected\.mmspec racy_claims_pass: expected pass, got violation\(final\)/,
  );
  assert.match(r.out, /unbounded: incomplete \(max-depth\) and the scenario declares no budget/);
  assert.match(
    r.out,
    /bounded_hunt: incomplete within budget \(max-states\) before finding the expected violation\(assertion\)/,
  );
  assert.match(r.out, /count = v \+ 1;/, 'the failure section shows the counterexample');
  assert.match(r.out.split('\n').at(-1)!, /^8 scenarios: 3 as expected, 5 not \(/);
});

test('check: a spec error exits 2, prints the diagnostic as usual, and the rest still runs', async () => {
  const r = await check(F);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /^test\/fixtures\/check\/broken\.mmspec:5:18: error\[MM307\]: undeclared name 'y'\n {4}thread t\(\) \{ x = y \+ 1; \}\n {21}\^/m,
  );
  assert.deepEqual(rows(r.out)[0]!.slice(0, 5), ['ERROR', `${F}/broken.mmspec`, '-', '-', 'spec error (1 error)']);
  assert.equal(rows(r.out).length, 10, 'the error row and 9 scenarios');
  for (const line of (await check(F, '--width', '80')).out.split('\n').slice(0, 20))
    assert.ok([...line].length <= 80, `the table fits --width 80: ${line}`);
  assert.doesNotMatch(r.out, /lib\/counter/, 'a library spec is listed only with --verbose');
  assert.match(r.out.split('\n').at(-1)!, /^9 scenarios: 4 as expected, 5 not; 1 spec with errors \(/);
  const verbose = await check(F, '--verbose');
  assert.match(
    verbose.out,
    /^test\/fixtures\/check\/lib\/hooked\.mmspec\n {2}- +\(library: imported by test\/fixtures\/check\/locked\.mmspec, checked through it\)$/m,
  );
  assert.match(verbose.out, /^test\/fixtures\/check\/lib\/counter\.mmspec\n {2}- +\(library: imported by /m);
});

test('check: a library is checked through the specs importing it; alone it must compile', async () => {
  // lib/hooked.mmspec calls bump(), which locked.mmspec declares: it does not compile alone.
  const alone = await check(`${F}/lib/hooked.mmspec`);
  assert.equal(alone.code, 2);
  assert.match(alone.err, /hooked\.mmspec:7:3: error\[MM321\]: undeclared function 'bump'/);
  const withImporter = await check(`${F}/lib`, `${F}/locked.mmspec`, '--verbose');
  assert.equal(withImporter.code, 0, withImporter.err);
  assert.equal(withImporter.err, '');
  const plain = await check(`${F}/lib/counter.mmspec`, '--verbose');
  assert.equal(plain.code, 0);
  assert.match(
    plain.out,
    /^test\/fixtures\/check\/lib\/counter\.mmspec\n {2}- +\(library: compiled, no scenarios to run\)$/m,
  );
  assert.match(plain.out.split('\n').at(-1)!, /^0 scenarios: 0 as expected, 0 not/);
});

test('check: the output order is by spec, then scenario, whatever the number of jobs', async () => {
  const key = (out: string): string[] =>
    (JSON.parse(out) as { cases: { spec: string; scenario: string; got: string; report: string }[] }).cases.map(
      (c) => `${c.spec} ${c.scenario} ${c.got}${c.got === 'error' ? `\n${c.report}` : ''}`,
    );
  const one = await check(...FAILING, '--json', '--jobs', '1');
  const four = await check(...FAILING, '--json', '--jobs', '4');
  assert.deepEqual(key(four.out), key(one.out));
  assert.equal((JSON.parse(four.out) as { jobs: number }).jobs, 4);
});

test('check: --max-* flags bound only scenarios without a budget, and hitting them fails', async () => {
  const r = await check(...PASSING, '--max-states', '5', '--json');
  assert.equal(r.code, 1);
  const cases = (
    JSON.parse(r.out) as { cases: { scenario: string; got: string; asExpected: boolean; stats: { states: number } }[] }
  ).cases;
  assert.deepEqual(
    cases.map((c) => [c.scenario, c.got, c.asExpected, c.stats.states]),
    [
      ['locked', 'incomplete', false, 5],
      ['lost_update', 'incomplete', false, 5],
      ['hooked', 'incomplete', false, 5],
      ['bounded', 'incomplete', true, 40],
    ],
  );
});

test('check --json: the whole report as plain data', async () => {
  const r = await check(...FAILING, '--json');
  const j = JSON.parse(r.out) as {
    summary: { scenarios: number; asExpected: number; notAsExpected: number };
    cases: { scenario: string; violation?: { kind: string; at?: { path: string; line: number } }; steps?: unknown[] }[];
  };
  assert.deepEqual(j.summary.scenarios, 8);
  assert.deepEqual([j.summary.asExpected, j.summary.notAsExpected], [3, 5]);
  const racy = j.cases.find((c) => c.scenario === 'racy_claims_pass')!;
  assert.deepEqual(racy.violation?.at, { path: `${F}/unexpected.mmspec`, line: 14, col: 7 });
  assert.equal(racy.steps?.length, 4);
});

test('check --junit: one suite per spec, one case per scenario, valid against the Jenkins JUnit XSD', async () => {
  const file = tmp('junit.xml');
  const r = await check(F, '--junit', file);
  assert.equal(r.code, 2);
  const xml = readFileSync(file, 'utf8');
  const v = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [readFileSync('test/fixtures/schemas/jenkins-junit.xsd', 'utf8')],
  });
  assert.ok(v.valid, v.rawOutput);
  assert.match(xml, /^<testsuites name="mmcheck check" tests="10" failures="5" errors="1" time="[\d.]+">$/m);
  const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)" errors="(\d+)"/g)].map(
    (m) => m.slice(1).join(' '),
  );
  assert.deepEqual(suites, [
    `${F}/broken.mmspec 1 0 1`,
    `${F}/budget.mmspec 1 0 0`,
    `${F}/locked.mmspec 3 0 0`,
    `${F}/unbounded.mmspec 2 2 0`,
    `${F}/unexpected.mmspec 3 3 0`,
  ]);
  assert.match(
    xml,
    /<testcase name="\(compile\)" classname="test\/fixtures\/check\/broken.mmspec" time="0.000">\n {6}<error message="undeclared name 'y'" type="spec_error">test\/fixtures\/check\/broken.mmspec:5:18: error\[MM307\]: undeclared name 'y'\n/,
  );
  const racy =
    /<testcase name="racy_claims_pass"[^>]*>\n {6}<failure message="expected pass, got violation\(final\)" type="final">([^<]*)<\/failure>/.exec(
      xml,
    );
  assert.ok(racy, 'a failure for racy_claims_pass');
  assert.match(racy[1]!, /final condition both_counted does not hold/);
  assert.match(racy[1]!, /count = v \+ 1;/, 'the failure text holds the rendered trace');
  assert.match(
    xml,
    /<testcase name="bounded" [^>]*>\n {6}<system-out>incomplete within budget \(max-states\)<\/system-out>/,
  );
});

test('check --json: a spec error carries its diagnostic code beside the message', async () => {
  const r = await check(`${F}/broken.mmspec`, '--json');
  assert.equal(r.code, 2);
  const j = JSON.parse(r.out) as { specs: { errors: { code: string; message: string; at: { line: number } }[] }[] };
  assert.deepEqual(
    j.specs[0]!.errors.map((e) => [e.code, e.message, e.at.line]),
    [['MM307', "undeclared name 'y'", 5]],
  );
});

test('check: GitHub Actions annotations when GITHUB_ACTIONS=true', async () => {
  const saved = process.env.GITHUB_ACTIONS;
  process.env.GITHUB_ACTIONS = 'true';
  try {
    const r = await check(F);
    const annotations = r.out.split('\n').filter((l) => l.startsWith('::error '));
    assert.equal(annotations.length, 6, 'one spec error and five scenarios');
    assert.ok(
      annotations.includes(
        `::error file=${F}/broken.mmspec,line=5,col=18,title=mmcheck%3A spec error in ${F}/broken.mmspec::undeclared name 'y'`,
      ),
    );
    const wrong = annotations.find((a) => a.includes('wrong_kind'))!;
    assert.match(
      wrong,
      /^::error file=test\/fixtures\/check\/unexpected\.mmspec,line=7,col=20,title=mmcheck%3A wrong_kind is not as expected::scenario wrong_kind .*%0Aassertion: assertion failed in checker/,
    );
    const unbounded = annotations.find((a) => a.includes('title=mmcheck%3A unbounded '))!;
    assert.match(
      unbounded,
      /^::error file=test\/fixtures\/check\/unbounded\.mmspec,line=8,col=10,/,
      'no violating statement: at the scenario',
    );
  } finally {
    if (saved === undefined) delete process.env.GITHUB_ACTIONS;
    else process.env.GITHUB_ACTIONS = saved;
  }
  const quiet = await check(...PASSING);
  assert.doesNotMatch(quiet.out, /^::error/m);
});

test('check: replays every trace under --traces; one that no longer reproduces fails the gate', async () => {
  const junit = tmp('junit.xml');
  const r = await check(`${F}/locked.mmspec`, '--traces', `${F}/traces`, '--junit', junit);
  assert.equal(r.code, 1, r.out + r.err);
  assert.deepEqual(
    rows(r.out)
      .slice(3)
      .map((c) => c.slice(0, 5)),
    [
      ['ok', `${F}/traces/locked.lost_update.final.json`, '', 'violation(final)', 'reproduces'],
      ['FAIL', `${F}/traces/stale-serial-schedule.json`, '', 'violation(final)', 'does not reproduce'],
    ],
  );
  assert.match(
    r.out,
    /FAIL test\/fixtures\/check\/traces\/stale-serial-schedule\.json: the violation no longer occurs/,
  );
  assert.match(r.out.split('\n').at(-1)!, /^3 scenarios: 3 as expected, 0 not; 2 traces: 1 reproduces, 1 does not \(/);
  const xml = readFileSync(junit, 'utf8');
  const v = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [readFileSync('test/fixtures/schemas/jenkins-junit.xsd', 'utf8')],
  });
  assert.ok(v.valid, v.rawOutput);
  assert.match(xml, /<testsuite name="traces" tests="2" failures="1" errors="0"/);
  const one = await check(`${F}/locked.mmspec`, '--traces', `${F}/traces/locked.lost_update.final.json`);
  assert.equal(one.code, 0, 'one trace file, which reproduces');
  assert.match(one.out.split('\n').at(-1)!, /; 1 trace reproduces \(/);
});

test('check: a trace whose spec is gone names the spec and how to replay it on another (check has no --spec)', async () => {
  const dir = tmp('traces');
  mkdirSync(dir);
  copyFileSync('traces/rfc-2008-example.fault_vs_munmap.premature_free.json', join(dir, 'moved.json'));
  const r = await check(`${F}/locked.mmspec`, '--traces', dir);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(
    r.out.replace(/\n +/g, ' '),
    /FAIL .*moved\.json: cannot read spec '.*rfc-2008-example\.mmspec': no such file \(the trace names "\.\.\/specs\/rfc-2008-example\.mmspec", relative to its folder; `mmcheck replay --spec S` replays it on another spec\)/,
  );
});

test('check: a library found under its real folder and imported through a link is checked through its importer', async () => {
  // realib/hooked.mmspec does not compile alone; specs/locked.mmspec imports it as
  // lib/hooked.mmspec, specs/lib -> ../realib. It was an ERROR row (exit 2) as if no spec
  // imported it.
  const d = tmp('project');
  mkdirSync(join(d, 'specs'), { recursive: true });
  mkdirSync(join(d, 'realib'));
  for (const f of ['counter', 'hooked']) copyFileSync(`${F}/lib/${f}.mmspec`, join(d, 'realib', `${f}.mmspec`));
  copyFileSync(`${F}/locked.mmspec`, join(d, 'specs', 'locked.mmspec'));
  symlinkSync('../realib', join(d, 'specs', 'lib'));
  const r = await check(join(d, 'realib'), join(d, 'specs'));
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out.split('\n').at(-1)!, /^3 scenarios: 3 as expected, 0 not \(/);
});

/** Whether `s` holds a control character other than a newline, raw (as a terminal would take it). */
function rawControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

// The table printed the paths it found as they are: a file named with an escape sequence
// drove the terminal, where every other report (a diagnostic, a failure) shows it escaped.
test('check: a spec or trace named with control characters is listed escaped (\\x1b), never raw', async () => {
  const d = tmp('gate');
  const hostile = join(d, 'x\x1b[31m');
  mkdirSync(hostile, { recursive: true });
  const spec = 'shared x: int;\nthread t() { x = 1; }\nscenario s expect pass { t(); }\n';
  writeFileSync(join(hostile, 'ok\x07.mmspec'), spec);
  mkdirSync(join(d, 'traces'));
  writeFileSync(join(d, 'traces', 'bad\x1b.json'), spec);
  const r = await check(hostile, '--traces', join(d, 'traces'));
  assert.equal(r.code, 1, r.out + r.err);
  assert.ok(!rawControl(r.out), r.out);
  assert.match(r.out, /x\\x1b\[31m\/ok\\x07\.mmspec$/m);
  assert.match(r.out, /bad\\x1b\.json/);
});

test('errors that name a path found in a folder or by the shell show its control characters escaped', async () => {
  const d = tmp('names');
  mkdirSync(d, { recursive: true });
  symlinkSync(join(d, 'gone'), join(d, 'dangling\x1b[31m.mmspec'));
  const r = await check(d);
  assert.equal(r.code, 2, r.out + r.err);
  assert.ok(!rawControl(r.err), r.err);
  assert.match(r.err, /dangling\\x1b\[31m\.mmspec: a symbolic link that cannot be followed/);
  const part = join(d, 'part\x1b[31m.json');
  writeFileSync(part, '{}');
  const m = await run('merge', part);
  assert.equal(m.code, 2, m.out + m.err);
  assert.ok(!rawControl(m.err), m.err);
  assert.match(m.err, /part\\x1b\[31m\.json: error: not an mmcheck part file/);
});

test('check: paths that do not exist, and folders without specs, are usage errors', async () => {
  const r = await check(`${F}/nope`);
  assert.equal(r.code, 2);
  assert.match(r.err, /mmcheck: no such file or folder: 'test\/fixtures\/check\/nope'/);
  const empty = await check(`${F}/traces`);
  assert.equal(empty.code, 2);
  assert.match(empty.err, /no \.mmspec files under/);
});

test('check: --mode dpor --por picks the DPOR variant (lastzero n3: 73 transitions optimal, 64 source)', async () => {
  const transitions = async (por: string): Promise<number> => {
    const r = await check('specs/bench/lastzero.mmspec', '--mode', 'dpor', '--por', por, '--json', '-j', '1');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as {
      cases: { scenario: string; mode: string; stats: { executions: number; transitions: number } }[];
    };
    const n3 = report.cases.find((c) => c.scenario === 'n3')!;
    assert.equal(n3.mode, 'dpor');
    assert.equal(n3.stats.executions, 12);
    return n3.stats.transitions;
  };
  assert.equal(await transitions('optimal'), 73);
  assert.equal(await transitions('source'), 64);
});
