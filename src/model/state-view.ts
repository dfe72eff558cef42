// One packed state decoded for people and for other tools: globals by name, pool objects
// with their status and fields, per-thread pc/locals/locks/read sections, every lock with
// its owner, every RCU/SRCU domain with its readers, pending deferred frees. Values use the
// Informal Trace Format's JSON encoding (ITF, Apalache ADR-015: integers as
// {"#bigint": "…"}, sets as {"#set": […]}, maps as {"#map": [[k, v], …]}, records as
// objects), so the same view is a trace-file state, an HTML panel and a `--step` answer.
// Sync objects are decoded by their primitive family (prims/).
import { big, type ItfValue } from './itf.js';
import type { Span } from './lang/ast.js';
import { type Ty, typeWords } from './lang/types.js';
import { holdsLock, type Layout, SLOT_LIVE, type SyncObject } from './layout.js';
import { syncType, type ThreadNaming } from './prims/index.js';
import type { Program } from './program.js';
import type { StepInfo } from './system.js';
import { threadNaming } from './word-names.js';

export { big, type ItfValue } from './itf.js';

/** What the view needs of the system that runs the program. */
export interface ViewSource {
  program: Program;
  nextStepInfo(s: Int32Array, t: number): StepInfo;
  isFinished(s: Int32Array, t: number): boolean;
  choices(s: Int32Array, t: number): number;
  where(span: Span): string;
}

export interface SlotView {
  object: string; // "pte_page#0"
  status: 'unallocated' | 'allocated' | 'freed';
  fields: Record<string, ItfValue>;
  /** A queued call_rcu/call_srcu: the domain and the readers it still waits for. */
  callback?: { domain: string; waitsFor: string[] };
}

export interface PoolView {
  struct: string;
  protectedBy: string; // "" or the domain name
  slots: SlotView[];
}

export interface LockView {
  name: string;
  kind: string; // the sync type: spinlock, mutex, rwsem
  owner: string; // "" when free (for an rwsem: the writer)
  readers: string[];
  /** rwsem: the writers queued for it (new readers wait behind them). */
  queued: string[];
}

export interface DomainView {
  name: string; // "rcu" or the srcu object
  srcu: boolean;
  readers: string[];
  idx?: number;
}

export interface ThreadView {
  name: string;
  status: 'runnable' | 'blocked' | 'finished';
  pc: number; // -1 when finished
  next: string; // the statement it runs next
  position: string;
  locals: Record<string, ItfValue>;
  holds: string[];
  readSections: string[];
  /** A synchronize_* in progress: the readers it still waits for. */
  waitsFor: string[];
}

export interface StateView {
  globals: Record<string, ItfValue>;
  pools: PoolView[];
  threads: ThreadView[];
  locks: LockView[];
  domains: DomainView[];
}

const STATUS: SlotView['status'][] = ['unallocated', 'allocated', 'freed'];

/**
 * An object used as a map from spec names, filled by assignment: no prototype, so that a
 * global, field or local named `__proto__` (or `constructor`) is a key like any other.
 */
function dict(): Record<string, ItfValue> {
  return Object.create(null) as Record<string, ItfValue>;
}

/** The map as an ordinary object (its keys own data properties, `__proto__` included). */
function plain(d: Record<string, ItfValue>): Record<string, ItfValue> {
  return Object.fromEntries(Object.entries(d));
}

/** Decode state `s`; `where` formats a statement's source position. */
export function viewState(
  sys: ViewSource,
  s: Int32Array,
  where: (span: Span) => string = (x) => sys.where(x),
): StateView {
  const { layout, spec, entityNames } = sys.program;
  const who = threadNaming(layout, entityNames);
  const value = valueDecoder(sys.program, s, who);
  const globals: Record<string, ItfValue> = dict();
  for (const g of spec.globals.values()) globals[g.name] = value(g.ty, layout.globals.get(g.name)!);
  const domains: DomainView[] = layout.domains.map((d) => {
    const v: DomainView = { name: d.name, srcu: d.srcu, readers: who.threadsIn(s[d.addr]!) };
    if (d.srcu) v.idx = s[d.addr + 1]!;
    return v;
  });
  const locks = viewLocks(layout, s, who);
  const threads = layout.threads.map((_t, tid) => viewThread(sys, s, tid, value, where));
  return { globals: plain(globals), pools: viewPools(sys.program, s, value, who), threads, locks, domains };
}

type ValueDecoder = (ty: Ty, addr: number) => ItfValue;

function valueDecoder(p: Program, s: Int32Array, who: ThreadNaming): ValueDecoder {
  const value = (ty: Ty, addr: number): ItfValue => {
    const w = s[addr]!;
    switch (ty.k) {
      case 'bool':
        return w !== 0;
      case 'enum':
        return p.spec.enums.get(ty.name)?.[w] ?? String(w);
      case 'ref':
        return w === 0 ? 'null' : `${ty.struct}#${w - 1}`;
      case 'array': {
        const n = typeWords(ty.elem);
        return Array.from({ length: ty.size }, (_x, i) => value(ty.elem, addr + i * n));
      }
      case 'sync':
        return syncType(ty.prim).view(s, addr, who);
      default:
        return big(w);
    }
  };
  return value;
}

function viewPools(p: Program, s: Int32Array, value: ValueDecoder, who: ThreadNaming): PoolView[] {
  const { layout, spec } = p;
  return layout.poolList.map((pool) => {
    const st = spec.structs.get(pool.struct)!;
    const slots: SlotView[] = [];
    for (let i = 0; i < pool.size; i++) {
      const base = pool.base + i * pool.slotWords;
      const fields: Record<string, ItfValue> = dict();
      for (const f of st.fields) fields[f.name] = value(f.ty, base + 1 + f.offset);
      const slot: SlotView = {
        object: `${pool.struct}#${i}`,
        status: STATUS[s[base]!] ?? 'unallocated',
        fields: plain(fields),
      };
      const cb = base + 1 + pool.fieldWords;
      if (pool.hasCallbacks && s[cb] !== 0)
        slot.callback = { domain: layout.domains[s[cb]! - 1]?.name ?? '?', waitsFor: who.threadsIn(s[cb + 1]!) };
      slots.push(slot);
    }
    return { struct: pool.struct, protectedBy: pool.domain >= 0 ? layout.domains[pool.domain]!.name : '', slots };
  });
}

/** Every lock of a live object (a lock in a free pool slot does not exist). */
function viewLocks(layout: Layout, s: Int32Array, who: ThreadNaming): LockView[] {
  const locks: LockView[] = [];
  for (const l of layout.locks) {
    if (!isLive(layout, s, l)) continue;
    locks.push({
      name: l.name,
      kind: l.prim,
      owner: who.owner(s[l.addr]!),
      readers: l.readers === undefined ? [] : who.threadsIn(s[l.addr + l.readers]!),
      queued: l.queued === undefined ? [] : who.threadsIn(s[l.addr + l.queued]!),
    });
  }
  return locks;
}

/** A sync object exists unless it is a field of a pool slot that is not allocated. */
function isLive(layout: Layout, s: Int32Array, o: SyncObject): boolean {
  const p = o.ref === undefined ? undefined : layout.pools.get(o.ref.pool);
  return p === undefined || s[p.base + o.ref!.slot * p.slotWords] === SLOT_LIVE;
}

function viewThread(
  sys: ViewSource,
  s: Int32Array,
  tid: number,
  value: ValueDecoder,
  where: (span: Span) => string,
): ThreadView {
  const { layout } = sys.program;
  const t = layout.threads[tid]!;
  const locals: Record<string, ItfValue> = dict();
  for (const [body, frame] of t.frames) {
    for (const l of body.locals)
      locals[body === t.body ? l.name : `${body.name}.${l.name}`] = value(l.ty, frame + l.index);
  }
  const info = sys.nextStepInfo(s, tid);
  const finished = sys.isFinished(s, tid);
  const holds = layout.locks
    .filter((l) => isLive(layout, s, l) && holdsLock(s, l, tid))
    .map((l) => (l.readers === undefined ? l.name : `${l.name} (${s[l.addr] === tid + 1 ? 'write' : 'read'})`));
  const readSections = layout.domains
    .filter((_d, i) => (i === 0 ? s[t.rcuDepth]! : s[t.section + i]! & 0xff) > 0)
    .map((d) => d.name);
  const who = threadNaming(layout, sys.program.entityNames);
  return {
    name: t.name,
    status: finished ? 'finished' : sys.choices(s, tid) > 0 ? 'runnable' : 'blocked',
    pc: finished ? -1 : info.step,
    next: finished ? '' : info.text,
    position: info.span === undefined ? '' : where(info.span),
    locals: plain(locals),
    holds,
    readSections,
    waitsFor: s[t.waitDomain] !== 0 ? who.threadsIn(s[t.waitMask]!) : [],
  };
}

/** ITF variable names: the spec's globals, then three that no spec name can clash with. */
export function itfVars(sys: { program: Program }): string[] {
  return [...sys.program.spec.globals.keys(), 'mm::rcu', 'mm::pools', 'mm::threads'];
}

/** The view as one ITF state (without its #meta). */
export function itfState(view: StateView): Record<string, ItfValue> {
  const out: Record<string, ItfValue> = { ...view.globals };
  out['mm::rcu'] = { readers: { '#set': view.domains[0]?.readers ?? [] } };
  out['mm::pools'] = {
    '#map': view.pools.flatMap((p) =>
      p.slots.map((sl): [ItfValue, ItfValue] => {
        const rec: Record<string, ItfValue> = { status: sl.status, fields: sl.fields };
        if (sl.callback !== undefined)
          rec['callback'] = { domain: sl.callback.domain, waits_for: { '#set': sl.callback.waitsFor } };
        return [sl.object, rec];
      }),
    ),
  };
  out['mm::threads'] = {
    '#map': view.threads.map((t): [ItfValue, ItfValue] => [
      t.name,
      {
        status: t.status,
        pc: big(t.pc),
        next: t.next,
        at: t.position,
        locals: t.locals,
        holds: { '#set': t.holds },
        read_sections: { '#set': t.readSections },
        gp_waits_for: { '#set': t.waitsFor },
      },
    ]),
  };
  return out;
}

/** An ITF value as a person reads it: 3, true, vma#0, {fault}, {owner: munmap}. */
export function showValue(v: ItfValue): string {
  if (typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (Array.isArray(v)) return `[${v.map(showValue).join(', ')}]`;
  if ('#bigint' in v && typeof v['#bigint'] === 'string') return v['#bigint'];
  if ('#set' in v && Array.isArray(v['#set'])) return `{${v['#set'].map(showValue).join(', ')}}`;
  if (Object.keys(v).length === 1 && typeof (v as { owner?: unknown }).owner === 'string')
    return (v as { owner: string }).owner === '' ? 'unlocked' : `held by ${(v as { owner: string }).owner}`;
  if ('#map' in v && Array.isArray(v['#map']))
    return `{${(v['#map'] as [ItfValue, ItfValue][]).map(([k, x]) => `${showValue(k)} ↦ ${showValue(x)}`).join(', ')}}`;
  return `{${Object.entries(v as Record<string, ItfValue>)
    .map(([k, x]) => `${k}: ${showValue(x)}`)
    .join(', ')}}`;
}
