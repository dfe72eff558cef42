// IRQs-off sections and the IPI that waits for them (include/linux/irqflags.h,
// kernel/smp.c). local_irq_disable()/local_irq_enable() set and clear the thread's irqOff
// word (the kernel's flag does not nest); local_irq_save(f) stores the old flag in the local
// f and disables, local_irq_restore(f) puts it back. With interrupts off a thread is in
// atomic context (sleeping there is sleep_in_atomic, prims/context.ts) and in an RCU read
// side: synchronize_rcu and call_rcu wait for it, as in every kernel since the RCU flavours
// were merged (4.20), and a reference to an rcu_protected object it loads is held until
// interrupts are on again (compile-env.ts protectedLoad).
//
// kick_all_cpus_sync() sends an IPI to every CPU and waits, spinning, until each one has
// handled it: until each thread that had interrupts off when it began has turned them on
// (tlb_remove_table_sync_one(), the THP-collapse fix for GUP-fast). Two steps, as
// synchronize_*: `begin` snapshots the threads with interrupts off into the caller's ipiWait
// mask, `wait` proceeds once it is empty (enabling interrupts clears the thread's bit from
// every mask). It spins, it does not sleep; called with interrupts off while another thread
// waits the same way, each waits for the other: a deadlock.
// Footprint: disabling and enabling write the thread's irqOff word (kick reads every
// thread's) and its bit of the RCU readers mask (a virtual location); enabling writes the
// ipiWait masks it clears; `begin` reads every irqOff word, `wait` its own mask.
import { VOID } from '../lang/types.js';
import { type Layout, readerLoc, type ThreadLayout } from '../layout.js';
import type { Runtime } from '../runtime.js';
import { type BuiltinCode, type BuiltinRequest, type TwoStepCode, threadOf } from './context.js';
import type { BuiltinDef, PrimitiveFamily } from './family.js';
import { leaveSection } from './rcu.js';

/** Turn the thread's interrupts off (on = 0) or on (on = 1), with the RCU reader bookkeeping. */
function setIrqs(rt: Runtime, layout: Layout, s: Int32Array, tid: number, t: ThreadLayout, off: number): void {
  rt.fp.write(t.irqOff);
  const was = s[t.irqOff]!;
  s[t.irqOff] = off;
  if (was === off) return;
  if (off === 0) ackIpis(rt, layout, s, tid); // even inside rcu_read_lock: the IPI is taken
  if (s[t.rcuDepth]! > 0) return; // inside rcu_read_lock the reader bit stays set
  if (off === 1) {
    rt.fp.write(readerLoc(layout, 0, tid));
    s[layout.domains[0]!.addr] = s[layout.domains[0]!.addr]! | (1 << tid);
    return;
  }
  leaveSection(rt, layout, s, 0, tid, t);
}

/** Interrupts back on: the thread takes every pending IPI (clears its bit from each kick's mask). */
function ackIpis(rt: Runtime, layout: Layout, s: Int32Array, tid: number): void {
  const bit = 1 << tid;
  for (const u of layout.threads) {
    rt.fp.read(u.ipiWait);
    if ((s[u.ipiWait]! & bit) !== 0) {
      rt.fp.write(u.ipiWait);
      s[u.ipiWait] = s[u.ipiWait]! & ~bit;
    }
  }
}

function compileIrq(req: BuiltinRequest): BuiltinCode {
  const { rt, layout, tid, effects } = req.env;
  const t = threadOf(req);
  switch (req.name) {
    case 'local_irq_disable':
    case 'local_irq_enable': {
      const off = req.name === 'local_irq_disable' ? 1 : 0;
      return {
        exec: (s) => {
          if (effects) setIrqs(rt, layout, s, tid, t, off);
          return 0;
        },
      };
    }
    case 'local_irq_save': {
      const flags = req.place(req.args[0]!).addr;
      return {
        exec: (s) => {
          if (!effects) return 0;
          s[flags(s)] = s[t.irqOff]!;
          setIrqs(rt, layout, s, tid, t, 1);
          return 0;
        },
      };
    }
    default: {
      // local_irq_restore(f)
      const flags = req.value(req.args[0]!);
      return {
        exec: (s) => {
          if (effects) setIrqs(rt, layout, s, tid, t, flags(s) === 0 ? 0 : 1);
          return 0;
        },
      };
    }
  }
}

/** kick_all_cpus_sync: `begin` snapshots who has interrupts off, `wait` until none of them does. */
function compileKick(req: BuiltinRequest): TwoStepCode {
  const t = threadOf(req);
  const { rt, layout, tid } = req.env;
  return {
    waiting: 'waiting for every CPU to take the IPI',
    attempt: {
      exec: (s) => {
        let mask = 0;
        layout.threads.forEach((u, i) => {
          if (i === tid) return;
          rt.fp.read(u.irqOff);
          if (s[u.irqOff] !== 0) mask |= 1 << i;
        });
        rt.fp.write(t.ipiWait);
        s[t.ipiWait] = mask;
        return mask === 0 ? 0 : 1;
      },
    },
    wait: {
      guard: (s) => {
        rt.fp.read(t.ipiWait);
        return s[t.ipiWait] === 0 ? 1 : 0;
      },
      exec: () => 0,
    },
  };
}

const irqOp = (args: BuiltinDef['args']): BuiltinDef => ({
  args,
  returns: VOID,
  blocks: false,
  sleeps: false,
  compile: compileIrq,
});

export const irq = {
  name: 'irq',
  threadWords: [
    { name: 'irqOff', count: 'one', label: '<irqs-off>' },
    { name: 'ipiWait', count: 'one', label: '<ipi-wait>' },
  ],
  types: {},
  builtins: {
    local_irq_disable: irqOp([]),
    local_irq_enable: irqOp([]),
    local_irq_save: irqOp([{ k: 'local' }]),
    local_irq_restore: irqOp([{ k: 'int' }]),
    kick_all_cpus_sync: {
      args: [],
      returns: VOID,
      blocks: true,
      sleeps: false,
      noAtomicForm: true,
      compile: (req) => {
        throw new Error(`[mmcheck internal bug] ${req.name} has no one-step form (inside atomic { })`);
      },
      twoStep: compileKick,
    },
  },
} satisfies PrimitiveFamily;
