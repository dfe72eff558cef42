// The job-engine recipes under examples/ (docs/distributed.md): each names the part index the
// engine sets and ends in a merge; the Slurm script runs as written, four array tasks with
// SLURM_ARRAY_TASK_ID set (sbatch faked), and its parts merge to the single run's verdicts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (f: string): string => readFileSync(join(ROOT, 'examples', f), 'utf8');

test('the GitHub Actions workflow runs part k of a matrix over k and merges the artifacts', () => {
  const y = read('github-actions.yml');
  assert.match(y, /matrix:\s+k: \[0, 1, 2, 3\]/);
  assert.match(y, /--partition \$\{\{ matrix\.k \}\}\/\$PARTS --result-out parts\/\$\{\{ matrix\.k \}\}\.json/);
  assert.match(y, /PARTS: 4/);
  assert.match(y, /download-artifact[\s\S]*mmcheck\.js merge parts\/\*\.json/);
  assert.doesNotMatch(y, /\t/, 'YAML forbids tabs');
});

test('the Kubernetes Indexed Job reads JOB_COMPLETION_INDEX and has a merge step', () => {
  const y = read('k8s-indexed-job.yaml');
  assert.match(y, /completionMode: Indexed/);
  assert.match(y, /completions: 4\s+parallelism: 4/);
  assert.match(y, /--partitions 4 --result-out \/parts\/\$\(JOB_COMPLETION_INDEX\)\.json/);
  assert.match(y, /mmcheck\.js merge \/parts\/\*\.json/);
  assert.doesNotMatch(y, /\t/, 'YAML forbids tabs');
});

test('the Slurm array script runs its four parts and merges them as one run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-slurm-'));
  for (const d of ['bin', 'dist', 'node_modules', 'specs']) symlinkSync(join(ROOT, d), join(dir, d));
  // A fake sbatch that runs the merge at once (the dependency: every task has ended).
  const fake = join(dir, 'fakebin');
  spawnSync('mkdir', [fake]);
  writeFileSync(
    join(fake, 'sbatch'),
    '#!/bin/bash\nfor a; do case $a in --wrap=*) sh -c "$(echo "$a" | sed s/^--wrap=//)" > parts/merge.log; echo $? > parts/merge.code;; esac; done\n',
  );
  chmodSync(join(fake, 'sbatch'), 0o755);
  const env = {
    ...process.env,
    PATH: `${fake}:${process.env.PATH}`,
    SPEC: 'specs/tutorial.mmspec',
    SLURM_ARRAY_JOB_ID: '7',
  };
  for (const k of [0, 1, 2, 3]) {
    const r = spawnSync('bash', [join(ROOT, 'examples/slurm-array.sh')], {
      cwd: dir,
      env: { ...env, SLURM_ARRAY_TASK_ID: String(k) },
    });
    assert.equal(r.status, 0, r.stderr.toString());
  }
  const merged = readFileSync(join(dir, 'parts/merge.log'), 'utf8');
  assert.equal(readFileSync(join(dir, 'parts/merge.code'), 'utf8').trim(), '1');
  const one = spawnSync('node', ['bin/mmcheck.js', 'explore', 'specs/tutorial.mmspec', '--mode', 'bfs'], {
    cwd: dir,
  }).stdout.toString();
  const verdicts = (s: string): string[] => [...s.matchAll(/^scenario (\S+): (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(verdicts(merged), verdicts(one));
  assert.equal(verdicts(one).length, 4);
});
