// Chunked typed arrays whose first chunk starts small: a search's queue, parent tree and edge
// log address entry i as chunks[i >>> bits][i & (size - 1)], and a chunk of a full 2^16 or
// 2^18 entries, zeroed, for each of them was most of the cost of a search of a few hundred
// states (2.8 MiB before the first step: the test suite runs thousands of those). Chunk 0
// starts at FIRST_ENTRIES and doubles (one copy each time) until it is full-sized; later
// chunks are full-sized at once, so the addressing never changes.

/** Entries in a fresh chunk 0. */
const FIRST_ENTRIES = 256;

/**
 * The chunk that holds entry `offset` of chunk `c` (chunks[0..c-1] exist and are full):
 * chunks[c], made or grown (only chunk 0 is ever short) to hold it. `full` is a chunk's size.
 */
export function chunkAt<T extends Int32Array | Uint8Array>(
  chunks: T[],
  c: number,
  offset: number,
  full: number,
  make: (entries: number) => T,
): T {
  const chunk = chunks[c];
  if (chunk === undefined) {
    const made = make(c === 0 ? Math.min(FIRST_ENTRIES, full) : full);
    chunks.push(made);
    return offset < made.length ? made : chunkAt(chunks, c, offset, full, make);
  }
  if (offset < chunk.length) return chunk;
  let size = chunk.length;
  while (size <= offset) size = Math.min(full, size * 2);
  const grown = make(size);
  (grown as Int32Array).set(chunk as Int32Array);
  chunks[c] = grown;
  return grown;
}

export const int32Chunk = (entries: number): Int32Array => new Int32Array(entries);
export const uint8Chunk = (entries: number): Uint8Array => new Uint8Array(entries);

/** Bytes held by `chunks`. */
export function chunkBytes(chunks: readonly (Int32Array | Uint8Array)[]): number {
  let bytes = 0;
  for (const c of chunks) bytes += c.byteLength;
  return bytes;
}
