// The CLI fuzzer (test/support/cli-fuzz.ts) in the suite: 200 random command lines on random
// and mutated inputs, in process; a few as real processes with a kill timeout. Each ends with
// exit 0, 1, 2 or 3 and no stack trace. `npm run fuzz:cli` runs 10,000.
// 200 cases, 500 before, when an explore case started its worker thread (which loads the
// checker, ~0.2 s of CPU) even for a spec that then failed to compile, as most mutated ones
// do; explore now compiles on the main thread first (cli/explore-thread.ts).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { caseArb, fuzzCli, makeSandbox, problem } from '../support/cli-fuzz.js';
import { PROPERTY_SEED, propertyRuns } from '../support/fc-global.js';

test('cli fuzz: 200 command lines in process exit 0-3, print no stack trace, end within their bound', async (t) => {
  const sb = makeSandbox();
  for (const n of sb.notes) t.diagnostic(n);
  try {
    const s = await fuzzCli(sb, propertyRuns(200), 20);
    t.diagnostic(`exit codes ${JSON.stringify(s.codes)}, slowest case ${s.slowest.toFixed(2)} s`);
    // The generator reaches every outcome: a pass, a violation, a usage or spec error, a bound.
    for (const code of ['0', '1', '2', '3']) assert.ok((s.codes[code] ?? 0) > 0, `no case exited ${code}`);
  } finally {
    rmSync(sb.dir, { recursive: true, force: true });
  }
});

test('cli fuzz: a few command lines as processes (killed after 30 s), writing to /dev/stdout too', () => {
  const sb = makeSandbox();
  try {
    const cases = fc.sample(caseArb(sb), { seed: PROPERTY_SEED, numRuns: 3 });
    const lines = [
      ...cases.map((c) => c.argv),
      ['explore', resolve('test/fixtures/traces/abba.mmspec'), '--trace-out', '/dev/stdout'],
    ];
    for (const argv of lines) {
      // The bounds the in-process cases get (a state bound too: a search stopped by the clock
      // alone ran its full 2 s).
      const bounds = ['--max-seconds', '2', '--max-states', '300'];
      const args = argv[0] === 'explore' || argv[0] === 'check' ? [...argv, ...bounds] : argv;
      const r = spawnSync(process.execPath, [resolve('bin/mmcheck.js'), ...args], {
        cwd: sb.cwd,
        encoding: 'utf8',
        timeout: 30_000,
      });
      const why = problem({ code: r.status ?? -1, out: r.stdout, err: r.stderr, seconds: 0 }, 30);
      assert.equal(why, null, `mmcheck ${args.join(' ')} (signal ${r.signal})`);
    }
    const abba = spawnSync(
      process.execPath,
      [resolve('bin/mmcheck.js'), 'explore', resolve('test/fixtures/traces/abba.mmspec'), '--trace-out', '/dev/stdout'],
      { cwd: join(sb.cwd), encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(abba.status, 1);
    assert.match(abba.stdout, /"format": "mmcheck-trace"/, 'the trace is written to stdout itself');
  } finally {
    rmSync(sb.dir, { recursive: true, force: true });
  }
});
