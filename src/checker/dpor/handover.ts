// Hand-over of a subtree of the stateless DPOR's exploration tree from one worker of a split
// search to another (dpor/split.ts, parallel/dpor-parallel.ts; the soundness argument is in
// docs/distributed.md). A task is plain data, so that it can be posted between threads: the
// path to node n (its events), the sleep set of every node of that path, the children of
// those nodes with their wakeup subtrees, and which child of node n is handed over.
//
// The receiver replays the path (search.ts): it runs the same events from the initial state,
// so it rebuilds the same states, footprints and parking, and tops each node's sleep set up
// to the donor's. Every other branch is foreign in its wakeup tree (wakeup-tree.ts
// `foreign`), as the handed branch becomes in the donor's: never taken, asleep once passed,
// and claimed by a worker whose insertion adds a sequence below it.
import type { Execution } from './execution.js';
import type { SleepSets } from './sleep-set.js';
import type { WakeupTree } from './wakeup-tree.js';

/** An event with the footprint it has at its node. */
export interface HandedEvent {
  thread: number;
  choice: number;
  loc: number[];
  write: number[];
}

/** A node of a handed-over tree: its parent's index in the list (-1: a child of the path node), its flags (wakeup-tree.ts). */
export interface HandedNode extends HandedEvent {
  parent: number;
  foreign: number;
  partial: number;
}

export interface DporTask {
  /** The events of the path to node n = prefix.length. */
  prefix: { thread: number; choice: number }[];
  /** sleep[d]: node d's sleep set, for d = 0..n. */
  sleep: HandedEvent[][];
  /**
   * branches[d]: node d's children in order, each followed by its wakeup subtree (parents
   * before children), but for the path's branches, whose subtrees are the deeper nodes.
   */
  branches: HandedNode[][];
  /** path[d]: the index in branches[d] of the path's branch, d < n. */
  path: number[];
  /** Index in branches[n] of the branch handed over (-1: none, node n is fresh: the whole search). */
  handed: number;
}

/** The whole search, from the initial state. */
export function rootTask(): DporTask {
  return { prefix: [], sleep: [[]], branches: [[]], path: [], handed: -1 };
}

/**
 * Takes a task from a search at node `depth` (nodes 0..depth-1 have a branch on the path):
 * the first pending branch that is not foreign at the shallowest node that has one. Pending
 * branches follow the path's one: nextBranch removes those before it that it drops. The
 * branch becomes a foreign leaf of the donor's tree. Null when there is none.
 */
export function takeTask(
  ex: Execution,
  sleep: SleepSets,
  tree: WakeupTree,
  pathNode: Int32Array,
  depth: number,
): DporTask | null {
  let at = -1;
  let give = -1;
  for (let d = 0; d < depth && give < 0; d++) {
    const on = pathNode[d + 1]!;
    for (let c = tree.firstChild[pathNode[d]!]!; c !== -1 && give < 0; c = tree.nextSibling[c]!) {
      if (c !== on && tree.foreign[c] === 0) {
        at = d;
        give = c;
      }
    }
  }
  if (give < 0) return null;
  const task: DporTask = { prefix: [], sleep: [], branches: [], path: [], handed: -1 };
  for (let d = 0; d <= at; d++) {
    if (d < at) task.prefix.push({ thread: ex.thread[d]!, choice: ex.choice[d]! });
    task.sleep.push(sleepOf(sleep, d));
    const list: HandedNode[] = [];
    for (let c = tree.firstChild[pathNode[d]!]!; c !== -1; c = tree.nextSibling[c]!) {
      if (c === give) task.handed = list.length;
      if (d < at && c === pathNode[d + 1]) task.path.push(list.length);
      // the path's branches: their subtrees are the deeper nodes (at node `at`, the donor's)
      const onPath = c === pathNode[d + 1];
      subtreeOf(tree, ex, c, -1, list, !onPath);
    }
    task.branches.push(list);
  }
  tree.makeForeign(give);
  return task;
}

/**
 * Builds the receiver's wakeup tree for `task` (reset beforehand): each node's children in the
 * donor's order, all foreign but the path's branch, and at node n the handed branch with its
 * subtree. The path's branches are the only ones the receiver can take, so it replays the path.
 */
export function loadTask(tree: WakeupTree, task: DporTask): void {
  let node = 0;
  const n = task.prefix.length;
  for (let d = 0; d <= n; d++) {
    let next = -1;
    const ids: number[] = [];
    let top = -1;
    for (const b of task.branches[d]!) {
      const c = tree.addChildFp(b.parent < 0 ? node : ids[b.parent]!, b.thread, b.choice, b.loc, b.write);
      ids.push(c);
      if (b.parent < 0) top = ids.length - 1;
      if (d < n && top === task.path[d]) {
        if (b.parent < 0) next = c;
      } else if (d === n && top === task.handed) {
        if (b.parent >= 0) tree.foreign[c] = b.foreign;
        tree.partial[c] = b.partial;
      } else tree.foreign[c] = 1;
    }
    node = next;
  }
}

/** Adds to node d's sleep set the entries of `entries` it lacks (node d was just derived). */
export function topUpSleep(sleep: SleepSets, d: number, entries: readonly HandedEvent[]): void {
  for (const e of entries) {
    if (sleep.has(d, e.thread, e.choice)) continue;
    sleep.add(d, e.thread, e.choice, Int32Array.from(e.loc), Uint8Array.from(e.write), 0, e.loc.length);
  }
}

function sleepOf(sleep: SleepSets, d: number): HandedEvent[] {
  const out: HandedEvent[] = [];
  for (let q = sleep.first(d); q < sleep.last(d); q++) {
    const o = sleep.fpOff[q]!;
    const len = sleep.fpLen[q]!;
    out.push({
      thread: sleep.thread[q]!,
      choice: sleep.choice[q]!,
      loc: Array.from(sleep.loc.subarray(o, o + len)),
      write: Array.from(sleep.write.subarray(o, o + len)),
    });
  }
  return out;
}

/** Tree node c's event: its footprint from the execution when it is on the path, else from the tree. */
function eventOf(tree: WakeupTree, ex: Execution, c: number): HandedEvent {
  const d = tree.depth[c]!;
  if (d < 0) return { thread: tree.thread[c]!, choice: tree.choice[c]!, ...tree.footprint(c) };
  const o = ex.fpStart[d]!;
  const e = ex.fpStart[d + 1]!;
  return {
    thread: tree.thread[c]!,
    choice: tree.choice[c]!,
    loc: Array.from(ex.fpLoc.subarray(o, e)),
    write: Array.from(ex.fpWrite.subarray(o, e)),
  };
}

/** Appends tree node c (a child of list node `parent`) and, with `deep`, its subtree. */
function subtreeOf(tree: WakeupTree, ex: Execution, c: number, parent: number, out: HandedNode[], deep: boolean): void {
  const i = out.length;
  out.push({ ...eventOf(tree, ex, c), parent, foreign: tree.foreign[c]!, partial: tree.partial[c]! });
  if (!deep) return;
  for (let k = tree.firstChild[c]!; k !== -1; k = tree.nextSibling[k]!) subtreeOf(tree, ex, k, i, out, true);
}
