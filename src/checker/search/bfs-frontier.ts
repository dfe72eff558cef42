// BFS's memory besides the fingerprint store: the queue of states to expand and the parent
// tree that rebuilds a schedule. Both are chunked typed arrays: growing never copies what is
// there, a chunk of the queue is reused once its states are expanded (so the queue's memory
// follows the frontier, not its high-water mark doubled), and nothing is allocated per state.
import type { ScheduleEntry } from '../result.js';
import { chunkAt, chunkBytes, int32Chunk } from './chunks.js';
import { decodeMove } from './move.js';
import { packState, unpackState } from './pack.js';

/** Words per full-sized queue chunk (1 MiB). */
const QUEUE_CHUNK_WORDS = 1 << 18;
/** Words in the first queue chunk; each new chunk is twice the last one, up to the full size. */
const FIRST_CHUNK_WORDS = 1 << 10;

/**
 * A queue chunk: records from word 0 to `end` (the tail chunk's end moves as states are
 * pushed). A record is a header word, the state's store index, then the state: packed, one
 * signed byte a word, in ceil(words / 4) words when every word fits a byte (the header is
 * the index), else in full (the header is ~index, negative).
 */
interface QueueChunk {
  words: Int32Array;
  bytes: Int8Array;
  end: number;
}

/**
 * Full states in FIFO order, each with its dense store index, packed a byte a word where they
 * fit. The queue is most of a large BFS's memory, and on a machine where the first touch of
 * a page costs 10 µs, most of its time: the seed twin's states are 136 words whose values all
 * fit a byte, so a queued state takes 140 bytes instead of 548.
 */
export class StateQueue {
  length = 0;
  /** The state shift() returned last, valid until the next shift() (unpacked into this buffer). */
  readonly front: Int32Array;
  /** Words of a packed record: the header and the state's bytes. */
  private readonly packedWords: number;
  /** The chunks in FIFO order, from chunks[first]; free ones wait in spare. */
  private chunks: QueueChunk[] = [];
  private first = 0;
  private readonly spare: QueueChunk[] = [];
  /** Next record to shift in the head chunk. */
  private head = 0;

  constructor(private readonly stateWords: number) {
    this.front = new Int32Array(stateWords);
    this.packedWords = 1 + ((stateWords + 3) >>> 2);
    this.chunks.push(this.newChunk(Math.max(FIRST_CHUNK_WORDS, 2 * (1 + stateWords))));
  }

  push(state: Int32Array, index: number): void {
    const w = this.stateWords;
    let chunk = this.chunks[this.chunks.length - 1]!;
    if (chunk.end + 1 + w > chunk.words.length) {
      chunk = this.nextChunk(Math.max(1 + w, Math.min(QUEUE_CHUNK_WORDS, 2 * chunk.words.length)));
      this.chunks.push(chunk);
    }
    const at = chunk.end;
    if (packState(state, w, chunk.bytes, 4 * (at + 1))) {
      chunk.words[at] = index;
      chunk.end = at + this.packedWords;
    } else {
      chunk.words[at] = ~index;
      chunk.words.set(state, at + 1);
      chunk.end = at + 1 + w;
    }
    this.length++;
  }

  /** Unpacks the oldest state into `front` and returns its store index. */
  shift(): number {
    let chunk = this.chunks[this.first]!;
    if (this.head >= chunk.end) chunk = this.releaseHead();
    const at = this.head;
    const header = chunk.words[at]!;
    const w = this.stateWords;
    const front = this.front;
    this.length--;
    if (header >= 0) {
      unpackState(chunk.bytes, 4 * (at + 1), w, front);
      this.head = at + this.packedWords;
      return header;
    }
    const words = chunk.words;
    for (let i = 0; i < w; i++) front[i] = words[at + 1 + i]!;
    this.head = at + 1 + w;
    return ~header;
  }

  /** Bytes held, spare chunks included. */
  get bytes(): number {
    let bytes = 0;
    for (let i = this.first; i < this.chunks.length; i++) bytes += this.chunks[i]!.words.byteLength;
    for (const c of this.spare) bytes += c.words.byteLength;
    return bytes;
  }

  /** The head chunk is used up (a queued state remains, so a later chunk exists): it becomes a spare. */
  private releaseHead(): QueueChunk {
    const used = this.chunks[this.first]!;
    used.end = 0;
    this.spare.push(used);
    this.first++;
    this.head = 0;
    if (this.first >= 1024) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
    return this.chunks[this.first]!;
  }

  /** A spare of at least `words` words (smaller ones, from the first levels, are dropped), or a new chunk. */
  private nextChunk(words: number): QueueChunk {
    for (let c = this.spare.pop(); c !== undefined; c = this.spare.pop()) if (c.words.length >= words) return c;
    return this.newChunk(words);
  }

  private newChunk(words: number): QueueChunk {
    const buffer = new ArrayBuffer(4 * words);
    return { words: new Int32Array(buffer), bytes: new Int8Array(buffer), end: 0 };
  }
}

const TREE_CHUNK_BITS = 16;
const TREE_CHUNK = 1 << TREE_CHUNK_BITS;

/** Parent link and incoming move of every stored state, by dense store index. */
export class ParentTree {
  size = 0;
  /** Chunk c holds entries c * TREE_CHUNK.. as (parent, move) pairs (chunk 0 grows: chunks.ts). */
  private readonly chunks: Int32Array[] = [];

  add(parent: number, move: number): void {
    const offset = this.size & (TREE_CHUNK - 1);
    const chunk = chunkAt(this.chunks, this.size >>> TREE_CHUNK_BITS, 2 * offset + 1, 2 * TREE_CHUNK, int32Chunk);
    chunk[2 * offset] = parent;
    chunk[2 * offset + 1] = move;
    this.size++;
  }

  /** Adds `count` entries at once: (parent, move) pairs from `pairs` (the parallel BFS's levels). */
  addAll(pairs: Int32Array, count: number): void {
    for (let i = 0; i < count; ) {
      const offset = this.size & (TREE_CHUNK - 1);
      const n = Math.min(count - i, TREE_CHUNK - offset);
      const chunk = chunkAt(
        this.chunks,
        this.size >>> TREE_CHUNK_BITS,
        2 * (offset + n) - 1,
        2 * TREE_CHUNK,
        int32Chunk,
      );
      chunk.set(pairs.subarray(2 * i, 2 * (i + n)), 2 * offset);
      this.size += n;
      i += n;
    }
  }

  /** The schedule from the initial state (index 0) to state `index`. */
  path(index: number, threadCount: number): ScheduleEntry[] {
    const schedule: ScheduleEntry[] = [];
    for (let i = index; i > 0; ) {
      const chunk = this.chunks[i >>> TREE_CHUNK_BITS]!;
      const offset = 2 * (i & (TREE_CHUNK - 1));
      schedule.push(decodeMove(chunk[offset + 1]!, threadCount));
      i = chunk[offset]!;
    }
    return schedule.reverse();
  }

  get bytes(): number {
    return chunkBytes(this.chunks);
  }
}
