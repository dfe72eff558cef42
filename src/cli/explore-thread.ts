// `explore` from the main thread: compiles the spec (unless a prewarmed worker waits), runs
// explore-cmd.ts on a worker thread, prints what it posts, and turns Ctrl-C / SIGTERM into
// the shared stop flag (interrupt.ts).
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../checker/parallel/helpers.js';
import { FileWriteError } from '../io/write-atomic.js';
import { EXIT_USAGE, type Io, UsageError } from './exit.js';
import type { ExploreFlags } from './explore-cmd.js';
import { takePrewarmed } from './explore-prewarm.js';
import type { ExploreJobMessage, ExploreMessage, ExploreWorkerData } from './explore-worker.js';
import { newStopFlag, onStopSignals } from './interrupt.js';
import { loadSpec, selectScenarios } from './load.js';
import { resolveSearchFlags } from './search-flags.js';
import { fitProgress } from './terminal.js';
import { workerUrl } from './worker-url.js';

/**
 * Run explore in the calling thread instead of on its worker thread: set by the in-process CLI
 * tests (test/support/cli.ts), whose hundred-odd commands each paid the ~0.2 s of CPU a worker
 * takes to load the checker. The search, its output and its exit code are runExplore's either
 * way; test/cli/explore-inline.test.ts holds the two paths to the same output, and the tests
 * that start bin/mmcheck.js (signals, the prewarmed worker, cli-fuzz) take the worker.
 */
export const exploreThread = { inline: false };

export async function exploreOnWorker(path: string, flags: ExploreFlags, io: Io): Promise<number> {
  // A flag the search does not read is refused from the flags alone, before the spec is read.
  resolveSearchFlags(flags);
  // A worker bin/mmcheck.js started ahead (explore-prewarm.ts) has loaded the checker while
  // this thread loaded the CLI: it compiles and reports errors itself, and compiling here
  // first would only delay its job. Otherwise the spec is compiled here first, so that a spec
  // that does not compile (or names no such scenario) is reported without starting a worker
  // thread: loading the checker there costs ~0.2 s of CPU, a compile a few ms. The worker
  // compiles again (it cannot be handed the checked spec), without printing the warnings a
  // second time.
  const waiting = takePrewarmed();
  if (waiting === null) {
    const spec = loadSpec(path, io, flags.json === true);
    if (spec === null) return EXIT_USAGE;
    selectScenarios(spec, flags.scenario, path);
    if (exploreThread.inline) {
      const { runExplore } = await import('./explore-cmd.js');
      return runExplore(path, flags, { ...io, interrupted: () => false }, true);
    }
  }
  return onWorker(path, flags, io, waiting);
}

function onWorker(path: string, flags: ExploreFlags, io: Io, waiting: Worker | null): Promise<number> {
  const stop = newStopFlag();
  const tty = process.stderr.isTTY === true;
  const data: ExploreWorkerData = {
    mmcheckExplore: true,
    path,
    flags,
    color: io.color === true,
    width: io.width,
    tty,
    stop,
    warned: waiting === null,
  };
  const worker = startExploreWorker(data, waiting);
  const progress = (s: string): void => {
    if (tty) process.stderr.write(s === '' ? '\r\x1b[K' : `\r\x1b[K${fitProgress(s, process.stderr.columns)}`);
  };
  const off = onStopSignals(stop, () => {
    progress('');
    io.err('mmcheck: interrupted: stopping the search (press Ctrl-C again to quit at once)');
  });
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      off();
      progress('');
      f();
    };
    worker.on('message', (m: ExploreMessage) => {
      if (m.t === 'done') {
        // Its work is done and its output posted: waiting for the worker to wind down (its
        // heap freed, its isolate disposed) held the process 0.05-0.1 s after the last line.
        worker.unref();
        settle(() => resolve(m.code));
      } else if (m.t === 'usage') settle(() => reject(new UsageError(m.message)));
      else if (m.t === 'write') settle(() => reject(new FileWriteError(m.path, m.reason)));
      else if (m.t === 'out') io.out(m.s);
      else if (m.t === 'err') io.err(m.s);
      else progress(m.s);
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the explore worker thread exited with code ${code} before it finished`))),
    );
  });
}

/** The worker bin/mmcheck.js started ahead (explore-prewarm.ts), given its job, or a new one. */
function startExploreWorker(data: ExploreWorkerData, waiting: Worker | null): Worker {
  if (waiting === null) return startWorker(workerUrl('explore-worker.js'), { workerData: data });
  waiting.ref();
  const job: ExploreJobMessage = { t: 'job', data };
  waiting.postMessage(job);
  return waiting;
}
