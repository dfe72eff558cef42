// Folder walks (src/io/walk.ts): links followed, cycles ended, unreadable entries named.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { walkFiles } from '../../src/io/walk.js';

function tree(): string {
  const d = mkdtempSync(join(tmpdir(), 'mmcheck-walk-'));
  mkdirSync(join(d, 'real'));
  mkdirSync(join(d, 'top'));
  writeFileSync(join(d, 'real', 'r.mmspec'), '');
  writeFileSync(join(d, 'top', 'a.mmspec'), '');
  symlinkSync(join('..', 'real', 'r.mmspec'), join(d, 'top', 'link.mmspec'));
  symlinkSync(join('..', 'real'), join(d, 'top', 'z-dirlink'));
  symlinkSync('..', join(d, 'top', 'cycle'));
  return d;
}

test('walkFiles: follows links to files and folders, each real file once, and a link cycle ends', () => {
  const d = tree();
  const w = walkFiles(join(d, 'top'), '.mmspec');
  assert.deepEqual(w.problems, []);
  // top/cycle is d itself: it holds real/r.mmspec (first seen there) and top (already walked).
  assert.deepEqual(w.files, [join(d, 'top', 'a.mmspec'), join(d, 'top', 'cycle', 'real', 'r.mmspec')]);
});

test('walkFiles: a dangling link is named, never skipped', () => {
  const d = tree();
  symlinkSync('nowhere', join(d, 'top', 'gone.mmspec'));
  const w = walkFiles(join(d, 'top'), '.mmspec');
  assert.deepEqual(w.problems, [
    `${join(d, 'top', 'gone.mmspec')}: a symbolic link that cannot be followed: no such file or folder`,
  ]);
  assert.equal(w.files.length, 2);
});

test('walkFiles: a folder it may not read is named (skipped when running as root, who reads it anyway)', (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: chmod 000 does not deny reads');
    return;
  }
  const d = tree();
  mkdirSync(join(d, 'top', 'closed'));
  chmodSync(join(d, 'top', 'closed'), 0);
  try {
    const w = walkFiles(join(d, 'top'), '.mmspec');
    assert.deepEqual(w.problems, [`${join(d, 'top', 'closed')}: cannot read the folder: permission denied`]);
  } finally {
    chmodSync(join(d, 'top', 'closed'), 0o755);
  }
});
