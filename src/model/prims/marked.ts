// Marked accesses and barriers (include/asm-generic/rwonce.h, include/linux/rcupdate.h,
// asm/barrier.h). READ_ONCE(x) and rcu_dereference(p) load a shared variable, field or
// element; WRITE_ONCE(x, v) and rcu_assign_pointer(p, v) store to one. Under the model's
// sequentially consistent semantics they do what a plain access does, in one step; what they
// change is the data_race check (data-race.ts), for which they are marked accesses. Only the
// outer access is marked: the address of READ_ONCE(p.f) is computed with plain reads, as in
// C. smp_rmb(), smp_wmb() and smp_mb() order nothing that is not already ordered: no-ops,
// thread-local (never a step of their own).
// Footprint: as the plain access (a read of the location, or a write).
import { VOID } from '../lang/types.js';
import type { BuiltinCode, BuiltinRequest } from './context.js';
import { type BuiltinDef, PLACE_ARG, type PrimitiveFamily, REF_PLACE_ARG } from './family.js';

function compileLoad(req: BuiltinRequest): BuiltinCode {
  return { exec: req.load(req.args[0]!) };
}

function compileStore(req: BuiltinRequest): BuiltinCode {
  const store = req.store(req.args[0]!);
  const value = req.value(req.args[1]!);
  const effects = req.env.effects;
  return {
    exec: (s) => {
      const v = value(s);
      if (effects) store(s, v);
      return 0;
    },
  };
}

const load = (ref: boolean): BuiltinDef => ({
  args: [ref ? REF_PLACE_ARG : PLACE_ARG],
  returns: VOID,
  returnsArg: 0,
  blocks: false,
  sleeps: false,
  compile: compileLoad,
});
const store = (ref: boolean): BuiltinDef => ({
  args: [ref ? REF_PLACE_ARG : PLACE_ARG, { k: 'like', arg: 0 }],
  returns: VOID,
  blocks: false,
  sleeps: false,
  compile: compileStore,
});
const barrier: BuiltinDef = {
  args: [],
  returns: VOID,
  blocks: false,
  sleeps: false,
  threadLocal: true,
  compile: () => ({ exec: () => 0 }),
};

export const marked = {
  name: 'marked',
  types: {},
  builtins: {
    READ_ONCE: load(false),
    WRITE_ONCE: store(false),
    rcu_dereference: load(true),
    rcu_assign_pointer: store(true),
    smp_rmb: barrier,
    smp_wmb: barrier,
    smp_mb: barrier,
  },
} satisfies PrimitiveFamily;
