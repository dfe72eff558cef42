// The job-engine recipes under examples/ (docs/distributed.md), parsed as YAML and checked by
// structure: each names the part index the engine sets and ends in a merge; the Slurm script runs as written, four array tasks with
// SLURM_ARRAY_TASK_ID set (sbatch faked), and its parts merge to the single run's verdicts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (f: string): string => readFileSync(join(ROOT, 'examples', f), 'utf8');

/** A YAML file's documents as plain data; any syntax error (or warning, e.g. a tab) fails the test. */
function documents(f: string): unknown[] {
  const docs = parseAllDocuments(read(f));
  assert.ok(Array.isArray(docs), `${f} is empty`);
  for (const d of docs) {
    assert.deepEqual(d.errors, [], `${f}: ${d.errors.join('; ')}`);
    assert.deepEqual(d.warnings, [], `${f}: ${d.warnings.join('; ')}`);
  }
  return docs.map((d) => d.toJS());
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

test('the GitHub Actions workflow runs part k of a matrix over k and merges the artifacts', () => {
  const [wf] = documents('github-actions.yml') as [
    {
      env: { PARTS: number };
      jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { k: number[] } }; steps: Step[] }>;
    },
  ];
  assert.equal(wf.env.PARTS, 4);
  const { part, merge } = wf.jobs;
  assert.ok(part !== undefined && merge !== undefined);
  assert.deepEqual(part.strategy?.matrix.k, [0, 1, 2, 3]);
  const explore = part.steps.find((s) => s.run?.includes(' explore ') === true)?.run;
  assert.match(
    explore ?? '',
    /--partition \$\{\{ matrix\.k \}\}\/\$PARTS --result-out parts\/\$\{\{ matrix\.k \}\}\.json/,
  );
  const upload = part.steps.find((s) => s.uses?.startsWith('actions/upload-artifact') === true);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
  assert.equal(upload?.with?.path, 'parts/${{ matrix.k }}.json');
  // The merge waits for every part, runs even when one failed, downloads them all, then merges.
  assert.equal(merge.needs, 'part');
  assert.equal(merge.if, 'always()');
  const download = merge.steps.findIndex((s) => s.uses?.startsWith('actions/download-artifact') === true);
  assert.ok(download >= 0, 'the merge job downloads the artifacts');
  assert.equal(merge.steps[download]?.with?.path, 'parts');
  assert.equal(merge.steps[download]?.with?.pattern, 'part-*');
  assert.equal(merge.steps.at(-1)?.run, 'node bin/mmcheck.js merge parts/*.json');
});

interface K8sJob {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: { containers: { command: string[]; args?: string[] }[] } };
  };
}

test('the Kubernetes Indexed Job reads JOB_COMPLETION_INDEX and has a merge step', () => {
  const [parts, merge] = documents('k8s-indexed-job.yaml') as [K8sJob, K8sJob];
  assert.equal(parts.kind, 'Job');
  assert.equal(parts.spec.completionMode, 'Indexed');
  assert.equal(parts.spec.completions, 4);
  assert.equal(parts.spec.parallelism, 4);
  const part = parts.spec.template.spec.containers[0]!;
  assert.match(part.args?.[0] ?? '', /--partitions 4 --result-out \/parts\/\$\(JOB_COMPLETION_INDEX\)\.json/);
  assert.equal(merge.kind, 'Job');
  assert.equal(merge.spec.completionMode, undefined, 'the merge is one pod');
  assert.equal(merge.spec.template.spec.containers[0]?.command.at(-1), 'node bin/mmcheck.js merge /parts/*.json');
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
