// The worker thread of `mmcheck check`: runs the scenarios it is sent one at a time
// (checker/gate/run-case.ts) and posts back plain GateCases.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { GateCase } from '../checker/gate/report.js';
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

/**
 * Runs one gate task after another, as a worker does and as check does in its own thread
 * (check.ts checkThread): one compile cache, the stop flag, failures rendered at `width`.
 */
export function gateCaseRunner(stop: Int32Array, width: number | undefined): (task: GateTask) => Promise<GateCase> {
  const cache = new Map<string, CompileResult>();
  const interrupted = (): boolean => isStopped(stop);
  // The report of a failure, as explore prints it, at the width the gate's output fits.
  const render: RenderRun = (run, trace) => renderRun(run, trace, { color: false, width });
  return (task) => runGateCase(task, render, cache, interrupted);
}

const data = workerData as { mmcheckGate?: boolean; width?: number; stop: Int32Array } | null;
if (!isMainThread && parentPort !== null && data?.mmcheckGate === true) {
  const port = parentPort;
  const run = gateCaseRunner(data.stop, data.width);
  port.on('message', (task: GateTask) => {
    void run(task).then((c) => port.postMessage(c));
  });
}
