// XXH64 (seed 0) as a tiny WebAssembly function that hashes bytes where they lie in its own
// memory and returns the 64-bit result as two int32 words: the low word as its result, the high
// word stored at address 0. No copy when the state already lives in that memory, and no
// BigInt (a wasm i64 crossing into JS is one, and allocating it per successor was 60% of the
// bytes BFS allocated). The result equals xxhash-wasm's h64Raw bit for bit
// (test/checker/search/fingerprint.test.ts), so fingerprints, and with them the partition a
// distributed search gives each state, do not depend on which one computed them.
//
// The module is assembled below from its opcodes (about 300 bytes) rather than shipped as a
// binary blob, so that what it computes can be read next to the XXH64 specification:
// stripes of 32 bytes into four accumulators, merge, then 8-, 4- and 1-byte tails, avalanche.

import { section, sleb, uleb } from './wasm-asm.js';

const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

// Opcodes (WebAssembly 1.0).
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const VOID = 0x40;
const GET = 0x20;
const SET = 0x21;
const I32_CONST = 0x41;
const I64_CONST = 0x42;
const I32_STORE = 0x36;
const I64_LOAD = 0x29;
const I64_LOAD8_U = 0x31;
const I64_LOAD32_U = 0x35;
const I32_GT_U = 0x4b;
const I32_GE_U = 0x4f;
const I32_LE_U = 0x4d;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I64_ADD = 0x7c;
const I64_MUL = 0x7e;
const I64_XOR = 0x85;
const I64_SHR_U = 0x88;
const I64_ROTL = 0x89;
const I32_WRAP = 0xa7;
const I64_EXTEND_U = 0xad;

// Locals: 0 ptr, 1 len (parameters); 2 end, 3 limit (i32); 4 h, 5..8 v1..v4 (i64).
const PTR = 0;
const LEN = 1;
const LIMIT_END = 2;
const LIMIT = 3;
const H = 4;
const V = [5, 6, 7, 8];

const k64 = (v: bigint): number[] => [I64_CONST, ...sleb(v)];
const k32 = (v: number): number[] => [I32_CONST, ...sleb(BigInt(v))];
/** memarg: alignment hint 0 (states need not be 8-aligned), offset. */
const mem = (op: number, offset: number): number[] => [op, 0, ...sleb(BigInt(offset))];

/** acc = rotl(acc + input * P2, 31) * P1, with input already on the stack after acc. */
const roundTail = (): number[] => [...k64(P2), I64_MUL, I64_ADD, ...k64(31n), I64_ROTL, ...k64(P1), I64_MUL];

/** v[i] = round(v[i], load64(ptr + 8i)). */
const laneRound = (i: number): number[] => [GET, V[i]!, GET, PTR, ...mem(I64_LOAD, 8 * i), ...roundTail(), SET, V[i]!];

/** h = (h ^ round(0, v[i])) * P1 + P4. */
const merge = (i: number): number[] => [
  GET,
  H,
  ...k64(0n),
  GET,
  V[i]!,
  ...roundTail(),
  I64_XOR,
  ...k64(P1),
  I64_MUL,
  ...k64(P4),
  I64_ADD,
  SET,
  H,
];

function stripes(): number[] {
  return [
    ...[GET, LIMIT_END, ...k32(32), I32_SUB, SET, LIMIT],
    ...[...k64(P1 + P2), SET, V[0]!, ...k64(P2), SET, V[1]!, ...k64(0n), SET, V[2]!, ...k64(-P1), SET, V[3]!],
    ...[LOOP, VOID, ...laneRound(0), ...laneRound(1), ...laneRound(2), ...laneRound(3)],
    ...[GET, PTR, ...k32(32), I32_ADD, SET, PTR, GET, PTR, GET, LIMIT, I32_LE_U, BR_IF, 0, END],
    ...[GET, V[0]!, ...k64(1n), I64_ROTL, GET, V[1]!, ...k64(7n), I64_ROTL, I64_ADD],
    ...[GET, V[2]!, ...k64(12n), I64_ROTL, I64_ADD, GET, V[3]!, ...k64(18n), I64_ROTL, I64_ADD, SET, H],
    ...merge(0),
    ...merge(1),
    ...merge(2),
    ...merge(3),
  ];
}

/** A loop over `step`-byte chunks while ptr + step <= end, running `body` then ptr += step. */
function chunks(step: number, body: number[]): number[] {
  return [
    ...[BLOCK, VOID, LOOP, VOID, GET, PTR, ...k32(step), I32_ADD, GET, LIMIT_END, I32_GT_U, BR_IF, 1],
    ...body,
    ...[GET, PTR, ...k32(step), I32_ADD, SET, PTR, BR, 0, END, END],
  ];
}

function body(): number[] {
  const tail8 = [GET, H, ...k64(0n), GET, PTR, ...mem(I64_LOAD, 0), ...roundTail(), I64_XOR];
  const mix8 = [...k64(27n), I64_ROTL, ...k64(P1), I64_MUL, ...k64(P4), I64_ADD, SET, H];
  const tail4 = [GET, H, GET, PTR, ...mem(I64_LOAD32_U, 0), ...k64(P1), I64_MUL, I64_XOR];
  const mix4 = [...k64(23n), I64_ROTL, ...k64(P2), I64_MUL, ...k64(P3), I64_ADD, SET, H];
  const tail1 = [GET, H, GET, PTR, ...mem(I64_LOAD8_U, 0), ...k64(P5), I64_MUL, I64_XOR];
  const mix1 = [...k64(11n), I64_ROTL, ...k64(P1), I64_MUL, SET, H];
  const avalanche = [
    ...[GET, H, GET, H, ...k64(33n), I64_SHR_U, I64_XOR, ...k64(P2), I64_MUL, SET, H],
    ...[GET, H, GET, H, ...k64(29n), I64_SHR_U, I64_XOR, ...k64(P3), I64_MUL, SET, H],
    ...[GET, H, GET, H, ...k64(32n), I64_SHR_U, I64_XOR, SET, H],
  ];
  return [
    ...[GET, PTR, GET, LEN, I32_ADD, SET, LIMIT_END],
    ...[GET, LEN, ...k32(32), I32_GE_U, IF, VOID, ...stripes(), ELSE, ...k64(P5), SET, H, END],
    ...[GET, H, GET, LEN, I64_EXTEND_U, I64_ADD, SET, H],
    ...chunks(8, [...tail8, ...mix8]),
    ...chunks(4, [...tail4, ...mix4]),
    ...chunks(1, [...tail1, ...mix1]),
    ...avalanche,
    ...[...k32(0), GET, H, ...k64(32n), I64_SHR_U, I32_WRAP, I32_STORE, 2, 0],
    ...[GET, H, I32_WRAP, END],
  ];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const code = [2, 2, 0x7f, 6, 0x7e, ...body()]; // two local groups: 2 x i32, 6 x i64
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]), // type 0: (i32, i32) -> i32
    ...section(2, [1, 1, 0x6d, 1, 0x6d, 0x02, 0x00, 1]), // import m.m: memory, at least 1 page
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, 1, 0x68, 0x00, 0]), // export "h": function 0
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

const MODULE = new WebAssembly.Module(moduleBytes());
const PAGE = 65536;

/** One memory with the hash function bound to it. */
export interface Xxh64Memory {
  readonly memory: WebAssembly.Memory;
  /** XXH64 of memory[ptr, ptr + len): returns the low word; the high word is at hi[0]. */
  readonly hash: (ptr: number, len: number) => number;
  /** The word at address 0 (the high word of the last hash). */
  readonly hi: Int32Array;
}

/**
 * Memories given back (recycleMemory), by page count: making one (a WebAssembly.Memory and an
 * Instance) costs tens of microseconds, 6% of a test that runs thousands of tiny searches.
 */
const pool = new Map<number, Xxh64Memory[]>();
const POOL_MAX = 8;
let pooled = 0;

/** A memory of at least `bytes` bytes, zeroed (addresses 0..7 are the hash's). */
export function xxh64Memory(bytes: number): Xxh64Memory {
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const reused = pool.get(pages)?.pop();
  if (reused !== undefined) {
    pooled--;
    new Uint8Array(reused.memory.buffer).fill(0);
    return reused;
  }
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = new WebAssembly.Instance(MODULE, { m: { m: memory } });
  const hash = instance.exports.h as (ptr: number, len: number) => number;
  return { memory, hash, hi: new Int32Array(memory.buffer, 0, 2) };
}

/** Gives a memory back for a later xxh64Memory; no view of it may be used afterwards. */
export function recycleMemory(m: Xxh64Memory): void {
  if (pooled >= POOL_MAX) return;
  const pages = m.memory.buffer.byteLength / PAGE;
  const list = pool.get(pages);
  if (list === undefined) pool.set(pages, [m]);
  else list.push(m);
  pooled++;
}
