// What two threads can gain on this machine at all, whatever mmcheck does: the same fixed
// amount of work per thread, run by one thread alone and then by two at once, on
//   compute: integer arithmetic in registers (no memory traffic);
//   memory:  random reads and writes over a 256 MiB Int32Array per thread, 8 in flight
//            (the fingerprint table's access pattern: one cache miss per lookup);
//   shared:  the same over one 512 MiB SharedArrayBuffer both threads use, every write an
//            Atomics.compareExchange (the parallel search's shared table, parallel/shared-table.ts).
// The speed-up of two threads is 2 × (one thread's time) / (the slower of the two threads'
// times). On a host whose two cores share caches, memory bandwidth or a physical core (a
// VM's vCPUs), the memory-bound ratios fall below 2, and no parallel search on this
// machine can beat them: the parallel BFS's speed-up (bench/workers.ts) is read against them.
import { Worker } from 'node:worker_threads';

export interface CoreCeiling {
  kind: 'compute' | 'memory' | 'shared';
  oneSeconds: number;
  twoSeconds: number;
  speedup: number;
}

// Runs in each worker: `kind`, a seed, and for `shared` the buffer; posts its seconds.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { kind, seed, buffer, ops } = workerData;
let x = seed | 1;
const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
let sink = 0;
let t0 = performance.now();
if (kind === 'compute') {
  for (let i = 0; i < ops; i++) sink = (sink + Math.imul(next(), 0x9e3779b1)) | 0;
} else {
  const a = kind === 'shared' ? new Int32Array(buffer) : new Int32Array(64 << 20);
  if (kind !== 'shared') for (let i = 0; i < a.length; i += 1024) a[i] = i;
  t0 = performance.now();
  const mask = a.length - 1;
  const idx = new Int32Array(8);
  for (let i = 0; i < ops; i += 8) {
    for (let j = 0; j < 8; j++) idx[j] = next() & mask;
    for (let j = 0; j < 8; j++) {
      const v = a[idx[j]];
      sink = (sink + v) | 0;
      if ((v & 3) === 0) {
        if (kind === 'shared') Atomics.compareExchange(a, idx[j], v, v + 1);
        else a[idx[j]] = v + 1;
      }
    }
  }
}
parentPort.postMessage({ seconds: (performance.now() - t0) / 1000, sink });
`;

function runThreads(
  kind: CoreCeiling['kind'],
  threads: number,
  ops: number,
  buffer?: SharedArrayBuffer,
): Promise<number> {
  const runs = Array.from(
    { length: threads },
    (_, i) =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { kind, seed: 0x1234567 + i * 7919, buffer, ops } });
        w.once('message', (m: { seconds: number }) => resolve(m.seconds));
        w.once('error', reject);
      }),
  );
  return Promise.all(runs).then((secs) => Math.max(...secs));
}

/** One round of each kind: one thread alone, then two at once, each thread doing `ops` operations. */
export async function coreCeiling(
  ops = { compute: 300_000_000, memory: 20_000_000, shared: 10_000_000 },
): Promise<CoreCeiling[]> {
  const rows: CoreCeiling[] = [];
  for (const kind of ['compute', 'memory', 'shared'] as const) {
    const n = ops[kind];
    const buffer = kind === 'shared' ? new SharedArrayBuffer(512 << 20) : undefined;
    if (buffer) new Int32Array(buffer).fill(4); // touched once, so no thread pays the page faults
    const one = await runThreads(kind, 1, n, buffer);
    const two = await runThreads(kind, 2, n, buffer);
    rows.push({ kind, oneSeconds: one, twoSeconds: two, speedup: (2 * one) / two });
  }
  return rows;
}

// Two threads at once over one shared 128 MiB table of 64-byte lines: each step writes a line
// (an insert) and reads five lines written 997 to 4,985 steps before, by this thread (`own`)
// or by the other one (`cross`). The threads keep in step (neither runs more than 512 steps
// ahead of the other, through a shared counter), so `cross` reads lines as old as `own` does:
// what differs is only which core wrote them. In the parallel BFS at K = 6, 14% of the
// duplicate lookups are of the second kind (docs/performance.md, "Where the second thread's
// time goes").
const HANDOFF = `
const { parentPort, workerData } = require('node:worker_threads');
const { table, rings, progress, id, cross, steps } = workerData;
const LINES = table.byteLength >> 6, RING = rings.byteLength >> 3;
const w = new Int32Array(table), ring = new Int32Array(rings), at = new Int32Array(progress);
const mine = id * RING, from = cross ? (1 - id) * RING : mine;
let x = 12345 + id * 777, sink = 0;
const t0 = performance.now();
for (let i = 0; i < steps; i++) {
  if ((i & 255) === 0) {
    Atomics.store(at, id, i);
    while (Atomics.load(at, 1 - id) < i - 512) {}
  }
  x = (Math.imul(x, 1103515245) + 12345) | 0;
  const line = (x >>> 11) & (LINES - 1);
  w[line * 16] = i;
  ring[mine + (i & (RING - 1))] = line;
  if (i >= 5 * 997) for (let k = 1; k <= 5; k++) sink ^= w[ring[from + ((i - k * 997) & (RING - 1))] * 16];
}
Atomics.store(at, id, 1 << 30);
parentPort.postMessage({ ns: ((performance.now() - t0) * 1e6) / steps, sink });
`;

export interface HandoffCost {
  ownNs: number;
  crossNs: number;
}

/** Nanoseconds a step (one write, five reads of lines as old), reading one's own lines or the other thread's. */
export async function handoffCost(steps = 3_000_000): Promise<HandoffCost> {
  const table = new SharedArrayBuffer(128 << 20);
  new Int32Array(table).fill(1); // touched once, so no thread pays the page faults
  const rings = new SharedArrayBuffer(2 * (1 << 16) * 4);
  const run = (cross: boolean): Promise<number> => {
    const progress = new SharedArrayBuffer(8);
    return Promise.all(
      [0, 1].map(
        (id) =>
          new Promise<number>((resolve, reject) => {
            const w = new Worker(HANDOFF, { eval: true, workerData: { table, rings, progress, id, cross, steps } });
            w.once('message', (m: { ns: number }) => resolve(m.ns));
            w.once('error', reject);
          }),
      ),
    ).then((ns) => (ns[0]! + ns[1]!) / 2);
  };
  await run(false); // warm the table and the JIT alike for both
  return { ownNs: await run(false), crossNs: await run(true) };
}
