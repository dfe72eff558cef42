// spinlock_t: spin_lock/spin_trylock/spin_unlock. Never sleeps; the holder is in atomic context, so a
// sleeping call under it is sleep_in_atomic (the thread's spinHeld count).
// Footprint: owner-lock.ts.
import { BOOL, VOID } from '../lang/types.js';
import { type PrimitiveFamily, syncArg } from './family.js';
import { compileOwnerLock, compileOwnerTrylock, compileOwnerUnlock, ownerLockType } from './owner-lock.js';

export const spinlock = {
  name: 'spinlock',
  // Spinlocks held: a thread holding one is in atomic context.
  threadWords: [{ name: 'spinHeld', count: 'one' }],
  types: { spinlock: ownerLockType('spin_lock() and spin_unlock()') },
  builtins: {
    spin_lock: {
      args: [syncArg('spinlock')],
      returns: VOID,
      blocks: true,
      sleeps: false,
      compile: (req) => compileOwnerLock(req, 'spinHeld'),
    },
    // In atomic context too, as the kernel allows; true when taken.
    spin_trylock: {
      args: [syncArg('spinlock')],
      returns: BOOL,
      blocks: false,
      sleeps: false,
      compile: (req) => compileOwnerTrylock(req, 'spinHeld'),
    },
    spin_unlock: {
      args: [syncArg('spinlock')],
      returns: VOID,
      blocks: false,
      sleeps: false,
      compile: (req) => compileOwnerUnlock(req, 'spinHeld'),
    },
  },
} satisfies PrimitiveFamily;
