// 64-bit fingerprints of states for the stored-state explorers: XXH64 of the state's bytes,
// as two int32 words so that the store never sees a BigInt.
//
// The hash is our own wasm function (xxh64-wasm.ts), equal bit for bit to xxhash-wasm's
// h64Raw, which this file used before. A search allocates the state buffer it fingerprints
// most often (BFS's and DFS's successor buffer) with `buffer()`, inside the hash's own wasm
// memory, so that hashing reads the state where the step wrote it: no copy into wasm memory
// and no BigInt result per successor. Any other bytes (a queued state, the livelock
// post-pass) are copied into a scratch memory first, as xxhash-wasm did for every call.
//
// Measured for issue 13 on the seed twin (fixed K = 4, BFS, `--reduce none`, 102-word
// states, node 20.20, `--cpu-prof` shares): xxhash-wasm's wrapper (h64Raw, its helpers and
// `get buffer`: the copy, a memory-size check, the BigInt) cost 15% of the search against 8%
// for the wasm hash itself; hashing in place removes the wrapper's share. Two JS alternatives
// were slower than the wasm hash, because a JS loop over an Int32Array costs 1-2 ns per word:
// - two 32-bit lanes, each a sum of a bijective mixer over (word ^ per-position key), in
//   full: 2.4x the time of h64Raw per state;
// - the same sums updated incrementally from the parent's fingerprint (Zobrist style: a
//   successor differs from its parent in 2.3 words on average), finding the changed words
//   by comparing four at a time: 22.5% of the search, against about 15% for h64Raw. Under
//   callgrind the whole K = 4 run took 14.9 G instructions with it against 12.1 G with h64Raw.
//
// False positives: for n states, n^2 / 2^65 expected pairs with one fingerprint, given
// XXH64's 64-bit quality (fingerprint-store.ts).
//
// With thread symmetry, the canonical form is computed beside the state too: storeKey gives
// every memory made after it a canonical buffer and the WebAssembly canonicaliser's tables
// after its state buffers (canon-wasm.ts), so a successor is canonicalised and hashed where
// the step wrote it.
import type { ReductionSet } from '../../model/reductions.js';
import { storeKey } from '../../model/symmetry.js';
import type { SymmetryTables, TransitionSystem } from '../../model/system.js';
import { canonIn, tableBytes, writeTables } from './canon-wasm.js';
import { recycleMemory, type Xxh64Memory, xxh64Memory } from './xxh64-wasm.js';

/** Bytes before a buffer's words in its memory: the hash writes its high word at 0. */
const HEADER = 8;

/** A state buffer in a hash memory: its words and the byte view ofState takes. */
export interface StateBuffer {
  words: Int32Array;
  bytes: Uint8Array;
}

/** The bytes of a state buffer (a view of exactly its words), as ofState and storeKey take them. */
export function bytesOf(s: Int32Array): Uint8Array {
  return new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
}

/** The fingerprint of one state at a time; the result is in lo, hi. */
export class Fingerprinter {
  lo = 0;
  hi = 0;
  /** Buffers made by buffer(), each alone in its memory (a memory never grows under a view). */
  private readonly owned: {
    memory: Xxh64Memory;
    bytes: Uint8Array;
    buffer: ArrayBufferLike;
    /** Where the bytes start in the memory. */
    offset: number;
    /** The memory is an earlier buffer's too (buffers()): released with that one. */
    shared: boolean;
  }[] = [];
  /** Where other bytes are copied to be hashed; made when first needed, replaced when too small. */
  private scratch: Xxh64Memory | null = null;
  private scratchBytes = new Uint8Array(0);
  /** Set by storeKey when it canonicalises in WebAssembly: what each memory made then holds. */
  private canon: { tables: SymmetryTables; words: number; tableBytes: number } | null = null;
  /** The memories with a canonical buffer (canon): their buffer, canonicaliser, where it writes. */
  private readonly homes: CanonHome[] = [];

  /**
   * model/symmetry.ts storeKey for this fingerprinter's states: where sys offers its thread
   * symmetry's tables, a state in a buffer made after this call is canonicalised in
   * WebAssembly into a buffer in its own memory (the same canonical form, canon-wasm.ts);
   * any other state by the JS canonicaliser.
   */
  storeKey(sys: TransitionSystem, reduce: ReductionSet): StoreKey {
    const js = storeKey(sys, reduce, (words) => this.buffer(words));
    const tables = sys.symmetryTables;
    if (!reduce.has('symmetry') || sys.canonicalize === undefined || tables?.words !== sys.stateWords) return js;
    this.canon = { tables, words: tables.words, tableBytes: tableBytes(tables) };
    const homes = this.homes;
    const words = tables.words;
    return (state, bytes) => {
      if (state.length !== words) return js(state, bytes); // the wasm one takes whole states
      const buffer = state.buffer;
      for (let i = 0; i < homes.length; i++) {
        const h = homes[i]!;
        if (h.buffer === buffer) return h.canon(state.byteOffset, h.at, h.tab) === 0 ? bytes : h.bytes;
      }
      return js(state, bytes);
    };
  }

  /**
   * A zeroed state buffer of `words` words that ofState hashes in place: its byte view
   * (fastest: recognised by identity), or any view of a part of it.
   */
  buffer(words: number): StateBuffer {
    return this.buffers(words, 1)[0]!;
  }

  /** `count` zeroed state buffers as buffer() makes them, back to back in one memory. */
  buffers(words: number, count: number): StateBuffer[] {
    const canon = this.canon;
    const canonBytes = canon === null ? 0 : 4 * canon.words + canon.tableBytes;
    const memory = xxh64Memory(HEADER + 4 * words * count + canonBytes);
    const buffer = memory.memory.buffer;
    const out: StateBuffer[] = [];
    for (let i = 0; i < count; i++) {
      const offset = HEADER + 4 * words * i;
      const state = new Int32Array(buffer, offset, words);
      const bytes = new Uint8Array(buffer, offset, 4 * words);
      this.owned.push({ memory, bytes, buffer, offset, shared: i > 0 });
      out.push({ words: state, bytes });
    }
    if (canon !== null) this.addHome(memory, HEADER + 4 * words * count, canon);
    return out;
  }

  /** The canonical buffer at byte `at` of `memory` and the tables after it (storeKey). */
  private addHome(memory: Xxh64Memory, at: number, canon: NonNullable<Fingerprinter['canon']>): void {
    const buffer = memory.memory.buffer;
    const bytes = new Uint8Array(buffer, at, 4 * canon.words);
    // First in the list: ofState finds its own buffers by identity, and this one is hashed most.
    this.owned.unshift({ memory, bytes, buffer, offset: at, shared: true });
    const tab = at + 4 * canon.words;
    writeTables(canon.tables, buffer, tab);
    this.homes.push({ buffer, canon: canonIn(memory.memory), at, tab, bytes });
  }

  /**
   * The search is over: its buffers' memories go back to a pool for the next search (none of
   * their views may be used afterwards). Optional: without it they are garbage, as any array.
   */
  release(): void {
    for (const o of this.owned) if (!o.shared) recycleMemory(o.memory);
    this.owned.length = 0;
    this.homes.length = 0;
    this.canon = null;
    if (this.scratch !== null) recycleMemory(this.scratch);
    this.scratch = null;
    this.scratchBytes = new Uint8Array(0);
  }

  /** Hashes `bytes` (a view over a state buffer) into lo, hi. */
  ofState(bytes: Uint8Array): void {
    const owned = this.owned;
    for (let i = 0; i < owned.length; i++) {
      const o = owned[i]!;
      if (o.bytes === bytes) {
        this.lo = o.memory.hash(o.offset, o.bytes.length);
        this.hi = o.memory.hi[0]!;
        return;
      }
    }
    this.ofOther(bytes);
  }

  /** Bytes that are not one of buffer()'s views: a part of one, in place, or a copy. */
  private ofOther(bytes: Uint8Array): void {
    const buffer = bytes.buffer;
    for (const o of this.owned) {
      if (o.buffer === buffer) {
        this.lo = o.memory.hash(bytes.byteOffset, bytes.byteLength);
        this.hi = o.memory.hi[0]!;
        return;
      }
    }
    const len = bytes.byteLength;
    let scratch = this.scratch;
    if (scratch === null || HEADER + len > this.scratchBytes.length) {
      scratch = this.scratch = xxh64Memory(Math.max(HEADER + len, 4096));
      this.scratchBytes = new Uint8Array(scratch.memory.buffer);
    }
    this.scratchBytes.set(bytes, HEADER);
    this.lo = scratch.hash(HEADER, len);
    this.hi = scratch.hi[0]!;
  }
}

/** What storeKey gives: the bytes a stored-state search fingerprints for a state. */
export type StoreKey = (state: Int32Array, bytes: Uint8Array) => Uint8Array;

/** A memory that holds a canonical buffer (Fingerprinter.storeKey). */
interface CanonHome {
  buffer: ArrayBufferLike;
  canon: (src: number, dst: number, tab: number) => number;
  /** The canonical buffer's byte offset, and its bytes. */
  at: number;
  bytes: Uint8Array;
  /** The tables' byte offset. */
  tab: number;
}
