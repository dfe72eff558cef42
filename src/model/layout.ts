// The packed state layout of one scenario: every global, pool slot field, sync word and
// thread-private word gets a fixed offset in one Int32Array.
//
//   globals | rcu domain | pools (per slot: alloc word, fields, [callback words]) | threads
//
// Per thread: pc (-1 = finished), its frame (thread locals, then one frame per fn it may
// inline), and the bookkeeping words the primitive families declare (locks held, read-side
// nesting, grace-period waits, references loaded inside read sections), in registry order.
import { forEachChild } from './lang/ast.js';
import type { BodyInfo, CheckedSpec, LocalInfo, ScenarioInfo } from './lang/checked.js';
import { type Ty, typeWords } from './lang/types.js';
import type { ObjectRef } from './system.js';

export type { ObjectRef } from './system.js';

export const SLOT_FREE = 0; // never allocated
export const SLOT_LIVE = 1;
export const SLOT_FREED = 2; // poisoned

export interface PoolLayout {
  struct: string;
  index: number;
  base: number;
  size: number;
  /** Words per slot: alloc word + fields + (2 callback words if `hasCallbacks`). */
  slotWords: number;
  fieldWords: number;
  hasCallbacks: boolean;
  /** Domain id guarding frees of this type (premature_free), or -1. */
  domain: number;
  /** Index of this pool among protected pools (its loaded-mask word per thread), or -1. */
  protectedIndex: number;
  /** SLAB_TYPESAFE_BY_RCU: inside an RCU read side, a freed slot may still be read. */
  typesafe: boolean;
}

export interface Domain {
  /** 'rcu' (always id 0) or the srcu object's name / pool slot. */
  name: string;
  /** Word of the readers mask; the srcu index word follows it (srcu only). */
  addr: number;
  srcu: boolean;
}

/**
 * The bookkeeping words a thread keeps for the primitive families, each declared by one
 * family (its `threadWords`): spinHeld (spinlock), sleepHeld (mutex; rwsem counts there
 * too), rcuDepth, waitMask, waitDomain and section (rcu), loaded (heap), seqRead (seqcount), irqOff and
 * ipiWait (irq).
 */
export const THREAD_WORDS = [
  'spinHeld',
  'sleepHeld',
  'rcuDepth',
  'waitMask',
  'waitDomain',
  'section',
  'loaded',
  'seqRead',
  'irqOff',
  'ipiWait',
] as const;
export type ThreadWordName = (typeof THREAD_WORDS)[number];

/** A word (or a row of words) every thread keeps for a family. */
export interface ThreadWordDecl {
  name: ThreadWordName;
  /** One word, one per grace-period domain, or one per protected pool. */
  count: 'one' | 'perDomain' | 'perProtectedPool';
  /** Its name in traces (`fault.<gp-wait>`); without one the word is never shown. */
  label?: string;
}

export interface ThreadLayout extends Record<ThreadWordName, number> {
  name: string;
  body: BodyInfo;
  args: number[];
  base: number;
  pc: number;
  /** Frame base of each body this thread may run (the thread itself and every fn). */
  frames: Map<BodyInfo, number>;
  frameEnd: number;
  end: number;
}

/** A lock's words: the owner (thread id + 1) at offset 0, optional reader and queue masks. */
export interface LockWords {
  /** Offset of the mask of threads holding it for read, if it has readers. */
  readers?: number;
  /** Offset of the mask of writers queued for it, if they queue. */
  queued?: number;
}

/** What the layout needs to know of a sync type (prims/family.ts SyncTypeDef). */
export interface SyncShape {
  lock?: LockWords;
  domain?: boolean;
}

/** One sync object of the state: a global, an array element, or a field of a pool slot. */
export interface SyncObject {
  addr: number;
  prim: string;
  name: string;
  /** Set when the object is a field of a pool slot. */
  ref?: ObjectRef;
}

export interface LockObject extends SyncObject, LockWords {
  lockClass: number;
}

export interface Layout {
  words: number;
  /**
   * Footprint locations: the state words, then one virtual location per (domain, thread
   * including init) standing for that thread's bit of the domain's readers mask, so that
   * readers entering and leaving sections commute (readerLoc).
   */
  locations: number;
  globals: Map<string, number>;
  pools: Map<string, PoolLayout>;
  poolList: PoolLayout[];
  domains: Domain[];
  domainOfAddr: Map<number, number>;
  threads: ThreadLayout[];
  /** The pseudo-thread running `init` (its words are zero after the initial state is built). */
  init: ThreadLayout;
  /** Every sync object, in address order. */
  syncObjects: SyncObject[];
  /** Every lock (spinlock, mutex, rwsem) for lockdep-style scans. */
  locks: LockObject[];
  /** Lock classes (lockdep's unit: a global's name, or struct.field for every slot). */
  lockClasses: string[];
  /** lockClassOf.get(addr) for every lock word. */
  lockClassOf: Map<number, number>;
  /** First of lockClasses.length words: per class, the classes held when it was taken. */
  lockEdges: number;
  protectedPools: PoolLayout[];
}

export function computeLayout(
  spec: CheckedSpec,
  scenario: ScenarioInfo,
  callbackStructs: Set<string>,
  syncShape: (prim: string) => SyncShape,
  threadWords: readonly ThreadWordDecl[],
): Layout {
  let next = 0;
  const globals = new Map<string, number>();
  for (const g of spec.globals.values()) {
    globals.set(g.name, next);
    next += typeWords(g.ty);
  }
  const sync = syncScan(syncShape);
  const rcuAddr = next++;
  sync.domains.push({ name: 'rcu', addr: rcuAddr, srcu: false });
  for (const g of spec.globals.values()) sync.note(g.ty, globals.get(g.name)!, g.name, g.name);
  const { pools, poolList, end } = layoutPools(spec, callbackStructs, next, sync);
  next = end;
  const protectedPools = markProtected(spec, poolList, globals, sync.domainOfAddr);
  const { lockClasses } = sync;
  if (lockClasses.length > 31)
    throw new Error(`a spec may declare at most 31 lock classes, this one has ${lockClasses.length}`);
  const lockEdges = next;
  next += lockClasses.length;
  const counts = { one: 1, perDomain: sync.domains.length, perProtectedPool: protectedPools.length };
  const extra = threadWords.map((d) => ({ name: d.name, words: counts[d.count] }));
  const names = threadNames(scenario);
  const threads = scenario.threads.map((inst, i) => {
    const t = layoutThread(spec, names[i]!, inst.body, inst.args, next, extra);
    next = t.end;
    return t;
  });
  // `init` runs before any thread; its words are zero again once it has finished.
  const init = layoutThread(spec, 'init', scenario.init ?? spec.init, [], next, extra);
  // A scenario's init is the global init's statements followed by its own, in one body whose
  // locals start with the global init's at the same indices (checkScenarioInit). The global
  // statements' names still resolve to the global init body: give it the same frame, or
  // their locals (an imported file's `local f = alloc ...`) would have no address at all.
  if (scenario.init !== undefined) init.frames.set(spec.init, init.frames.get(scenario.init)!);
  next = init.end;
  return {
    words: next,
    locations: next + sync.domains.length * (threads.length + 1),
    globals,
    pools,
    poolList,
    domains: sync.domains,
    domainOfAddr: sync.domainOfAddr,
    threads,
    init,
    syncObjects: sync.syncObjects,
    locks: sync.locks,
    lockClasses,
    lockClassOf: sync.lockClassOf,
    lockEdges,
    protectedPools,
  };
}

/** The sync objects met while laying out globals and pool slots, sorted into locks and domains. */
interface SyncScan {
  syncObjects: SyncObject[];
  locks: LockObject[];
  domains: Domain[];
  domainOfAddr: Map<number, number>;
  lockClasses: string[];
  lockClassOf: Map<number, number>;
  /** Note the sync objects of a value of type ty at addr (named `name`, lock class `cls`). */
  note(ty: Ty, addr: number, name: string, cls: string, ref?: ObjectRef): void;
}

function syncScan(syncShape: (prim: string) => SyncShape): SyncScan {
  const scan: SyncScan = {
    syncObjects: [],
    locks: [],
    domains: [],
    domainOfAddr: new Map(),
    lockClasses: [],
    lockClassOf: new Map(),
    note: (ty, addr, name, cls, ref) => {
      if (ty.k === 'array') {
        const w = typeWords(ty.elem);
        for (let i = 0; i < ty.size; i++) {
          const elemRef = ref === undefined ? undefined : { ...ref, field: `${ref.field}[${i}]` };
          scan.note(ty.elem, addr + i * w, `${name}[${i}]`, cls, elemRef);
        }
        return;
      }
      if (ty.k !== 'sync') return;
      const obj: SyncObject = ref === undefined ? { addr, prim: ty.prim, name } : { addr, prim: ty.prim, name, ref };
      scan.syncObjects.push(obj);
      const shape = syncShape(ty.prim);
      if (shape.lock !== undefined) {
        let c = scan.lockClasses.indexOf(cls);
        if (c < 0) c = scan.lockClasses.push(cls) - 1;
        scan.lockClassOf.set(addr, c);
        scan.locks.push({ ...obj, ...shape.lock, lockClass: c });
      }
      if (shape.domain === true) {
        scan.domainOfAddr.set(addr, scan.domains.length);
        scan.domains.push({ name, addr, srcu: true });
      }
    },
  };
  return scan;
}

function layoutPools(spec: CheckedSpec, callbackStructs: Set<string>, start: number, sync: SyncScan) {
  let next = start;
  const pools = new Map<string, PoolLayout>();
  const poolList: PoolLayout[] = [];
  for (const p of spec.pools.values()) {
    const st = spec.structs.get(p.struct)!;
    const hasCallbacks = callbackStructs.has(p.struct);
    const slotWords = 1 + st.words + (hasCallbacks ? 2 : 0);
    const pl: PoolLayout = {
      struct: p.struct,
      index: poolList.length,
      base: next,
      size: p.size,
      slotWords,
      fieldWords: st.words,
      hasCallbacks,
      domain: -1,
      protectedIndex: -1,
      typesafe: p.typesafeByRcu,
    };
    next += slotWords * p.size;
    pools.set(p.struct, pl);
    poolList.push(pl);
    for (let i = 0; i < p.size; i++) {
      for (const f of st.fields) {
        const ref = { pool: p.struct, slot: i, field: f.name };
        const addr = pl.base + i * slotWords + 1 + f.offset;
        sync.note(f.ty, addr, `${p.struct}#${i}.${f.name}`, `${p.struct}.${f.name}`, ref);
      }
    }
  }
  return { pools, poolList, end: next };
}

/** Give each pool of an rcu/srcu-protected struct its domain and its index among protected pools. */
function markProtected(
  spec: CheckedSpec,
  poolList: PoolLayout[],
  globals: Map<string, number>,
  domainOfAddr: Map<number, number>,
): PoolLayout[] {
  const protectedPools: PoolLayout[] = [];
  for (const pl of poolList) {
    const prot = spec.structs.get(pl.struct)!.protectedBy;
    if (prot === undefined) continue;
    pl.domain = prot.kind === 'rcu' ? 0 : (domainOfAddr.get(globals.get(prot.domain) ?? -1) ?? -1);
    if (pl.domain < 0) continue;
    pl.protectedIndex = protectedPools.length;
    protectedPools.push(pl);
  }
  return protectedPools;
}

function layoutThread(
  spec: CheckedSpec,
  name: string,
  body: BodyInfo,
  args: number[],
  base: number,
  extra: { name: ThreadWordName; words: number }[],
): ThreadLayout {
  const frames = new Map<BodyInfo, number>();
  let w = base + 1;
  for (const b of [body, ...reachableFns(spec, body)]) {
    frames.set(b, w);
    w += frameWords(b);
  }
  const frameEnd = w;
  const words = new Map<ThreadWordName, number>();
  for (const x of extra) {
    words.set(x.name, w);
    w += x.words;
  }
  const named = {} as Record<ThreadWordName, number>;
  for (const n of THREAD_WORDS) {
    const a = words.get(n);
    if (a === undefined) throw new Error(`[mmcheck internal bug] no primitive family declares the thread word ${n}`);
    named[n] = a;
  }
  return { name, body, args, base, pc: base, frames, frameEnd, ...named, end: w };
}

/** A body's frame: its locals (params first) and one word for a fn's return value. */
export function frameWords(body: BodyInfo): number {
  return body.locals.length + 1;
}

export function localAddr(t: ThreadLayout, body: BodyInfo, local: LocalInfo): number {
  return t.frames.get(body)! + local.index;
}

export function returnAddr(t: ThreadLayout, body: BodyInfo): number {
  return t.frames.get(body)! + body.locals.length;
}

/** Thread instance names: the thread's name, suffixed #2, #3… when started more than once. */
export function threadNames(scenario: ScenarioInfo): string[] {
  const count = new Map<string, number>();
  for (const t of scenario.threads) count.set(t.body.name, (count.get(t.body.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return scenario.threads.map((t) => {
    const n = (seen.get(t.body.name) ?? 0) + 1;
    seen.set(t.body.name, n);
    return count.get(t.body.name)! > 1 ? `${t.body.name}#${n}` : t.body.name;
  });
}

/** Every fn a body may inline as steps, directly or through other fns. Macro fns (`return e;`)
 * need no frame: their arguments live in the compiler's scratch array. */
function reachableFns(spec: CheckedSpec, body: BodyInfo): BodyInfo[] {
  // A body belongs to one spec: the answer is the same for every scenario built from it.
  const known = reachableCache.get(body);
  if (known !== undefined) return known;
  const out: BodyInfo[] = [];
  const seen = new Set<BodyInfo>([body]);
  const visitExpr = (e: unknown): void => {
    if (e === null || typeof e !== 'object') return;
    if (Array.isArray(e)) {
      e.forEach(visitExpr);
      return;
    }
    const node = e as { kind?: string; callee?: string };
    if (node.kind === 'call' && node.callee !== undefined) {
      const f = spec.fns.get(node.callee);
      if (f !== undefined && f.macro === undefined && !seen.has(f)) {
        seen.add(f);
        out.push(f);
        visitExpr(f.body);
      }
    }
    forEachChild(node, visitExpr);
  };
  visitExpr(body.body);
  reachableCache.set(body, out);
  return out;
}

const reachableCache = new WeakMap<BodyInfo, BodyInfo[]>();

/** The footprint location of thread tid's bit in domain d's readers mask (see Layout.locations). */
export function readerLoc(layout: Layout, d: number, tid: number): number {
  return layout.words + d * (layout.threads.length + 1) + tid;
}

/** Does thread tid hold lock l in s (as owner, or for read)? The one place that says so. */
export function holdsLock(s: Int32Array, l: LockObject, tid: number): boolean {
  return s[l.addr] === tid + 1 || (l.readers !== undefined && ((s[l.addr + l.readers]! >>> tid) & 1) === 1);
}
