// Seeded random walks: opts.executions walks from the initial state, each choosing uniformly
// among all enabled (thread, choice) moves until a terminal state or maxDepth. For specs too
// large to exhaust; it can find a violation but never proves its absence, so without one
// the verdict is incomplete (bound 'executions'), never pass. The same seed replays the
// same walks.
import { grouped } from '../../io/grouped.js';
import { Footprint, STEP_VIOLATION, type TransitionSystem } from '../../model/system.js';
import type { Bound, ExploreOptions, ExploreResult, ScheduleEntry, Stats, Verdict } from '../result.js';
import { type Found, SearchMeter } from './meter.js';
import { decodeMove } from './move.js';

/** mulberry32 (Tommy Ettinger): a 32-bit-state generator, ample for picking schedules. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function exploreRandom(sys: TransitionSystem, opts: ExploreOptions): ExploreResult {
  const meter = new SearchMeter(opts);
  const stats = meter.stats;
  const init = sys.initial();
  if ('violation' in init) {
    return meter.finish('random', 0, { kind: 'violation', violation: init.violation, schedule: [] });
  }
  const T = sys.threadCount;
  const random = mulberry32(opts.seed);
  const fp = Footprint.NONE;
  const counts = new Int32Array(T);
  let cur = new Int32Array(sys.stateWords);
  let next = new Int32Array(sys.stateWords);
  let moves = new Int32Array(256); // the current walk, encoded as in move.ts
  const scheduleOf = (length: number): ScheduleEntry[] =>
    Array.from(moves.subarray(0, length), (m) => decodeMove(m, T));

  let walks = 0;
  let cut = 0;
  let steps = 0;
  let bound: Bound | null = null;
  let found: Found | null = null;

  walking: for (; walks < opts.executions; walks++) {
    cur.set(init.state);
    stats.states++;
    for (let depth = 0; ; depth++) {
      if ((steps++ & meter.mask) === 0) {
        bound = meter.poll(0);
        if (bound !== null) break walking;
      }
      let total = 0;
      for (let t = 0; t < T; t++) total += counts[t] = sys.choices(cur, t);
      if (total === 0) {
        stats.executions++;
        const violation = sys.terminal(cur);
        if (violation) {
          found = { violation, schedule: scheduleOf(depth) };
          break walking;
        }
        break;
      }
      if (depth >= opts.maxDepth) {
        cut++;
        break;
      }
      let r = Math.floor(random() * total);
      let t = 0;
      while (r >= counts[t]!) {
        r -= counts[t]!;
        t++;
      }
      if (depth === moves.length) {
        // A long walk doubles its moves at once (268 MiB at 67 million steps): checked against
        // --max-memory first, as a table's growth is, not at the next sample.
        if (meter.noRoomFor(depth * 2 * 4, "growing the walk's moves")) {
          bound = 'max-memory';
          break walking;
        }
        const wider = new Int32Array(depth * 2);
        wider.set(moves);
        moves = wider;
      }
      moves[depth] = r * T + t;
      stats.transitions++;
      if (sys.step(cur, t, r, next, fp) === STEP_VIOLATION) {
        found = { violation: sys.lastViolation(), schedule: scheduleOf(depth + 1) };
        break walking;
      }
      const state = next;
      next = cur;
      cur = state;
      stats.states++;
      if (depth + 1 > stats.maxDepth) stats.maxDepth = depth + 1;
      if (stats.states >= opts.maxStates) {
        bound = 'max-states';
        break walking;
      }
    }
  }
  if (found) return meter.finish('random', 0, { kind: 'violation', ...found });
  return meter.finish('random', 0, bound ? meter.incomplete(bound, cut, 0, '') : sampled(walks, cut, opts, stats));
}

/** Every walk done without a violation: still incomplete, random search proves nothing. */
function sampled(walks: number, cut: number, opts: ExploreOptions, stats: Stats): Verdict {
  const parts = [
    `sampled ${grouped(walks)} random executions (seed ${opts.seed}) without a violation`,
    `${grouped(stats.executions)} reached a terminal state; longest walk ${stats.maxDepth} steps`,
  ];
  if (cut > 0) parts.push(`${grouped(cut)} stopped at --max-depth ${opts.maxDepth}`);
  parts.push('random search cannot prove a pass');
  return { kind: 'incomplete', bound: 'executions', detail: parts.join('; ') };
}
