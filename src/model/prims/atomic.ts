// atomic_t and seqcount_t: one word each, one atomic step per operation.
// Footprint: reads record a read; every read-modify-write records a write, except a failed
// atomic_cmpxchg, which only read (DESIGN.md: a failed cmpxchg is a read). Inside a guard
// (await) the same code runs without effects: the swap happens only when the step is taken.
// seqcount: read_seqcount_begin waits while the count is odd (the kernel spins there).
import { threadOf, type BuiltinCode, type BuiltinRequest } from './context.js';

export function compileAtomic(req: BuiltinRequest): BuiltinCode {
  const { rt, effects } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const v1 = req.args[1] === undefined ? null : req.value(req.args[1]);
  const v2 = req.args[2] === undefined ? null : req.value(req.args[2]);
  const rmw =
    (delta: number, ret: 'old' | 'new' | 'none') =>
    (s: Int32Array): number => {
      const a = addr(s);
      const old = s[a]!;
      const now = (old + delta) | 0;
      if (effects) {
        rt.fp.write(a);
        s[a] = now;
      } else rt.fp.read(a);
      return ret === 'new' ? now : ret === 'old' ? old : 0;
    };
  switch (req.name) {
    case 'atomic_read':
      return {
        exec: (s) => {
          const a = addr(s);
          rt.fp.read(a);
          return s[a]!;
        },
      };
    case 'atomic_set':
      return {
        exec: (s) => {
          const a = addr(s);
          const v = v1!(s);
          if (effects) {
            rt.fp.write(a);
            s[a] = v;
          }
          return 0;
        },
      };
    case 'atomic_inc':
      return { exec: rmw(1, 'none') };
    case 'atomic_dec':
      return { exec: rmw(-1, 'none') };
    case 'atomic_inc_return':
      return { exec: rmw(1, 'new') };
    case 'atomic_dec_return':
      return { exec: rmw(-1, 'new') };
    default: // atomic_cmpxchg(a, old, new) -> the value it found
      return {
        exec: (s) => {
          const a = addr(s);
          const expected = v1!(s);
          const desired = v2!(s);
          const found = s[a]!;
          if (found === expected && effects) {
            rt.fp.write(a);
            s[a] = desired;
          } else rt.fp.read(a);
          return found;
        },
      };
  }
}

export function compileSeqcount(req: BuiltinRequest): BuiltinCode {
  const { rt, effects } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const span = req.call.span;
  switch (req.name) {
    case 'read_seqcount_begin':
      return {
        guard: (s) => {
          const a = addr(s);
          rt.fp.read(a);
          return (s[a]! & 1) === 0 ? 1 : 0;
        },
        exec: (s) => {
          const a = addr(s);
          rt.fp.read(a);
          return s[a]!;
        },
      };
    case 'read_seqcount_retry': {
      const start = req.value(req.args[1]!);
      return {
        exec: (s) => {
          const a = addr(s);
          rt.fp.read(a);
          return s[a] !== start(s) ? 1 : 0;
        },
      };
    }
    default: {
      const t = threadOf(req);
      const begin = req.name === 'write_seqcount_begin';
      return {
        exec: (s) => {
          const a = addr(s);
          if (effects) rt.fp.read(a);
          const odd = (s[a]! & 1) === 1;
          if (begin === odd) {
            const what = begin
              ? 'while another write section is open (writers must be serialised by a lock)'
              : 'without write_seqcount_begin';
            rt.fail('lock_misuse', `${t.name} calls ${req.name}(${rt.nameOf(a)}) ${what}`, span);
          }
          if (effects) {
            rt.fp.write(a);
            s[a] = s[a]! + 1;
          }
          return 0;
        },
      };
    }
  }
}
