// Ctrl-C and SIGTERM while a command runs. The searches are synchronous, so the work runs on
// worker threads and the main thread only waits: its signal handler sets a flag in shared
// memory that the searches read at their next check (SearchMeter.check, every few ms).
// The first signal stops the search, which reports what it covered as incomplete; a second
// one exits at once with 128 + the signal's number (130 for Ctrl-C), unless it came with the
// first (SAME_SIGNAL_MS).

const SIGNAL_NUMBER = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBER;

/** A stop flag in shared memory: one Int32 that a worker thread reads and the main thread sets. */
export function newStopFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Whether the flag is set (safe from any thread). */
export function isStopped(flag: Int32Array): boolean {
  return Atomics.load(flag, 0) !== 0;
}

/**
 * Signals closer than this to the first are the same one: coreutils `timeout -s INT` signals
 * the process and then its process group, two signals microseconds apart, and with worker
 * threads busy on every core both are delivered (3 runs in 10), which exited 130 with nothing
 * printed. A person's second Ctrl-C comes later, or after the first has already stopped the
 * search (within about 0.1 s); a second press while this thread is busy (check compiling its
 * specs) may be taken as part of the first, and the next one quits.
 */
const SAME_SIGNAL_MS = 100;

/**
 * Sets `flag` on the first SIGINT or SIGTERM (and calls onStop, which may print a note);
 * exits 128 + signal on a later one (SAME_SIGNAL_MS after the first or more; `clock` in
 * milliseconds). Returns the function that removes the handlers.
 */
export function onStopSignals(
  flag: Int32Array,
  onStop?: (signal: StopSignal) => void,
  clock: () => number = () => performance.now(),
): () => void {
  let firstAt = Number.NEGATIVE_INFINITY;
  const handler = (signal: StopSignal): void => {
    if (!isStopped(flag)) {
      firstAt = clock();
      Atomics.store(flag, 0, 1);
      onStop?.(signal);
    } else if (clock() - firstAt >= SAME_SIGNAL_MS) {
      process.exit(128 + SIGNAL_NUMBER[signal]);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
