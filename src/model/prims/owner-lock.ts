// The code spinlock and mutex share: an exclusive lock with an owner. One word: 0 = free,
// else the owner's thread id + 1.
// Footprint: every operation reads and writes the lock word, so any two operations on the
// same lock are dependent (as loom treats its mutex); a blocked acquire's guard reads it.
import { type BuiltinCode, type BuiltinRequest, lockOrderCheck, threadOf } from './context.js';
import { formatOwner, ownerBlocker, type SyncTypeDef } from './family.js';

/** The sync type of an owner lock; `usage` names its built-ins. */
export function ownerLockType(usage: string): SyncTypeDef {
  return {
    words: 1,
    wordNames: null,
    usage,
    formatWord: (_word, value, who) => formatOwner(value, who),
    view: (s, addr, who) => ({ owner: who.owner(s[addr]!) }),
    lock: {},
    blockers: ownerBlocker,
  };
}

/** What a lock call works on: the lock word, the thread's held count, and its owner value. */
function lockCall(req: BuiltinRequest, held: 'spinHeld' | 'sleepHeld') {
  return {
    rt: req.env.rt,
    addr: req.place(req.args[0]!).addr,
    count: threadOf(req)[held],
    me: req.env.tid + 1,
  };
}

/** spin_lock / mutex_lock; `held` picks the thread's count of held spinlocks or sleeping locks. */
export function compileOwnerLock(req: BuiltinRequest, held: 'spinHeld' | 'sleepHeld'): BuiltinCode {
  const { rt, addr, count, me } = lockCall(req, held);
  const orderCheck = lockOrderCheck(req);
  return {
    guard: (s) => {
      const a = addr(s);
      rt.fp.read(a);
      return s[a] === 0 ? 1 : 0;
    },
    exec: (s) => {
      const a = addr(s);
      orderCheck(s, a);
      rt.fp.write(a);
      s[a] = me;
      s[count] = s[count]! + 1;
      return 0;
    },
  };
}

/**
 * spin_trylock / mutex_trylock: never blocks (nor sleeps); 1 when it took the lock, 0 when
 * any thread (the caller included, as in the kernel) holds it. It adds no lockdep edge (a
 * trylock cannot wait). Footprint: a read and a write of the lock word, taken or not.
 */
export function compileOwnerTrylock(req: BuiltinRequest, held: 'spinHeld' | 'sleepHeld'): BuiltinCode {
  const { rt, addr, count, me } = lockCall(req, held);
  return {
    exec: (s) => {
      const a = addr(s);
      rt.fp.read(a);
      rt.fp.write(a);
      if (s[a] !== 0) return 0;
      s[a] = me;
      s[count] = s[count]! + 1;
      return 1;
    },
  };
}

/** spin_unlock / mutex_unlock: lock_misuse unless the caller holds it. */
export function compileOwnerUnlock(req: BuiltinRequest, held: 'spinHeld' | 'sleepHeld'): BuiltinCode {
  const t = threadOf(req);
  const { rt, tid } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const span = req.call.span;
  const count = t[held];
  const me = tid + 1;
  return {
    exec: (s) => {
      const a = addr(s);
      rt.fp.write(a);
      const owner = s[a]!;
      if (owner !== me) {
        const who = owner === 0 ? 'which is not locked' : `which is held by ${rt.threadName(owner - 1)}`;
        rt.fail('lock_misuse', `${t.name} unlocks ${rt.nameOf(a)}, ${who}`, span, [
          rt.note(a, owner === 0 ? 'unlocked' : `held by ${rt.threadName(owner - 1)}`),
        ]);
      }
      s[a] = 0;
      s[count] = s[count]! - 1;
      return 0;
    },
  };
}
