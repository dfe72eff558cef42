// Files in and out of the CLI: `check` follows links and names what it cannot read; every
// file written is written whole or not at all, and a write that fails is one line and exit
// 2; inputs are bounded (size, kind of file, number of imports). Each case reproduced a
// stack trace, a hang, a truncated file or a silent pass before the fix.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runCli as run } from '../support/cli.js';

const BIN = resolve('bin/mmcheck.js');
const RFC = resolve('specs/rfc-2008-example.mmspec');
const RFC_TRACE = resolve('traces/rfc-2008-example.fault_vs_munmap.premature_free.json');

/** A subprocess, for what cannot run in process: a hang, a working directory, a file-size limit. */
function spawn(cmd: string, cwd: string): { status: number | null; out: string; err: string } {
  const r = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'mmcheck-files-'));
const NO_STACK = /^\s+at |node:internal|Node\.js v/m;

const PASSING = 'spec "p";\nshared x: int;\nthread t() { x = 1; }\nscenario s expect pass { t(); }\n';
const FAILING = 'spec "f";\nshared x: int;\nthread t() { x = 1; }\nscenario s expect violation(deadlock) { t(); }\n';

test('check: a linked spec and a linked folder are checked (a failing one fails the gate), a link cycle ends', async () => {
  const d = tmp();
  mkdirSync(join(d, 'elsewhere', 'deep'), { recursive: true });
  mkdirSync(join(d, 'specs'));
  writeFileSync(join(d, 'specs', 'ok.mmspec'), PASSING);
  writeFileSync(join(d, 'elsewhere', 'bad.mmspec'), FAILING);
  writeFileSync(join(d, 'elsewhere', 'deep', 'bad2.mmspec'), FAILING);
  symlinkSync(join(d, 'elsewhere', 'bad.mmspec'), join(d, 'specs', 'linked.mmspec'));
  symlinkSync(join(d, 'elsewhere', 'deep'), join(d, 'specs', 'linked-dir'));
  symlinkSync('..', join(d, 'specs', 'loop'));
  const r = await run('check', join(d, 'specs'), '--traces', join(d, 'none'), '--jobs', '1');
  assert.equal(r.code, 1, r.out + r.err);
  const failed = r.out.split('\n').filter((l) => l.trimStart().startsWith('FAIL  '));
  assert.equal(failed.length, 2, r.out);
  assert.match(r.out, /^2 scenarios: 0 as expected, 2 not|^3 scenarios: 1 as expected, 2 not/m);
});

test('check: an entry it cannot read is named, exit 2, before anything runs', async () => {
  const d = tmp();
  writeFileSync(join(d, 'ok.mmspec'), PASSING);
  symlinkSync(join(d, 'gone'), join(d, 'dangling.mmspec'));
  symlinkSync(join(d, 'gone-too'), join(d, 'dangling-dir'));
  const r = await run('check', d, '--traces', join(d, 'none'));
  assert.equal(r.code, 2);
  assert.equal(
    r.err,
    `mmcheck: cannot read 2 entries:\n  ${join(d, 'dangling-dir')}: a symbolic link that cannot be followed: no such file or folder\n  ${join(d, 'dangling.mmspec')}: a symbolic link that cannot be followed: no such file or folder`,
  );
  assert.equal(r.out, '');
  const t = await run('check', join(d, 'ok.mmspec'), '--traces', d);
  assert.equal(t.code, 2);
  assert.match(t.err, /^mmcheck: cannot read 2 entries:/);
});

test('check --junit/--sarif and explore --result-out naming a folder: exit 2 before anything runs', async () => {
  const d = tmp();
  writeFileSync(join(d, 'ok.mmspec'), PASSING);
  for (const flag of ['--junit', '--sarif']) {
    const r = await run('check', join(d, 'ok.mmspec'), '--traces', join(d, 'none'), flag, d);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.err, `error: cannot write ${d}: it is a folder`);
    assert.equal(r.out, '', 'the gate ran first and its result was lost');
  }
  const e = await run('explore', join(d, 'ok.mmspec'), '--partition', '0/2', '--result-out', d);
  assert.equal(e.code, 2, e.out + e.err);
  assert.equal(e.err, `error: cannot write ${d}: it is a folder`);
  assert.equal(e.out, '');
});

test('explore --trace-out: a write that fails is one line and exit 2 (a full device, a path under a file)', async () => {
  const d = tmp();
  writeFileSync(join(d, 'file'), '');
  const cases: [string, string][] = [
    ['/dev/full', 'error: cannot write /dev/full: no space left on device'],
    [join(d, 'file', 'x.json'), `error: cannot write ${join(d, 'file', 'x.json')}: a part of the path is not a folder`],
    [
      join(d, 'file', 'a', 'x.json'),
      `error: cannot write ${join(d, 'file', 'a', 'x.json')}: a part of the path is not a folder`,
    ],
  ];
  for (const [out, want] of cases) {
    const r = await run('explore', RFC, '-s', 'fault_vs_munmap', '--trace-out', out);
    assert.equal(r.code, 2, out);
    assert.equal(r.err.split('\n').at(-1), want);
    assert.doesNotMatch(r.err, NO_STACK);
  }
});

test('--trace-out and --sarif under /proc fail at once (they spun in a mkdir loop)', () => {
  const d = tmp();
  const a = spawn(`node ${BIN} explore ${RFC} -s fault_vs_munmap --trace-out /proc/x/y.json`, d);
  assert.equal(a.status, 2, a.err);
  assert.equal(a.err.trim().split('\n').at(-1), 'error: cannot write /proc/x/y.json: no such file or folder');
  const b = spawn(`node ${BIN} check ${RFC} --traces none --jobs 1 --sarif /proc/a/b`, d);
  assert.equal(b.status, 2, b.err);
  assert.equal(b.err.trim(), 'error: cannot write /proc/a/b: no such file or folder');
});

test('--json: a report or trace that cannot be written is the one JSON document on stdout, {"error": …}', async () => {
  const d = tmp();
  writeFileSync(join(d, 'ok.mmspec'), PASSING);
  const runs = [
    ['check', join(d, 'ok.mmspec'), '--traces', join(d, 'none'), '--jobs', '1', '--junit', '/proc/x/y.xml'],
    ['explore', RFC, '-s', 'fault_vs_munmap', '--trace-out', '/proc/x/y.json'],
  ];
  for (const args of runs) {
    const r = await run(...args, '--json');
    assert.equal(r.code, 2, r.out + r.err);
    assert.deepEqual(JSON.parse(r.out), { error: `cannot write ${args.at(-1)}: no such file or folder` });
  }
});

test('an empty output path names no file: one line, exit 2 (it said "cannot write : it is a folder")', async () => {
  const runs = [
    ['replay', RFC_TRACE, '--html', ''],
    ['explore', RFC, '-s', 'fault_vs_munmap', '--trace-out', ''],
    ['export', '--promela', RFC, '-s', 'fault_vs_munmap', '-o', ''],
    ['check', RFC, '--traces', 'none', '--jobs', '1', '--sarif', ''],
  ];
  for (const args of runs) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.err.split('\n').at(-1), "error: cannot write '': an empty path names no file", args.join(' '));
  }
  // An empty spec path read the working folder: "it is a folder, not a regular file".
  for (const args of [
    ['explore', ''],
    ['replay', RFC_TRACE, '--spec', ''],
  ]) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.err, "mmcheck: cannot read spec '': no such file", args.join(' '));
  }
});

test('an output path ending in / names a folder: refused, no file created (--html out/ wrote a file named out)', async () => {
  const d = tmp();
  const runs = [
    ['replay', RFC_TRACE, '--html'],
    ['export', '--promela', RFC, '-s', 'fault_vs_munmap', '-o'],
    ['check', RFC, '--traces', 'none', '--jobs', '1', '--junit'],
    ['explore', RFC, '-s', 'fault_vs_munmap', '--partition', '0/2', '--result-out'],
  ];
  for (const args of runs) {
    const out = `${join(d, args[0]!)}/`;
    const r = await run(...args, out);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(
      r.err.split('\n').at(-1),
      `error: cannot write ${out}: it ends in '/', so it names a folder; name a file`,
    );
    assert.equal(existsSync(join(d, args[0]!)), false, args.join(' '));
  }
});

test('explore --save where ./traces is a file: one line, exit 2', () => {
  const d = tmp();
  writeFileSync(join(d, 'traces'), '');
  const r = spawn(`node ${BIN} explore ${RFC} -s fault_vs_munmap --save`, d);
  assert.equal(r.status, 2, r.err);
  assert.equal(
    r.err.trim(),
    'error: cannot write traces/rfc-2008-example.fault_vs_munmap.premature_free.json: a part of the path is not a folder',
  );
});

test('--trace-out over a good trace on a full disk leaves the good trace whole (file-size limit as the full disk)', () => {
  const d = tmp();
  copyFileSync(RFC_TRACE, join(d, 't.json'));
  const before = readFileSync(join(d, 't.json'), 'utf8');
  // `ulimit -f 8`: writes past 8 KiB fail with EFBIG (SIGXFSZ ignored), as on a full disk.
  const r = spawn(`trap '' XFSZ; ulimit -f 8; node ${BIN} explore ${RFC} -s fault_vs_munmap --trace-out t.json`, d);
  assert.equal(r.status, 2, r.err);
  assert.equal(r.err.trim(), 'error: cannot write t.json: file too large');
  assert.equal(readFileSync(join(d, 't.json'), 'utf8'), before);
});

test('inputs are bounded: spec size, devices and FIFOs, imports, trace size; each named with its bound', async () => {
  const d = tmp();
  writeFileSync(join(d, 'big.mmspec'), `spec "big";\n${' '.repeat(4 * 1024 * 1024)}`);
  const big = await run('explore', join(d, 'big.mmspec'));
  assert.equal(big.code, 2);
  assert.equal(
    big.err,
    `mmcheck: cannot read spec '${join(d, 'big.mmspec')}': it is 4,194,316 bytes, over the 4 MiB limit for a spec file (set MMCHECK_MAX_SPEC_BYTES to raise it)`,
  );
  writeFileSync(join(d, 'zero.mmspec'), 'import "/dev/zero";\n');
  const zero = await run('show', join(d, 'zero.mmspec'));
  assert.equal(zero.code, 2);
  assert.match(
    zero.err,
    /zero\.mmspec:1:8: error\[MM420\]: cannot read imported file '\/dev\/zero': it is a character device, not a regular file\n/,
  );
  const dev = await run('replay', '/dev/zero');
  assert.equal(dev.code, 2);
  assert.equal(dev.err, "mmcheck: cannot read trace '/dev/zero': it is a character device, not a regular file");
  for (let i = 0; i < 3; i++) writeFileSync(join(d, `lib${i}.mmspec`), i < 2 ? `import "lib${i + 1}.mmspec";\n` : '');
  writeFileSync(join(d, 'chain.mmspec'), `import "lib0.mmspec";\n${PASSING}`);
  process.env.MMCHECK_MAX_SPEC_FILES = '3';
  try {
    const many = await run('show', join(d, 'chain.mmspec'));
    assert.equal(many.code, 2);
    assert.match(
      many.err,
      /lib1\.mmspec:1:8: error\[MM420\]: cannot read imported file 'lib2\.mmspec': the spec already loads 3 files, the limit \(set MMCHECK_MAX_SPEC_FILES to raise it\)/,
    );
  } finally {
    delete process.env.MMCHECK_MAX_SPEC_FILES;
  }
  assert.equal((await run('show', join(d, 'chain.mmspec'))).code, 0);
});

// 200 KB of random bytes gave 35,079 diagnostics and took 40 s to print them (each one counted
// the lines before it); 4 MiB, under the size bound, ran for a quarter of an hour.
test('a spec of random bytes: at most 100 errors reported, then MM020, exit 2', () => {
  const d = tmp();
  let x = 7;
  const bytes = Buffer.alloc(300_000);
  for (let i = 0; i < bytes.length; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    bytes[i] = x >>> 24;
  }
  writeFileSync(join(d, 'noise.mmspec'), bytes);
  const r = spawn(`node ${BIN} explore noise.mmspec`, d);
  assert.equal(r.status, 2, r.err.slice(-2000));
  assert.equal(r.out, '');
  assert.doesNotMatch(r.err, NO_STACK);
  const heads = r.err.split('\n').filter((l) => /^noise\.mmspec:\d+:\d+: error\[/.test(l));
  assert.equal(heads.length, 101, r.err.slice(-2000));
  assert.match(heads.at(-1)!, /: error\[MM020\]: more than 100 errors in this file; only the first 100 are reported$/);
});

test('MMCHECK_MAX_STEPS sets the bound on statements after inlining (MM229)', async () => {
  const r = await run('show', 'test/fixtures/invalid/95-inlined-too-long.mmspec');
  assert.equal(r.code, 2);
  assert.match(r.err, /error\[MM229\]: thread 't' has more than 100,000 statements once its fn calls are inlined/);
  const d = tmp();
  // t: its own call statement, then f0's two calls each inlining f1's two assignments: 7.
  const spec =
    'shared x: int;\nfn f1() { x = 1; x = 2; }\nfn f0() { f1(); f1(); }\nthread t() { f0(); }\nscenario s expect pass { t(); }\n';
  writeFileSync(join(d, 's.mmspec'), spec);
  for (const [bound, code] of [
    ['6', 2],
    ['7', 0],
  ] as const) {
    process.env.MMCHECK_MAX_STEPS = bound;
    try {
      assert.equal((await run('show', join(d, 's.mmspec'))).code, code, `bound ${bound}`);
    } finally {
      delete process.env.MMCHECK_MAX_STEPS;
    }
  }
});

test('check: a folder it may not read is named, exit 2 (as root: run as nobody through setpriv, or skipped)', (t) => {
  const d = tmp();
  chmodSync(d, 0o755);
  mkdirSync(join(d, 'closed'));
  writeFileSync(join(d, 'ok.mmspec'), PASSING);
  writeFileSync(join(d, 'closed', 'x.mmspec'), PASSING);
  chmodSync(join(d, 'closed'), 0);
  const argv = `node ${BIN} check ${d} --traces ${join(d, 'none')}`;
  let cmd = argv;
  if (process.getuid?.() === 0) {
    if (spawnSync('setpriv', ['--version']).status !== 0) {
      t.skip('running as root without setpriv: chmod 000 does not deny root');
      return;
    }
    cmd = `setpriv --reuid=65534 --regid=65534 --clear-groups ${argv}`;
  }
  const r = spawn(cmd, d);
  chmodSync(join(d, 'closed'), 0o755);
  if (r.err.includes('EACCES') && r.err.includes(BIN)) {
    t.skip('nobody cannot read the build; the unreadable folder is not reached');
    return;
  }
  assert.equal(r.status, 2, r.err);
  assert.equal(r.err.trim(), `mmcheck: cannot read ${join(d, 'closed')}: cannot read the folder: permission denied`);
});

test('an output that names an input of the command is refused, exit 2, and the input is kept', async () => {
  const d = tmp();
  const spec = join(d, 'ex.mmspec');
  const lib = join(d, 'lib.mmspec');
  const trace = join(d, 'traces', 't.json');
  writeFileSync(lib, 'shared y: int;\n');
  writeFileSync(
    spec,
    'import "lib.mmspec";\nthread t() { y = 1; assert(y == 0); }\nscenario s expect violation(assertion) { t(); }\n',
  );
  mkdirSync(join(d, 'traces'));
  symlinkSync(spec, join(d, 'link.mmspec'));
  const made = await run('explore', spec, '--trace-out', trace);
  assert.equal(made.code, 1, made.out + made.err);
  const before = [spec, lib, trace].map((f) => readFileSync(f, 'utf8'));
  const cases: [string[], string][] = [
    [['export', '--promela', spec, '-s', 's', '-o', spec], `${spec}: it is the spec being read`],
    [['export', '--promela', spec, '-s', 's', '-o', lib], `${lib}: it is a file the spec imports`],
    [['explore', spec, '--trace-out', spec], `${spec}: it is the spec being read`],
    [['simulate', spec, '--trace-out', lib], `${lib}: it is a file the spec imports`],
    [['explore', spec, '--partition', '0/2', '--result-out', spec], `${spec}: it is the spec being read`],
    [['replay', trace, '--html', trace], `${trace}: it is the trace being replayed`],
    [
      ['replay', trace, '--html', join(d, 'link.mmspec')],
      `${join(d, 'link.mmspec')}: it is the spec being read (${spec})`,
    ],
    [['check', spec, '--traces', join(d, 'traces'), '--junit', lib], `${lib}: it is a file a spec imports`],
    [['check', spec, '--traces', join(d, 'traces'), '--sarif', trace], `${trace}: it is a trace file`],
    [['check', d, '--traces', join(d, 'none'), '--junit', spec], `${spec}: it is a spec being checked`],
  ];
  for (const [args, want] of cases) {
    const r = await run(...args, ...(args[0] === 'check' ? ['--jobs', '1'] : []));
    assert.equal(r.code, 2, `${args.join(' ')}\n${r.out}${r.err}`);
    assert.equal(r.err.split('\n').at(-1), `error: cannot write ${want}; name another file`, args.join(' '));
    assert.deepEqual(
      [spec, lib, trace].map((f) => readFileSync(f, 'utf8')),
      before,
      args.join(' '),
    );
  }
  // A trace of another spec in the default traces/ is not replayed, and not written over either.
  copyFileSync(spec, join(d, 'other.mmspec'));
  const other = await run('explore', join(d, 'other.mmspec'), '--trace-out', join(d, 'traces', 'other.json'));
  assert.equal(other.code, 1, other.out + other.err);
  writeFileSync(join(d, 'mine.mmspec'), PASSING);
  const skipped = spawn(`node ${BIN} check mine.mmspec --jobs 1 --junit traces/other.json`, d);
  assert.equal(skipped.status, 2, skipped.out + skipped.err);
  assert.equal(skipped.err.trim(), 'error: cannot write traces/other.json: it is a trace file; name another file');
  const r2 = join(d, 'r');
  const both = await run('check', spec, '--traces', join(d, 'none'), '--junit', r2, '--sarif', r2, '--jobs', '1');
  assert.equal(both.code, 2);
  assert.equal(both.err, 'mmcheck: --junit and --sarif name the same file; the second report would replace the first');
  const part = await run('explore', spec, '--partition', '0/1', '--result-out', r2, '--trace-out', r2);
  assert.equal(part.code, 2);
  assert.equal(
    part.err,
    'mmcheck: --result-out and --trace-out name the same file; the part file would replace the trace',
  );
});

test('check --junit into a folder it may not write: exit 2 before anything runs; explore and simulate --trace-out: a warning first (as root: as nobody through setpriv, or skipped)', (t) => {
  const d = tmp();
  chmodSync(d, 0o755);
  mkdirSync(join(d, 'closed'));
  writeFileSync(join(d, 'ok.mmspec'), PASSING);
  chmodSync(join(d, 'closed'), 0o555);
  const closed = join(d, 'closed');
  const out = join(closed, 'reports', 'junit.xml');
  const save = (at: string): string =>
    `mmcheck: warning: cannot write ${at}: permission denied; a counterexample found will not be saved`;
  // [arguments, the first line of stderr, stdout is empty (nothing ran)]
  const runs: [string, string, boolean][] = [
    [
      `check ${join(d, 'ok.mmspec')} --traces ${join(d, 'none')} --jobs 1 --junit ${out}`,
      `error: cannot write ${out}: cannot create folder ${join(closed, 'reports')}: permission denied`,
      true,
    ],
    // The search runs (it may find nothing to save), but the user knows at once; the save fails.
    [`explore ${RFC} -s fault_vs_munmap --trace-out ${closed}/`, save(`${closed}/`), false],
    [`simulate ${RFC} -s fault_vs_munmap --trace-out ${join(closed, 't.json')}`, save(join(closed, 't.json')), false],
  ];
  const asRoot = process.getuid?.() === 0;
  if (asRoot && spawnSync('setpriv', ['--version']).status !== 0) {
    t.skip('running as root without setpriv: chmod 555 does not deny root');
    return;
  }
  for (const [args, first, nothingRan] of runs) {
    const argv = `node ${BIN} ${args}`;
    const r = spawn(asRoot ? `setpriv --reuid=65534 --regid=65534 --clear-groups ${argv}` : argv, d);
    if (r.err.includes('EACCES') && r.err.includes(BIN)) {
      t.skip('nobody cannot read the build');
      break;
    }
    assert.equal(r.status, 2, r.err);
    assert.equal(r.err.split('\n')[0], first, args);
    assert.equal(r.out === '', nothingRan, args);
    // The counterexample is printed before the save fails (it was lost with the save).
    if (!nothingRan) assert.match(r.out, /premature_free at .*rfc-2008-example\.mmspec:42/, args);
  }
  chmodSync(closed, 0o755);
});
