// A state packed a signed byte a word, when every word fits one (-128..127): the BFS queue
// (bfs-frontier.ts) and the parallel BFS's records (parallel/records.ts) keep states so. A
// state's words are about all small (pcs, booleans, refs, small counters), and a queued
// level is most of a large BFS's memory: the seed twin's 136-word states take 136 bytes
// instead of 544.

/**
 * Writes `state` (its first `w` words) to `bytes` from `off`, a byte a word, and returns
 * whether every word fitted; if not, what it wrote is meaningless. Every word is stored
 * truncated and the range checked once at the end, no branch per word (98 → 85 ns for 136
 * words, node 20).
 */
export function packState(state: Int32Array, w: number, bytes: Int8Array, off: number): boolean {
  let out = 0;
  for (let i = 0; i < w; i++) {
    const v = state[i]!;
    out |= v + 128;
    bytes[off + i] = v;
  }
  return (out & ~0xff) === 0;
}

/** Reads the `w` words packed by packState at `off` of `bytes` into `into`. */
export function unpackState(bytes: Int8Array, off: number, w: number, into: Int32Array): void {
  for (let i = 0; i < w; i++) into[i] = bytes[off + i]!;
}
