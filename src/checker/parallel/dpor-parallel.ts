// Stateless DPOR on several threads (`explore --mode dpor --workers N`): the search split
// into subtrees of its exploration tree (dpor/split.ts, dpor/handover.ts; docs/distributed.md
// gives the soundness argument). Worker threads build the system from the recipe
// (recipe.ts). The first takes the whole search; while a worker is idle, busy workers hand
// over the first pending branch of their shallowest node that has one (work stealing, the
// receiver replays the path to it). The coordinating thread only queues tasks, hands them
// to idle workers, and stops everyone when one finds a violation or the user interrupts.
// The counts are sums over the tasks (dpor/split.ts Tally): executions two workers both
// explored are counted twice.
import type { Worker } from 'node:worker_threads';
import type { TransitionSystem } from '../../model/system.js';
import { type DporTask, rootTask } from '../dpor/handover.js';
import { Tally } from '../dpor/split.js';
import type { ExploreOptions, ExploreResult, SystemRecipe } from '../result.js';
import { SearchMeter } from '../search/meter.js';
import { addCuts, type CutCounts } from '../systems/target.js';
import {
  CONTROL_WORDS,
  type DporWorkerData,
  STOP,
  STOP_FOUND,
  STOP_INTERRUPTED,
  WANT,
  type WorkerOptions,
} from './dpor-worker.js';
import { startWorker } from './helpers.js';

type Reply =
  | { t: 'ready' }
  | { t: 'task'; task: DporTask }
  | { t: 'done'; result: ExploreResult; target: CutCounts | null };

/** How often the coordinator polls the interrupt flag, in milliseconds. */
const POLL_MS = 50;

export async function exploreDporParallel(
  sys: TransitionSystem,
  opts: ExploreOptions,
  recipe: SystemRecipe,
  workers: number,
): Promise<ExploreResult> {
  const meter = new SearchMeter(opts);
  const ctl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const { onProgress: _p, shouldStop: _s, interrupted: _i, recipe: _r, ...plain } = opts;
  const data: DporWorkerData = {
    mmcheckDporWorker: true,
    recipe,
    opts: plain satisfies WorkerOptions,
    control: ctl.buffer as SharedArrayBuffer,
    deadline: Date.now() + opts.maxSeconds * 1000,
  };
  const threads: Worker[] = [];
  for (let i = 0; i < workers; i++)
    threads.push(startWorker(new URL('./dpor-worker.js', import.meta.url), { workerData: data }));
  const tally = new Tally();
  const targets = new Map<Worker, CutCounts | null>();
  try {
    await new Promise<void>((resolve, reject) => {
      const queue: DporTask[] = [rootTask()];
      const idle: Worker[] = [];
      const running = new Map<Worker, DporTask>();
      const poll = setInterval(() => {
        if (opts.interrupted?.() === true || opts.shouldStop?.() === true) Atomics.store(ctl, STOP, STOP_INTERRUPTED);
      }, POLL_MS);
      const dispatch = (): void => {
        const stopped = Atomics.load(ctl, STOP) !== 0;
        while (!stopped && idle.length > 0 && queue.length > 0) {
          const w = idle.pop()!;
          const task = queue.shift()!;
          running.set(w, task);
          w.postMessage({ t: 'run', task });
        }
        Atomics.store(ctl, WANT, stopped ? 0 : idle.length - queue.length);
        if (running.size === 0 && (stopped || queue.length === 0)) {
          clearInterval(poll);
          resolve();
        }
      };
      for (const w of threads) {
        w.on('message', (m: Reply) => {
          if (m.t === 'task') queue.push(m.task);
          else if (m.t === 'done') {
            tally.add(running.get(w)!, m.result);
            running.delete(w);
            targets.set(w, m.target);
            if (tally.stopped) Atomics.store(ctl, STOP, STOP_FOUND);
          }
          if (m.t !== 'task') idle.push(w);
          dispatch();
        });
        const fail = (e: Error): void => {
          clearInterval(poll);
          reject(e);
        };
        w.on('error', fail);
        w.on('exit', (code) => fail(new Error(`a DPOR worker thread exited with code ${code}`)));
      }
    });
  } finally {
    for (const w of threads) w.removeAllListeners('exit');
    await Promise.all(threads.map((w) => w.terminate()));
  }
  for (const t of targets.values()) addCuts(sys, t);
  // Interrupted between tasks (before the first one ran, or with tasks handed over and not yet
  // taken), no task reported it: the subtrees left in the queue were never explored.
  if (Atomics.load(ctl, STOP) === STOP_INTERRUPTED)
    tally.incomplete ??= { kind: 'incomplete', bound: 'interrupted', detail: 'interrupted: subtrees not explored' };
  return tally.result(meter, opts);
}
