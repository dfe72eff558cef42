// Reader-writer semaphores (mmap_sem, the per-VMA lock): two words, the writer's thread
// id + 1 and a bitmask of the threads holding it for read. down_* block and may sleep; the
// trylocks never block and never sleep (legal inside rcu_read_lock, as lock_vma_under_rcu
// does). Readers do not wait for a queued writer (no writer preference: a known
// simplification, see docs/language.md).
// Footprint: conservative as loom's rwlock — every operation writes the writer word, so
// all operations on one rwsem are dependent, including two down_reads.
import { compilePlace } from '../compile-expr.js';
import { lockOrderCheck, sleepCheck, threadOf, type BuiltinCode, type BuiltinRequest } from './context.js';

export function compileRwsem(req: BuiltinRequest): BuiltinCode {
  const t = threadOf(req);
  const { rt, tid } = req.env;
  const addr = compilePlace(req.args[0]!, req.env).addr;
  const span = req.call.span;
  const me = tid + 1;
  const bit = 1 << tid;
  const held = t.sleepHeld;
  const touch = (s: Int32Array): number => {
    const a = addr(s);
    rt.fp.write(a);
    rt.fp.write(a + 1);
    return a;
  };
  const canRead = (s: Int32Array, a: number): boolean => s[a] === 0;
  const canWrite = (s: Int32Array, a: number): boolean => s[a] === 0 && s[a + 1] === 0;
  const guardOf = (can: (s: Int32Array, a: number) => boolean) => (s: Int32Array): number => {
    // down_* may sleep: under a spinlock or in rcu_read_lock the call itself is the bug,
    // contended or not (as might_sleep() reports it), so the step runs and reports it.
    if (s[t.spinHeld]! > 0 || s[t.rcuDepth]! > 0) return 1;
    const a = addr(s);
    rt.fp.read(a);
    rt.fp.read(a + 1);
    return can(s, a) ? 1 : 0;
  };
  const misuse = (a: number, what: string): never => rt.fail('lock_misuse', `${t.name} calls ${req.name}(${rt.nameOf(a)}) ${what}`, span, [{ object: rt.nameOf(a), event: `${req.name} by ${t.name}` }]);
  switch (req.name) {
    case 'down_read':
    case 'down_write': {
      const sleeps = sleepCheck(req, req.name);
      const write = req.name === 'down_write';
      return {
        guard: guardOf(write ? canWrite : canRead),
        exec: (s) => {
          sleeps(s);
          const a = addr(s);
          lockOrderCheck(req, s, a);
          touch(s);
          if (write) s[a] = me;
          else s[a + 1] = s[a + 1]! | bit;
          s[held] = s[held]! + 1;
          return 0;
        },
      };
    }
    case 'down_read_trylock':
    case 'down_write_trylock': {
      const write = req.name === 'down_write_trylock';
      return {
        exec: (s) => {
          const a = touch(s);
          if (!(write ? canWrite(s, a) : canRead(s, a))) return 0;
          if (write) s[a] = me;
          else s[a + 1] = s[a + 1]! | bit;
          s[held] = s[held]! + 1;
          return 1;
        },
      };
    }
    case 'up_read':
      return {
        exec: (s) => {
          const a = touch(s);
          if ((s[a + 1]! & bit) === 0) misuse(a, 'without holding it for read');
          s[a + 1] = s[a + 1]! & ~bit;
          s[held] = s[held]! - 1;
          return 0;
        },
      };
    default: // up_write
      return {
        exec: (s) => {
          const a = touch(s);
          if (s[a] !== me) misuse(a, s[a] === 0 ? 'without holding it for write' : `while ${rt.threadName(s[a]! - 1)} holds it for write`);
          s[a] = 0;
          s[held] = s[held]! - 1;
          return 0;
        },
      };
  }
}
