// `mmcheck merge`'s output beyond the verdict: fitted to --width, and its refusals as the one
// JSON document of --json.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli as run } from '../support/cli.js';
import { parts, SEED_SPEC } from '../support/merge-parts.js';

const SPEC = SEED_SPEC;

// merge printed the violation's message and the part list on one line however narrow the
// terminal, where explore fits them: --width was taken and ignored.
test('merge fits its output to --width (80 by default), the verdict lines whole, as explore does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files = await parts(dir, 'buggy_k2', 'JOB_COMPLETION_INDEX', 3);
  for (const [width, args] of [
    [80, []],
    [50, ['--width', '50']],
  ] as const) {
    const r = await run('merge', ...files.slice(1), ...args);
    assert.equal(r.code, 1, r.out + r.err);
    const lines = r.out.split('\n');
    const verdict = 'scenario buggy_k2: violation(use_after_free) (expected violation(use_after_free)) ok';
    assert.ok(lines.includes(verdict), r.out);
    const over = lines.filter((l) => l !== verdict && l.length > width);
    assert.deepEqual(over, [], `lines over ${width} columns`);
    // The message is all there, wrapped.
    assert.match(r.out.replace(/\s+/g, ' '), /fault#1 accesses pte_page#0\.ptl, which is freed/);
  }
});

// With --json stdout is one JSON document, a usage error included: merge printed its errors on
// stderr only, and a script reading stdout got nothing to parse.
test('merge --json: a file it cannot read, one that is not a part, parts of different runs: {"error": …} on stdout, exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{}');
  const [a, b] = await parts(dir, 'fixed_k1', 'MMCHECK_PARTITION_INDEX', 2);
  const other = join(dir, 'other.json');
  const edited = JSON.parse(readFileSync(b!, 'utf8'));
  edited.n = 3;
  writeFileSync(other, JSON.stringify(edited));
  for (const files of [[join(dir, 'none.json')], [junk], [a!, other]]) {
    const r = await run('merge', ...files, '--json');
    assert.equal(r.code, 2, r.out + r.err);
    const doc = JSON.parse(r.out) as { error: string };
    // The stderr line without its `error:`: `FILE: error: why` is `FILE: why`, `error: why` is `why`.
    assert.equal(doc.error, r.err.replace(/^(.*?: )?error: /, '$1'), `${r.out}\n${r.err}`);
  }
});

test('merge says once what the parts did not apply of --reduce, fits its lines to the width, and refuses a malformed record', async () => {
  // Each part printed `por: not applied: …`; merge printed nothing of it, in text or JSON.
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-merge-'));
  const files: string[] = [];
  for (const k of [0, 1]) {
    const file = join(dir, `p${k}.json`);
    const r = await run(
      'explore',
      SPEC,
      '-s',
      'fixed_k2',
      '--reduce',
      'por,symmetry',
      '--partition',
      `${k}/2`,
      '--result-out',
      file,
    );
    assert.equal(r.code, 0, r.out + r.err);
    files.push(file);
  }
  const r = await run('merge', ...files);
  assert.equal(r.code, 0, r.out + r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.deepEqual(
    lines.filter((l) => /not applied/.test(l)),
    ['  por: not applied: a part of a partitioned run expands every state in full'],
  );
  assert.ok(
    lines.every((l) => l.length <= 80 || l.startsWith('scenario ')),
    r.out,
  );
  const json = JSON.parse((await run('merge', '--json', ...files)).out);
  assert.deepEqual(
    json.scenarios[0].reductionsNotApplied.map((x: { reduction: string; reason: string }) => [x.reduction, x.reason]),
    [['por', 'partition']],
  );
  const edited = JSON.parse(readFileSync(files[1]!, 'utf8'));
  edited.scenarios[0].reductionsNotApplied = 'por';
  writeFileSync(files[1]!, JSON.stringify(edited));
  const bad = await run('merge', ...files);
  assert.equal(bad.code, 2, bad.out + bad.err);
  assert.match(bad.err, /\("fixed_k2"\) has a "reductionsNotApplied" that is not a list of reductions and reasons/);
});
