// A fixed pool of worker threads that take tasks one at a time, in `order` if given. Results
// come back in task order, whatever order the workers take and finish them in, so output
// stays deterministic. A worker that
// dies (an uncaught error, out of memory) yields onCrash's result for its task and is
// replaced while tasks remain.
import { Worker } from 'node:worker_threads';

export interface PoolOptions<T, R> {
  /** The worker module (compiled .js). */
  url: URL;
  workerData: unknown;
  /** Workers to start; never more than there are tasks. */
  jobs: number;
  /** The order in which tasks are handed out (task indices; default: 0, 1, 2, …). */
  order?: readonly number[];
  onCrash: (task: T, error: Error) => R;
  /** Once true, no further task starts: each gets onSkipped's result (Ctrl-C). */
  stopped?: () => boolean;
  onSkipped?: (task: T) => R;
  /** Called after each task completes (a progress line). */
  onProgress?: (done: number, total: number) => void;
}

export function runOnWorkers<T, R>(tasks: readonly T[], o: PoolOptions<T, R>): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  if (tasks.length === 0) return Promise.resolve(results);
  let next = 0;
  let done = 0;
  return new Promise<R[]>((resolve) => {
    const finish = (index: number, r: R): void => {
      results[index] = r;
      done++;
      o.onProgress?.(done, tasks.length);
      if (done === tasks.length) resolve(results);
    };
    const start = (): void => {
      const w = new Worker(o.url, { workerData: o.workerData });
      let current = -1;
      let failure: Error | undefined;
      const feed = (): void => {
        if (o.stopped?.() === true && o.onSkipped !== undefined) {
          for (; next < tasks.length; next++) {
            const index = o.order?.[next] ?? next;
            finish(index, o.onSkipped(tasks[index]!));
          }
        }
        if (next >= tasks.length) {
          current = -1;
          void w.terminate();
          return;
        }
        current = o.order?.[next] ?? next;
        next++;
        w.postMessage(tasks[current]);
      };
      w.on('message', (r: R) => {
        const index = current;
        feed();
        finish(index, r);
      });
      w.on('error', (e) => {
        failure = e;
      });
      w.on('exit', (code) => {
        if (current < 0) return;
        const index = current;
        current = -1;
        finish(index, o.onCrash(tasks[index]!, failure ?? new Error(`worker thread exited with code ${code}`)));
        if (next < tasks.length) start();
      });
      feed();
    };
    const n = Math.max(1, Math.min(o.jobs, tasks.length));
    for (let i = 0; i < n; i++) start();
  });
}
