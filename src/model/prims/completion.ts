// struct completion (kernel/sched/completion.c): one word, `done`. complete() adds one;
// complete_all() sets it to COMPLETE_ALL, after which every wait returns at once;
// wait_for_completion() blocks until done > 0 and consumes one (none after complete_all).
// init_completion() and reinit_completion() reset done to 0. A completion starts at 0, as
// DECLARE_COMPLETION does. wait_for_completion may sleep and may block (a deadlock when
// nobody is left to complete it); complete() may be called from atomic context.
// Footprint: conservative, as loom's primitives: every operation reads and writes the word
// (two complete()s do commute on the count, but a wait's outcome depends on their order
// with it); a blocked wait's guard reads it.
import { big } from '../itf.js';
import { VOID } from '../lang/types.js';
import type { BuiltinCode, BuiltinRequest } from './context.js';
import { type BuiltinDef, type PrimitiveFamily, syncArg } from './family.js';

/** done after complete_all(): the kernel's UINT_MAX, never decremented. */
const COMPLETE_ALL = 0x7fffffff;

function compileCompletion(req: BuiltinRequest): BuiltinCode {
  const { rt } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const update = (next: (done: number) => number): BuiltinCode['exec'] => {
    return (s) => {
      const a = addr(s);
      rt.fp.write(a);
      s[a] = next(s[a]!);
      return 0;
    };
  };
  switch (req.name) {
    case 'complete':
      return { exec: update((d) => (d === COMPLETE_ALL ? d : d + 1)) };
    case 'complete_all':
      return { exec: update(() => COMPLETE_ALL) };
    case 'wait_for_completion':
      return {
        guard: (s) => {
          const a = addr(s);
          rt.fp.read(a);
          return s[a]! > 0 ? 1 : 0;
        },
        exec: update((d) => (d === COMPLETE_ALL ? d : d - 1)),
      };
    default: // init_completion, reinit_completion
      return { exec: update(() => 0) };
  }
}

const c = syncArg('completion');
const op = (blocks: boolean): BuiltinDef => ({
  args: [c],
  returns: VOID,
  blocks,
  sleeps: blocks,
  compile: compileCompletion,
});

export const completion = {
  name: 'completion',
  types: {
    completion: {
      words: 1,
      wordNames: null,
      usage: 'init_completion(), complete(), complete_all() and wait_for_completion()',
      formatWord: (_word, value) => (value === COMPLETE_ALL ? 'completed for all' : `done = ${value}`),
      view: (s, addr) => ({ done: s[addr] === COMPLETE_ALL ? 'all' : big(s[addr]!) }),
      blockers: (s, addr, name) => (s[addr] === 0 ? [{ object: name, event: 'not completed (done = 0)' }] : []),
    },
  },
  builtins: {
    init_completion: op(false),
    reinit_completion: op(false),
    complete: op(false),
    complete_all: op(false),
    wait_for_completion: op(true),
  },
} satisfies PrimitiveFamily;
