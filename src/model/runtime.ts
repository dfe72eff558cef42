// The context compiled steps run in: the footprint being recorded, the entity stepping,
// and the violation raised. One Runtime per compiled scenario; closures capture it.
// A violation is raised by throwing the VIOLATION_SIGNAL sentinel (violations are rare, and
// a try/catch that never throws costs nothing), never by returning objects on the hot path.
import type { Span } from './lang/ast.js';
import type { CheckedSpec } from './lang/checked.js';
import { formatLine } from './lang/diagnostics.js';
import { typeWords, type Ty } from './lang/types.js';
import type { Layout } from './layout.js';
import type { ViolationKind } from './lang/violation-kinds.js';
import { Footprint, type ObjectNote, type Violation } from './system.js';

export const VIOLATION_SIGNAL: unique symbol = Symbol('mmcheck violation');

export class Runtime {
  fp: Footprint = new Footprint();
  thread = -1;
  violation: Violation | null = null;
  /** Arguments of macro fn calls: each call site owns a few words. */
  scratch = new Int32Array(16);
  private scratchUsed = 0;
  private addrNames: { names: string[]; types: (Ty | undefined)[] } | null = null;

  constructor(
    readonly spec: CheckedSpec,
    readonly layout: Layout,
    readonly entityNames: string[],
  ) {}

  allocScratch(): number {
    if (this.scratchUsed === this.scratch.length) {
      const grown = new Int32Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    return this.scratchUsed++;
  }

  threadName(t: number): string {
    return this.entityNames[t] ?? `#${t}`;
  }

  /** Raise a violation from inside a step. */
  fail(
    kind: ViolationKind,
    message: string,
    span: Span | undefined,
    objects: ObjectNote[] = [],
    condition?: string,
  ): never {
    const v: Violation = { kind, message, thread: this.thread, objects };
    if (span !== undefined) v.span = span;
    if (condition !== undefined) v.condition = condition;
    this.violation = v;
    throw VIOLATION_SIGNAL;
  }

  where(span: Span): string {
    return formatLine(this.spec.sources, span);
  }

  /** A readable name for a state word: `tree`, `pte_page#0.pte[1]`, `fault.v`. Built on first use. */
  nameOf(addr: number): string {
    if (this.addrNames === null) this.addrNames = buildAddrNames(this.spec, this.layout);
    return this.addrNames.names[addr] ?? `word ${addr}`;
  }

  /** A word's value as a person reads it: `vma#0`, `null`, `true`, an enum member, a number. */
  formatValue(addr: number, value: number): string {
    if (this.addrNames === null) this.addrNames = buildAddrNames(this.spec, this.layout);
    const ty = this.addrNames.types[addr];
    if (ty?.k === 'ref') return value === 0 ? 'null' : `${ty.struct}#${value - 1}`;
    if (ty?.k === 'bool') return value === 0 ? 'false' : 'true';
    if (ty?.k === 'enum') return this.spec.enums.get(ty.name)?.[value] ?? String(value);
    if (ty?.k === 'sync' && (ty.prim === 'spinlock' || ty.prim === 'mutex'))
      return value === 0 ? 'unlocked' : `held by ${this.threadName(value - 1)}`;
    if (ty?.k === 'sync' && ty.prim === 'rwsem') {
      const readers = this.layout.threads.filter((_t, i) => ((value >>> i) & 1) === 1).map((t) => t.name);
      return readers.length === 0 ? 'none' : readers.join(', ');
    }
    return String(value);
  }

  objectName(poolStruct: string, slot: number): string {
    return `${poolStruct}#${slot}`;
  }
}

function buildAddrNames(spec: CheckedSpec, layout: Layout): { names: string[]; types: (Ty | undefined)[] } {
  const names: string[] = new Array(layout.words);
  const types: (Ty | undefined)[] = new Array(layout.words);
  const name = (ty: Ty, addr: number, label: string): void => {
    if (ty.k === 'array') {
      const w = typeWords(ty.elem);
      for (let i = 0; i < ty.size; i++) name(ty.elem, addr + i * w, `${label}[${i}]`);
    } else if (ty.k === 'sync' && ty.prim === 'rwsem') {
      names[addr] = `${label}.writer`;
      types[addr] = { k: 'sync', prim: 'mutex' };
      names[addr + 1] = `${label}.readers`;
      types[addr + 1] = { k: 'sync', prim: 'rwsem' };
      names[addr + 2] = `${label}.queued_writers`;
      types[addr + 2] = { k: 'sync', prim: 'rwsem' };
    } else if (ty.k === 'sync' && ty.prim === 'srcu') {
      names[addr] = `${label}.readers`;
      names[addr + 1] = `${label}.idx`;
    } else {
      names[addr] = label;
      types[addr] = ty;
    }
  };
  for (const g of spec.globals.values()) name(g.ty, layout.globals.get(g.name)!, g.name);
  names[layout.domains[0]!.addr] = 'rcu.readers';
  layout.lockClasses.forEach((c, i) => {
    names[layout.lockEdges + i] = `<lockdep ${c}>`;
  });
  for (const p of layout.poolList) {
    const st = spec.structs.get(p.struct)!;
    for (let i = 0; i < p.size; i++) {
      const base = p.base + i * p.slotWords;
      names[base] = `${p.struct}#${i}.<alloc>`;
      for (const f of st.fields) name(f.ty, base + 1 + f.offset, `${p.struct}#${i}.${f.name}`);
      if (p.hasCallbacks) {
        names[base + 1 + p.fieldWords] = `${p.struct}#${i}.<callback>`;
        names[base + 2 + p.fieldWords] = `${p.struct}#${i}.<callback-wait>`;
      }
    }
  }
  for (const t of [...layout.threads, layout.init]) {
    names[t.pc] = `${t.name}.pc`;
    for (const [body, base] of t.frames) {
      for (const l of body.locals)
        name(l.ty, base + l.index, body === t.body ? `${t.name}.${l.name}` : `${t.name}.${body.name}.${l.name}`);
      names[base + body.locals.length] = `${t.name}.${body.name}.<return>`;
    }
    names[t.waitMask] = `${t.name}.<gp-wait>`;
  }
  return { names, types };
}
