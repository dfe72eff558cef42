// struct mutex: mutex_lock/mutex_unlock. mutex_lock may sleep (might_sleep() fires at the
// call, contended or not). Footprint: owner-lock.ts.
import { VOID } from '../lang/types.js';
import { type PrimitiveFamily, syncArg } from './family.js';
import { compileOwnerLock, compileOwnerUnlock, ownerLockType } from './owner-lock.js';

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
    mutex_unlock: {
      args: [syncArg('mutex')],
      returns: VOID,
      blocks: false,
      sleeps: false,
      compile: (req) => compileOwnerUnlock(req, 'sleepHeld'),
    },
  },
} satisfies PrimitiveFamily;
