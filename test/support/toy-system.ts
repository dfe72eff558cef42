// A tiny interpreter of straight-line (and, for spin tests, looping) thread programs as a
// TransitionSystem, for the DPOR and oracle tests. Every op is one step with an exact
// dynamic footprint. State: shared variables, lock words (0 free, t + 1 held by thread t),
// then per thread its pc and registers (the thread's private words).
//
// Ops: read x into r; write a constant or a register to x; fetch-and-add; compare-and-swap
// (a failed one only reads); an indirect read r := vars[vars[x] mod vars] (its footprint
// depends on the values); lock/unlock (lock blocks while held; unlocking a lock the thread
// does not hold is lock_misuse); await x == c (blocks); assert r != c (assertion);
// choose r in 0..k-1 (nondeterministic); and for loops jne x c to (read x, jump when
// x != c: a spin loop when `to` is its own pc) and jneReg r c to (thread-local).
// A violating step still writes a valid successor state, so a search may go on past it.

import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';
import {
  type Footprint,
  STEP_OK,
  STEP_VIOLATION,
  type StepInfo,
  type TransitionSystem,
  type Violation,
} from '../../src/model/system.js';

export type ToyOp =
  | { op: 'read'; x: number; r: number }
  | { op: 'write'; x: number; v: number }
  | { op: 'writeReg'; x: number; r: number; add?: number }
  | { op: 'faa'; x: number; r: number; k: number }
  | { op: 'cas'; x: number; expect: number; v: number; r: number }
  | { op: 'readInd'; x: number; r: number }
  | { op: 'lock'; l: number }
  | { op: 'unlock'; l: number }
  | { op: 'await'; x: number; c: number }
  | { op: 'assert'; r: number; c: number }
  | { op: 'choose'; r: number; k: number }
  | { op: 'jne'; x: number; c: number; to: number }
  | { op: 'jneReg'; r: number; c: number; to: number };

export interface ToyProgram {
  vars: number;
  locks: number;
  regs: number;
  threads: ToyOp[][];
  /** Initial values of the variables (default 0). */
  init?: number[];
}

export function opText(o: ToyOp): string {
  switch (o.op) {
    case 'read':
      return `r${o.r} = x${o.x}`;
    case 'write':
      return `x${o.x} = ${o.v}`;
    case 'writeReg':
      return `x${o.x} = r${o.r}${o.add ? ` + ${o.add}` : ''}`;
    case 'faa':
      return `r${o.r} = fetch_add(x${o.x}, ${o.k})`;
    case 'cas':
      return `r${o.r} = cas(x${o.x}, ${o.expect}, ${o.v})`;
    case 'readInd':
      return `r${o.r} = x[x${o.x}]`;
    case 'lock':
      return `lock(l${o.l})`;
    case 'unlock':
      return `unlock(l${o.l})`;
    case 'await':
      return `await x${o.x} == ${o.c}`;
    case 'assert':
      return `assert r${o.r} != ${o.c}`;
    case 'choose':
      return `choose r${o.r} in 0..${o.k - 1}`;
    case 'jne':
      return `if x${o.x} != ${o.c} goto ${o.to}`;
    case 'jneReg':
      return `if r${o.r} != ${o.c} goto ${o.to}`;
  }
}

export function programText(p: ToyProgram): string {
  const init = p.init?.some((v) => v !== 0) ? ` init [${p.init.join(', ')}]` : '';
  const lines = [`vars ${p.vars}, locks ${p.locks}, regs ${p.regs}${init}`];
  p.threads.forEach((ops, t) => {
    lines.push(`T${t}: ${ops.map(opText).join('; ')}`);
  });
  return lines.join('\n');
}

export function hasBlocking(p: ToyProgram): boolean {
  return p.threads.some((ops) => ops.some((o) => o.op === 'lock' || o.op === 'await'));
}

export function hasChoice(p: ToyProgram): boolean {
  return p.threads.some((ops) => ops.some((o) => o.op === 'choose'));
}

export class ToySystem implements TransitionSystem {
  readonly stateWords: number;
  readonly locationCount: number;
  readonly threadCount: number;
  readonly userThreads: number;
  private readonly base: number[] = [];
  private violation: Violation = { kind: 'assertion', message: 'none yet', thread: -1, objects: [] };

  constructor(readonly program: ToyProgram) {
    const shared = program.vars + program.locks;
    this.threadCount = this.userThreads = program.threads.length;
    for (let t = 0; t < this.threadCount; t++) this.base.push(shared + t * (1 + program.regs));
    this.stateWords = shared + this.threadCount * (1 + program.regs);
    this.locationCount = shared;
  }

  threadName(t: number): string {
    return `T${t}`;
  }

  threadWords(t: number): { start: number; end: number } {
    return { start: this.base[t]!, end: this.base[t]! + 1 + this.program.regs };
  }

  initial(): { state: Int32Array } {
    const s = new Int32Array(this.stateWords);
    (this.program.init ?? []).forEach((v, i) => {
      s[i] = v;
    });
    return { state: s };
  }

  private op(s: Int32Array, t: number): ToyOp | undefined {
    return this.program.threads[t]![s[this.base[t]!]!];
  }

  choices(s: Int32Array, t: number): number {
    const o = this.op(s, t);
    if (o === undefined) return 0;
    switch (o.op) {
      case 'lock':
        return s[this.program.vars + o.l] === 0 ? 1 : 0;
      case 'await':
        return s[o.x] === o.c ? 1 : 0;
      case 'choose':
        return o.k;
      default:
        return 1;
    }
  }

  guardFootprint(s: Int32Array, t: number, fp: Footprint): void {
    fp.clear();
    const o = this.op(s, t);
    if (o?.op === 'lock') fp.read(this.program.vars + o.l);
    else if (o?.op === 'await') fp.read(o.x);
  }

  step(s: Int32Array, t: number, choice: number, out: Int32Array, fp: Footprint): number {
    out.set(s);
    fp.clear();
    const b = this.base[t]!;
    const reg = (r: number): number => b + 1 + r;
    const o = this.op(s, t)!;
    let pc = s[b]! + 1;
    let bad: ViolationKind | null = null;
    switch (o.op) {
      case 'read':
        fp.read(o.x);
        out[reg(o.r)] = s[o.x]!;
        break;
      case 'write':
        fp.write(o.x);
        out[o.x] = o.v;
        break;
      case 'writeReg':
        fp.write(o.x);
        out[o.x] = s[reg(o.r)]! + (o.add ?? 0);
        break;
      case 'faa':
        fp.read(o.x);
        fp.write(o.x);
        out[reg(o.r)] = s[o.x]!;
        out[o.x] = s[o.x]! + o.k;
        break;
      case 'cas':
        fp.read(o.x);
        out[reg(o.r)] = s[o.x]!;
        if (s[o.x] === o.expect) {
          fp.write(o.x);
          out[o.x] = o.v;
        }
        break;
      case 'readInd': {
        fp.read(o.x);
        const y = ((s[o.x]! % this.program.vars) + this.program.vars) % this.program.vars;
        fp.read(y);
        out[reg(o.r)] = s[y]!;
        break;
      }
      case 'lock': {
        const l = this.program.vars + o.l;
        fp.read(l);
        fp.write(l);
        out[l] = t + 1;
        break;
      }
      case 'unlock': {
        const l = this.program.vars + o.l;
        fp.read(l);
        if (s[l] === t + 1) {
          fp.write(l);
          out[l] = 0;
        } else bad = 'lock_misuse';
        break;
      }
      case 'await':
        fp.read(o.x);
        break;
      case 'assert':
        if (s[reg(o.r)] === o.c) bad = 'assertion';
        break;
      case 'choose':
        out[reg(o.r)] = choice;
        break;
      case 'jne':
        fp.read(o.x);
        if (s[o.x] !== o.c) pc = o.to;
        break;
      case 'jneReg':
        if (s[reg(o.r)] !== o.c) pc = o.to;
        break;
    }
    out[b] = pc;
    if (bad === null) return STEP_OK;
    this.violation = { kind: bad, message: `${bad} in T${t}: ${opText(o)}`, thread: t, objects: [] };
    return STEP_VIOLATION;
  }

  lastViolation(): Violation {
    return this.violation;
  }

  isFinished(s: Int32Array, t: number): boolean {
    return s[this.base[t]!]! >= this.program.threads[t]!.length;
  }

  terminal(s: Int32Array): Violation | null {
    for (let t = 0; t < this.threadCount; t++) {
      if (!this.isFinished(s, t)) return { kind: 'deadlock', message: `deadlock: T${t} waits`, thread: t, objects: [] };
    }
    return null;
  }

  nextStepInfo(s: Int32Array, t: number): StepInfo {
    const o = this.op(s, t);
    return { step: s[this.base[t]!]!, text: o === undefined ? '(finished)' : opText(o) };
  }
}
