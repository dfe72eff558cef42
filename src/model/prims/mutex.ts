// struct mutex: mutex_lock/mutex_trylock/mutex_unlock. mutex_lock may sleep (might_sleep() fires at the
// call, contended or not). Footprint: owner-lock.ts.
import { BOOL, VOID } from '../lang/types.js';
import { type PrimitiveFamily, syncArg } from './family.js';
import { compileOwnerLock, compileOwnerTrylock, compileOwnerUnlock, ownerLockType } from './owner-lock.js';

export const mutex = {
  name: 'mutex',
  // Sleeping locks held (mutexes and rwsems): a thread may not exit holding one.
  threadWords: [{ name: 'sleepHeld', count: 'one' }],
  types: { mutex: ownerLockType('mutex_lock() and mutex_unlock()') },
  builtins: {
    mutex_lock: {
      args: [syncArg('mutex')],
      returns: VOID,
      blocks: true,
      sleeps: true,
      compile: (req) => compileOwnerLock(req, 'sleepHeld'),
    },
    // Never sleeps, so it is allowed under a spinlock or rcu_read_lock (no sleep_in_atomic);
    // the kernel forbids it in interrupt context, which this built-in does not model.
    mutex_trylock: {
      args: [syncArg('mutex')],
      returns: BOOL,
      blocks: false,
      sleeps: false,
      compile: (req) => compileOwnerTrylock(req, 'sleepHeld'),
    },
    mutex_unlock: {
      args: [syncArg('mutex')],
      returns: VOID,
      blocks: false,
      sleeps: false,
      compile: (req) => compileOwnerUnlock(req, 'sleepHeld'),
    },
  },
} satisfies PrimitiveFamily;
