// A flag only another search reads is a usage error (exit 2, one line naming the flag, the
// search and what to do instead, nothing on stdout), never accepted and then ignored
// (src/cli/search-flags.ts). Each refused line below ran before and changed nothing; the
// combinations a search does read still run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli as run } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = join(ROOT, 'specs/bench/fault-vs-munmap.mmspec');
const CHECKED = join(ROOT, 'test/fixtures/check/locked.mmspec');
const NO_TRACES = join(ROOT, 'test/fixtures/check/no-traces');

const SEED = '(--seed is for --mode random and --bitstate); drop --seed';
const EXECUTIONS = '(--executions is for --mode random); drop --executions';
const NO_STORE =
  'stores no states, so no reduction applies (--reduce is for auto, bfs, dfs, --bitstate, --partition and simulate); drop --reduce';
const THREADS = 'drop --workers, or use --mode bfs or dpor (they run on several threads)';

/** explore fixed_k1 with these flags, and the one line it must refuse them with. */
const EXPLORE_REFUSED: [string[], string][] = [
  [
    ['--mode', 'bfs', '--preemption-bound', '1'],
    '--preemption-bound with --mode bfs: a breadth-first search has no preemption bound; use --mode dpor --preemption-bound 1, or drop the bound',
  ],
  [
    ['--mode', 'bfs', '--por', 'source'],
    '--por with --mode bfs: a breadth-first search runs no DPOR; drop --por, or use --mode dpor --por source',
  ],
  [['--mode', 'bfs', '--seed', '3'], `--seed with --mode bfs: a breadth-first search uses no seed ${SEED}`],
  [
    ['--mode', 'bfs', '--executions', '3'],
    `--executions with --mode bfs: a breadth-first search samples no executions ${EXECUTIONS}`,
  ],
  [
    ['--mode', 'dfs', '--preemption-bound', '0'],
    '--preemption-bound with --mode dfs: a depth-first search has no preemption bound; use --mode dpor --preemption-bound 0, or drop the bound',
  ],
  [
    ['--mode', 'dfs', '--por', 'optimal'],
    '--por with --mode dfs: a depth-first search runs no DPOR; drop --por, or use --mode dpor --por optimal',
  ],
  [['--mode', 'dfs', '--seed', '3'], `--seed with --mode dfs: a depth-first search uses no seed ${SEED}`],
  [
    ['--mode', 'dfs', '--executions', '3'],
    `--executions with --mode dfs: a depth-first search samples no executions ${EXECUTIONS}`,
  ],
  [
    ['--mode', 'dfs', '--workers', '2'],
    `--workers 2 with --mode dfs: a depth-first search runs on one thread; ${THREADS}`,
  ],
  [['--mode', 'dpor', '--seed', '3'], `--seed with --mode dpor: a DPOR search uses no seed ${SEED}`],
  [
    ['--mode', 'dpor', '--executions', '3'],
    `--executions with --mode dpor: a DPOR search samples no executions ${EXECUTIONS}`,
  ],
  [
    ['--mode', 'random', '--preemption-bound', '1'],
    '--preemption-bound with --mode random: a random-walk search has no preemption bound; use --mode dpor --preemption-bound 1, or drop the bound',
  ],
  [
    ['--mode', 'random', '--por', 'source'],
    '--por with --mode random: a random-walk search runs no DPOR; drop --por, or use --mode dpor --por source',
  ],
  [
    ['--mode', 'random', '--workers', '2'],
    `--workers 2 with --mode random: a random-walk search runs on one thread; ${THREADS}`,
  ],
  // auto is the default mode: without --mode, the same.
  [['--seed', '3'], `--seed with --mode auto: auto (breadth-first search with DPOR attempts) uses no seed ${SEED}`],
  [
    ['--mode', 'auto', '--executions', '3'],
    `--executions with --mode auto: auto (breadth-first search with DPOR attempts) samples no executions ${EXECUTIONS}`,
  ],
  // A preemption bound makes auto one bounded DPOR search, on one thread.
  [
    ['--preemption-bound', '1', '--seed', '3'],
    `--seed with --mode auto --preemption-bound 1: auto with a preemption bound (a bounded DPOR search) uses no seed ${SEED}`,
  ],
  [
    ['--preemption-bound', '1', '--executions', '3'],
    `--executions with --mode auto --preemption-bound 1: auto with a preemption bound (a bounded DPOR search) samples no executions ${EXECUTIONS}`,
  ],
  [
    ['--mode', 'auto', '--preemption-bound', '1', '--workers', '2'],
    '--workers 2 with --mode auto --preemption-bound 1: auto with a preemption bound (a bounded DPOR search) runs on one thread; use --mode dpor --preemption-bound 1 --workers 2 to split it between threads, or drop --workers',
  ],
  // The reductions are of stored states: DPOR and random walks store none.
  [['--mode', 'dpor', '--reduce', 'none'], `--reduce with --mode dpor: a DPOR search ${NO_STORE}`],
  [['--mode', 'random', '--reduce', 'symmetry'], `--reduce with --mode random: a random-walk search ${NO_STORE}`],
  [
    ['--preemption-bound', '2', '--reduce', 'all'],
    `--reduce with --mode auto --preemption-bound 2: auto with a preemption bound (a bounded DPOR search) ${NO_STORE}`,
  ],
  // A bitstate search is a one-thread BFS whatever the mode (auto or bfs).
  [
    ['--bitstate', '--preemption-bound', '1'],
    '--preemption-bound with --bitstate: a bitstate search has no preemption bound; use --mode dpor --preemption-bound 1, or drop the bound',
  ],
  [
    ['--bitstate', '--mode', 'bfs', '--por', 'source'],
    '--por with --bitstate: a bitstate search runs no DPOR; drop --por, or use --mode dpor --por source',
  ],
  [
    ['--bitstate-bits', '2^16', '--executions', '3'],
    `--executions with --bitstate: a bitstate search samples no executions ${EXECUTIONS}`,
  ],
  [
    ['--bitstate', '--workers', '2'],
    '--workers 2 with --bitstate: a bitstate search runs on one thread; drop --workers (a breadth-first search with a state table, without --bitstate, runs on several)',
  ],
];

test('explore refuses each flag the search it would run does not read: exit 2, one line, nothing on stdout', async () => {
  for (const [flags, message] of EXPLORE_REFUSED) {
    const r = await run('explore', SPEC, '-s', 'fixed_k1', ...flags);
    assert.deepEqual([r.code, r.err, r.out], [2, `mmcheck: ${message}`, ''], flags.join(' '));
  }
});

test('simulate refuses --pct-depth with --strategy random, and --minimize-seconds with --no-minimize', async () => {
  const refused: [string[], string][] = [
    [
      ['--strategy', 'random', '--pct-depth', '2'],
      '--pct-depth with --strategy random: a uniform random simulation has no bug depth (--pct-depth is for --strategy pct); drop --pct-depth, or use --strategy pct',
    ],
    [
      ['--no-minimize', '--minimize-seconds', '5'],
      '--minimize-seconds with --no-minimize: nothing is minimised; drop one of them',
    ],
  ];
  for (const [flags, message] of refused) {
    const r = await run('simulate', SPEC, '-s', 'fixed_k1', '--runs', '2', ...flags);
    assert.deepEqual([r.code, r.err, r.out], [2, `mmcheck: ${message}`, ''], flags.join(' '));
  }
  // Their defaults are no flag given: --strategy random runs, as does --no-minimize.
  for (const flags of [
    ['--strategy', 'random'],
    ['--no-minimize'],
    ['--pct-depth', '2', '--minimize-seconds', '5', '--reduce', 'none'],
  ]) {
    const r = await run('simulate', SPEC, '-s', 'fixed_k1', '--runs', '2', ...flags);
    assert.equal(r.code, 3, `${flags.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.out, /^scenario fixed_k1: incomplete \(simulation: no violation found\)/m, flags.join(' '));
  }
});

test('check refuses --por where no DPOR runs, --reduce where no state is stored, --workers where one thread runs', async () => {
  const refused: [string[], string][] = [
    [
      ['--mode', 'bfs', '--por', 'source'],
      '--por with --mode bfs: a breadth-first search runs no DPOR; drop --por, or use --mode dpor --por source',
    ],
    [
      ['--mode', 'dfs', '--workers', '2'],
      `--workers 2 with --mode dfs: a depth-first search runs on one thread; ${THREADS}`,
    ],
    [['--mode', 'dpor', '--reduce', 'none'], `--reduce with --mode dpor: a DPOR search ${NO_STORE}`],
    [
      ['--mode', 'random', '--por', 'optimal'],
      '--por with --mode random: a random-walk search runs no DPOR; drop --por, or use --mode dpor --por optimal',
    ],
  ];
  for (const [flags, message] of refused) {
    const r = await run('check', CHECKED, '--traces', NO_TRACES, '-j', '1', ...flags);
    assert.deepEqual([r.code, r.err, r.out], [2, `mmcheck: ${message}`, ''], flags.join(' '));
  }
  for (const flags of [
    ['--mode', 'auto', '--por', 'source'],
    ['--mode', 'dfs', '--workers', '1'],
    ['--mode', 'bfs', '--reduce', 'none'],
  ]) {
    const r = await run('check', CHECKED, '--traces', NO_TRACES, '-j', '1', ...flags);
    assert.equal(r.code, 0, `${flags.join(' ')}: ${r.out}${r.err}`);
  }
});

test('explore still runs the flags its search reads', async () => {
  // [flags, exit code, the line it prints for fixed_k1 (a pass, unless the search cannot prove one)]
  const pass = /^scenario fixed_k1: pass \(expected pass\) ok$/m;
  const incomplete = (why: string): RegExp =>
    new RegExp(`^scenario fixed_k1: incomplete${why} \\(expected pass\\)`, 'm');
  const accepted: [string[], number, RegExp][] = [
    [['--mode', 'random', '--seed', '3', '--executions', '5'], 3, incomplete('')],
    [['--bitstate', '--seed', '3'], 3, incomplete(' \\(bitstate: coverage probabilistic\\)')],
    [
      ['--mode', 'bfs', '--bitstate-bits', '2^16', '--seed', '3'],
      3,
      incomplete(' \\(bitstate: coverage probabilistic\\)'),
    ],
    [['--mode', 'dpor', '--preemption-bound', '1', '--por', 'source', '--workers', '2'], 3, incomplete('')],
    [['--mode', 'auto', '--preemption-bound', '1', '--por', 'source'], 3, incomplete('')],
    [['--preemption-bound', '1'], 3, incomplete('')],
    [['--mode', 'auto', '--por', 'source', '--workers', '2'], 0, pass],
    [['--mode', 'bfs', '--workers', '2'], 0, pass],
    [['--mode', 'dfs', '--workers', '1'], 0, pass],
    [['--mode', 'dpor', '--por', 'optimal'], 0, pass],
    [['--mode', 'dfs', '--reduce', 'none'], 0, pass],
    [['--bitstate', '--reduce', 'symmetry'], 3, incomplete(' \\(bitstate: coverage probabilistic\\)')],
    [['--partition', '0/2', '--reduce', 'none'], 0, /^part 0 of 2: /m],
  ];
  for (const [flags, code, line] of accepted) {
    const r = await run('explore', SPEC, '-s', 'fixed_k1', ...flags);
    assert.equal(r.code, code, `${flags.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.out, line, flags.join(' '));
  }
});

// The refusal needs the flags alone, so it comes before the spec is read: a wrong flag on a big
// spec fails at once, and a spec with an error as well reports the flag first (the command line
// is wrong whatever the spec holds), as commander's own usage errors and `check` do.
test('a refused flag is reported before the spec is read or compiled: a missing spec, a spec with an error', async () => {
  const missing = join(ROOT, 'test/fixtures/no-such-spec.mmspec');
  const broken = join(ROOT, 'test/fixtures/invalid/01-unexpected-character.mmspec');
  const dfs = `--workers 2 with --mode dfs: a depth-first search runs on one thread; ${THREADS}`;
  const part =
    '--workers 2 with --partition: each part (a breadth-first search) runs on one thread; use more cores by running more parts at once (a larger n), or drop --workers';
  for (const spec of [missing, broken]) {
    for (const [args, message] of [
      [['explore', spec, '--mode', 'dfs', '--workers', '2'], dfs],
      [['explore', spec, '--partition', '0/2', '--workers', '2'], part],
      [
        ['simulate', spec, '--strategy', 'random', '--pct-depth', '2'],
        '--pct-depth with --strategy random: a uniform random simulation has no bug depth (--pct-depth is for --strategy pct); drop --pct-depth, or use --strategy pct',
      ],
      [['check', spec, '--traces', NO_TRACES, '--mode', 'dfs', '--workers', '2'], dfs],
    ] as [string[], string][]) {
      const r = await run(...args);
      assert.deepEqual([r.code, r.err, r.out], [2, `mmcheck: ${message}`, ''], args.join(' '));
    }
  }
  // Without the wrong flag, the spec's own error is what is reported.
  const r = await run('explore', broken, '--mode', 'dfs');
  assert.equal(r.code, 2);
  assert.match(r.err, /01-unexpected-character\.mmspec:\d+:\d+: error\[MM\d+\]/);
});
