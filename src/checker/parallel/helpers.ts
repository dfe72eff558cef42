// The worker threads of one parallel BFS, seen from the coordinating thread: each answers
// requests in order (worker.ts), so a request's reply is the next message that is not `ready`.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { BfsRequest, BfsWorkerData } from './worker.js';

/** One worker thread: ready once it has built its system; requests queue their replies. */
export class Helper {
  ready = false;
  /** Settles once the thread is ready or has failed. */
  readonly started: Promise<void>;
  private onReady: () => void = () => {};
  failure: Error | null = null;
  private readonly waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  private readonly worker: Worker;

  constructor(data: BfsWorkerData) {
    this.started = new Promise((resolve) => {
      this.onReady = resolve;
    });
    this.worker = startWorker(new URL('./worker.js', import.meta.url), { workerData: data });
    this.worker.on('message', (m: { t: string }) => {
      if (m.t === 'ready') {
        this.ready = true;
        this.onReady();
      } else this.waiting.shift()?.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`a BFS worker thread exited with code ${code}`)));
  }

  /** Sends `request` (transferring nothing: records.ts give() says why); its reply. */
  ask<R>(request: BfsRequest): Promise<R> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (m: unknown) => void, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.onReady();
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}

/**
 * The node flags a worker inherits, without `--import`/`--require` preloads: a relative preload
 * (a test harness's) does not resolve once the process has changed its directory, and the
 * worker needs none of them.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--import' || a === '--require' || a === '-r') i++;
    else if (!a.startsWith('--import=') && !a.startsWith('--require=')) out.push(a);
  }
  return out;
}

/**
 * A worker thread with this process's node flags (workerExecArgv), less those a worker
 * refuses: V8's flags (`--trace-gc`, `--max-semi-space-size=…`, `--stack-size=…`) are the
 * process's already, and a worker given one threw at start, an internal error.
 */
export function startWorker(url: URL, options: Omit<WorkerOptions, 'execArgv'>): Worker {
  let argv = workerExecArgv(process.execArgv);
  for (;;) {
    try {
      return new Worker(url, { ...options, execArgv: argv });
    } catch (e) {
      const refused = refusedFlags(e);
      const kept = argv.filter((a) => !refused.includes(a));
      if (kept.length === argv.length) throw e;
      argv = kept;
    }
  }
}

/** The flags an ERR_WORKER_INVALID_EXEC_ARGV error lists, as they were given. */
function refusedFlags(e: unknown): string[] {
  if (!(e instanceof Error) || (e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return [];
  const at = e.message.indexOf(': ');
  return at < 0 ? [] : e.message.slice(at + 2).split(', ');
}
