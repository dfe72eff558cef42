// Which steps can lie on a cycle of the state graph: the livelock check's edge filter
// (checker/search/livelock.ts). A step of thread t from pc p to pc q can be on a cycle of
// states only if t comes back to p, so only if p and q lie in one strongly connected
// component of t's control-flow graph that has a cycle (a loop, a goto back, a spin). Any
// other step leaves every cycle it could start on, so the check keeps one bit for it (the
// state has an edge out of its component) instead of the edge.
//
// Under symmetry the stored graph is a quotient: a stored cycle is a concrete path from s to
// a renaming π(s). Repeating it ord(π) times (the renamed paths exist: the classes are
// interchangeable) closes a concrete cycle through every step of it, so each of its steps
// still returns its thread to its pc: the filter holds for the quotient too.
//
// The control-flow graph is the ops' stated successors (LocalFlow.next, lower-steps.ts, which
// the dead-local reset also relies on); a thread with an op that states none keeps every
// step (null: no filter). Deferred frees and other entities that are not threads keep every
// step too.
import type { Op } from './lower-steps.js';

/**
 * Per pc of an op table: the id of its control-flow component when that component has a
 * cycle, else -1; null when some op does not state its successors.
 */
export function cyclicComponents(ops: readonly Op[]): Int32Array | null {
  const n = ops.length;
  const succ: number[][] = [];
  for (const op of ops) {
    if (op.flow === undefined) return null;
    succ.push(op.flow.next.map((to) => (typeof to === 'number' ? to : to.pc)).filter((pc) => pc >= 0 && pc < n));
  }
  const comp = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let comps = 0;
  // Tarjan's algorithm, iterative (op tables can be long: a `for` over a large range is unrolled).
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const calls: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (calls.length > 0) {
      const top = calls[calls.length - 1]!;
      const { v } = top;
      if (top.i < succ[v]!.length) {
        const w = succ[v]![top.i++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          calls.push({ v: w, i: 0 });
        } else if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      calls.pop();
      if (calls.length > 0) {
        const u = calls[calls.length - 1]!.v;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] !== index[v]) continue;
      const members: number[] = [];
      for (let w = -1; w !== v; ) {
        w = stack.pop()!;
        onStack[w] = 0;
        members.push(w);
      }
      // A component has a cycle when it has two ops, or one op that may go to itself.
      const cyclic = members.length > 1 || succ[v]!.includes(v);
      if (cyclic) for (const w of members) comp[w] = comps;
      comps++;
    }
  }
  return comp;
}

/**
 * The system's mayCycle (system.ts) for a program's threads: false when thread t's step from
 * s to out leaves its control-flow component, or it is not in a cyclic one, or it ends t.
 */
export function stepMayCycle(
  threads: readonly { layout: { pc: number }; ops: readonly Op[] }[],
): (s: Int32Array, t: number, out: Int32Array) => boolean {
  const comps = threads.map((th) => cyclicComponents(th.ops));
  const pcWords = Int32Array.from(threads, (th) => th.layout.pc);
  return (s, t, out) => {
    const comp = comps[t];
    if (comp === undefined || comp === null) return true; // not a thread, or no stated flow
    const w = pcWords[t]!;
    const p = s[w]!;
    const q = out[w]!;
    // A step that leaves its thread where it was (a spin the op table may not state) may repeat.
    if (p < 0 || p >= comp.length || p === q) return true;
    const c = comp[p]!;
    return c >= 0 && q >= 0 && q < comp.length && comp[q] === c;
  };
}
