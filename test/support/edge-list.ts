// A graph given as a list of edges, as the livelock check's Tarjan pass reads one (EdgeRows,
// src/checker/search/livelock.ts): an oracle for the searches' own edge logs in tests.
import { CHUNK_BITS, type EdgeRows } from '../../src/checker/search/livelock.js';

export class EdgeList implements EdgeRows {
  constructor(
    private readonly edges: readonly (readonly [number, number])[],
    private readonly exits: ReadonlySet<number> = new Set(),
  ) {}

  hasExit(v: number): boolean {
    return this.exits.has(v);
  }

  /** The targets by source, each source's in the order the list gives them. */
  rows(states: number): { first: Int32Array; next: Int32Array[] } {
    const first = new Int32Array(states + 1);
    for (const [a] of this.edges) first[a + 1]!++;
    for (let v = 0; v < states; v++) first[v + 1]! += first[v]!;
    const fill = first.slice(0, states);
    const next: Int32Array[] = [];
    for (let e = 0; e < this.edges.length; e += 1 << CHUNK_BITS) next.push(new Int32Array(1 << CHUNK_BITS));
    for (const [a, b] of this.edges) {
      const k = fill[a]!++;
      next[k >>> CHUNK_BITS]![k & ((1 << CHUNK_BITS) - 1)] = b;
    }
    return { first, next };
  }
}
