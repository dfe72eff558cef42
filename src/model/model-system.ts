// A compiled scenario as a TransitionSystem: the explorers' only view of a spec.
import type { Expr, Span } from './lang/ast.js';
import type { CheckedSpec, ScenarioInfo } from './lang/checked.js';
import { sourceLine } from './lang/diagnostics.js';
import { typeWords, type Ty } from './lang/types.js';
import { compileValue, type CompileEnv, type Val } from './compile-expr.js';
import { computeLayout, SLOT_LIVE, type Layout, type ThreadLayout } from './layout.js';
import { END, Lowerer, type Op } from './lower.js';
import { callbackEntity } from './prims/rcu.js';
import { Runtime, VIOLATION_SIGNAL } from './runtime.js';
import { Footprint, STEP_OK, STEP_VIOLATION, type StepInfo, type TransitionSystem, type Violation } from './system.js';

/** Local ops one step may run before we call the thread's loop endless. */
const LOCAL_FUEL = 100_000;

export interface SystemOptions {
  /** Report objects unreachable from shared state at termination (opt-in `leak`). */
  leak?: boolean;
}

interface Thread {
  layout: ThreadLayout;
  ops: Op[];
}

interface Condition {
  name: string;
  cond: Val;
  span: Span;
}

export class ModelSystem implements TransitionSystem {
  readonly stateWords: number;
  readonly locationCount: number;
  readonly threadCount: number;
  readonly userThreads: number;
  readonly layout: Layout;
  readonly rt: Runtime;
  readonly threads: Thread[];
  private readonly callbacks: ReturnType<typeof callbackEntity>[];
  private readonly invariants: Condition[];
  private readonly finals: Condition[];
  /** Words some invariant may read: a step writing one checks the invariants (see step). */
  private readonly invRead: Uint8Array;
  private readonly scratchFp = new Footprint();
  private readonly init: { state: Int32Array } | { violation: Violation };

  constructor(
    readonly spec: CheckedSpec,
    readonly scenario: ScenarioInfo,
    private readonly options: SystemOptions = {},
  ) {
    const callbackStructs = findCallbackStructs(spec);
    this.layout = computeLayout(spec, scenario, callbackStructs);
    const cbSlots: { pool: number; slot: number }[] = [];
    for (const p of this.layout.poolList)
      if (p.hasCallbacks) for (let i = 0; i < p.size; i++) cbSlots.push({ pool: p.index, slot: i });
    const names = [
      ...this.layout.threads.map((t) => t.name),
      ...cbSlots.map((c) => `callback(${this.layout.poolList[c.pool]!.struct}#${c.slot})`),
    ];
    this.rt = new Runtime(spec, this.layout, names);
    this.userThreads = this.layout.threads.length;
    this.threadCount = this.userThreads + cbSlots.length;
    this.stateWords = this.layout.words;
    this.locationCount = this.layout.locations;
    this.callbacks = cbSlots.map((c) => callbackEntity(this.rt, this.layout, c.pool, c.slot));
    this.threads = this.layout.threads.map((t, tid) => ({ layout: t, ops: this.lowerThread(t, tid) }));
    // Invariants record what they read: the reads join the footprint of the step that checks them.
    const condEnv = (kind: 'invariant' | 'final', name: string): CompileEnv => ({
      ...this.baseEnv(null, -1),
      record: kind === 'invariant',
      effects: false,
      derefKind: kind,
      condName: name,
    });
    this.invariants = spec.invariants.map((i) => ({
      name: i.name,
      span: i.span,
      cond: compileValue(i.cond, condEnv('invariant', i.name)),
    }));
    this.finals = spec.finals.map((f) => ({
      name: f.name,
      span: f.span,
      cond: compileValue(f.cond, condEnv('final', f.name)),
    }));
    this.invRead = invariantReads(spec, this.layout);
    this.init = this.buildInitial();
  }

  private baseEnv(thread: ThreadLayout | null, tid: number): CompileEnv {
    return {
      rt: this.rt,
      spec: this.spec,
      layout: this.layout,
      thread,
      tid,
      body: thread?.body ?? null,
      macroArgs: null,
      record: true,
      effects: true,
      derefKind: 'normal',
    };
  }

  private lowerThread(t: ThreadLayout, tid: number): Op[] {
    const lowerer = new Lowerer(this.baseEnv(t, tid), (span) => stmtText(this.spec, span));
    lowerer.lowerBody(t.body);
    return lowerer.ops;
  }

  private buildInitial(): { state: Int32Array } | { violation: Violation } {
    const s = new Int32Array(this.stateWords);
    const rt = this.rt;
    rt.fp = this.scratchFp;
    for (const g of this.spec.globals.values()) {
      if (g.initValue !== undefined) s[this.layout.globals.get(g.name)!] = g.initValue;
    }
    try {
      const init = this.layout.init;
      const ops = this.lowerThread(init, this.userThreads);
      rt.thread = -1;
      let pc = ops.length > 0 ? 0 : END;
      while (pc !== END) {
        if (pc >= ops.length) break;
        const op = ops[pc]!;
        this.scratchFp.clear();
        if (op.guard !== null && op.guard(s) === 0) rt.fail('deadlock', `init blocks at \`${op.text}\``, op.span);
        pc = op.exec(s, 0);
      }
      this.exitChecks(s, init);
      s.fill(0, init.base, init.end);
      for (let tid = 0; tid < this.threads.length; tid++) {
        const th = this.threads[tid]!;
        const frame = th.layout.frames.get(th.layout.body)!;
        th.layout.args.forEach((a, i) => {
          s[frame + i] = a;
        });
        rt.thread = tid;
        s[th.layout.pc] = th.ops.length === 0 ? this.finishThread(s, th) : this.runLocal(s, th, 0);
      }
      rt.thread = -1;
      this.checkInvariants(s);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return { violation: rt.violation! };
    }
    return { state: s };
  }

  initial(): { state: Int32Array } | { violation: Violation } {
    return 'state' in this.init ? { state: this.init.state.slice() } : this.init;
  }

  threadName(t: number): string {
    return this.rt.threadName(t);
  }

  threadWords(t: number): { start: number; end: number } {
    const th = this.threads[t];
    // pc, frame, and the bookkeeping words after it (locks held, read-section depths, ...):
    // a spin iteration that changes any of them is not a repetition.
    return th === undefined ? { start: 0, end: 0 } : { start: th.layout.base, end: th.layout.end };
  }

  choices(s: Int32Array, t: number): number {
    if (t >= this.userThreads) return this.callbacks[t - this.userThreads]!.ready(s) ? 1 : 0;
    const th = this.threads[t]!;
    const pc = s[th.layout.pc]!;
    if (pc === END) return 0;
    const op = th.ops[pc]!;
    const rt = this.rt;
    rt.fp = this.scratchFp;
    this.scratchFp.clear();
    rt.thread = t;
    try {
      if (op.guard !== null && op.guard(s) === 0) return 0;
      return op.choices === null ? 1 : op.choices(s);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return 1; // the step itself will raise the violation
    }
  }

  guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    fp.clear();
    this.rt.fp = fp;
    this.rt.thread = t;
    if (t >= this.userThreads) {
      this.callbacks[t - this.userThreads]!.guardFootprint();
      return;
    }
    const th = this.threads[t]!;
    const pc = s[th.layout.pc]!;
    const op = pc === END ? undefined : th.ops[pc];
    if (op?.guard == null) return;
    try {
      op.guard(s);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
    }
  }

  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    out.set(s);
    fp.clear();
    const rt = this.rt;
    rt.fp = fp;
    rt.thread = t;
    try {
      if (t >= this.userThreads) this.callbacks[t - this.userThreads]!.exec(out);
      else {
        const th = this.threads[t]!;
        const op = th.ops[out[th.layout.pc]!]!;
        out[th.layout.pc] = this.runLocal(out, th, op.exec(out, choice));
      }
      // A step that writes a word some invariant may read checks the invariants in the state it
      // leads to, as an assertion of its own: the words they read there join its footprint as
      // reads, so DPOR orders the check against every write that could change its outcome.
      // Checking only here loses nothing: a state that breaks an invariant has the invariant
      // words of the state just after the last step that wrote one (docs/dpor.md).
      if (this.invariants.length > 0 && this.touchesInvariant(fp)) this.checkInvariants(out);
    } catch (e) {
      if (e !== VIOLATION_SIGNAL) throw e;
      return STEP_VIOLATION;
    }
    return STEP_OK;
  }

  lastViolation(): Violation {
    return this.rt.violation!;
  }

  isFinished(s: Int32Array, t: number): boolean {
    if (t >= this.userThreads) return !this.callbacks[t - this.userThreads]!.pending(s);
    return s[this.threads[t]!.layout.pc] === END;
  }

  terminal(s: Int32Array): Violation | null {
    const rt = this.rt;
    const stuck: string[] = [];
    let first: { tid: number; span: Span } | null = null;
    for (let t = 0; t < this.threadCount; t++) {
      if (this.isFinished(s, t)) continue;
      const info = this.nextStepInfo(s, t);
      stuck.push(`${this.threadName(t)} waits at ${info.span ? rt.where(info.span) : '?'} \`${info.text}\``);
      if (first === null && info.span !== undefined) first = { tid: t, span: info.span };
    }
    if (stuck.length > 0) {
      const v: Violation = {
        kind: 'deadlock',
        message: `deadlock: ${stuck.join('; ')}`,
        thread: first?.tid ?? -1,
        objects: this.blockers(s),
      };
      if (first !== null) v.span = first.span;
      return v;
    }
    rt.thread = -1;
    for (const f of this.finals) {
      try {
        if (f.cond(s) === 0)
          return {
            kind: 'final',
            message: `final condition ${f.name} does not hold at termination`,
            thread: -1,
            span: f.span,
            objects: [],
            condition: f.name,
          };
      } catch (e) {
        if (e !== VIOLATION_SIGNAL) throw e;
        return rt.violation;
      }
    }
    return this.options.leak === true ? findLeak(this.spec, this.layout, s) : null;
  }

  nextStepInfo(s: Int32Array, t: number): StepInfo {
    if (t >= this.userThreads) {
      const cb = this.callbacks[t - this.userThreads]!;
      return { step: 0, text: `deferred free: ${cb.name}` };
    }
    const th = this.threads[t]!;
    const pc = s[th.layout.pc]!;
    if (pc === END) return { step: END, text: '(finished)' };
    const op = th.ops[pc]!;
    return { step: pc, span: op.span, text: op.text };
  }

  /** Locks held in a deadlocked state, for the message. */
  private blockers(s: Int32Array): { object: string; event: string }[] {
    const out: { object: string; event: string }[] = [];
    for (const l of this.layout.locks) {
      const owner = s[l.addr]!;
      if (owner !== 0) out.push({ object: this.rt.nameOf(l.addr), event: `held by ${this.threadName(owner - 1)}` });
      if (l.prim !== 'rwsem') continue;
      const who = (mask: number): string =>
        this.layout.threads
          .filter((_t, i) => ((mask >>> i) & 1) === 1)
          .map((t) => t.name)
          .join(', ');
      if (s[l.addr + 1] !== 0) out.push({ object: l.name, event: `held for read by ${who(s[l.addr + 1]!)}` });
      if (s[l.addr + 2] !== 0)
        out.push({ object: l.name, event: `writer queued: ${who(s[l.addr + 2]!)} (new readers wait behind it)` });
    }
    return out;
  }

  private runLocal(s: Int32Array, th: Thread, pc: number): number {
    let fuel = LOCAL_FUEL;
    const ops = th.ops;
    while (pc !== END && pc < ops.length) {
      const op = ops[pc]!;
      if (op.visible) return pc;
      pc = op.exec(s, 0);
      if (--fuel === 0)
        this.rt.fail(
          'deadlock',
          `${th.layout.name} loops forever on thread-local state (${this.rt.where(op.span)} \`${op.text}\`)`,
          op.span,
        );
    }
    return this.finishThread(s, th);
  }

  private finishThread(s: Int32Array, th: Thread): number {
    this.exitChecks(s, th.layout);
    s.fill(0, th.layout.base + 1, th.layout.frameEnd);
    return END;
  }

  private exitChecks(s: Int32Array, t: ThreadLayout): void {
    const rt = this.rt;
    const span = t.body.span;
    if (s[t.spinHeld]! > 0 || s[t.sleepHeld]! > 0) {
      const tid = this.layout.threads.indexOf(t);
      const held = this.layout.locks
        .filter((l) => s[l.addr] === tid + 1 || (l.prim === 'rwsem' && ((s[l.addr + 1]! >>> tid) & 1) === 1))
        .map((l) => rt.nameOf(l.addr));
      rt.fail(
        'lock_misuse',
        `${t.name} exits holding ${held.join(', ') || 'a lock'}`,
        span,
        held.map((h) => ({ object: h, event: `still held by ${t.name}` })),
      );
    }
    const inside = this.layout.domains.filter((_d, i) => (i === 0 ? s[t.rcuDepth]! : s[t.section + i]! & 0xff) > 0);
    if (inside.length > 0)
      rt.fail(
        'lock_misuse',
        `${t.name} exits inside a read-side section of ${inside.map((d) => d.name).join(', ')}`,
        span,
      );
  }

  private touchesInvariant(fp: Footprint): boolean {
    const inv = this.invRead;
    for (let i = 0; i < fp.n; i++) if (fp.writes[i] === 1 && inv[fp.locs[i]!] === 1) return true;
    return false;
  }

  private checkInvariants(s: Int32Array): void {
    const rt = this.rt;
    for (const inv of this.invariants) {
      if (inv.cond(s) === 0) rt.fail('invariant', `invariant ${inv.name} does not hold`, inv.span, [], inv.name);
    }
  }
}

/** Structs whose objects some call_rcu/call_srcu may defer-free: their slots get callback words. */
function findCallbackStructs(spec: CheckedSpec): Set<string> {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const e = n as Expr;
    if (e.kind === 'call' && (e.callee === 'call_rcu' || e.callee === 'call_srcu')) {
      const arg = e.args[e.callee === 'call_rcu' ? 0 : 1];
      const ty = arg === undefined ? undefined : spec.types.get(arg);
      if (ty?.k === 'ref') out.add(ty.struct);
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && typeof v === 'object') visit(v);
  };
  for (const b of [...spec.threads.values(), ...spec.fns.values(), spec.init]) visit(b.body);
  return out;
}

/** The words invariants may read: globals they name, and the fields they dereference in every slot. */
function invariantReads(spec: CheckedSpec, layout: Layout): Uint8Array {
  const marks = new Uint8Array(layout.locations);
  const markRange = (from: number, n: number): void => {
    marks.fill(1, from, from + n);
  };
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const e = n as Expr;
    if (e.kind === 'name') {
      const sym = spec.names.get(e);
      if (sym?.k === 'global') markRange(layout.globals.get(sym.global.name)!, typeWords(sym.global.ty));
    } else if (e.kind === 'field') {
      // The field in every slot, and the slot's allocation word (a dereference reads it):
      // not the other fields — a PTL taken and released must not look like a PTE write.
      const ty = spec.types.get(e.object);
      const pool = ty?.k === 'ref' ? layout.pools.get(ty.struct) : undefined;
      const field = ty?.k === 'ref' ? spec.structs.get(ty.struct)?.fieldByName.get(e.field) : undefined;
      if (pool !== undefined && field !== undefined) {
        for (let i = 0; i < pool.size; i++) {
          const slot = pool.base + i * pool.slotWords;
          markRange(slot, 1);
          markRange(slot + 1 + field.offset, typeWords(field.ty));
        }
      }
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && typeof v === 'object') visit(v);
  };
  const fnBodies = [...spec.fns.values()].filter((f) => f.macro !== undefined).map((f) => f.macro);
  visit([...spec.invariants.map((i) => i.cond), ...fnBodies]);
  return marks;
}

/** Opt-in leak check: a live object unreachable from the globals at termination. */
function findLeak(spec: CheckedSpec, layout: Layout, s: Int32Array): Violation | null {
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
        objects: [{ object: `${p.struct}#${i}`, event: 'leaked' }],
      };
    }
  }
  return null;
}

/** The text of a statement for traces and `show`: its first source line, trimmed. */
export function stmtText(spec: CheckedSpec, span: Span): string {
  const f = spec.sources.files[span.file];
  if (f === undefined) return '';
  const raw = f.text.slice(span.start, span.end);
  const firstLine = raw.split('\n')[0]!.replace(/\s+/g, ' ').trim();
  return firstLine.length > 0 ? firstLine : sourceLine(spec.sources, span).trim();
}
