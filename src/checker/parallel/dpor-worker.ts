// A worker thread of the parallel DPOR search (dpor-parallel.ts): builds the system from the
// recipe, then runs the tasks the coordinating thread sends, one at a time, handing branches
// over while the control words say that workers are idle.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { DporTask } from '../dpor/handover.js';
import { exploreDporTask } from '../dpor/search.js';
import type { Bound, ExploreOptions, SystemRecipe } from '../result.js';
import { cutsOf } from '../systems/target.js';
import { buildFromRecipe } from './recipe.js';

/** Control words shared by the coordinator and the workers. */
export const STOP = 0;
/** Tasks wanted: idle workers less queued tasks; a worker that hands one over takes 1 off. */
export const WANT = 1;
/** States visited by all workers, added up at every hand-over check. */
export const VISITED = 2;
export const CONTROL_WORDS = 3;
/** STOP values: 1 a violation was found, 2 interrupted. */
export const STOP_FOUND = 1;
export const STOP_INTERRUPTED = 2;

/** Options a worker thread searches with (functions and the recipe left out). */
export type WorkerOptions = Omit<ExploreOptions, 'onProgress' | 'shouldStop' | 'interrupted' | 'recipe'>;

export interface DporWorkerData {
  mmcheckDporWorker: true;
  recipe: SystemRecipe;
  opts: WorkerOptions;
  control: SharedArrayBuffer;
  /** Date.now() at which --max-seconds runs out (Infinity: never). */
  deadline: number;
}

/** Nodes between two looks at the control words. */
const CHECK_EVERY = 64;

const data = workerData as DporWorkerData | null;
if (!isMainThread && parentPort !== null && data?.mmcheckDporWorker === true) {
  const port = parentPort;
  const sys = buildFromRecipe(data.recipe);
  const ctl = new Int32Array(data.control);
  port.on('message', (m: { t: 'run'; task: DporTask }) => {
    let nodes = 0;
    let counted = 0;
    const split = {
      task: m.task,
      stop: (visited: number): Bound | null => {
        if (++nodes % CHECK_EVERY !== 0) return null;
        if (Atomics.load(ctl, STOP) !== 0) return 'interrupted';
        const total = Atomics.add(ctl, VISITED, visited - counted) + visited - counted;
        counted = visited;
        return total > data.opts.maxStates ? 'max-states' : null;
      },
      wants: (): boolean => nodes % CHECK_EVERY === 0 && Atomics.load(ctl, WANT) > 0,
      give: (task: DporTask): void => {
        Atomics.sub(ctl, WANT, 1);
        port.postMessage({ t: 'task', task });
      },
    };
    const maxSeconds = (data.deadline - Date.now()) / 1000;
    const result = exploreDporTask(sys, { ...data.opts, maxSeconds: Math.max(0, maxSeconds) }, split);
    Atomics.add(ctl, VISITED, result.stats.states - counted);
    const target = cutsOf(sys);
    port.postMessage({ t: 'done', result, target });
  });
  port.postMessage({ t: 'ready' });
}
