// atomic_t: one word, one atomic step per operation.
// Footprint: reads record a read; every read-modify-write records a write, except a failed
// atomic_cmpxchg, which only read (a failed cmpxchg is a read). Inside a guard
// (await) the same code runs without effects: the swap happens only when the step is taken.
import { big } from '../itf.js';
import { INT, VOID } from '../lang/types.js';
import type { BuiltinCode, BuiltinRequest } from './context.js';
import { type BuiltinDef, INT_ARG, type PrimitiveFamily, syncArg } from './family.js';

function compileAtomic(req: BuiltinRequest): BuiltinCode {
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

const a = syncArg('atomic');
const op = (args: BuiltinDef['args'], returns: BuiltinDef['returns']): BuiltinDef => ({
  args,
  returns,
  blocks: false,
  sleeps: false,
  compile: compileAtomic,
});

export const atomic = {
  name: 'atomic',
  types: {
    atomic: { words: 1, wordNames: null, usage: 'the atomic_*() built-ins', view: (s, addr) => big(s[addr]!) },
  },
  builtins: {
    atomic_read: op([a], INT),
    atomic_set: op([a, INT_ARG], VOID),
    atomic_inc: op([a], VOID),
    atomic_dec: op([a], VOID),
    atomic_inc_return: op([a], INT),
    atomic_dec_return: op([a], INT),
    atomic_cmpxchg: op([a, INT_ARG, INT_ARG], INT),
  },
} satisfies PrimitiveFamily;
