// The memory a search may use. A stored-state search keeps its states in typed arrays
// outside V8's heap, so the bound is on the process's resident memory (RSS); the JS heap has
// a limit of its own (V8's heap_size_limit), past which V8 aborts the process, so a search
// also stops when the heap nears it.
import { totalmem } from 'node:os';
import { grouped } from '../io/grouped.js';

/** The share of the machine's memory (or of the container's limit) a search may use by default. */
const MACHINE_SHARE = 0.75;
/** A search stops when the JS heap holds this share of V8's heap limit. */
export const HEAP_SHARE = 0.9;

/** The default --max-memory in bytes: 3/4 of the machine's memory, or of the container's limit. */
export function defaultMaxMemory(): number {
  const machine = totalmem();
  const limit = process.constrainedMemory?.() ?? 0;
  const usable = limit > 0 && limit < machine ? limit : machine;
  return Math.floor(usable * MACHINE_SHARE);
}

/** 1234567890 -> "1,177 MiB". */
export function mib(bytes: number): string {
  return `${grouped(Math.round(bytes / 2 ** 20))} MiB`;
}
