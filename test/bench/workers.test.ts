// The two-thread bench (bench/workers.ts) says when the host's memory was contended during
// its runs, the case where its speed-up swung from 1.32x to 1.83x within ten minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostNote, workersOptions } from '../../bench/workers.js';

test('hostNote: a line when two threads got under 1.7x one thread on memory, before or after the runs', () => {
  assert.equal(hostNote(2.01, 1.95), null);
  assert.equal(hostNote(1.7, 1.7), null);
  assert.equal(
    hostNote(1.23, 1.9),
    "  host: two threads reading memory at once ran 1.23x one thread's rate before the runs and 1.90x after " +
      '(2.0x when the host is quiet): its memory was contended, so the speed-up above says more about the host ' +
      'than about the search; measure again later',
  );
  assert.match(hostNote(2.0, 1.36) ?? '', /before the runs and 1\.36x after/);
});

test('workersOptions: three rounds at K = 6 unless asked otherwise, a bad value refused', () => {
  assert.deepEqual(workersOptions([], {}), { k: 6, rounds: 3, timeoutSeconds: 300 });
  assert.deepEqual(workersOptions(['--rounds', '1', '--k', '5'], {}), { k: 5, rounds: 1, timeoutSeconds: 300 });
  assert.equal(workersOptions([], { BENCH_WORKERS_ROUNDS: '2' }).rounds, 2);
  assert.throws(() => workersOptions(['--rounds', '0'], {}), /--rounds and --timeout a positive number/);
});
