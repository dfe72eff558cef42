// Exclusive locks with an owner: spinlock (spin_lock/spin_unlock; never sleeps, makes the
// holder atomic) and mutex (mutex_lock/mutex_unlock; may sleep). One word: 0 = free, else
// the owner's thread id + 1.
// Footprint: every operation reads and writes the lock word, so any two operations on the
// same lock are dependent (as loom treats its mutex); a blocked acquire's guard reads it.
import { lockOrderCheck, sleepCheck, threadOf, type BuiltinCode, type BuiltinRequest } from './context.js';

export function compileLock(req: BuiltinRequest): BuiltinCode {
  const t = threadOf(req);
  const { rt, tid } = req.env;
  const place = req.place(req.args[0]!);
  const addr = place.addr;
  const span = req.call.span;
  const spin = req.name.startsWith('spin_');
  const held = spin ? t.spinHeld : t.sleepHeld;
  const me = tid + 1;
  if (req.name === 'spin_lock' || req.name === 'mutex_lock') {
    const sleeps = spin ? null : sleepCheck(req, req.name);
    return {
      guard: (s) => {
        // might_sleep() fires at the call, contended or not: let the step run and report it.
        if (!spin && (s[t.spinHeld]! > 0 || s[t.rcuDepth]! > 0)) return 1;
        const a = addr(s);
        rt.fp.read(a);
        return s[a] === 0 ? 1 : 0;
      },
      exec: (s) => {
        const a = addr(s);
        if (sleeps !== null) sleeps(s);
        lockOrderCheck(req, s, a);
        rt.fp.write(a);
        s[a] = me;
        s[held] = s[held]! + 1;
        return 0;
      },
    };
  }
  return {
    exec: (s) => {
      const a = addr(s);
      rt.fp.write(a);
      const owner = s[a]!;
      if (owner !== me) {
        const who = owner === 0 ? 'which is not locked' : `which is held by ${rt.threadName(owner - 1)}`;
        rt.fail('lock_misuse', `${t.name} unlocks ${rt.nameOf(a)}, ${who}`, span, [
          { object: rt.nameOf(a), event: owner === 0 ? 'unlocked' : `held by ${rt.threadName(owner - 1)}` },
        ]);
      }
      s[a] = 0;
      s[held] = s[held]! - 1;
      return 0;
    },
  };
}
