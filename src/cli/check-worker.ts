// The worker thread of `mmcheck check`: runs the scenarios it is sent one at a time
// (checker/gate/run-case.ts) and posts back plain GateCases.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type GateTask, type RenderRun, runGateCase } from '../checker/gate/run-case.js';
import type { CompileResult } from '../model/compile.js';
import { renderRun } from '../report/text.js';

/** Marks a worker started by the check pool, so that importing this module elsewhere does nothing. */
export const GATE_WORKER_DATA = { mmcheckGate: true } as const;

const data = workerData as { mmcheckGate?: boolean; width?: number } | null;
if (!isMainThread && parentPort !== null && data?.mmcheckGate === true) {
  const port = parentPort;
  const cache = new Map<string, CompileResult>();
  // The report of a failure, as explore prints it, at the width the gate's output fits.
  const render: RenderRun = (run, trace) => renderRun(run, trace, { color: false, width: data.width });
  port.on('message', (task: GateTask) => {
    void runGateCase(task, render, cache).then((c) => port.postMessage(c));
  });
}
