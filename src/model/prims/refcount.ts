// refcount_t (include/linux/refcount.h, lib/refcount.c): one word, a reference count that
// refuses the two mistakes the kernel warns about. An increment that finds 0 is
// "refcount_t: addition on 0; use-after-free" (the object's last reference is gone: it is
// being freed), and a decrement below 0 is "refcount_t: underflow; use-after-free"; both
// are reported as use_after_free, where the kernel saturates the count and warns.
// refcount_inc_not_zero() is the safe lookup: it takes a reference only from a count that
// is not 0; refcount_dec_and_test() says whether it dropped the last one. A refcount_dec()
// that drops the last one is "refcount_t: decrement hit 0; leaking memory" (nobody will
// free the object): a `leak`, reported when the opt-in leak check is on, and a warning (the
// kernel goes on). A refcount is
// initialised like an atomic (`alloc obj { ref: 1 }`, `shared r: refcount = 1;`), and
// invariants may read it directly.
// Footprint: reads record a read; every update a write; an inc_not_zero that finds 0 only
// reads.
import { big } from '../itf.js';
import { BOOL, INT, VOID } from '../lang/types.js';
import type { BuiltinCode, BuiltinRequest } from './context.js';
import { type BuiltinDef, INT_ARG, type PrimitiveFamily, syncArg } from './family.js';

function compileRefcount(req: BuiltinRequest): BuiltinCode {
  const { rt, effects } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const span = req.call.span;
  const who = req.env.thread?.name ?? 'init';
  const misuse = (a: number, what: string): never =>
    rt.fail('use_after_free', `${who} calls ${req.name}(${rt.nameOf(a)}): refcount_t: ${what}; use-after-free`, span, [
      rt.note(a, what),
    ]);
  /** Add delta (±1); returns the new count. */
  const add = (s: Int32Array, a: number, delta: number): number => {
    const old = s[a]!;
    if (delta > 0 && old === 0) misuse(a, 'addition on 0');
    if (delta < 0 && old <= 0) misuse(a, 'underflow');
    if (effects) {
      rt.fp.write(a);
      s[a] = old + delta;
    } else rt.fp.read(a);
    return old + delta;
  };
  switch (req.name) {
    case 'refcount_read':
      return {
        exec: (s) => {
          const a = addr(s);
          rt.fp.read(a);
          return s[a]!;
        },
      };
    case 'refcount_set': {
      const v = req.value(req.args[1]!);
      return {
        exec: (s) => {
          const a = addr(s);
          const n = v(s);
          if (effects) {
            rt.fp.write(a);
            s[a] = n;
          }
          return 0;
        },
      };
    }
    case 'refcount_inc_not_zero':
      return {
        exec: (s) => {
          const a = addr(s);
          if (s[a] === 0) {
            rt.fp.read(a);
            return 0;
          }
          add(s, a, 1);
          return 1;
        },
      };
    case 'refcount_inc':
      return {
        exec: (s) => {
          add(s, addr(s), 1);
          return 0;
        },
      };
    case 'refcount_dec': {
      const leak = req.env.leak === true;
      return {
        exec: (s) => {
          const a = addr(s);
          if (add(s, a, -1) === 0 && leak)
            rt.warn(
              'leak',
              `${who} calls refcount_dec(${rt.nameOf(a)}): refcount_t: decrement hit 0; leaking memory`,
              span,
              [rt.note(a, 'decrement hit 0')],
            );
          return 0;
        },
      };
    }
    default: // refcount_dec_and_test
      return { exec: (s) => (add(s, addr(s), -1) === 0 ? 1 : 0) };
  }
}

const r = syncArg('refcount');
const op = (args: BuiltinDef['args'], returns: BuiltinDef['returns']): BuiltinDef => ({
  args,
  returns,
  blocks: false,
  sleeps: false,
  compile: compileRefcount,
});

export const refcount = {
  name: 'refcount',
  types: {
    refcount: { words: 1, wordNames: null, usage: 'the refcount_*() built-ins', view: (s, addr) => big(s[addr]!) },
  },
  builtins: {
    refcount_set: op([r, INT_ARG], VOID),
    refcount_read: op([r], INT),
    refcount_inc: op([r], VOID),
    refcount_dec: op([r], VOID),
    refcount_inc_not_zero: op([r], BOOL),
    refcount_dec_and_test: op([r], BOOL),
  },
} satisfies PrimitiveFamily;
