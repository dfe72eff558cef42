// A worker thread for `explore`/`simulate`, started by bin/mmcheck.js before the main thread
// loads the CLI. Loading mmcheck takes ~0.1 s of CPU on each thread; the worker started by
// explore-thread.ts began only after the main thread's load and its option parsing, so the
// two loads ran one after the other. Started first, the worker loads while the main thread
// does, then waits (explore-worker.ts) for the job explore-thread.ts posts. It is unref'd
// until taken: a usage error or `--help` exits without waiting for it.
//
// This module imports nothing of mmcheck's, so that it is cheap to load ahead of the rest.
import { Worker } from 'node:worker_threads';

/** The message that turns a waiting worker into the explore worker (explore-worker.ts). */
export const PREWARMED = 'mmcheck-explore-prewarmed';

interface Slot {
  waiting: Worker | null;
  /** The waiting worker failed to start or exited: explore-thread.ts starts another. */
  gone: boolean;
}

// One slot per thread, not per copy of this module: bin/mmcheck.js may prewarm through the
// ES bundle's copy and take through the CommonJS twin's (code-cache.ts), two module instances.
const KEY = Symbol.for('mmcheck.explorePrewarm');
const shared = globalThis as { [KEY]?: Slot };
shared[KEY] ??= { waiting: null, gone: false };
const slot: Slot = shared[KEY];

/** Starts the worker (explore-worker.js next to this module, or `url`) if none waits yet. */
export function prewarm(url = new URL('./explore-worker.js', import.meta.url)): void {
  if (slot.waiting !== null) return;
  slot.gone = false;
  let w: Worker;
  try {
    w = new Worker(url, { workerData: { mmcheckExplore: PREWARMED } });
  } catch {
    return; // explore-thread.ts starts one the usual way
  }
  slot.waiting = w;
  w.unref();
  // Failing before it is taken (a broken build), the worker is not used: the usual start
  // then reports the failure. An unhandled 'error' event would throw here instead.
  const fail = (): void => {
    if (slot.waiting === w) slot.gone = true;
  };
  w.once('error', fail).once('exit', fail);
}

/** The waiting worker, once (null if none was started); the caller refs it and posts its job. */
export function takePrewarmed(): Worker | null {
  const w = slot.gone ? null : slot.waiting;
  slot.waiting = null;
  return w;
}
