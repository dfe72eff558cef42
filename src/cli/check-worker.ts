// The worker thread of `mmcheck check`: runs the scenarios it is sent one at a time
// (checker/gate/run-case.ts) and posts back plain GateCases.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type GateTask, type RenderRun, runGateCase } from '../checker/gate/run-case.js';
import type { CompileResult } from '../model/compile.js';
import { renderRun } from '../report/text.js';
import { isStopped } from './interrupt.js';

/**
 * What a worker started by the check pool receives: the mark (so that importing this module
 * elsewhere does nothing), the stop flag the main thread sets on Ctrl-C (interrupt.ts) and
 * the width failure reports are rendered at.
 */
export function gateWorkerData(
  stop: Int32Array,
  width: number,
): { mmcheckGate: true; stop: Int32Array; width: number } {
  return { mmcheckGate: true, stop, width };
}

const data = workerData as { mmcheckGate?: boolean; width?: number; stop: Int32Array } | null;
if (!isMainThread && parentPort !== null && data?.mmcheckGate === true) {
  const port = parentPort;
  const cache = new Map<string, CompileResult>();
  const interrupted = (): boolean => isStopped(data.stop);
  // The report of a failure, as explore prints it, at the width the gate's output fits.
  const render: RenderRun = (run, trace) => renderRun(run, trace, { color: false, width: data.width });
  port.on('message', (task: GateTask) => {
    void runGateCase(task, render, cache, interrupted).then((c) => port.postMessage(c));
  });
}
