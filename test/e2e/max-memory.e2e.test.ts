// The memory bound end to end: `explore --max-memory 200` on the stress spec ends incomplete
// (exit 3) with its coverage printed, and the process's peak resident memory, as
// `/usr/bin/time -v` measures it, stays under the bound plus node's own baseline (`node -e 0`).
// About 30 s of both cores: it runs only with `npm run test:e2e` (MMCHECK_E2E=1), and needs
// GNU time at /usr/bin/time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TIME = '/usr/bin/time';

/** Runs `node args…` under GNU time: exit code, stdout, and the peak RSS in KiB. */
function timed(args: string[]): { code: number | null; out: string; maxKib: number } {
  const r = spawnSync(TIME, ['-v', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  assert.ok(m !== null, `no peak RSS in: ${r.stderr}`);
  return { code: r.status, out: r.stdout ?? '', maxKib: Number(m[1]) };
}

const enabled = process.env.MMCHECK_E2E === '1' && existsSync(TIME);

test('explore --max-memory 200 on the stress spec: incomplete, exit 3, peak RSS under 200 MiB + node baseline', {
  skip: enabled ? false : 'opt-in: MMCHECK_E2E=1 with GNU time at /usr/bin/time',
}, () => {
  const baseline = timed(['-e', '0']).maxKib;
  const r = timed(['bin/mmcheck.js', 'explore', 'specs/rfc-2008-stress.mmspec', '--max-memory', '200']);
  assert.equal(r.code, 3, r.out);
  assert.match(r.out, /scenario stress: incomplete \(memory bound\)/);
  assert.match(
    r.out.replace(/\s+/g, ' '),
    /stopped at --max-memory 200 MiB \(resident memory \d+ MiB\): explored [\d,]+ states to depth \d+/,
  );
  assert.ok(r.maxKib <= 200 * 1024 + baseline, `peak ${r.maxKib} KiB > 200 MiB + ${baseline} KiB`);
});
