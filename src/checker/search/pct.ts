// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
// 2010): each run gives the n threads distinct random priorities d, d+1, …, d+n-1, picks d-1
// change points k_1, …, k_(d-1) uniformly among the steps 1..k, and always runs the enabled
// thread of highest priority; at step k_i the thread about to run drops to priority i, below
// every initial priority. For a program of n threads and at most k steps, each run finds a given bug of
// depth d (d ordering constraints between steps) with probability at least 1/(n·k^(d-1)).
//
// Two departures from the paper, both said in docs/simulate.md:
// - k is not known in advance: a run uses the longest run seen before it (the first run has
//   no change point, a valid PCT run whose change points fall past its end); the bound is
//   reported with the longest run seen, so it assumes no run is longer.
// - A thread whose step returns its run to a state it already visited is spinning (a retry
//   loop waiting for another thread): it drops below every other priority, as the paper's
//   implementation does at a yield, or it would spin until --depth cuts the run.
// Choices within a thread (`choose`) are picked uniformly; the bound covers schedules only.

/** A uniform draw in [0, 1). */
export type Random = () => number;

export class PctScheduler {
  /** Priority of each thread in the current run: larger runs first. */
  private readonly priority: Float64Array;
  /** Step (1-based) of change point i at [i - 1]; 0: none in this run. */
  private readonly changes: number[] = [];
  /** Below the lowest priority handed out so far: a spinning thread goes there. */
  private floor = 0;

  constructor(
    private readonly threads: number,
    private readonly depth: number,
    private readonly random: Random,
  ) {
    this.priority = new Float64Array(threads);
  }

  /** Starts a run: fresh random priorities, d-1 change points among steps 1..k (none when k = 0). */
  startRun(k: number): void {
    const n = this.threads;
    const d = this.depth;
    // A uniform random permutation of d..d+n-1 (Fisher–Yates).
    for (let t = 0; t < n; t++) this.priority[t] = d + t;
    for (let t = n - 1; t > 0; t--) {
      const j = Math.floor(this.random() * (t + 1));
      const x = this.priority[t]!;
      this.priority[t] = this.priority[j]!;
      this.priority[j] = x;
    }
    // Change point i (1 ≤ i < d) falls on a uniform step of 1..k, independently of the others.
    for (let i = 1; i < d; i++) this.changes[i - 1] = k > 0 ? 1 + Math.floor(this.random() * k) : 0;
    this.floor = 0;
  }

  /**
   * The thread to run at step `step` (1-based) among those with counts[t] > 0 (at least one):
   * the highest priority, after the change points that fall on this step lowered it.
   */
  pick(counts: Int32Array, step: number): number {
    let t = this.highest(counts);
    for (let i = 1; i < this.depth; i++) {
      if (this.changes[i - 1] !== step) continue;
      this.priority[t] = i;
      t = this.highest(counts);
    }
    return t;
  }

  /** Thread t is spinning: below every priority handed out so far. */
  demote(t: number): void {
    this.floor -= 1;
    this.priority[t] = this.floor;
  }

  private highest(counts: Int32Array): number {
    let best = -1;
    for (let t = 0; t < this.threads; t++) {
      if (counts[t]! > 0 && (best < 0 || this.priority[t]! > this.priority[best]!)) best = t;
    }
    return best;
  }
}

/** PCT's guarantee: per run at least 1/(n·k^(d-1)); over `runs` independent runs, 1-(1-p)^runs. */
export function pctBound(n: number, k: number, d: number, runs: number): { perRun: number; overall: number } {
  const perRun = 1 / (n * Math.max(1, k) ** (d - 1));
  // -expm1(runs · log1p(-p)) = 1 - (1-p)^runs without cancellation for tiny p.
  const overall = perRun >= 1 ? 1 : -Math.expm1(runs * Math.log1p(-perRun));
  return { perRun, overall };
}
