// The worker threads of one parallel BFS, seen from the coordinating thread: each answers
// requests in order (worker.ts), so a request's reply is the next message that is not `ready`.
import { Worker } from 'node:worker_threads';
import type { BfsRequest, BfsWorkerData } from './worker.js';

/** One worker thread: ready once it has built its system; requests queue their replies. */
export class Helper {
  ready = false;
  failure: Error | null = null;
  private readonly waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  private readonly worker: Worker;

  constructor(data: BfsWorkerData) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: data,
      execArgv: workerExecArgv(process.execArgv),
    });
    this.worker.on('message', (m: { t: string }) => {
      if (m.t === 'ready') this.ready = true;
      else this.waiting.shift()?.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`a BFS worker thread exited with code ${code}`)));
  }

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
