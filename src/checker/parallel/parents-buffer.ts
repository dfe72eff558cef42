// The parallel BFS's buffer of a level's (parent, move) pairs (coordination.ts).

/**
 * The parents' buffer, reused from level to level (it is read before the next level is made):
 * allocating one per level left its memory to the garbage collector, which does not count
 * SharedArrayBuffers as heap.
 */
export class ParentsBuffer {
  private spare: SharedArrayBuffer | null = null;

  /** A view of `words` words over the spare buffer, or a new one half again as large. */
  take(words: number): Int32Array {
    if (this.spare === null || this.spare.byteLength < words * 4)
      this.spare = new SharedArrayBuffer(Math.ceil(words * 1.5) * 4);
    return new Int32Array(this.spare, 0, words);
  }
}
