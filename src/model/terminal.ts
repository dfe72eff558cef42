// The checks made where a thread or the whole run ends: a thread exiting with locks held or
// inside a read section, a deadlock (with what each sync object says about who waits for
// whom), the final conditions, and the opt-in leak check.
import type { Span } from './lang/ast.js';
import type { CheckedSpec } from './lang/checked.js';
import { type Ty, typeWords } from './lang/types.js';
import { holdsLock, type Layout, SLOT_LIVE, type ThreadLayout } from './layout.js';
import { syncType } from './prims/index.js';
import type { Program } from './program.js';
import type { Runtime } from './runtime.js';
import type { ObjectNote, Violation } from './system.js';
import { threadNaming } from './word-names.js';

/** A thread ran to its end: lock_misuse if it still holds a lock or is inside a read section. */
export function exitChecks(rt: Runtime, layout: Layout, s: Int32Array, t: ThreadLayout): void {
  const span = t.body.span;
  if (s[t.spinHeld]! > 0 || s[t.sleepHeld]! > 0) {
    // init is not in layout.threads: its locks carry the id after the last thread's.
    const tid = t === layout.init ? layout.threads.length : layout.threads.indexOf(t);
    const held = layout.locks.filter((l) => holdsLock(s, l, tid));
    rt.fail(
      'lock_misuse',
      `${t.name} exits holding ${held.map((l) => rt.nameOf(l.addr)).join(', ') || 'a lock'}`,
      span,
      held.map((l) => rt.note(l.addr, `still held by ${t.name}`)),
    );
  }
  if (s[t.irqOff]! > 0) rt.fail('lock_misuse', `${t.name} exits with interrupts disabled`, span);
  // A loop first, so that the common exit allocates nothing (the filter runs only to fail).
  let any = false;
  for (let i = 0; i < layout.domains.length && !any; i++) any = insideDomain(s, t, i);
  if (!any) return;
  const inside = layout.domains.filter((_d, i) => insideDomain(s, t, i));
  if (inside.length > 0)
    rt.fail(
      'lock_misuse',
      `${t.name} exits inside a read-side section of ${inside.map((d) => d.name).join(', ')}`,
      span,
    );
}

/** Whether thread t is inside a read-side section of grace-period domain i (0: RCU). */
function insideDomain(s: Int32Array, t: ThreadLayout, i: number): boolean {
  return (i === 0 ? s[t.rcuDepth]! : s[t.section + i]! & 0xff) > 0;
}

/** The deadlock violation of a state where no entity can move: who waits where, and on what. */
export function deadlock(
  p: Program,
  s: Int32Array,
  stuck: { tid: number; name: string; span?: Span; text: string }[],
): Violation {
  const first = stuck.find((w) => w.span !== undefined);
  const waits = stuck.map((w) => `${w.name} waits at ${w.span ? p.rt.where(w.span) : '?'} \`${w.text}\``);
  const v: Violation = {
    kind: 'deadlock',
    message: `no thread can go on: ${waits.join('; ')}`,
    thread: first?.tid ?? -1,
    objects: blockers(p, s),
  };
  if (first?.span !== undefined) v.span = first.span;
  return v;
}

/** What every sync object says about a deadlocked state (locks held, writers queued, ...). */
function blockers(p: Program, s: Int32Array): ObjectNote[] {
  const who = threadNaming(p.layout, p.entityNames);
  const out: ObjectNote[] = [];
  for (const o of p.layout.syncObjects) {
    const notes = syncType(o.prim).blockers?.(s, o.addr, o.name, who) ?? [];
    for (const n of notes) out.push(o.ref === undefined ? n : { ...n, ref: o.ref });
  }
  return out;
}

/** The first final condition that does not hold at termination, or null. */
export function failedFinal(p: Program, s: Int32Array): Violation | null {
  for (const f of p.finals) {
    if (f.cond(s) === 0)
      return {
        kind: 'final',
        message: `final condition ${f.name} does not hold at termination: ${f.explain(s)}`,
        thread: -1,
        span: f.span,
        objects: [],
        condition: f.name,
      };
  }
  return null;
}

/** Opt-in leak check: a live object unreachable from the globals at termination. */
export function findLeak(spec: CheckedSpec, layout: Layout, s: Int32Array): Violation | null {
  const reached = new Set<string>();
  const stack: { struct: string; slot: number }[] = [];
  const refWords = (ty: Ty, addr: number, out: { struct: string; addr: number }[]): void => {
    if (ty.k === 'ref') out.push({ struct: ty.struct, addr });
    else if (ty.k === 'array') for (let i = 0; i < ty.size; i++) refWords(ty.elem, addr + i * typeWords(ty.elem), out);
  };
  const push = (struct: string, ref: number): void => {
    const key = `${struct}#${ref - 1}`;
    if (ref === 0 || reached.has(key)) return;
    reached.add(key);
    stack.push({ struct, slot: ref - 1 });
  };
  const roots: { struct: string; addr: number }[] = [];
  for (const g of spec.globals.values()) refWords(g.ty, layout.globals.get(g.name)!, roots);
  for (const r of roots) push(r.struct, s[r.addr]!);
  while (stack.length > 0) {
    const { struct, slot } = stack.pop()!;
    const pool = layout.pools.get(struct);
    if (pool === undefined) continue;
    const base = pool.base + slot * pool.slotWords;
    const fields: { struct: string; addr: number }[] = [];
    for (const f of spec.structs.get(struct)!.fields) refWords(f.ty, base + 1 + f.offset, fields);
    for (const f of fields) push(f.struct, s[f.addr]!);
  }
  for (const p of layout.poolList) {
    for (let i = 0; i < p.size; i++) {
      if (s[p.base + i * p.slotWords] !== SLOT_LIVE || reached.has(`${p.struct}#${i}`)) continue;
      return {
        kind: 'leak',
        message: `${p.struct}#${i} is allocated but unreachable from shared state at termination`,
        thread: -1,
        objects: [{ object: `${p.struct}#${i}`, event: 'leaked', ref: { pool: p.struct, slot: i } }],
      };
    }
  }
  return null;
}
