// Reader-writer semaphores (mmap_sem, the per-VMA lock): three words, the writer's thread
// id + 1, a bitmask of the threads holding it for read, and a bitmask of the writers queued
// for it. down_* block and may sleep; the trylocks never block and never sleep (legal inside
// rcu_read_lock, as lock_vma_under_rcu does).
// Writer preference, as the kernel's rwsem: a down_write that finds the rwsem taken queues
// (RWSEM_FLAG_WAITERS), and from then on down_read and down_read_trylock fail or wait until
// it has had its turn, even for a thread that already holds the rwsem for read; a recursive
// down_read with a writer queued in between is thus the deadlock it is in the kernel.
// down_write is two steps (compileDownWrite): the attempt, which takes a free rwsem at once
// or queues, and the wait. Taking a free rwsem at once loses nothing: between a queue and a
// take of a free rwsem nothing could happen that the take's own step order does not cover.
// Inside atomic { } down_write is one step (compileDown), as everything there is.
// Footprint: conservative as loom's rwlock — every operation writes all three words, so all
// operations on one rwsem are dependent, including two down_reads.
import { BOOL, VOID } from '../lang/types.js';
import type { ObjectNote } from '../system.js';
import { type BuiltinCode, type BuiltinRequest, lockOrderCheck, type TwoStepCode, threadOf } from './context.js';
import { formatOwner, type PrimitiveFamily, type SyncTypeDef, syncArg, type ThreadNaming } from './family.js';

const canRead = (s: Int32Array, a: number): boolean => s[a] === 0 && s[a + 2] === 0;
const canWrite = (s: Int32Array, a: number): boolean => s[a] === 0 && s[a + 1] === 0;

function rwsemGuard(req: BuiltinRequest, addr: (s: Int32Array) => number) {
  const rt = req.env.rt;
  return (can: (s: Int32Array, a: number) => boolean) =>
    (s: Int32Array): number => {
      const a = addr(s);
      rt.fp.read(a);
      rt.fp.read(a + 1);
      rt.fp.read(a + 2);
      return can(s, a) ? 1 : 0;
    };
}

/** Every operation writes the rwsem's three words (see the footprint note above); returns its address. */
function toucher(req: BuiltinRequest, addr: (s: Int32Array) => number): (s: Int32Array) => number {
  const rt = req.env.rt;
  return (s) => {
    const a = addr(s);
    rt.fp.write(a);
    rt.fp.write(a + 1);
    rt.fp.write(a + 2);
    return a;
  };
}

/**
 * down_write as two steps: `attempt` (never blocks) takes a free rwsem, or queues the writer
 * and returns 1 to go on to `wait`, which blocks until the rwsem is free and then takes it.
 */
function compileDownWrite(req: BuiltinRequest): TwoStepCode {
  const t = threadOf(req);
  const { tid } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const bit = 1 << tid;
  const orderCheck = lockOrderCheck(req);
  const take = (s: Int32Array, a: number): void => {
    s[a] = tid + 1;
    s[a + 2] = s[a + 2]! & ~bit;
    s[t.sleepHeld] = s[t.sleepHeld]! + 1;
  };
  const touch = toucher(req, addr);
  return {
    waiting: 'queued: waiting for the holders',
    attempt: {
      exec: (s) => {
        const a = touch(s);
        orderCheck(s, a);
        if (canWrite(s, a)) {
          take(s, a);
          return 0;
        }
        s[a + 2] = s[a + 2]! | bit;
        return 1;
      },
    },
    wait: {
      guard: rwsemGuard(req, addr)(canWrite),
      exec: (s) => {
        take(s, touch(s));
        return 0;
      },
    },
  };
}

/** What every one-step rwsem operation of one call site uses. */
function rwsemCall(req: BuiltinRequest) {
  const t = threadOf(req);
  const { rt, tid } = req.env;
  const addr = req.place(req.args[0]!).addr;
  const span = req.call.span;
  const lockName = (a: number): string => rt.nameOf(a).replace(/\.writer$/, '');
  return {
    t,
    rt,
    span,
    me: tid + 1,
    bit: 1 << tid,
    held: t.sleepHeld,
    touch: toucher(req, addr),
    guardOf: rwsemGuard(req, addr),
    lockName,
    // lockdep's "possible recursive locking": a second down_read deadlocks as soon as a writer
    // queues between the two (writer preference), so the kernel's lockdep reports it at once.
    recursiveRead: (a: number): never =>
      rt.fail(
        'lock_order',
        `${t.name} takes ${lockName(a)} for read while already holding it for read (recursive down_read: a writer queued in between deadlocks both)`,
        span,
        [rt.note(a, `held for read by ${t.name}`, lockName(a))],
      ),
    misuse: (a: number, what: string): never =>
      rt.fail('lock_misuse', `${t.name} calls ${req.name}(${lockName(a)}) ${what}`, span, [
        rt.note(a, `${req.name} by ${t.name}`, lockName(a)),
      ]),
  };
}

/** down_read / down_write as one step (inside atomic { }, and down_read always). */
function compileDown(req: BuiltinRequest): BuiltinCode {
  const { me, bit, held, touch, guardOf, recursiveRead } = rwsemCall(req);
  const write = req.name === 'down_write';
  const orderCheck = lockOrderCheck(req);
  return {
    guard: guardOf(write ? canWrite : canRead),
    exec: (s) => {
      const a = touch(s);
      if (!write && (s[a + 1]! & bit) !== 0) recursiveRead(a);
      orderCheck(s, a);
      if (write) s[a] = me;
      else s[a + 1] = s[a + 1]! | bit;
      s[held] = s[held]! + 1;
      return 0;
    },
  };
}

/** down_read_trylock / down_write_trylock: never block; 1 when taken. */
function compileTrylock(req: BuiltinRequest): BuiltinCode {
  const { t, rt, span, me, bit, held, touch, lockName } = rwsemCall(req);
  const write = req.name === 'down_write_trylock';
  return {
    exec: (s) => {
      const a = touch(s);
      if (!write && (s[a + 1]! & bit) !== 0) {
        rt.fail(
          'lock_misuse',
          `${t.name} calls down_read_trylock(${lockName(a)}) while holding it for read: recursive read holds are not modelled`,
          span,
          [rt.note(a, `held for read by ${t.name}`, lockName(a))],
        );
      }
      if (!(write ? canWrite(s, a) : canRead(s, a))) return 0;
      if (write) s[a] = me;
      else s[a + 1] = s[a + 1]! | bit;
      s[held] = s[held]! + 1;
      return 1;
    },
  };
}

/** up_read / up_write: lock_misuse unless the caller holds it that way. */
function compileUp(req: BuiltinRequest): BuiltinCode {
  const { rt, me, bit, held, touch, misuse } = rwsemCall(req);
  if (req.name === 'up_read')
    return {
      exec: (s) => {
        const a = touch(s);
        if ((s[a + 1]! & bit) === 0) misuse(a, 'without holding it for read');
        s[a + 1] = s[a + 1]! & ~bit;
        s[held] = s[held]! - 1;
        return 0;
      },
    };
  return {
    exec: (s) => {
      const a = touch(s);
      if (s[a] !== me)
        misuse(a, s[a] === 0 ? 'without holding it for write' : `while ${rt.threadName(s[a]! - 1)} holds it for write`);
      s[a] = 0;
      s[held] = s[held]! - 1;
      return 0;
    },
  };
}

const rwsemType: SyncTypeDef = {
  words: 3,
  wordNames: ['writer', 'readers', 'queued_writers'],
  usage: 'down_read()/up_read() and down_write()/up_write()',
  formatWord: (word, value, who) => {
    if (word === 0) return formatOwner(value, who);
    const threads = who.threadsIn(value);
    return threads.length === 0 ? 'none' : threads.join(', ');
  },
  view: (s, addr, who) => ({
    writer: who.owner(s[addr]!),
    readers: { '#set': who.threadsIn(s[addr + 1]!) },
    queued: { '#set': who.threadsIn(s[addr + 2]!) },
  }),
  lock: { readers: 1, queued: 2 },
  blockers: rwsemBlockers,
};

function rwsemBlockers(s: Int32Array, addr: number, name: string, who: ThreadNaming): ObjectNote[] {
  const out: ObjectNote[] = [];
  const list = (mask: number): string => who.threadsIn(mask).join(', ');
  if (s[addr] !== 0) out.push({ object: `${name}.writer`, event: `held by ${who.owner(s[addr]!)}` });
  if (s[addr + 1] !== 0) out.push({ object: name, event: `held for read by ${list(s[addr + 1]!)}` });
  if (s[addr + 2] !== 0)
    out.push({ object: name, event: `writer queued: ${list(s[addr + 2]!)} (new readers wait behind it)` });
  return out;
}

const rw = syncArg('rwsem');

export const rwsem = {
  name: 'rwsem',
  types: { rwsem: rwsemType },
  builtins: {
    down_read: { args: [rw], returns: VOID, blocks: true, sleeps: true, compile: compileDown },
    down_write: {
      args: [rw],
      returns: VOID,
      blocks: true,
      sleeps: true,
      compile: compileDown,
      twoStep: compileDownWrite,
    },
    up_read: { args: [rw], returns: VOID, blocks: false, sleeps: false, compile: compileUp },
    up_write: { args: [rw], returns: VOID, blocks: false, sleeps: false, compile: compileUp },
    down_read_trylock: { args: [rw], returns: BOOL, blocks: false, sleeps: false, compile: compileTrylock },
    down_write_trylock: { args: [rw], returns: BOOL, blocks: false, sleeps: false, compile: compileTrylock },
  },
} satisfies PrimitiveFamily;
