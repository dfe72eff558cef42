// The built-in dispatch table: a built-in's name → the family module that compiles it.
// Adding a primitive is one file plus one line here (and its signature in builtins.ts).
import type { Val } from '../compile-env.js';
import { compileAtomic, compileSeqcount } from './atomic.js';
import { sleepCheck, type BuiltinCode, type BuiltinRequest, type TwoStepCode } from './context.js';
import { compileAlloc, compileFree } from './heap.js';
import { compileLock } from './lock.js';
import { compileRcu, compileSynchronize } from './rcu.js';
import { compileDownWrite, compileRwsem } from './rwsem.js';

export type { BuiltinCode, BuiltinRequest, TwoStepCode } from './context.js';

/**
 * The built-ins that are two steps as statements (inside atomic { } they are one step, from
 * compileBuiltinCode); undefined for every other one.
 */
export function compileTwoStep(req: BuiltinRequest): TwoStepCode | undefined {
  if (req.name === 'synchronize_rcu' || req.name === 'synchronize_srcu') return compileSynchronize(req);
  if (req.name === 'down_write') return compileDownWrite(req);
  return undefined;
}

export function compileBuiltinCode(req: BuiltinRequest): BuiltinCode {
  const n = req.name;
  if (n === 'alloc') return compileAlloc(req);
  if (n === 'free') return compileFree(req);
  if (n.startsWith('spin_') || n.startsWith('mutex_')) return compileLock(req);
  if (n.startsWith('down_') || n.startsWith('up_')) return compileRwsem(req);
  if (n.startsWith('atomic_')) return compileAtomic(req);
  if (n.includes('seqcount')) return compileSeqcount(req);
  if (n.includes('rcu')) return compileRcu(req);
  if (n === 'might_sleep') {
    const check = sleepCheck(req, 'might_sleep()');
    return {
      exec: (s) => {
        check(s);
        return 0;
      },
    };
  }
  throw new Error(`[mmcheck internal bug] no implementation for built-in '${n}'`);
}

export function compileBuiltin(req: BuiltinRequest): Val {
  return compileBuiltinCode(req).exec;
}
