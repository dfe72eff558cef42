// Bitstate hashing, SPIN's supertrace (Holzmann, "An analysis of bitstate hashing", 1995): a
// visited state sets h bits of an array of 2^k bits instead of storing its fingerprint, so a
// state costs h bits rather than 9 to 14 bytes (fingerprint-store.ts). A new state whose h
// bits are all set already is taken for a visited one and never expanded: the search may miss
// states, so a bitstate search that finds nothing ends incomplete, never pass. A violation it
// finds is real (its schedule replays).
//
// The h bit positions come from the state's 64-bit fingerprint by double hashing
// (Kirsch–Mitzenmacher): g_i = lo + i·hi (mod 2^32), its top k bits (k ≤ 32), with hi made
// odd so that the h positions differ. The same table answers `add` like FingerprintStore,
// so breadth-first search uses either (bfs.ts). `--seed` salts the hashing: searches with
// different seeds lose different states (Holzmann's swarm verification runs many such).
import { grouped } from '../../io/grouped.js';
import type { BitstateCoverage } from '../result.js';

/** The bit arrays offered: 2^10 bits (128 bytes) to 2^32 bits (512 MiB). */
export const MIN_BITSTATE_LOG2 = 10;
export const MAX_BITSTATE_LOG2 = 32;
/** SPIN's default number of hash functions (-k3). */
export const BITSTATE_HASHES = 3;
/** `--bitstate` alone: 2^28 bits, 32 MiB. */
export const DEFAULT_BITSTATE_LOG2 = 28;

export class BitstateTable {
  /** States added as new (their bits were not all set): at least this many distinct states. */
  size = 0;
  /** Unused (the table never grows); here for the search that also takes a FingerprintStore. */
  readonly full = false;
  readonly index = -1;
  private readonly words: Int32Array;
  private readonly shift: number;
  /** Mixed into the fingerprint: another seed, other bit positions, other collisions (a swarm). */
  private readonly saltLo: number;
  private readonly saltHi: number;

  constructor(
    readonly log2Bits: number,
    readonly hashes = BITSTATE_HASHES,
    seed = 1,
  ) {
    if (!(log2Bits >= MIN_BITSTATE_LOG2 && log2Bits <= MAX_BITSTATE_LOG2))
      throw new RangeError(`[mmcheck internal bug] bitstate array of 2^${log2Bits} bits`);
    this.words = new Int32Array(2 ** (log2Bits - 5));
    this.shift = 32 - log2Bits;
    // Seed 1 (the default) hashes the fingerprint as it is.
    this.saltLo = Math.imul(seed - 1, 0x9e3779b9);
    this.saltHi = Math.imul(seed - 1, 0x85ebca6b);
  }

  get bits(): number {
    return 2 ** this.log2Bits;
  }

  get storedBytes(): number {
    return this.words.byteLength;
  }

  /** Sets the fingerprint's h bits; true when one was clear (a state taken as new). */
  add(lo: number, hi: number): boolean {
    const words = this.words;
    lo ^= this.saltLo;
    const step = (hi ^ this.saltHi) | 1;
    let fresh = false;
    for (let i = 0; i < this.hashes; i++) {
      // >>> 0 before the shift: the top k bits of the unsigned 32-bit sum (k = 32: shift 0).
      const bit = ((lo + Math.imul(i, step)) >>> 0) / 2 ** this.shift;
      const b = Math.floor(bit);
      const w = b >>> 5;
      const mask = 1 << (b & 31);
      if ((words[w]! & mask) === 0) {
        words[w] = words[w]! | mask;
        fresh = true;
      }
    }
    if (fresh) this.size++;
    return fresh;
  }

  /** True when all the fingerprint's h bits are set (the state counts as visited). */
  has(lo: number, hi: number): boolean {
    lo ^= this.saltLo;
    const step = (hi ^ this.saltHi) | 1;
    for (let i = 0; i < this.hashes; i++) {
      const b = Math.floor(((lo + Math.imul(i, step)) >>> 0) / 2 ** this.shift);
      if ((this.words[b >>> 5]! & (1 << (b & 31))) === 0) return false;
    }
    return true;
  }
}

/**
 * The expected number of states a bitstate search missed: the i-th new state is taken for a
 * visited one with probability (1 - e^(-h·i/M))^h (M bits, i states stored before it), summed
 * over the n states stored (an estimate of what was lost among as many attempts; the states
 * those missed ones lead to are lost too and are not counted). Summed in 4096 slices.
 */
export function expectedOmissions(n: number, bits: number, h: number): number {
  const slices = Math.min(n, 4096);
  let sum = 0;
  for (let s = 0; s < slices; s++) {
    const i = ((s + 0.5) * n) / slices;
    sum += (1 - Math.exp((-h * i) / bits)) ** h;
  }
  return (sum * n) / Math.max(1, slices);
}

/** What a bitstate search covered, as the result carries it. */
export function bitstateCoverage(table: BitstateTable): BitstateCoverage {
  const { log2Bits, hashes, size: states } = table;
  return { log2Bits, hashes, states, expectedMissed: expectedOmissions(states, table.bits, hashes) };
}

/** The coverage sentence of a bitstate search: states, bits, hash factor, expected misses. */
export function bitstateText(c: BitstateCoverage): string {
  const n = c.states;
  const m = 2 ** c.log2Bits;
  const h = c.hashes;
  const lastP = (1 - Math.exp((-h * n) / m)) ** h;
  const factor = n > 0 ? (m / n).toFixed(n > m / 10 ? 2 : 0) : '∞';
  const fmt = (x: number): string => (x >= 10 ? grouped(Math.round(x)) : x.toPrecision(2));
  return (
    `bitstate: at least ${grouped(n)} states, possibly missed some: 2^${c.log2Bits} bits ` +
    `(${mib(m / 8)}), ${h} hash functions, hash factor ${factor} bits per state; ` +
    `coverage is probabilistic: expected states missed ≈ ${fmt(c.expectedMissed)} (the last new state had a ${fmt(lastP * 100)}% chance of being taken for a visited one); ` +
    'a bitstate search cannot prove a pass'
  );
}

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes / 1024} KiB`;
}
