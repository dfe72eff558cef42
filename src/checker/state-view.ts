// One packed state decoded for people and for other tools: globals by name, pool objects
// with their status and fields, per-thread pc/locals/locks/read sections, every lock with
// its owner, every RCU/SRCU domain with its readers, pending deferred frees. Values use the
// Informal Trace Format's JSON encoding (ITF, Apalache ADR-015: integers as
// {"#bigint": "…"}, sets as {"#set": […]}, maps as {"#map": [[k, v], …]}, records as
// objects), so the same view is a trace-file state, an HTML panel and a `--step` answer.
import type { Span } from '../model/lang/ast.js';
import { SLOT_LIVE } from '../model/layout.js';
import type { ModelSystem } from '../model/model-system.js';
import type { Ty } from '../model/lang/types.js';
import { typeWords } from '../model/lang/types.js';

export type ItfValue =
  | boolean
  | string
  | ItfValue[]
  | { '#bigint': string }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { [field: string]: ItfValue };

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
  kind: 'spinlock' | 'mutex' | 'rwsem';
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

export const big = (n: number): { '#bigint': string } => ({ '#bigint': String(n) });

/** Decode state `s`; `where` formats a statement's source position. */
export function viewState(sys: ModelSystem, s: Int32Array, where: (span: Span) => string): StateView {
  const { layout, spec, rt } = sys;
  const names = (mask: number): string[] =>
    layout.threads.filter((_t, i) => ((mask >>> i) & 1) === 1).map((t) => t.name);
  const owner = (w: number): string => (w === 0 ? '' : rt.threadName(w - 1));
  const value = (ty: Ty, addr: number): ItfValue => {
    const w = s[addr]!;
    switch (ty.k) {
      case 'bool':
        return w !== 0;
      case 'enum':
        return spec.enums.get(ty.name)?.[w] ?? String(w);
      case 'ref':
        return w === 0 ? 'null' : `${ty.struct}#${w - 1}`;
      case 'array': {
        const n = typeWords(ty.elem);
        return Array.from({ length: ty.size }, (_x, i) => value(ty.elem, addr + i * n));
      }
      case 'sync':
        if (ty.prim === 'spinlock' || ty.prim === 'mutex') return { owner: owner(w) };
        if (ty.prim === 'rwsem')
          return {
            writer: owner(w),
            readers: { '#set': names(s[addr + 1]!) },
            queued: { '#set': names(s[addr + 2]!) },
          };
        if (ty.prim === 'srcu') return { readers: { '#set': names(w) }, idx: big(s[addr + 1]!) };
        return big(w);
      default:
        return big(w);
    }
  };

  const globals: Record<string, ItfValue> = {};
  for (const g of spec.globals.values()) globals[g.name] = value(g.ty, layout.globals.get(g.name)!);

  const domains: DomainView[] = layout.domains.map((d) => {
    const v: DomainView = { name: d.name, srcu: d.srcu, readers: names(s[d.addr]!) };
    if (d.srcu) v.idx = s[d.addr + 1]!;
    return v;
  });

  const pools: PoolView[] = layout.poolList.map((p) => {
    const st = spec.structs.get(p.struct)!;
    const slots: SlotView[] = [];
    for (let i = 0; i < p.size; i++) {
      const base = p.base + i * p.slotWords;
      const fields: Record<string, ItfValue> = {};
      for (const f of st.fields) fields[f.name] = value(f.ty, base + 1 + f.offset);
      const slot: SlotView = { object: `${p.struct}#${i}`, status: STATUS[s[base]!] ?? 'unallocated', fields };
      if (p.hasCallbacks && s[base + 1 + p.fieldWords] !== 0) {
        slot.callback = {
          domain: layout.domains[s[base + 1 + p.fieldWords]! - 1]?.name ?? '?',
          waitsFor: names(s[base + 2 + p.fieldWords]!),
        };
      }
      slots.push(slot);
    }
    return { struct: p.struct, protectedBy: p.domain >= 0 ? layout.domains[p.domain]!.name : '', slots };
  });

  const locks: LockView[] = [];
  for (const l of layout.locks) {
    const slot = /^(\w+)#(\d+)\./.exec(l.name);
    if (slot !== null) {
      const p = layout.pools.get(slot[1]!);
      if (p !== undefined && s[p.base + Number(slot[2]) * p.slotWords] !== SLOT_LIVE) continue;
    }
    locks.push({
      name: l.name,
      kind: l.prim,
      owner: owner(s[l.addr]!),
      readers: l.prim === 'rwsem' ? names(s[l.addr + 1]!) : [],
      queued: l.prim === 'rwsem' ? names(s[l.addr + 2]!) : [],
    });
  }

  const threads: ThreadView[] = layout.threads.map((t, tid) => {
    const locals: Record<string, ItfValue> = {};
    for (const [body, frame] of t.frames) {
      for (const l of body.locals)
        locals[body === t.body ? l.name : `${body.name}.${l.name}`] = value(l.ty, frame + l.index);
    }
    const info = sys.nextStepInfo(s, tid);
    const finished = sys.isFinished(s, tid);
    const holds = locks
      .filter((l) => l.owner === t.name || l.readers.includes(t.name))
      .map((l) => (l.kind === 'rwsem' ? `${l.name} (${l.owner === t.name ? 'write' : 'read'})` : l.name));
    const readSections = layout.domains
      .filter((_d, i) => (i === 0 ? s[t.rcuDepth]! : s[t.section + i]! & 0xff) > 0)
      .map((d) => d.name);
    return {
      name: t.name,
      status: finished ? 'finished' : sys.choices(s, tid) > 0 ? 'runnable' : 'blocked',
      pc: finished ? -1 : info.step,
      next: finished ? '' : info.text,
      position: info.span === undefined ? '' : where(info.span),
      locals,
      holds,
      readSections,
      waitsFor: s[t.waitDomain] !== 0 ? names(s[t.waitMask]!) : [],
    };
  });
  return { globals, pools, threads, locks, domains };
}

/** ITF variable names: the spec's globals, then three that no spec name can clash with. */
export function itfVars(sys: ModelSystem): string[] {
  return [...sys.spec.globals.keys(), 'mm::rcu', 'mm::pools', 'mm::threads'];
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
