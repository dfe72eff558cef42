// The part files of a partitioned run of the seed twin, for the merge tests: each part run as
// a job engine runs it, its index in the engine's variable.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as run } from './cli.js';

export const SEED_SPEC = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  'specs/bench/fault-vs-munmap.mmspec',
);

/** Parts 0 to n-1 of `scenario` written under `dir`, each run with its index in `variable`. */
export async function parts(dir: string, scenario: string, variable: string, n: number): Promise<string[]> {
  const files = [];
  for (let k = 0; k < n; k++) {
    process.env[variable] = String(k);
    try {
      const file = join(dir, `${scenario}.${k}.json`);
      const r = await run('explore', SEED_SPEC, '-s', scenario, '--partitions', String(n), '--result-out', file);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      files.push(file);
    } finally {
      delete process.env[variable];
    }
  }
  return files;
}
