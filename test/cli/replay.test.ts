import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { readTrace } from '../../src/checker/trace/file.js';
import { replayTrace } from '../../src/checker/trace/replay.js';
import type { Io } from '../../src/cli/exit.js';
import { main } from '../../src/cli/main.js';
import { cmdReplay } from '../../src/cli/replay.js';
import { StepSession } from '../../src/cli/step.js';

const RFC_TRACE = 'traces/rfc-2008-example.fault_vs_munmap.premature_free.json';

function capture(): Io & { text: () => string; errors: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    color: false,
    text: () => out.join('\n'),
    errors: () => err.join('\n'),
  };
}

test('replay: a committed trace reproduces, exit 0', async () => {
  const io = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE], io), 0);
  assert.match(io.text(), /reproduced: premature_free at step 20 \(rfc-2008-example\.mmspec:42\), as recorded$/);
});

test('replay: unreadable or foreign input is exit 2 with one line naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  const cases: [string, RegExp][] = [
    [
      '{"format": "something-else"}',
      /^mmcheck: .*x\.json: is not an mmcheck trace: field "format" must be "mmcheck-trace"$/,
    ],
    [readFileSync(RFC_TRACE, 'utf8').slice(0, 1000), /^mmcheck: .*x\.json: the file looks truncated/],
    [
      readFileSync(RFC_TRACE, 'utf8').replace(
        '"thread":1,"threadName":"munmap","choice":0,"step":0',
        '"thread":-1,"threadName":"munmap","choice":0,"step":0',
      ),
      /field "schedule\[7\]\.thread" must be at least 0$/,
    ],
  ];
  for (const [text, want] of cases) {
    writeFileSync(join(dir, 'x.json'), text);
    const io = capture();
    assert.equal(await main(['node', 'mmcheck', 'replay', join(dir, 'x.json')], io), 2);
    assert.match(io.errors(), want);
    assert.equal(io.text(), '');
  }
  const io = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', join(dir, 'missing.json')], io), 2);
  assert.match(io.errors(), /^mmcheck: cannot read trace '.*missing\.json': no such file$/);
});

/**
 * A folder for a trace whose spec is not where it says: one level down in a fresh folder, so
 * that the trace's `../specs/…` resolves inside that folder, never to a specs/ another
 * program left in the system's temp folder (one did: these tests then replayed it, exit 0).
 */
function movedTraceDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'mmcheck-replay-')), 'traces');
  mkdirSync(dir);
  return dir;
}

test('replay: a trace whose spec moved is exit 2 and suggests --spec; --spec finds it', async () => {
  const dir = movedTraceDir();
  writeFileSync(join(dir, 't.json'), readFileSync(RFC_TRACE));
  const io = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', join(dir, 't.json')], io), 2);
  assert.match(
    io.errors(),
    /cannot read spec .*: no such file \(the trace names "\.\.\/specs\/rfc-2008-example\.mmspec", relative to its folder; `mmcheck replay --spec S` replays it on another spec\)/,
  );
  assert.equal(
    await main(
      ['node', 'mmcheck', 'replay', join(dir, 't.json'), '--spec', 'specs/rfc-2008-example.mmspec'],
      capture(),
    ),
    0,
  );
});

test('replay: a diverging trace is exit 1 with where and why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  const spec = join(dir, 'rfc-2008-example.mmspec');
  writeFileSync(
    spec,
    readFileSync('specs/rfc-2008-example.mmspec', 'utf8').replace(
      'spin_lock(pt.ptl);\n  if (atomic_read',
      'spin_lock(mmap_sem);\n  if (atomic_read',
    ),
  );
  const io = capture();
  // The edit does not type-check (spin_lock on an rwsem): that is unreadable input, exit 2.
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--spec', spec], io), 2);
  writeFileSync(
    spec,
    readFileSync('specs/rfc-2008-example.mmspec', 'utf8').replace(
      'if (v == null || v.start > addr) goto out;',
      'if (v == null || v.start < 5) goto out;',
    ),
  );
  const io2 = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--spec', spec, '--width', '100'], io2), 1);
  // fault now takes `goto out` at step 3 and finishes after step 4; the trace wants it at step 5.
  assert.match(
    io2.text(),
    /NOT reproduced: step 5: fault has already finished; the spec changed since the trace was recorded\n {2}\(rfc-2008-example\.mmspec: hash differs\)/,
  );
  assert.match(io2.text(), /note: step 3: the trace recorded fault at `if \(v == null \|\| v\.start > addr\)`/);
});

test('replay: a hand-edited trace of an unchanged spec says the file may have been edited', async () => {
  // It blamed mmcheck alone ("so mmcheck's semantics changed since 0.1.0 recorded the
  // trace"), though the same mmcheck had recorded it and only the file had changed.
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  const edited = readFileSync(RFC_TRACE, 'utf8').replace(
    '"scenario": "fault_vs_munmap"',
    '"scenario": "fault_vs_munmapp"',
  );
  writeFileSync(join(dir, 't.json'), edited);
  const io = capture();
  const args = ['node', 'mmcheck', 'replay', join(dir, 't.json'), '--spec', 'specs/rfc-2008-example.mmspec'];
  assert.equal(await main(args, io), 1);
  assert.match(
    io.errors(),
    /the spec has no scenario 'fault_vs_munmapp' \(its scenarios: fault_vs_munmap, two_faults\); the spec is unchanged \(same sha256\): the trace file was edited, or mmcheck's semantics changed since 0\.1\.0 recorded it$/,
  );
});

test('replay --spec on a renamed copy: reproduced, with no note of a state that differs only in the file name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  writeFileSync(join(dir, 'copy.mmspec'), readFileSync('specs/rfc-2008-example.mmspec'));
  const io = capture();
  assert.equal(
    await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--spec', join(dir, 'copy.mmspec'), '--json'], io),
    0,
  );
  const j = JSON.parse(io.text()) as { reproduced: boolean; notes: string[]; changed: string[] };
  assert.deepEqual([j.reproduced, j.changed], [true, []]);
  // It said "the initial state differs from the recorded one in mm::threads": each thread's
  // `at` names the spec file, copy.mmspec:19 where the trace has rfc-2008-example.mmspec:19.
  assert.deepEqual(j.notes, []);
  // A state that does differ is still pointed at.
  const t = JSON.parse(readFileSync(RFC_TRACE, 'utf8')) as { states: Record<string, unknown>[] };
  t.states[2]!['mm::rcu'] = { readers: { '#set': ['fault'] } };
  writeFileSync(join(dir, 't.json'), JSON.stringify(t));
  const io2 = capture();
  assert.equal(
    await main(['node', 'mmcheck', 'replay', join(dir, 't.json'), '--spec', join(dir, 'copy.mmspec'), '--json'], io2),
    0,
  );
  assert.deepEqual((JSON.parse(io2.text()) as { notes: string[] }).notes, [
    'the state after step 2 differs from the recorded one in mm::rcu',
  ]);
});

test('replay: a trace saved by an editor with a byte order mark or CRLF line ends still reads', async () => {
  // JSON.parse refused the BOM: "it is not valid JSON (Unexpected token '\ufeff' …)".
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  const text = readFileSync(RFC_TRACE, 'utf8');
  writeFileSync(join(dir, 'bom.json'), `\ufeff${text}`);
  writeFileSync(join(dir, 'crlf.json'), `\ufeff${text.replace(/\n/g, '\r\n')}`);
  for (const f of ['bom.json', 'crlf.json']) {
    const io = capture();
    const args = ['node', 'mmcheck', 'replay', join(dir, f), '--spec', 'specs/rfc-2008-example.mmspec'];
    assert.equal(await main(args, io), 0, io.errors());
    assert.match(io.text(), /reproduced: premature_free at step 20 .*, as recorded$/);
  }
});

test('replay --json and --html', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  const io = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--json', '--html', join(dir, 'out.html')], io), 0);
  const j = JSON.parse(io.text()) as {
    reproduced: boolean;
    steps: unknown[];
    violation: { kind: string; position: string };
  };
  assert.equal(j.reproduced, true);
  assert.equal(j.steps.length, 20);
  assert.deepEqual([j.violation.kind, j.violation.position], ['premature_free', 'rfc-2008-example.mmspec:42']);
  assert.match(readFileSync(join(dir, 'out.html'), 'utf8'), /^<!doctype html>/);
});

// The page was written before the verdict was printed: a write that failed printed only its
// error, and the verdict (reproduced or not) was lost.
test('replay --html whose write fails: the verdict still, then the write error, exit 2 (--json: one document with both)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-replay-'));
  const text = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--html', dir], text), 2);
  assert.match(text.text(), /\nreproduced: premature_free at step 20 \(rfc-2008-example\.mmspec:42\), as recorded$/);
  assert.equal(text.errors(), `error: cannot write ${dir}: it is a folder`);
  const json = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--html', dir, '--json'], json), 2);
  const j = JSON.parse(json.text()) as { reproduced: boolean; error: string };
  assert.deepEqual([j.reproduced, j.error], [true, `cannot write ${dir}: it is a folder`]);
  assert.equal(json.errors(), `error: cannot write ${dir}: it is a folder`);
});

test('replay --json: every exit 2 is also one JSON document on stdout, {"error": …}', async () => {
  const dir = movedTraceDir();
  writeFileSync(join(dir, 'cut.json'), readFileSync(RFC_TRACE, 'utf8').slice(0, 500));
  writeFileSync(join(dir, 'moved.json'), readFileSync(RFC_TRACE));
  writeFileSync(join(dir, 'bad.mmspec'), 'thread t() { x = ; }\n');
  const cases: [string[], RegExp][] = [
    [[join(dir, 'cut.json')], /cut\.json: the file looks truncated/],
    [[join(dir, 'moved.json')], /^cannot read spec .*: no such file/],
    [[RFC_TRACE, '--spec', join(dir, 'bad.mmspec')], /^the spec of .* no longer compiles; fix it, or pass --spec$/],
    [[RFC_TRACE, '--html', dir], /^cannot write .*: it is a folder$/],
  ];
  for (const [args, want] of cases) {
    const io = capture();
    assert.equal(await main(['node', 'mmcheck', 'replay', ...args, '--json'], io), 2, args.join(' '));
    const j = JSON.parse(io.text()) as { error: string };
    assert.match(j.error, want, args.join(' '));
  }
});

test('replay --step --json: refused as a usage error, one JSON document (on a terminal --step was ignored)', async () => {
  const io = capture();
  assert.equal(await main(['node', 'mmcheck', 'replay', RFC_TRACE, '--step', '--json'], io), 2);
  const j = JSON.parse(io.text()) as { error: string };
  assert.equal(j.error, '--step walks the trace interactively and --json prints it as one document: give one of them');
});

test('replay --step: refuses without a terminal (exit 2); the session walks, shows and quits', async () => {
  const io = capture();
  const notTty = { input: Object.assign(new PassThrough(), { isTTY: false }), output: new PassThrough() };
  assert.equal(await cmdReplay(RFC_TRACE, { step: true }, io, notTty), 2);
  assert.match(io.errors(), /stdin is not a terminal/);

  const t = readTrace(RFC_TRACE);
  assert.ok(t.ok);
  const r = replayTrace(t.trace, RFC_TRACE);
  if (r.kind !== 'replayed') return assert.fail(r.kind);
  const s = new StepSession(r.view);
  assert.match(s.start(), /^20 steps; n \(or Enter\) next/);
  assert.equal(s.handle('b').out, 'at the initial state (n goes forward)');
  assert.match(
    s.handle('n').out,
    /^step 1\/20 {2}fault {2}specs\/rfc-2008-example\.mmspec:19 {2}idx = srcu_read_lock\(mm_srcu\);\n {2}mm_srcu\.readers: \{\} → \{fault\}$/,
  );
  for (let i = 2; i <= 7; i++) s.handle('');
  assert.match(s.handle('n').out, /^step 8\/20 {2}munmap .* \(preempts fault\)/);
  assert.equal(s.handle('s pmd').out, 'pmd (after step 8): pte_page#0');
  assert.equal(s.handle('s pte_page#0.ptl').out, 'pte_page#0.ptl (after step 8): unlocked');
  assert.match(
    s.handle('s fault').out,
    /^fault \(after step 8\): runnable; next `spin_lock\(pt\.ptl\);` .*; inside read sections of mm_srcu$/,
  );
  assert.match(
    s.handle('s nothing').out,
    /^no global, object or thread named 'nothing'; try one of: mmap_sem, mm_srcu, tree, pmd, unmapped, vma#0, pte_page#0, fault, munmap$/,
  );
  for (let i = 9; i <= 19; i++) s.handle('n');
  const last = s.handle('n').out;
  assert.match(last, /^step 20\/20 {2}munmap .*free\(pt\);\n {2}✗ premature_free: /);
  assert.match(
    s.handle('s pte_page#0').out,
    /^pte_page#0 \(after step 20 \(the state before the violating step, which did not complete\)\): allocated /,
  );
  assert.equal(s.handle('n').out, 'at the last step (b goes back, q quits)');
  assert.deepEqual(s.handle('q'), { out: '', done: true });
});

test('explore: writes no trace by default; --trace-out writes one (file or directory/); --no-save wins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-explore-'));
  const spec = 'test/fixtures/traces/uaf.mmspec';
  const before = readdirSync('traces').sort();
  const io = capture();
  assert.equal(await main(['node', 'mmcheck', 'explore', spec, '--mode', 'bfs'], io), 1);
  assert.doesNotMatch(io.text(), /trace saved/);
  assert.match(io.text(), /minimised: 5 → 5 steps/);
  assert.deepEqual(readdirSync('traces').sort(), before);

  const out = join(dir, 'sub', 'uaf.json');
  const io2 = capture();
  assert.equal(await main(['node', 'mmcheck', 'explore', spec, '--mode', 'bfs', '--trace-out', out], io2), 1);
  assert.match(io2.text(), /minimised: 5 → 5 steps, 1 → 1 preemptions \(minimal: /);
  assert.match(io2.text(), /trace saved: .*uaf\.json \(replay it with: mmcheck\s+replay .*uaf\.json\)/);
  assert.equal(await main(['node', 'mmcheck', 'replay', out], capture()), 0);

  const out2 = join(dir, 'none.json');
  assert.equal(
    await main(['node', 'mmcheck', 'explore', spec, '--mode', 'bfs', '--trace-out', out2, '--no-save'], capture()),
    1,
  );
  assert.equal(existsSync(out2), false);

  const io3 = capture();
  assert.equal(
    await main(
      ['node', 'mmcheck', 'explore', spec, '--mode', 'bfs', '--trace-out', `${dir}/`, '--no-minimize', '--json'],
      io3,
    ),
    1,
  );
  assert.ok(existsSync(join(dir, 'uaf.reader_vs_release.use_after_free.json')));
  assert.doesNotMatch(io3.errors(), /minimised/);
  assert.match(io3.errors(), /trace saved/); // notes go to stderr with --json, so stdout stays JSON
  JSON.parse(io3.text());

  const io4 = capture();
  assert.equal(
    await main(
      [
        'node',
        'mmcheck',
        'explore',
        'specs/rfc-2008-example.mmspec',
        '--mode',
        'bfs',
        '--trace-out',
        join(dir, 'one.json'),
      ],
      io4,
    ),
    2,
  );
  assert.match(
    io4.errors(),
    /--trace-out .*one\.json names one file, but 2 scenarios are explored; pick one with --scenario, or give a directory \(ending in \/\)/,
  );
});

test('replay --step: end of input ends the session (exit 0), also with text typed on the line', async () => {
  for (const keys of ['\x04', 'n\r\x04', 'abc\x04']) {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => {
      shown += d.toString();
    });
    const run = cmdReplay(RFC_TRACE, { step: true }, capture(), { input, output });
    setTimeout(() => input.write(keys), 20);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('still waiting after 5 s'), 5000);
    });
    assert.equal(await Promise.race([run, hung]), 0, `keys ${JSON.stringify(keys)}`);
    clearTimeout(timer);
    assert.match(shown, /^20 steps; n \(or Enter\) next/);
    assert.ok(shown.endsWith('\n'), 'the shell prompt starts on a line of its own');
  }
});
