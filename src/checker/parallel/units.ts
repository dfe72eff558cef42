// A level of the parallel BFS as units (records.ts): runs of records in one block, each from
// one parent unit, in parent unit order; and the steps between two levels that move them:
// balance() picks the blocks to hand over so that the threads hold about as many kept records,
// mergeUnits() lays the filtered segments of every thread out as the next level's units.

/** Words per unit of a level: owner thread, block id, first word, end word, first position. */
export const UNIT = 5;

/** The first word of the unit of `units` that holds position `pos`. */
export function unitOf(units: Int32Array, pos: number): number {
  let u = 0;
  while (u + UNIT < units.length && units[u + UNIT + 4]! <= pos) u += UNIT;
  return u;
}

/** A block's key in balance()'s moves and mergeUnits' `moved`: its thread and id. */
export const blockKey = (thread: number, block: number): number => thread * 0x1000000 + block;

/**
 * Blocks to hand over so that the threads `threads` hold about as many kept records each:
 * (from thread, block, to thread) triples, from the segments of each thread (`segments[k]`,
 * Records.filter). Greedy: the fullest thread gives the emptiest the block that evens them
 * best, while a block narrows their gap. Blocks are small (BLOCK_WORDS), so the threads end
 * about a block apart.
 */
export function balance(segments: readonly (readonly number[] | undefined)[], threads: readonly number[]): number[] {
  const load = new Map<number, number>(threads.map((k) => [k, 0]));
  const blocks = new Map<number, Map<number, number>>(threads.map((k) => [k, new Map()]));
  for (const k of threads) {
    const s = segments[k] ?? [];
    const mine = blocks.get(k)!;
    for (let i = 0; i < s.length; i += 5) {
      mine.set(s[i + 1]!, (mine.get(s[i + 1]!) ?? 0) + s[i + 4]!);
      load.set(k, load.get(k)! + s[i + 4]!);
    }
  }
  const moves: number[] = [];
  for (;;) {
    let hi = threads[0]!;
    let lo = threads[0]!;
    for (const k of threads) {
      if (load.get(k)! > load.get(hi)!) hi = k;
      if (load.get(k)! < load.get(lo)!) lo = k;
    }
    const gap = load.get(hi)! - load.get(lo)!;
    let best = -1;
    let bestKept = 0;
    for (const [b, kept] of blocks.get(hi)!)
      if (Math.abs(gap - 2 * kept) < Math.abs(gap - 2 * bestKept)) {
        best = b;
        bestKept = kept;
      }
    if (best < 0) return moves;
    moves.push(hi, best, lo);
    blocks.get(hi)!.delete(best);
    load.set(hi, load.get(hi)! - bestKept);
    load.set(lo, load.get(lo)! + bestKept);
  }
}

/**
 * The next level's units from every thread's filtered segments (`segments[k]` is thread k's,
 * Records.filter): in the order of their parent units, each with its holder (after the moves
 * of balance: `moved` maps blockKey(k, block) to the new (thread, block)) and first position.
 * A parent unit was expanded by one thread, so its segments are consecutive in that thread's list.
 */
export function mergeUnits(
  segments: readonly (readonly number[] | undefined)[],
  parentUnits: number,
  moved: ReadonlyMap<number, readonly [number, number]> = new Map(),
): { units: number[]; size: number } {
  const thread = new Int32Array(parentUnits).fill(-1);
  const at = new Int32Array(parentUnits);
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k] ?? []; // a thread not started yet has none
    for (let i = s.length - 5; i >= 0; i -= 5) {
      thread[s[i]!] = k;
      at[s[i]!] = i;
    }
  }
  const units: number[] = [];
  let size = 0;
  for (let p = 0; p < parentUnits; p++) {
    const k = thread[p]!;
    if (k < 0) continue;
    const s = segments[k]!;
    for (let i = at[p]!; i < s.length && s[i] === p; i += 5) {
      const [holder, block] = moved.get(blockKey(k, s[i + 1]!)) ?? [k, s[i + 1]!];
      units.push(holder, block, s[i + 2]!, s[i + 3]!, size);
      size += s[i + 4]!;
    }
  }
  return { units, size };
}

/**
 * Carries out balance()'s moves (from thread, block, to thread triples): each giver hands its
 * blocks over at once (`give`: their buffers), then each taker takes them (`take`: their ids
 * there). Returns blockKey(from thread, block) → (to thread, its id there), mergeUnits' `moved`.
 */
export async function moveBlocks(
  moves: readonly number[],
  give: (thread: number, ids: number[]) => Promise<SharedArrayBuffer[]>,
  take: (thread: number, buffers: SharedArrayBuffer[]) => Promise<number[]>,
): Promise<Map<number, [number, number]>> {
  const moved = new Map<number, [number, number]>();
  if (moves.length === 0) return moved;
  const byGiver = new Map<number, number[]>();
  for (let i = 0; i < moves.length; i += 3) byGiver.set(moves[i]!, [...(byGiver.get(moves[i]!) ?? []), moves[i + 1]!]);
  const given = new Map<number, SharedArrayBuffer>();
  await Promise.all(
    [...byGiver].map(async ([k, ids]) => {
      const buffers = await give(k, ids);
      for (const [j, id] of ids.entries()) given.set(blockKey(k, id), buffers[j]!);
    }),
  );
  const byTaker = new Map<number, number[]>();
  for (let i = 0; i < moves.length; i += 3) byTaker.set(moves[i + 2]!, [...(byTaker.get(moves[i + 2]!) ?? []), i]);
  await Promise.all(
    [...byTaker].map(async ([k, at]) => {
      const ids = await take(
        k,
        at.map((i) => given.get(blockKey(moves[i]!, moves[i + 1]!))!),
      );
      for (const [j, i] of at.entries()) moved.set(blockKey(moves[i]!, moves[i + 1]!), [k, ids[j]!]);
    }),
  );
  return moved;
}
