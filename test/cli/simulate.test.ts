// `mmcheck simulate` and `explore --bitstate` on the seed benchmark's twin: the buggy K = 8
// scenario found from a fixed seed by PCT and by random runs, its trace saved and replayed;
// a correct scenario ends incomplete (exit 3) with what was covered, never a pass.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli as run } from '../support/cli.js';
import { interrupt, TTY } from '../support/pty-interrupt.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');

interface RunJson {
  got: string;
  mode: string;
  violation?: { kind: string };
  stats: { states: number; transitions: number; executions: number };
  detail?: string;
  simulation?: { strategy: string; seed: number; runs: number; steps: number; distinctStates: number };
  bitstate?: { log2Bits: number; hashes: number; states: number; expectedMissed: number };
}

async function simulateJson(...args: string[]): Promise<{ code: number; runs: RunJson[]; err: string }> {
  const r = await run('simulate', SPEC, '--json', ...args);
  return { code: r.code, runs: JSON.parse(r.out) as RunJson[], err: r.err };
}

for (const strategy of ['pct', 'random'] as const) {
  test(`simulate --strategy ${strategy}: a fixed seed finds buggy_k8's use_after_free, and the trace replays`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmcheck-simulate-'));
    const trace = join(dir, `${strategy}.json`);
    const args = ['-s', 'buggy_k8', '--strategy', strategy, '--seed', '1', '--runs', '50', '--trace-out', trace];
    // Random runs have many preemptions to take out: leave their minimisation to the user.
    if (strategy === 'random') args.push('--no-minimize');
    const r = await simulateJson(...args);
    assert.equal(r.code, 1, r.err);
    const [one] = r.runs;
    assert.equal(one?.mode, 'simulate');
    assert.equal(one?.got, 'violation(use_after_free)');
    assert.equal(one?.violation?.kind, 'use_after_free');
    assert.ok(one.stats.executions < 50, `found within ${one.stats.executions} complete runs`);
    const sim = one.simulation;
    assert.deepEqual([sim?.strategy, sim?.seed, sim?.steps], [strategy, 1, one.stats.transitions]);
    assert.ok(sim !== undefined && sim.runs >= 1 && sim.runs <= 50 && sim.distinctStates === one.stats.states);
    assert.match(r.err, /trace saved:/);
    const again = await simulateJson(...args, '--no-minimize', '--no-save');
    assert.deepEqual(again.runs[0]?.stats.transitions, one.stats.transitions, 'the same seed, the same runs');
    const replayed = await run('replay', trace);
    assert.equal(replayed.code, 0, replayed.out + replayed.err);
    assert.match(replayed.out, /use_after_free/);
  });
}

test('simulate on a correct scenario: exit 3, incomplete with runs, steps and distinct states, never pass', async () => {
  const r = await run('simulate', SPEC, '-s', 'fixed_k2', '--runs', '100', '--seed', '3');
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.out, /scenario fixed_k2: incomplete \(simulation: no violation found\) \(expected pass\)/);
  const flat = r.out.replace(/\s+/g, ' ');
  assert.match(
    flat,
    /simulation: 100 runs \(strategy pct, bug depth 3, seed 3\) without a violation; [\d,]+ steps, [\d,]+ distinct states seen, longest run \d+ steps; PCT bound: .* a simulation cannot prove a pass/,
  );
  assert.doesNotMatch(r.out, /: pass \(/);
  const usage = await run('simulate', SPEC, '--strategy', 'dfs');
  assert.equal(usage.code, 2);
});

test('explore --bitstate: finds the buggy violation (exit 1); a correct scenario ends incomplete with BFS-close counts', async () => {
  const buggy = await run('explore', SPEC, '-s', 'buggy_k3', '--bitstate', '--json');
  assert.equal(buggy.code, 1, buggy.err);
  assert.equal((JSON.parse(buggy.out) as RunJson[])[0]?.violation?.kind, 'use_after_free');
  // BFS stores 22,636 states of fixed_k3 (checker/auto.test.ts pins it with its transitions).
  const bfsStates = 22_636;
  const counts: number[] = [];
  for (const bits of ['2^28', '2^16']) {
    const r = await run('explore', SPEC, '-s', 'fixed_k3', '--bitstate-bits', bits, '--json');
    assert.equal(r.code, 3, r.err);
    const got = (JSON.parse(r.out) as RunJson[])[0]!;
    assert.equal(got.got, 'incomplete (bitstate: coverage probabilistic)');
    assert.match(got.detail ?? '', /coverage is probabilistic: expected states missed ≈ /);
    assert.deepEqual(
      [got.bitstate?.log2Bits, got.bitstate?.hashes, got.bitstate?.states],
      [Number(bits.slice(2)), 3, got.stats.states],
    );
    // The estimate is of the right size: under a state with 2^28 bits, some hundreds with 2^16.
    const missed = got.bitstate?.expectedMissed ?? -1;
    assert.ok(bits === '2^28' ? missed < 1 : missed > bfsStates - got.stats.states - 1000, `${missed}`);
    // 22,636 states: with 2^28 bits none is lost; with 2^16 (2.9 bits a state) some are.
    if (bits === '2^28') assert.equal(got.stats.states, bfsStates);
    else {
      assert.ok(got.stats.states < bfsStates && got.stats.states > bfsStates * 0.8, `${got.stats.states}`);
      counts.push(got.stats.states);
    }
  }
  // A swarm: another --seed salts the hashes, and other states collide (the run above is
  // seed 1, the default: bitstate.ts).
  const r = await run('explore', SPEC, '-s', 'fixed_k3', '--bitstate-bits', '2^16', '--seed', '2', '--json');
  counts.push((JSON.parse(r.out) as RunJson[])[0]!.stats.states);
  assert.notEqual(counts[0], counts[1]);
  const dpor = await run('explore', SPEC, '-s', 'fixed_k1', '--bitstate', '--mode', 'dpor');
  assert.equal(dpor.code, 2);
  assert.match(dpor.err, /--bitstate is a breadth-first search/);
});

// Ctrl-C once the runs show progress (a fixed 5 s wait before: 5 s of CPU for nothing on a
// quiet machine, and maybe too short on a loaded one).
test(`Ctrl-C (${TTY ? 'typed in a pseudo-terminal' : 'SIGINT'}) stops simulate: incomplete (interrupted) with the runs covered, exit 3`, async () => {
  const r = await interrupt(['simulate', join(ROOT, 'specs/rfc-2008-stress.mmspec'), '--runs', '1e9']);
  assert.equal(r.code, 3, r.out);
  assert.match(r.out, /scenario stress: incomplete \(interrupted\)/);
  assert.match(
    r.out.replace(/\s+/g, ' '),
    /incomplete: interrupted; simulation: [\d,]+ runs \(strategy pct, bug depth 3, seed 1\)/,
  );
});

test('runs cut by --depth: the PCT bound says it covers only bugs within the cut; no steps, no bound', async () => {
  const cut = await run('simulate', SPEC, '-s', 'fixed_k2', '--runs', '5', '--depth', '1');
  assert.equal(cut.code, 3, cut.out + cut.err);
  assert.match(
    cut.out.replace(/\s+/g, ' '),
    /5 runs cut at --depth 1; PCT bound, only for a bug within a run's first 1 step \(the runs were cut there\): a bug of depth 3 is found/,
  );
  const none = await run('simulate', SPEC, '-s', 'fixed_k2', '--runs', '5', '--depth', '0');
  assert.equal(none.code, 3, none.out + none.err);
  const flat = none.out.replace(/\s+/g, ' ');
  assert.match(flat, /longest run 0 steps; 5 runs cut at --depth 0; a simulation cannot prove a pass/);
  assert.doesNotMatch(flat, /PCT bound/);
});

test('--seed past 32 bits is a usage error (exit 2): the generator would alias 2^32 to 0', async () => {
  for (const cmd of ['simulate', 'explore']) {
    const r = await run(cmd, SPEC, '-s', 'fixed_k1', '--seed', '4294967296');
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /--seed <n>' argument '4294967296' is invalid\. expected a seed from 0 to 4294967295/);
  }
  const top = await run('simulate', SPEC, '-s', 'fixed_k1', '--runs', '2', '--seed', '4294967295');
  assert.equal(top.code, 3, top.out + top.err);
});

// --pct-depth 1e9 drew a billion change points per run: V8 died ("invalid size error",
// exit 133, a native stack); 1e5 cost 10^5 operations a step.
test('--pct-depth outside 1 to 100 is a usage error (exit 2), -1, 0 and 1e9 with the same message', async () => {
  for (const d of ['-1', '0', 'x', '101', '1e9']) {
    const r = await run('simulate', SPEC, '-s', 'buggy_k1', '--pct-depth', d);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(
      r.err,
      `error: option '--pct-depth <d>' argument '${d}' is invalid. expected an integer from 1 to 100.`,
    );
  }
  const top = await run('simulate', SPEC, '-s', 'fixed_k1', '--runs', '3', '--pct-depth', '100');
  assert.equal(top.code, 3, top.out + top.err);
});
