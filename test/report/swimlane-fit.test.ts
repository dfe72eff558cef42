// The swimlanes at any width and any size: long thread names, many threads, narrow
// terminals and very long counterexamples render without a crash and fit the width; cells
// break at punctuation; text from a file cannot reach the terminal as control characters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exploreSpec } from '../../src/checker/explore-spec.js';
import type { StepView, TraceView } from '../../src/checker/trace/trace-view.js';
import { compileFile, compileText, findScenario } from '../../src/model/compile.js';
import { renderSwimlanes } from '../../src/report/swimlane.js';
import { cleanText, wrap } from '../../src/report/text-fit.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A view of `steps` (thread, name, statement), the last step violating. */
function view(steps: [number, string, string][]): TraceView {
  const out: StepView[] = steps.map(([thread, threadName, text], i) => ({
    index: i + 1,
    thread,
    threadName,
    text,
    position: `x.mmspec:${10 + i}`,
    preempted: i > 0 && steps[i - 1]![0] !== thread,
    finished: false,
    changes: [{ object: 'x', kind: 'value', before: String(i), after: String(i + 1) }],
  }));
  return {
    scenario: 's',
    mainFile: 'x.mmspec',
    steps: out,
    states: [],
    preemptions: out.filter((s) => s.preempted).map((s) => s.index),
    violation: { kind: 'assertion', message: 'assertion failed', objects: [], involved: [] },
    stepViolation: true,
  };
}

function assertFits(text: string, width: number, what: string): void {
  for (const line of text.split('\n')) assert.ok([...line].length <= width, `${what} at ${width}: ${line}`);
}

test('swimlanes: a thread name longer than its lane (77 characters) renders and fits', () => {
  const long = `t${'x'.repeat(76)}`;
  const v = view([
    [0, long, 'a = 1;'],
    [1, 'other', 'b = 2;'],
    [0, long, 'c = 3;'],
  ]);
  for (const width of [40, 60, 80, 100, 200]) {
    const text = renderSwimlanes(v, { color: false, width });
    assertFits(text, width, 'long name');
    assert.match(text, /c = 3;/);
  }
});

test('swimlanes: five threads with 14-character names render one line per step at 80 columns', () => {
  const names = ['reader_noretry', 'writer_retries', 'munmap_handler', 'fault_handler1', 'fault_handler2'];
  const v = view(names.map((n, i): [number, string, string] => [i, n, `spin_lock(lock${i});`]));
  const text = renderSwimlanes(v, { color: false, width: 80 });
  assertFits(text, 80, 'five threads');
  assert.match(text, /^ {2}step line {2}thread +statement → changes$/m);
  assert.match(text, /^ +1 +10 {2}reader_noretry {2}spin_lock\(lock0\); {2}→ x = 1$/m);
  assert.match(
    text,
    /^⋯ +3 +12 {2}munmap_handler {2}spin_lock\(lock2\); {2}\(preempts writer_retries\)\n {31}→ x = 3$/m,
  );
  // The same at 200 columns: lanes.
  assert.match(renderSwimlanes(v, { color: false, width: 200 }), /│ reader_noretry +│ writer_retries +│/);
});

test('swimlanes: the seqlock torn_r2w2 counterexample (16-character names) renders at 80 and 100', async () => {
  const path = `${ROOT}specs/bench/seqlock.mmspec`;
  const r = compileFile(path);
  assert.ok(r.ok);
  const sc = findScenario(r.spec, 'torn_r2w2')!;
  const [e] = await exploreSpec(path, r.spec, [sc], { mode: 'dfs' }, { minimize: false });
  assert.ok(e!.trace !== null);
  for (const width of [40, 80, 100]) {
    const text = renderSwimlanes(e!.trace, { color: false, width });
    assertFits(text, width, 'torn_r2w2');
    assert.match(text, /reader_noretry#2/);
  }
});

test('swimlanes: 100,000 steps render (no spread or recursion over the steps)', () => {
  const steps: [number, string, string][] = [];
  for (let i = 0; i < 100_000; i++) steps.push([i % 3 === 0 ? 1 : 0, i % 3 === 0 ? 'b' : 'a', `x = ${i};`]);
  const text = renderSwimlanes(view(steps), { color: false, width: 80 });
  assert.match(
    text,
    /^ {2}path: 100,000 steps, 66,666 preemptions \(before step 2, 4, 5, 7, 8, 10, 11,\n {4}13, … 66,658 more\)/m,
  );
  assert.match(text, /^✗ 100000 +100009 │/m);
});

test('explore: a 70,000-step counterexample is replayed and printed', async () => {
  const r = compileText(`shared n: int;
thread counter() {
  while (n < 35000) { n = n + 1; }
  assert(n < 35000, "counted to the end");
}
scenario long expect violation(assertion) { counter(); }
`);
  assert.ok(r.ok);
  const [e] = await exploreSpec('long.mmspec', r.spec, r.spec.scenarios, { mode: 'bfs', maxDepth: 100_000 }, {});
  assert.equal(e!.run.got, 'violation(assertion)');
  assert.equal(e!.trace?.steps.length, 70_002);
  const text = renderSwimlanes(e!.trace!, { color: false, width: 80 });
  assert.match(text, /^✗ 70002 +4 │ assert\(n < 35000, "counted to the end"\);/m);
});

test('wrap: cells break at spaces and punctuation, not inside identifiers', () => {
  assert.deepEqual(wrap('spin_lock(lock);', 14), ['spin_lock(', '  lock);']);
  assert.deepEqual(wrap('s = read_seqcount_begin(seq);', 20), ['s = read_seqcount_', '  begin(seq);']);
  assert.deepEqual(wrap('write_seqcount_begin(seq);', 20), ['write_seqcount_', '  begin(seq);']);
  assert.deepEqual(wrap('lock = held by writer#1', 18), ['lock = held by', '  writer#1']);
  assert.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrap('', 10), ['']);
});

test('cleanText: control characters from a file are shown as escapes, never sent to the terminal', () => {
  assert.equal(cleanText('x = 1;\x1b[2J\x1b]0;pwned\x07'), 'x = 1;\\x1b[2J\\x1b]0;pwned\\x07');
  assert.equal(cleanText('a\u009bb\x7fc'), 'a\\x9bb\\x7fc');
  assert.equal(cleanText('two\nlines'), 'two\\x0alines');
  assert.equal(cleanText('two\nlines', true), 'two\nlines');
  assert.equal(cleanText('vma#0 ↦ ok'), 'vma#0 ↦ ok');
  const v = view([
    [0, 'evil\x1b]0;title\x07', 'x = 1;\x1b[2J'],
    [1, 'b', 'y = 2;'],
  ]);
  for (const width of [40, 80, 200]) {
    const text = renderSwimlanes(v, { color: false, width });
    assert.equal(cleanText(text, true), text, 'no control character but newlines');
    assert.match(text, /\\x1b\[2J/);
  }
});
