import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readTrace } from '../../src/checker/trace/file.js';
import { replayTrace } from '../../src/checker/trace/replay.js';
import { colorFor, fitColumns, renderSwimlanes, wrap } from '../../src/report/swimlane.js';
import { GOLDEN_TRACES, goldenPath, renderTraceGolden } from '../support/golden-traces.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI colour escape starts with ESC
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;

// Golden files: what `mmcheck replay <trace>` prints, without colour. Regenerate with
// `npm run golden` and review the diff.
for (const trace of GOLDEN_TRACES) {
  test(`swimlanes golden: ${trace}`, async () => {
    const { text, code } = await renderTraceGolden(trace);
    assert.equal(code, 0);
    assert.equal(text, readFileSync(goldenPath(trace), 'utf8'));
  });
}

function replayed(path: string): Extract<ReturnType<typeof replayTrace>, { kind: 'replayed' }> {
  const t = readTrace(path);
  assert.ok(t.ok);
  const r = replayTrace(t.trace, path);
  assert.equal(r.kind, 'replayed');
  return r as Extract<ReturnType<typeof replayTrace>, { kind: 'replayed' }>;
}

test('swimlanes: every line fits the width (100, and narrower), colour or not', () => {
  for (const trace of GOLDEN_TRACES) {
    const { view } = replayed(trace);
    for (const width of [100, 80, 60, 40]) {
      const text = renderSwimlanes(view, { color: false, width });
      for (const line of text.split('\n'))
        assert.ok([...line].length <= width, `${trace} at ${width}: ${line.length}: ${line}`);
    }
  }
});

test('replay output: every line of the golden renderings fits 100 columns', () => {
  for (const trace of GOLDEN_TRACES) {
    for (const line of readFileSync(goldenPath(trace), 'utf8').split('\n'))
      assert.ok([...line].length <= 100, `${trace}: ${line}`);
  }
});

test('swimlanes: colour adds escapes only; the text without them is identical', () => {
  const { view } = replayed(GOLDEN_TRACES[0]!);
  const plain = renderSwimlanes(view, { color: false });
  const colored = renderSwimlanes(view, { color: true });
  assert.notEqual(colored, plain);
  assert.ok(colored.includes('\x1b[31m')); // the violating row is red
  assert.equal(colored.replace(ANSI_COLOR, ''), plain);
  assert.ok(!plain.includes('\x1b'));
});

test('colour: only on a TTY, and never with NO_COLOR or TERM=dumb', () => {
  assert.equal(colorFor({ isTTY: true }, {}), true);
  assert.equal(colorFor({ isTTY: false }, {}), false);
  assert.equal(colorFor({}, {}), false);
  assert.equal(colorFor({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorFor({ isTTY: true }, { NO_COLOR: '' }), true); // no-color.org: set and non-empty
  assert.equal(colorFor({ isTTY: true }, { TERM: 'dumb' }), false);
});

test('swimlanes: the violating row is marked and the freed object shows where it was allocated and freed', () => {
  const { view } = replayed('test/fixtures/traces/uaf.reader_vs_release.use_after_free.json');
  const text = renderSwimlanes(view, { color: false });
  assert.match(text, /^✗ +5 +14 │ x = o\.val;/m);
  assert.match(text, /allocated {2}by init, before step 1/);
  assert.match(text, /freed {6}step 4 {3}release, line 22: free\(o\);/);
  assert.match(text, /^ +2 +20 │ ⋯ preempted │ o = cur;/m);
});

test('wrap and fitColumns: words kept whole where possible, widths within the total', () => {
  // Breaks at punctuation rather than inside `usage` (it cut `v.u|sage` before).
  assert.deepEqual(wrap('await atomic_cmpxchg(v.usage, 1, 0) == 1;', 20), [
    'await atomic_',
    '  cmpxchg(v.usage,',
    '  1, 0) == 1;',
  ]);
  assert.deepEqual(wrap('', 10), ['']);
  assert.deepEqual(wrap('a b c', 3), ['a b', 'c']);
  assert.deepEqual(fitColumns([10, 20, 30], 100, [8, 8, 8]), [10, 20, 30]);
  assert.deepEqual(fitColumns([40, 40, 40], 90, [8, 8, 8]), [30, 30, 30]);
  assert.deepEqual(fitColumns([10, 60, 60], 80, [8, 8, 8]), [10, 35, 35]);
});
