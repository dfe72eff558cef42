// The worker thread of `mmcheck check`: runs the scenarios it is sent one at a time
// (checker/gate/run-case.ts) and posts back plain GateCases.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type GateTask, runGateCase } from '../checker/gate/run-case.js';
import type { CompileResult } from '../model/compile.js';
import { renderRun } from '../report/text.js';
import { isStopped } from './interrupt.js';

/**
 * What a worker started by the check pool receives: the mark (so that importing this module
 * elsewhere does nothing) and the stop flag the main thread sets on Ctrl-C (interrupt.ts).
 */
export function gateWorkerData(stop: Int32Array): { mmcheckGate: true; stop: Int32Array } {
  return { mmcheckGate: true, stop };
}

const data = workerData as { mmcheckGate?: boolean; stop: Int32Array } | null;
if (!isMainThread && parentPort !== null && data?.mmcheckGate === true) {
  const port = parentPort;
  const cache = new Map<string, CompileResult>();
  const interrupted = (): boolean => isStopped(data.stop);
  port.on('message', (task: GateTask) => {
    void runGateCase(task, renderRun, cache, interrupted).then((c) => port.postMessage(c));
  });
}
