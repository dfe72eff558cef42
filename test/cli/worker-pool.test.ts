// The worker pool behind `mmcheck check`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runOnWorkers } from '../../src/cli/worker-pool.js';

test('worker pool: a worker that dies yields its task a crash result, and the rest still run', async () => {
  const code = `import { parentPort } from 'node:worker_threads';
    parentPort.on('message', (n) => { if (n === 2) throw new Error('boom ' + n); parentPort.postMessage(n * 10); });`;
  const url = new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  const results = await runOnWorkers<number, string | number>([1, 2, 3, 4], {
    url,
    workerData: null,
    jobs: 2,
    onCrash: (n, e) => `crash ${n}: ${e.message}`,
  });
  assert.deepEqual(results, [10, 'crash 2: boom 2', 30, 40]);
});

test('worker pool: tasks are handed out in the given order, results come back in task order', async () => {
  const code = `import { parentPort } from 'node:worker_threads';
    let seq = 0;
    parentPort.on('message', (n) => { parentPort.postMessage(n + ':' + seq++); });`;
  const url = new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  const results = await runOnWorkers<number, string>([0, 1, 2, 3], {
    url,
    workerData: null,
    jobs: 1,
    order: [2, 0, 3, 1],
    onCrash: (n) => `crash ${n}`,
  });
  assert.deepEqual(results, ['0:1', '1:3', '2:0', '3:2']);
});
