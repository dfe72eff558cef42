// BFS's memory besides the fingerprint store: the queue of states to expand and the parent
// tree that rebuilds a schedule. Both are chunked typed arrays: growing never copies what is
// there, a chunk of the queue is reused once its states are expanded (so the queue's memory
// follows the frontier, not its high-water mark doubled), and nothing is allocated per state.
import type { ScheduleEntry } from '../result.js';
import { chunkAt, chunkBytes, int32Chunk } from './chunks.js';
import { decodeMove } from './move.js';

/** Words per queue chunk (1 MiB), at least this many states' worth. */
const QUEUE_CHUNK_WORDS = 1 << 18;
const MIN_STATES_PER_CHUNK = 16;
/** States in the first queue chunk; each new chunk holds twice the last one's, up to the full size. */
const FIRST_CHUNK_STATES = 32;

/**
 * A queue chunk: blocks 1..blocks hold queued states (block 0 is unused); index[k] is block
 * k's store index, views[k] a view of block k (made when first needed, reused with the chunk).
 */
interface QueueChunk {
  blocks: number;
  words: Int32Array;
  views: Int32Array[];
  index: Int32Array;
}

/** Full states in FIFO order, each with its dense store index. */
export class StateQueue {
  length = 0;
  /**
   * The state shift() returned last, valid until the next shift(): a view of its block, which
   * stays as it is until then (a chunk is reused only once the shift after its last state).
   * No copy: handing out the block's view instead of copying the state to a stage saved 2%
   * of BFS on the seed twin.
   */
  front: Int32Array;
  /** Blocks in a full-sized chunk. */
  private readonly perChunk: number;
  /** The chunks in FIFO order, from chunks[first]; free ones wait in spare. */
  private chunks: QueueChunk[] = [];
  private first = 0;
  private readonly spare: QueueChunk[] = [];
  /** Next block to shift in the head chunk, next block to fill in the tail chunk. */
  private headBlock = 1;
  private tailBlock = 1;

  constructor(private readonly stateWords: number) {
    this.perChunk = Math.max(MIN_STATES_PER_CHUNK, Math.floor(QUEUE_CHUNK_WORDS / Math.max(1, stateWords)) - 1);
    this.chunks.push(this.newChunk(Math.min(FIRST_CHUNK_STATES, this.perChunk)));
    this.front = this.chunks[0]!.words.subarray(0, stateWords);
  }

  push(state: Int32Array, index: number): void {
    let chunk = this.chunks[this.chunks.length - 1]!;
    if (this.tailBlock > chunk.blocks) {
      chunk = this.nextChunk(Math.min(this.perChunk, 2 * chunk.blocks));
      this.chunks.push(chunk);
      this.tailBlock = 1;
    }
    chunk.words.set(state, this.tailBlock * this.stateWords);
    chunk.index[this.tailBlock] = index;
    this.tailBlock++;
    this.length++;
  }

  /** Moves the oldest state to `front` and returns its store index. */
  shift(): number {
    if (this.headBlock > this.chunks[this.first]!.blocks) this.releaseHead();
    const chunk = this.chunks[this.first]!;
    const block = this.headBlock++;
    let view = chunk.views[block];
    if (view === undefined) {
      const w = this.stateWords;
      view = chunk.views[block] = chunk.words.subarray(block * w, (block + 1) * w);
    }
    this.front = view;
    this.length--;
    return chunk.index[block]!;
  }

  /** Bytes held, spare chunks included. */
  get bytes(): number {
    let bytes = 0;
    for (let i = this.first; i < this.chunks.length; i++)
      bytes += chunkBytes([this.chunks[i]!.words, this.chunks[i]!.index]);
    for (const c of this.spare) bytes += chunkBytes([c.words, c.index]);
    return bytes;
  }

  /**
   * The head chunk is used up (its last state, now expanded, was the one before this
   * shift): it becomes a spare. Only now, so that no push overwrote the state in expansion.
   */
  private releaseHead(): void {
    this.spare.push(this.chunks[this.first]!);
    this.first++;
    this.headBlock = 1;
    // (a queued state remains, so a later chunk exists)
    if (this.first >= 1024) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  /** A spare of at least `blocks` blocks (smaller ones, from the first levels, are dropped), or a new chunk. */
  private nextChunk(blocks: number): QueueChunk {
    for (let c = this.spare.pop(); c !== undefined; c = this.spare.pop()) if (c.blocks >= blocks) return c;
    return this.newChunk(blocks);
  }

  private newChunk(blocks: number): QueueChunk {
    // Views are made as blocks are first shifted: a small search uses few of a chunk's blocks.
    const words = new Int32Array((blocks + 1) * this.stateWords);
    return { blocks, words, views: [], index: new Int32Array(blocks + 1) };
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
