// A worker thread of the parallel BFS (bfs-parallel.ts): builds the system from the recipe,
// then answers the coordinating thread's requests, one reply per request, in order.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { codegenDefault } from '../../model/gen-step.js';
import type { Reduction } from '../../model/reductions.js';
import type { SystemRecipe } from '../result.js';
import { cutsOf } from '../systems/target.js';
import { type Level, LevelExpander, type LevelSettings } from './level.js';
import { buildFromRecipe } from './recipe.js';
import { SharedTable } from './shared-table.js';
import { Superseded } from './superseded.js';
import { shareTail } from './tail.js';
import { threadCpuMs } from './thread-time.js';

/** What the coordinating thread hands a worker thread. */
export interface BfsWorkerData {
  mmcheckBfsWorker: true;
  recipe: SystemRecipe;
  reduce: Reduction[];
  control: SharedArrayBuffer;
  table: SharedArrayBuffer;
  settings: LevelSettings;
  stateWords: number;
  /** This thread's number (LevelExpander.thread). */
  thread: number;
}

/** Requests, each answered by one message. */
export type BfsRequest =
  | { t: 'level'; level: Level; table: SharedArrayBuffer }
  | { t: 'resume'; table: SharedArrayBuffer }
  | { t: 'rehash'; to: SharedArrayBuffer; part: number; parts: number }
  | { t: 'replaced' }
  | { t: 'filter'; table: SharedArrayBuffer; superseded: Int32Array }
  | { t: 'index'; units: Int32Array; parents: Int32Array }
  | { t: 'give'; ids: number[] }
  | { t: 'take'; buffers: SharedArrayBuffer[] }
  | { t: 'state'; pos: number }
  | { t: 'share'; units: Int32Array; size: number }
  | { t: 'finish'; edges: boolean };

const data = workerData as BfsWorkerData | null;
if (!isMainThread && parentPort !== null && data?.mmcheckBfsWorker === true) {
  const port = parentPort;
  const built = threadCpuMs();
  // Step code generated from the first step, not after TIER_UP_STEPS (gen-step.ts): the
  // closures' head start is that every build of a process shares them, and this thread's are
  // as cold as its generated code. It joins a search of tens of thousands of states a level,
  // and its CPU a state fell 5–7% against the coordinator's (docs/performance.md).
  const sys = buildFromRecipe(data.recipe, codegenDefault(0));
  if (sys.stateWords !== data.stateWords)
    throw new Error(`[mmcheck internal bug] a BFS worker built ${sys.stateWords}-word states, not ${data.stateWords}`);
  const ready = threadCpuMs();
  const ctl = new Int32Array(data.control);
  const expander = new LevelExpander(
    sys,
    new Set(data.reduce),
    ctl,
    new SharedTable(data.table),
    data.settings,
    data.thread,
  );
  port.on('message', (m: BfsRequest) => {
    switch (m.t) {
      case 'level':
        expander.setTable(new SharedTable(m.table));
        expander.begin(m.level);
        port.postMessage({ t: 'round', end: expander.expandRound(), step: expander.counts.step });
        break;
      case 'resume':
        expander.setTable(new SharedTable(m.table));
        port.postMessage({ t: 'round', end: expander.expandRound(), step: expander.counts.step });
        break;
      case 'rehash':
        expander.rehash(m.to, m.part, m.parts);
        port.postMessage({ t: 'rehashed' });
        break;
      case 'replaced':
        port.postMessage({ t: 'replaced', replaced: expander.replacedValues() });
        break;
      case 'filter':
        // The table may have grown after the level's last round: index in the new one.
        expander.setTable(new SharedTable(m.table));
        port.postMessage({ t: 'kept', segments: expander.filter(new Superseded(m.superseded)) });
        break;
      case 'give': {
        const buffers = expander.records.give(m.ids);
        port.postMessage({ t: 'given', buffers }); // shared, not transferred: records.ts give()
        break;
      }
      case 'take':
        port.postMessage({ t: 'taken', ids: expander.records.take(m.buffers) });
        break;
      case 'share':
        port.postMessage({ t: 'shared', ...shareTail(expander.records, m.units, data.thread, m.size) });
        break;
      case 'state':
        port.postMessage({ t: 'state', state: expander.currentStateAt(m.pos) });
        break;
      case 'index':
        expander.index(m.units, m.parents);
        port.postMessage({ t: 'indexed' });
        break;
      case 'finish': {
        const edges = m.edges ? expander.takeEdges() : null;
        const target = cutsOf(sys);
        const { step: _step, ...counts } = expander.counts;
        const times = {
          cpuMs: threadCpuMs() - ready,
          busyMs: expander.busyMs,
          buildMs: ready - built,
          states: expander.expanded,
        };
        port.postMessage({ t: 'finished', edges, counts, target, times });
        break;
      }
    }
  });
  port.postMessage({ t: 'ready' });
}
