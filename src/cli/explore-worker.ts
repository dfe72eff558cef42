// The worker thread of `mmcheck explore` (explore-cmd.ts runExplore): the main thread
// (explore-thread.ts) forwards its output and sets the shared stop flag on Ctrl-C.
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { phase } from '../io/phases.js';
import { FileWriteError } from '../io/write-atomic.js';
import { saveCodeCaches } from './code-cache.js';
import { UsageError } from './exit.js';
import { type ExploreFlags, runExplore } from './explore-cmd.js';
import { PREWARMED } from './explore-prewarm.js';
import { isStopped } from './interrupt.js';

/** What the main thread hands the worker. */
export interface ExploreWorkerData {
  mmcheckExplore: true;
  path: string;
  flags: ExploreFlags;
  color: boolean;
  /** The width output is rendered at (undefined: the default). */
  width: number | undefined;
  /** stderr is a terminal: post progress lines. */
  tty: boolean;
  stop: Int32Array;
  /** The main thread compiled the spec and printed its warnings (explore-thread.ts). */
  warned: boolean;
}

/** Messages to the main thread, in order; `done`, `usage` or `write` (a file it could not write) is the last. */
export type ExploreMessage =
  | { t: 'out' | 'err' | 'progress'; s: string }
  | { t: 'done'; code: number }
  | { t: 'usage'; message: string }
  | { t: 'write'; path: string; reason: string };

/** A prewarmed worker (explore-prewarm.ts) waits for this message, which carries its job. */
export interface ExploreJobMessage {
  t: 'job';
  data: ExploreWorkerData;
}

function run(data: ExploreWorkerData, port: MessagePort): void {
  phase('worker: job');
  const post = (m: ExploreMessage): void => port.postMessage(m);
  const io = {
    out: (s: string) => post({ t: 'out', s }),
    err: (s: string) => post({ t: 'err', s }),
    color: data.color,
    ...(data.width === undefined ? {} : { width: data.width }),
    interrupted: () => isStopped(data.stop),
    ...(data.tty ? { progress: (s: string) => post({ t: 'progress', s }) } : {}),
  };
  runExplore(data.path, data.flags, io, data.warned).then(
    (code) => {
      // The main thread lets the process exit on `done` without waiting for this thread to end.
      saveCodeCaches();
      post({ t: 'done', code });
    },
    (e: unknown) => {
      if (e instanceof UsageError) post({ t: 'usage', message: e.message });
      else if (e instanceof FileWriteError) post({ t: 'write', path: e.path, reason: e.reason });
      else throw e;
    },
  );
}

phase('worker: modules loaded');
const given = workerData as ExploreWorkerData | { mmcheckExplore: typeof PREWARMED } | null;
if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  if (given?.mmcheckExplore === true) run(given, port);
  else if (given?.mmcheckExplore === PREWARMED) port.once('message', (m: ExploreJobMessage) => run(m.data, port));
}
