// The command line's first minute: no command is usage and exit 2; every numeric flag names
// itself and the form it wants; the width and the colour follow --width, $COLUMNS, the
// terminal, --color/--no-color and FORCE_COLOR; nothing from a trace file reaches the
// terminal as a control character.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { fitProgress, terminalWidth } from '../../src/cli/terminal.js';
import { colorFor } from '../../src/report/swimlane.js';
import { cleanText } from '../../src/report/text-fit.js';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'mmcheck', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const SEQLOCK = 'specs/bench/seqlock.mmspec';

test('mmcheck with no arguments prints the usage on stderr and exits 2', async () => {
  const r = await run();
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^Usage: mmcheck \[options\] \[command\]/);
  assert.match(r.err, /explore \[options\] <spec>/);
});

test('every numeric flag of every command names itself and the form it wants (exit 2)', async () => {
  const cases: [string[], string, string][] = [
    [['explore', SEQLOCK, '--max-states', 'abc'], '--max-states <n|none>', 'abc'],
    [['explore', SEQLOCK, '--max-states', '-5'], '--max-states <n|none>', '-5'],
    [['explore', SEQLOCK, '--max-states', '1.5e0'], '--max-states <n|none>', '1.5e0'],
    [['explore', SEQLOCK, '--max-states', '0x10'], '--max-states <n|none>', '0x10'],
    [['explore', SEQLOCK, '--max-states', ''], '--max-states <n|none>', ''],
    [['explore', SEQLOCK, '--max-depth', '2.5'], '--max-depth <n>', '2.5'],
    [['explore', SEQLOCK, '--max-seconds', '1.5x'], '--max-seconds <s>', '1.5x'],
    [['explore', SEQLOCK, '--max-seconds', 'Infinity'], '--max-seconds <s>', 'Infinity'],
    [['explore', SEQLOCK, '--preemption-bound', 'x'], '--preemption-bound <k>', 'x'],
    [['explore', SEQLOCK, '--seed', '-1'], '--seed <n>', '-1'],
    [['explore', SEQLOCK, '--executions', '10k'], '--executions <n>', '10k'],
    [['check', SEQLOCK, '--jobs', 'two'], '-j, --jobs <n>', 'two'],
    [['check', SEQLOCK, '--max-states', '1e99'], '--max-states <n|none>', '1e99'],
    [['check', SEQLOCK, '--max-seconds', '-3'], '--max-seconds <s>', '-3'],
    [['explore', SEQLOCK, '--width', '5x'], '--width <n>', '5x'],
    [['replay', 'x.json', '--width', '10'], '--width <n>', '10'],
  ];
  for (const [args, flag, value] of cases) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(r.err.startsWith(`error: option '${flag}' argument '${value}' is invalid. expected `), r.err);
  }
});

test('width: --width, else $COLUMNS, else the terminal, else 80', () => {
  assert.equal(terminalWidth({ isTTY: false }, {}), 80);
  assert.equal(terminalWidth({ isTTY: true, columns: 132 }, {}), 132);
  assert.equal(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: '90' }), 90);
  assert.equal(terminalWidth({ isTTY: false }, { COLUMNS: '100' }), 100);
  assert.equal(terminalWidth({ isTTY: false }, { COLUMNS: 'wide' }), 80);
  assert.equal(terminalWidth({ isTTY: true, columns: 20 }, {}), 40);
});

test('explore --width N fits every line of the counterexample in N columns', async () => {
  for (const width of ['60', '80', '100']) {
    const r = await run('explore', SEQLOCK, '-s', 'torn_r2w2', '--mode', 'dfs', '--no-minimize', '--width', width);
    assert.equal(r.code, 1);
    // The verdict line is a log record and stays whole; every other line fits.
    for (const line of r.out.split('\n').slice(1)) assert.ok([...line].length <= Number(width), `${width}: ${line}`);
  }
});

test('colour: --color and --no-color decide; else FORCE_COLOR; else a TTY without NO_COLOR', async () => {
  assert.equal(colorFor({ isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colorFor({ isTTY: true }, { FORCE_COLOR: '0' }), false);
  assert.equal(colorFor({ isTTY: true }, {}), true);
  const colored = await run('explore', SEQLOCK, '-s', 'torn', '--color');
  assert.ok(colored.out.includes('\x1b[31m'));
  const out: string[] = [];
  const plain = await main(['node', 'mmcheck', 'explore', SEQLOCK, '-s', 'torn', '--no-color'], {
    out: (s) => out.push(s),
    err: () => {},
    color: true,
  });
  assert.equal(plain, 1);
  assert.ok(!out.join('\n').includes('\x1b'));
});

test('replay: escape sequences in a trace file are shown escaped, never sent to the terminal', async () => {
  const trace = JSON.parse(readFileSync('test/fixtures/traces/uaf.reader_vs_release.use_after_free.json', 'utf8'));
  trace.mmcheck = '0.1.0\x1b]0;owned\x07';
  trace.schedule[0].text = 'o = cur;\x1b[2J';
  trace.violation.message = 'freed\x1b[2J\u009b31m';
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-escape-'));
  const path = join(dir, 'evil.json');
  writeFileSync(path, JSON.stringify(trace));
  const r = await run('replay', path, '--spec', 'test/fixtures/traces/uaf.mmspec');
  const text = `${r.out}\n${r.err}`;
  assert.equal(cleanText(text, true), text, 'no control character but newlines');
  assert.match(text, /mmcheck 0\.1\.0\\x1b\]0;owned\\x07/);
});

test('--json: a usage error is one JSON document on stdout too (a missing spec, an unknown scenario, a bad value)', async () => {
  for (const args of [
    ['explore', 'specs/nope.mmspec', '--json'],
    ['explore', SEQLOCK, '-s', 'nope', '--json'],
    ['explore', SEQLOCK, '--max-states', 'abc', '--json'],
  ]) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(' '));
    const j = JSON.parse(r.out) as { error: string };
    assert.match(j.error, /nope|abc/);
  }
});

test('fitProgress: a progress line narrower than the terminal, the name giving way first', () => {
  const counts = ': 4,381,800 states, 234,589/s, depth 54, queue 351,048';
  const line = `x_two_stack_faults_vs_mmap_and_mprotect${counts}`;
  assert.equal(fitProgress(line, undefined), line);
  assert.equal(fitProgress(line, 200), line);
  for (let columns = counts.length + 2; columns <= line.length; columns++) {
    const fitted = fitProgress(line, columns);
    assert.equal(fitted.length, columns - 1, `${columns}: ${fitted}`);
    assert.ok(fitted.endsWith(`…${counts}`), `${columns}: ${fitted}`);
    assert.ok(line.startsWith(fitted.slice(0, fitted.indexOf('…'))), `${columns}: ${fitted}`);
  }
  assert.match(fitProgress(line, 80), /^x_two_stack_faults_vs_m[a-z_]*…: 4,381,800 states/);
  // Narrower than the counts: the name is gone, then the counts' end gives way.
  assert.equal(fitProgress(line, counts.length + 1), counts.slice(2));
  assert.equal(fitProgress(line, 40), `${counts.slice(2, 40)}…`);
  // Exactly as wide as the terminal wraps the cursor: one column spare.
  assert.equal(fitProgress('abcd', 4), 'ab…');
});
