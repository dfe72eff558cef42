// `mmcheck export --promela` cross-checked by SPIN: the exported model of each scenario must
// give SPIN (-DNOREDUCE, exhaustive) exactly the state count of mmcheck's unreduced BFS and
// the same verdict. Skipped, with a note, where spin or gcc is missing. The larger scenarios
// run with MMCHECK_EXPORT_ALL=1 (`npm run test:export`).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'mmcheck.js');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAVE_SPIN = has('spin') && has('gcc');
if (!HAVE_SPIN) console.log('# note: spin or gcc not installed: the SPIN cross-check is skipped');

// [spec, scenario, expected verdict]; the state counts are compared run by run.
const FIX = 'test/fixtures/export/lost-update.mmspec';
const SMALL: [string, string, string][] = [
  ['specs/bench/counters.mmspec', 'small', 'pass'],
  [FIX, 'racy', 'pass'],
  [FIX, 'locked', 'pass'],
  [FIX, 'self_deadlock', 'violation(deadlock)'],
  [FIX, 'assertion', 'violation(assertion)'],
];
// 313,488 states: about 40 s on a loaded machine.
const LARGE: [string, string, string][] = [['specs/bench/counters.mmspec', 'big', 'pass']];

/** The violation kind SPIN reports: an invalid end state is a deadlock; an assert names its kind first. */
function spinKind(out: string): string {
  if (/pan:\d+: invalid end state/.test(out)) return 'violation(deadlock)';
  const m = /assertion violated \((\w+)&&/.exec(out);
  return m === null ? 'pass' : `violation(${m[1]})`;
}

function mmcheckStates(spec: string, scenario: string): { states: number; verdict: string } {
  const r = spawnSync('node', [
    BIN,
    'explore',
    spec,
    '--scenario',
    scenario,
    '--mode',
    'bfs',
    '--reduce',
    'none',
    '--json',
  ]);
  const [sc] = JSON.parse(r.stdout.toString());
  return { states: sc.stats.states, verdict: sc.got };
}

function spinRun(spec: string, scenario: string): { states: number; errors: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-spin-'));
  try {
    execFileSync('node', [BIN, 'export', '--promela', spec, '--scenario', scenario, '-o', join(dir, 'm.pml')]);
    execFileSync('spin', ['-a', 'm.pml'], { cwd: dir });
    execFileSync('gcc', ['-O2', '-fwrapv', '-DNOREDUCE', '-DSAFETY', '-o', 'pan', 'pan.c'], { cwd: dir });
    const out = spawnSync('./pan', ['-m1000000', '-w24'], { cwd: dir }).stdout.toString();
    const states = Number(/(\d+) states, stored/.exec(out)![1]);
    const errors = Number(/errors: (\d+)/.exec(out)![1]);
    return { states, errors, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = process.env.MMCHECK_EXPORT_ALL === '1' ? [...SMALL, ...LARGE] : SMALL;
for (const [spec, scenario, verdict] of rows) {
  test(`SPIN agrees with mmcheck on ${spec} ${scenario}`, { skip: !HAVE_SPIN }, () => {
    const m = mmcheckStates(spec, scenario);
    const s = spinRun(spec, scenario);
    assert.equal(m.verdict, verdict);
    assert.equal(spinKind(s.out), verdict, s.out);
    // Both stop at their first violation, in different orders: counts compare on passes.
    if (verdict === 'pass') {
      assert.equal(s.errors, 0, s.out);
      assert.equal(s.states, m.states);
    } else assert.equal(s.errors, 1, s.out);
  });
}

test('a construct the exporter cannot state exactly is refused with its position and code (exit 2)', () => {
  const r = spawnSync('node', [
    BIN,
    'export',
    '--promela',
    'specs/rfc-2008-example.mmspec',
    '--scenario',
    'fault_vs_munmap',
  ]);
  assert.equal(r.status, 2);
  const err = r.stderr.toString();
  assert.match(
    err,
    /^specs\/rfc-2008-example\.mmspec:15:1: error\[PML05\]: cannot export to Promela: an init block is not exported/m,
  );
  assert.equal(r.stdout.toString(), '');
});

test('export needs --scenario (exit 2)', () => {
  const r = spawnSync('node', [BIN, 'export', '--promela', 'specs/bench/counters.mmspec']);
  assert.equal(r.status, 2);
  assert.match(r.stderr.toString(), /needs --scenario/);
});
