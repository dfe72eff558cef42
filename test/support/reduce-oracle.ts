// What the reduction properties compare a reduced search with the unreduced one on: the
// verdict, the set of violation kinds (every violation cut and the search goes on, so each
// reachable kind is collected), the stored states, and the terminal states up to what the
// reduction may change — thread renaming (symmetry) and the frame words of locals
// (dead-locals resets them, the plain search keeps what the program last wrote).
import { explore } from '../../src/checker/explore.js';
import type { ExploreOptions } from '../../src/checker/result.js';
import { TargetSystem } from '../../src/checker/systems/target.js';
import { WrappedSystem } from '../../src/checker/systems/wrapped.js';
import { VIOLATION_KINDS, type ViolationKind } from '../../src/model/lang/violation-kinds.js';
import type { Program } from '../../src/model/program.js';
import { threadClasses, threadRenaming } from '../../src/model/symmetry.js';
import type { TransitionSystem, Violation } from '../../src/model/system.js';

/** Records terminal states (not a cut violation's sink) and passes the canonical form through. */
export class TerminalRecorder extends WrappedSystem {
  readonly terminals: Int32Array[] = [];
  readonly canonicalize?: (s: Int32Array, out: Int32Array) => boolean;
  readonly ample?: (s: Int32Array) => number;
  constructor(inner: TargetSystem) {
    super(inner);
    if (inner.canonicalize !== undefined) this.canonicalize = inner.canonicalize;
    if (inner.ample !== undefined) this.ample = inner.ample;
  }
  override terminal(s: Int32Array): Violation | null {
    if (s[s.length - 1] !== 1) this.terminals.push(s.slice());
    return this.inner.terminal(s);
  }
}

export interface Outcome {
  /** pass, violation (some kind was collected) or incomplete (a bound was hit). */
  verdict: string;
  kinds: ViolationKind[];
  states: number;
  /** Terminal states as the search reached them (the sink flag word included, always 0). */
  terminals: Int32Array[];
}

/** One search that cuts every violation and goes on, collecting kinds and terminal states. */
export async function collect(sys: TransitionSystem, opts: Partial<ExploreOptions>): Promise<Outcome> {
  const target = new TargetSystem(sys, null);
  const rec = new TerminalRecorder(target);
  const r = await explore(rec, opts);
  const kinds = VIOLATION_KINDS.filter((k) => target.cutKinds.has(k));
  const verdict = r.verdict.kind === 'incomplete' || kinds.length === 0 ? r.verdict.kind : 'violation';
  return { verdict, kinds, states: r.stats.states, terminals: rec.terminals };
}

/** Every renaming that permutes threads within their classes, as `order` arrays. */
export function renamings(program: Program): Int32Array[] {
  const n = program.layout.threads.length;
  let orders: number[][] = [[...Array(n).keys()]];
  for (const c of threadClasses(program)) {
    const next: number[][] = [];
    for (const o of orders)
      for (const p of permutations(c.tids)) {
        const r = o.slice();
        c.tids.forEach((tid, i) => {
          r[tid] = p[i]!;
        });
        next.push(r);
      }
    orders = next;
  }
  return orders.map((o) => Int32Array.from(o));
}

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/**
 * The terminal states as sorted text, each the least member of its orbit under the thread
 * renamings (equal for states equal up to symmetry; with no interchangeable threads, the state
 * itself), after clearing every frame word when `clearFrames` (equal for states that differ
 * only in locals). Clearing and renaming commute: renamed blocks have the same layout.
 */
export function terminalKeys(program: Program, states: readonly Int32Array[], clearFrames: boolean): string[] {
  const rename = threadRenaming(program);
  const orders = renamings(program);
  const out = new Set<string>();
  for (const state of states) {
    const s = state.slice();
    if (clearFrames) for (const t of program.threads) s.fill(0, t.layout.pc + 1, t.layout.frameEnd);
    let least: string | null = null;
    if (orders.length === 1) least = s.join(',');
    else {
      const image = new Int32Array(s.length);
      for (const o of orders) {
        image.set(s); // the words after the program's (the sink flag) are not renamed
        rename(s, image, o);
        const text = image.join(',');
        if (least === null || text < least) least = text;
      }
    }
    out.add(least!);
  }
  return [...out].sort();
}
