// Atomic writes (src/io/write-atomic.ts): whole or nothing, one error naming the path.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileWriteError, writeFileAtomic } from '../../src/io/write-atomic.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'mmcheck-write-'));

function failsWith(f: () => void, message: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof FileWriteError && message.test(e.message));
}

test('writeFileAtomic: writes, replaces, creates missing folders, keeps the mode; no temporary file left', () => {
  const d = dir();
  const p = join(d, 'a', 'b', 'x.json');
  writeFileAtomic(p, 'one');
  assert.equal(readFileSync(p, 'utf8'), 'one');
  chmodSync(p, 0o640);
  writeFileAtomic(p, 'two');
  assert.equal(readFileSync(p, 'utf8'), 'two');
  assert.equal(statSync(p).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(join(d, 'a', 'b')), ['x.json']);
});

test('writeFileAtomic: a write that fails half-way leaves the old file whole and no temporary file', () => {
  const d = dir();
  const p = join(d, 'trace.json');
  writeFileSync(p, 'the good trace');
  const full = (fd: number, data: Buffer): void => {
    writeFileSync(fd, data.subarray(0, 3));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  failsWith(
    () => writeFileAtomic(p, 'a new and longer trace', { write: full }),
    /^cannot write .*trace\.json: no space left on device$/,
  );
  assert.equal(readFileSync(p, 'utf8'), 'the good trace');
  assert.deepEqual(readdirSync(d), ['trace.json']);
});

test('writeFileAtomic: impossible paths fail at once with one line (no mkdir loop under /proc)', () => {
  const d = dir();
  writeFileSync(join(d, 'file'), '');
  failsWith(() => writeFileAtomic(join(d, 'file', 'x.json'), 'x'), /^cannot write .*file\/x\.json: /);
  failsWith(() => writeFileAtomic(join(d, 'file', 'deeper', 'x.json'), 'x'), /^cannot write .*file\/deeper\/x\.json: /);
  failsWith(() => writeFileAtomic('/proc/x/y.json', 'x'), /^cannot write \/proc\/x\/y\.json: /);
  failsWith(() => writeFileAtomic('/proc/a/b/c', 'x'), /^cannot write \/proc\/a\/b\/c: /);
  failsWith(() => writeFileAtomic(d, 'x'), /^cannot write .*: it is a folder$/);
  failsWith(() => writeFileAtomic('/dev/full', 'x'), /^cannot write \/dev\/full: no space left on device$/);
});

test('writeFileAtomic: a symbolic link keeps pointing at the file it names, which gets the text', () => {
  const d = dir();
  mkdirSync(join(d, 'real'));
  writeFileSync(join(d, 'real', 'r.json'), 'old');
  symlinkSync(join('real', 'r.json'), join(d, 'link.json'));
  writeFileAtomic(join(d, 'link.json'), 'new');
  assert.equal(readFileSync(join(d, 'real', 'r.json'), 'utf8'), 'new');
  assert.ok(statSync(join(d, 'link.json')).isFile());
  assert.deepEqual(readdirSync(join(d, 'real')), ['r.json']);
});

test('writeFileAtomic: a FIFO nobody reads is an error at once, not a hang', () => {
  const d = dir();
  const fifo = join(d, 'f.json');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return;
  failsWith(
    () => writeFileAtomic(fifo, 'x'),
    /^cannot write .*f\.json: nothing reads it \(a FIFO or device without a reader\)$/,
  );
});
