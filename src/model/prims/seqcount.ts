// seqcount_t: one word, even when no write section is open. read_seqcount_begin waits
// while the count is odd (the kernel spins there); raw_read_seqcount does not wait and may
// return an odd count; read_seqcount_retry says whether a
// writer ran since; writers must be serialised by a lock (lock_misuse otherwise).
// Footprint: readers record a read of the word, writers a read and a write.
// With the data_race check on, a thread's seqRead word says it is inside a read section
// (from read_seqcount_begin to read_seqcount_retry): its plain reads there are exempt, as
// KCSAN exempts them (the retry discards what a racing writer changed). Thread-private.
import { big } from '../itf.js';
import { BOOL, INT, VOID } from '../lang/types.js';
import { type BuiltinCode, type BuiltinRequest, threadOf } from './context.js';
import { INT_ARG, type PrimitiveFamily, syncArg } from './family.js';

function compileSeqcount(req: BuiltinRequest): BuiltinCode {
  const { rt, effects } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const span = req.call.span;
  const seq = req.env.races === true && effects && req.env.thread !== null ? req.env.thread.seqRead : -1;
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
          if (seq >= 0) s[seq] = 1;
          return s[a]!;
        },
      };
    // raw_read_seqcount: the count as it is, odd or not, without waiting (the speculative
    // page fault bails out on an odd count instead of spinning).
    case 'raw_read_seqcount':
      return {
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
          if (seq >= 0) s[seq] = 0;
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

const sc = syncArg('seqcount');

export const seqcount = {
  name: 'seqcount',
  threadWords: [{ name: 'seqRead', count: 'one' }],
  types: {
    seqcount: {
      words: 1,
      wordNames: null,
      usage: 'the *_seqcount_*() built-ins',
      view: (s, addr) => big(s[addr]!),
    },
  },
  builtins: {
    read_seqcount_begin: { args: [sc], returns: INT, blocks: true, sleeps: false, compile: compileSeqcount },
    raw_read_seqcount: { args: [sc], returns: INT, blocks: false, sleeps: false, compile: compileSeqcount },
    read_seqcount_retry: { args: [sc, INT_ARG], returns: BOOL, blocks: false, sleeps: false, compile: compileSeqcount },
    write_seqcount_begin: { args: [sc], returns: VOID, blocks: false, sleeps: false, compile: compileSeqcount },
    write_seqcount_end: { args: [sc], returns: VOID, blocks: false, sleeps: false, compile: compileSeqcount },
  },
} satisfies PrimitiveFamily;
