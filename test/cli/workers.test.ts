// `--workers`: explore's BFS on two threads prints what one thread prints (a scenario whose
// levels pass the 16,384 states that start the worker threads: counters `big` unreduced, at
// level 23 of 40, after 43,591 of 313,488 states), check accepts it, and a count below 1 or
// above 256 is a usage error.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli as run } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');
const WIDE = [
  'explore',
  join(ROOT, 'specs/bench/counters.mmspec'),
  '--scenario',
  'big',
  '--mode',
  'bfs',
  '--reduce',
  'none',
];

/** The --json result without its timings and the threads it ran on (`threads` in `ran`). */
function result(out: string, ran: number[] = []): unknown {
  const runs = JSON.parse(out) as { stats: Record<string, number>; threads?: { count: number } }[];
  for (const r of runs) {
    for (const k of ['seconds', 'statesPerSecond', 'peakMemoryBytes', 'storedBytes']) delete r.stats[k];
    ran.push(r.threads?.count ?? 1);
    delete r.threads;
  }
  return runs;
}

test('explore --workers 2 gives the --workers 1 result (states, transitions, verdict)', async () => {
  const args = [...WIDE, '--json'];
  const one = await run(...args, '--workers', '1');
  const two = await run(...args, '--workers', '2');
  assert.equal(one.code, 0, one.err);
  assert.equal(two.code, 0, two.err);
  const threads: number[] = [];
  assert.deepEqual(result(two.out, threads), result(one.out, threads));
  assert.deepEqual(threads, [2, 1], 'the levels from 16,384 states on ran on two threads');
  assert.equal((result(one.out) as { stats: { states: number } }[])[0]?.stats.states, 313_488);
});

test('explore --workers 2 with partial-order reduction gives the --workers 1 result, and says it ran on one thread', async () => {
  // With por the search stays on one thread whatever the size of its levels (parallel/search.ts),
  // so a scenario of 8,004 states shows it (fixed_vs_all_writers, 78,059, did before).
  const spf = join(ROOT, 'specs/spf.mmspec');
  const args = ['explore', spf, '--scenario', 'fixed_vs_munmap', '--mode', 'bfs', '--json'];
  const por = [...args, '--reduce', 'symmetry,dead-locals,por'];
  const one = await run(...por, '--workers', '1');
  const two = await run(...por, '--workers', '2');
  assert.equal(two.code, 0, two.err);
  assert.deepEqual(result(two.out), result(one.out));
  // Asked for two threads, it ran on one: the result says so and why (--workers 1 asked for one).
  const threads = (out: string): unknown => (JSON.parse(out) as { threads?: unknown }[])[0]?.threads;
  assert.deepEqual(threads(two.out), { count: 1, asked: 2, reason: 'por' });
  assert.equal(threads(one.out), undefined);
  const text = await run(...por.filter((a) => a !== '--json'), '--workers', '2', '--width', '200');
  assert.equal(text.code, 0, text.err);
  assert.match(
    text.out,
    /\n {2}threads: 1, not the 2 of --workers 2: partial-order reduction \(--reduce …,por\) runs on one thread only$/m,
  );
  // Not asked for (every core by default), one thread is no news.
  const unasked = await run(...por.filter((a) => a !== '--json'));
  assert.doesNotMatch(unasked.out, /threads:/);
  // The reduction is at work here: without it the same search takes more transitions.
  const plain = await run(...args, '--reduce', 'symmetry,dead-locals', '--workers', '1');
  const transitions = (out: string): number =>
    (result(out) as { stats: { transitions: number } }[])[0]!.stats.transitions;
  assert.ok(transitions(one.out) < transitions(plain.out), `${transitions(one.out)} < ${transitions(plain.out)}`);
});

test('explore --workers 0 is a usage error', async () => {
  const r = await run('explore', SEED, '--workers', '0');
  assert.equal(r.code, 2);
  assert.match(r.err, /--workers.*expected an integer from 1 to 256/);
});

// --workers 100000 started a thread each (--mode dpor at once, BFS at its first big level):
// past 3 GiB of resident memory in seconds, and climbing. The scenario here is too small to
// start any, so the test itself starts none whatever the parser accepts.
test('--workers and --jobs above 256 are usage errors, naming the flag and the range', async () => {
  const tiny = ['explore', SEED, '-s', 'fixed_k1', '--mode', 'bfs'];
  for (const n of ['257', '1e9']) {
    const r = await run(...tiny, '--workers', n);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.err, `error: option '--workers <n>' argument '${n}' is invalid. expected an integer from 1 to 256.`);
    assert.equal(r.out, '');
    const c = await run('check', join(ROOT, 'specs/tutorial.mmspec'), '--traces', 'none', '--jobs', n);
    assert.equal(c.code, 2, c.out + c.err);
    assert.equal(
      c.err,
      `error: option '-j, --jobs <n>' argument '${n}' is invalid. expected an integer from 1 to 256.`,
    );
  }
  const top = await run(...tiny, '--workers', '256');
  assert.equal(top.code, 0, top.out + top.err);
});

test('check takes --workers beside --jobs', async () => {
  const r = await run(
    'check',
    join(ROOT, 'specs/tutorial.mmspec'),
    '--jobs',
    '1',
    '--workers',
    '2',
    '--traces',
    'none',
  );
  assert.equal(r.code, 0, r.out + r.err);
});

test('explore --mode dpor --workers 2: the one-thread verdict, the split reported (text and --json), exit 1 on a violation', async () => {
  const pass = await run(
    'explore',
    join(ROOT, 'specs/bench/n-writers.mmspec'),
    '-s',
    'w4',
    '--mode',
    'dpor',
    '--workers',
    '2',
  );
  assert.equal(pass.code, 0, pass.err);
  assert.match(pass.out, /scenario w4: pass \(expected pass\) ok/);
  assert.match(
    pass.out,
    /split: [\d,]+ subtrees? between the threads, [\d,]+ transitions replaying their paths;\s+the\s+counts\s+are\s+sums/,
  );
  const json = await run(
    'explore',
    SEED,
    '-s',
    'buggy_k2',
    '--mode',
    'dpor',
    '--workers',
    '2',
    '--no-target',
    '--json',
  );
  assert.equal(json.code, 1, json.err);
  const [r] = JSON.parse(json.out) as { got: string; split?: { tasks: number; replayed: number } }[];
  assert.equal(r?.got, 'violation(use_after_free)');
  assert.ok(r?.split !== undefined && r.split.tasks >= 1, json.out);
});

// The incomplete line was one thread's: `stopped after --max-seconds 2.505: explored 73,059
// states to depth 87` under stats of 121,100 states to depth 102 for --max-seconds 3 (a worker
// is given the time left, and counts its own tasks only).
test('explore --mode dpor --workers 2 at a bound: the incomplete line names the bound typed and the counts of all threads', async () => {
  const bounded = async (...bound: string[]): Promise<{ detail: string; states: number; maxDepth: number }> => {
    const r = await run('explore', SEED, '-s', 'fixed_k3', '--mode', 'dpor', '--workers', '2', '--json', ...bound);
    assert.equal(r.code, 3, r.out + r.err);
    const [one] = JSON.parse(r.out) as { detail: string; stats: { states: number; maxDepth: number } }[];
    return { detail: one!.detail, ...one!.stats };
  };
  const explored = (x: { states: number; maxDepth: number }): string =>
    `explored ${x.states.toLocaleString('en-US')} states to depth ${x.maxDepth}`;
  const capped = await bounded('--max-states', '20000');
  assert.equal(capped.detail, `stopped at --max-states 20,000: ${explored(capped)}`);
  const timed = await bounded('--max-seconds', '1');
  assert.equal(timed.detail, `stopped after --max-seconds 1: ${explored(timed)}`);
});

// Handing a block of records to another thread by transfer detached its buffer, and V8 then
// invalidates its ArrayBufferDetaching protector: every typed-array access of every function
// optimised since checks for a detached buffer. That cost the seed twin's two threads 46% more
// CPU a state (fixed_k6). Blocks are copied now; V8 says when the protector goes. The same
// process runs under node V8 flags (a worker refuses them) and reports its threads' times: one
// search of 313,488 states for both (two processes before).
test('explore --workers 2 under node V8 flags runs, detaches no ArrayBuffer, and MMCHECK_THREAD_TIMES reports the threads', async () => {
  const { execFile } = await import('node:child_process');
  const node = (args: string[], env = process.env): Promise<{ code: number; out: string; err: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['--trace-protector-invalidation', ...args], { env }, (e, out, err) =>
        resolve({ code: e === null ? 0 : Number(e.code), out, err }),
      );
    });
  const invalidated = /Invalidating protector cell ArrayBufferDetaching/;
  const control = await node(['-e', 'const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] });']);
  assert.match(control.out + control.err, invalidated, 'this node reports the protector');
  const args = ['--max-semi-space-size=16', join(ROOT, 'bin/mmcheck.js'), ...WIDE, '--workers', '2'];
  const r = await node(args, { ...process.env, MMCHECK_THREAD_TIMES: '1' });
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /threads: 2 from the level of depth \d+ on/);
  assert.doesNotMatch(r.out + r.err, invalidated);
  // The worker joins once it has started: under load, the search may end before it does.
  const thread = '[\\d.]+ s CPU, [\\d.]+ s busy';
  const states = '[\\d,]+ states';
  const worker = `; thread 1: ${thread}, [\\d.]+ s building, ${states}`;
  const between = ", [\\d.]+ s between levels, [\\d.]+ s balancing, [\\d.]+ s waiting at levels' ends";
  assert.match(r.err, new RegExp(`BFS threads: thread 0: ${thread}, ${states}(${between})?(${worker})?\\n`));
  // Every state (313,488) is expanded once, by one thread or the other.
  const counts = [...r.err.matchAll(/([\d,]+) states/g)].map((m) => Number(m[1]!.replaceAll(',', '')));
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    313_488,
  );
});
