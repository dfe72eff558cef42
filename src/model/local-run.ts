// The local ops of a step (lower.ts's fusion rule): after a thread's visible op, the
// thread-local ops after it run in the same step, up to its next visible op or its end, where
// its frame is cleared. A long local run is watched for a repeated local state (a loop that
// never ends) and cut at LOCAL_RUN_LIMIT ops.
import type { Layout } from './layout.js';
import { END, LOCAL_FUEL } from './lower-steps.js';
import type { ThreadSteps } from './program.js';
import type { Runtime } from './runtime.js';
import { exitChecks } from './terminal.js';

/**
 * Local ops one step runs at most: a longer thread-local run that has not repeated a state
 * ends the step there (the thread's pc rests on a local statement, and its next step goes
 * on). Locals are invisible to other threads, so splitting a run changes no verdict.
 */
export const LOCAL_RUN_LIMIT = 100_000;

export class LocalRun {
  /** A thread's words at the last checkpoint of a long local run (long). */
  private loopSnapshot = new Int32Array(0);

  constructor(
    private readonly rt: Runtime,
    private readonly layout: Layout,
  ) {}

  /** The local ops from `pc` on; returns where the thread rests (a visible op, or END). */
  run(s: Int32Array, th: ThreadSteps, pc: number): number {
    let fuel = LOCAL_FUEL;
    const ops = th.ops;
    while (pc !== END && pc < ops.length) {
      const op = ops[pc]!;
      if (op.visible) return rest(s, th, pc);
      pc = op.exec(s, 0);
      if (--fuel === 0) return this.long(s, th, pc);
    }
    return this.finish(s, th);
  }

  /**
   * The step by the thread's generated code (gen-step.ts), never with the data_race check:
   * it stops where `run` would, or after LOCAL_FUEL local ops, where `long` goes on.
   */
  generated(s: Int32Array, th: ThreadSteps, choice: number): number {
    const pc = th.run!(s, s[th.layout.pc]!, choice);
    if (pc === END || pc >= th.ops.length) return this.finish(s, th);
    return th.ops[pc]!.visible ? pc : this.long(s, th, pc);
  }

  /**
   * A thread-local run past LOCAL_FUEL ops: go on while watching for a repeat of the
   * thread's words and pc (Brent's cycle detection: a deterministic run that repeats a state
   * loops forever, a deadlock). Without a repeat, the step ends after LOCAL_RUN_LIMIT ops.
   */
  private long(s: Int32Array, th: ThreadSteps, pc: number): number {
    const ops = th.ops;
    const { base, end } = th.layout;
    const words = end - base;
    if (this.loopSnapshot.length < words) this.loopSnapshot = new Int32Array(words);
    const snap = this.loopSnapshot;
    snap.set(s.subarray(base, end));
    let snapPc = pc;
    let power = 1;
    let lam = 0;
    for (let n = LOCAL_FUEL; n < LOCAL_RUN_LIMIT; n++) {
      if (pc === END || pc >= ops.length) return this.finish(s, th);
      const op = ops[pc]!;
      if (op.visible) return rest(s, th, pc);
      pc = op.exec(s, 0);
      if (pc === snapPc && sameWords(s, base, snap, words)) {
        this.rt.fail(
          'deadlock',
          `${th.layout.name} loops forever on thread-local state (${this.rt.where(op.span)} \`${op.text}\`)`,
          op.span,
        );
      }
      if (++lam === power) {
        snap.set(s.subarray(base, end));
        snapPc = pc;
        power *= 2;
        lam = 0;
      }
    }
    return pc === END || pc >= ops.length ? this.finish(s, th) : pc;
  }

  /** The thread's end: its exit checks, then its words cleared (but its pc). */
  finish(s: Int32Array, th: ThreadSteps): number {
    exitChecks(this.rt, this.layout, s, th.layout);
    s.fill(0, th.layout.base + 1, th.layout.frameEnd);
    return END;
  }
}

/** The thread comes to rest at visible `pc`: the words dead there that it may have set, cleared (dead-locals). */
function rest(s: Int32Array, th: ThreadSteps, pc: number): number {
  const words = th.clears === null ? null : th.clears[pc];
  if (words != null) for (let i = 0; i < words.length; i++) s[words[i]!] = 0;
  return pc;
}

/** Whether s[base .. base + n) equals snap[0 .. n). */
function sameWords(s: Int32Array, base: number, snap: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (s[base + i] !== snap[i]) return false;
  return true;
}
