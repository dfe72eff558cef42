// Bounded reads (src/io/read-bounded.ts): regular files only, never more than the bound.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ignoredLimit, inputLimits } from '../../src/io/limits.js';
import { FileReadError, readTextBounded } from '../../src/io/read-bounded.js';

const B = { bytes: 100, what: 'a spec file', env: 'MMCHECK_MAX_SPEC_BYTES' };

function failsWith(path: string, message: RegExp): void {
  assert.throws(
    () => readTextBounded(path, B),
    (e: unknown) => e instanceof FileReadError && message.test(e.message),
  );
}

test('readTextBounded: a file within the bound is read whole; over it is refused naming the bound and its variable', () => {
  const d = mkdtempSync(join(tmpdir(), 'mmcheck-read-'));
  writeFileSync(join(d, 'ok'), 'x'.repeat(100));
  assert.equal(readTextBounded(join(d, 'ok'), B), 'x'.repeat(100));
  writeFileSync(join(d, 'big'), 'x'.repeat(101));
  failsWith(
    join(d, 'big'),
    /^it is 101 bytes, over the 100 bytes limit for a spec file \(set MMCHECK_MAX_SPEC_BYTES to raise it\)$/,
  );
});

test('readTextBounded: devices, folders and files whose size is not known are refused or bounded', () => {
  failsWith('/dev/zero', /^it is a character device, not a regular file$/);
  failsWith(tmpdir(), /^it is a folder, not a regular file$/);
  failsWith('/no/such/file', /^no such file or folder$/);
  failsWith('', /^an empty path names no file$/);
  // /proc files report size 0: the bound holds while reading.
  assert.ok(readTextBounded('/proc/self/status', { ...B, bytes: 1 << 20 }).includes('Name:'));
  failsWith('/proc/self/status', /^it is more than 100 bytes, over the 100 bytes limit/);
});

test('inputLimits: defaults, each raised by its variable; nonsense is ignored', () => {
  assert.deepEqual(inputLimits({}), {
    specBytes: 4 * 1024 * 1024,
    specFiles: 256,
    traceBytes: 64 * 1024 * 1024,
    inlinedStatements: 100_000,
  });
  const l = inputLimits({ MMCHECK_MAX_SPEC_BYTES: '10', MMCHECK_MAX_STEPS: '-3', MMCHECK_MAX_SPEC_FILES: 'x' });
  assert.equal(l.specBytes, 10);
  assert.equal(l.inlinedStatements, 100_000);
  assert.equal(l.specFiles, 256);
});

test('a bound whose variable is set but ignored says so after "set VAR to raise it"', () => {
  // `MMCHECK_MAX_SPEC_BYTES=8M` was ignored in silence, and the error advised setting it.
  const d = mkdtempSync(join(tmpdir(), 'mmcheck-read-'));
  writeFileSync(join(d, 'big'), 'x'.repeat(101));
  process.env.MMCHECK_MAX_SPEC_BYTES = '8M';
  try {
    failsWith(
      join(d, 'big'),
      /^it is 101 bytes, over the 100 bytes limit for a spec file \(set MMCHECK_MAX_SPEC_BYTES to raise it; MMCHECK_MAX_SPEC_BYTES="8M" is ignored: it must be a positive whole number\)$/,
    );
  } finally {
    delete process.env.MMCHECK_MAX_SPEC_BYTES;
  }
  assert.equal(ignoredLimit('MMCHECK_MAX_STEPS', { MMCHECK_MAX_STEPS: '200000' }), '');
  assert.equal(ignoredLimit('MMCHECK_MAX_STEPS', {}), '');
  assert.equal(
    ignoredLimit('MMCHECK_MAX_STEPS', { MMCHECK_MAX_STEPS: '-3' }),
    '; MMCHECK_MAX_STEPS="-3" is ignored: it must be a positive whole number',
  );
});
