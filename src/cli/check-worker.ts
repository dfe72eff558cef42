// The worker thread of `mmcheck check`: runs the scenarios it is sent one at a time
// (checker/gate/run-case.ts) and posts back plain GateCases.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type GateTask, runGateCase } from '../checker/gate/run-case.js';
import type { CompileResult } from '../model/compile.js';
import { renderRun } from '../report/text.js';

/** Marks a worker started by the check pool, so that importing this module elsewhere does nothing. */
export const GATE_WORKER_DATA = { mmcheckGate: true } as const;

if (!isMainThread && parentPort !== null && (workerData as { mmcheckGate?: boolean } | null)?.mmcheckGate === true) {
  const port = parentPort;
  const cache = new Map<string, CompileResult>();
  port.on('message', (task: GateTask) => {
    void runGateCase(task, renderRun, cache).then((c) => port.postMessage(c));
  });
}
