// An error that is not the user's exits 70 (EX_SOFTWARE) with `[mmcheck internal bug]`, what
// to report and no stack unless MMCHECK_DEBUG=1. It was rethrown: node printed the stack and
// exited 1, which means "a violation was found".
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT_INTERNAL, internalBug } from '../../src/cli/exit.js';
import { main } from '../../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(ROOT, 'specs/rfc-2008-example.mmspec');

test('internal bug: main() returns 70 and says what to report, without a stack', async () => {
  const err: string[] = [];
  const io = {
    out: (): void => {
      throw new TypeError('cannot read properties of undefined (reading "x")');
    },
    err: (s: string) => err.push(s),
  };
  const code = await main(['node', 'mmcheck', 'show', EXAMPLE], io);
  assert.equal(code, EXIT_INTERNAL);
  assert.equal(EXIT_INTERNAL, 70);
  const text = err.join('\n');
  assert.match(text, /^\[mmcheck internal bug\] cannot read properties of undefined \(reading "x"\)$/m);
  assert.match(text, /report it with: mmcheck 0\.1\.0, node v[\d.]+, the command \(mmcheck show .*rfc-2008-example/);
  assert.doesNotMatch(text, /^\s+at /m);
});

test('internal bug: MMCHECK_DEBUG=1 adds the stack; a message already marked is not marked twice', () => {
  const err: string[] = [];
  const code = internalBug(
    new Error('[mmcheck internal bug] dpor: x'),
    ['node', 'mmcheck', 'explore'],
    {
      err: (s) => err.push(s),
    },
    { MMCHECK_DEBUG: '1' },
  );
  assert.equal(code, 70);
  assert.equal(err[0], '[mmcheck internal bug] dpor: x');
  assert.match(err.join('\n'), /^\s+at /m);
});

test('a reader that closes the pipe early (`mmcheck explore … | head -1`) gets exit 3, not 0', async () => {
  const { spawn } = await import('node:child_process');
  // Four scenarios cut at --max-states 0, each `incomplete`: the first line arrives, the
  // reader closes its end, and the next write fails with EPIPE while the run is unfinished.
  const child = spawn(process.execPath, [
    join(ROOT, 'bin/mmcheck.js'),
    'explore',
    join(ROOT, 'specs/bench/lastzero.mmspec'),
    '--max-states',
    '0',
  ]);
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  assert.equal(code, 3);
});
