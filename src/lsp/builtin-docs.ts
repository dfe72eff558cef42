// What each built-in means in kernel terms, for hovers and completion. The signature and the
// blocks/sleeps flags come from the primitive registry (prims/index.ts via lang/builtins.ts);
// this table adds only the words. It is a Record over BuiltinName, so a built-in added to a
// family without an entry here does not compile, and a removed one leaves no stale entry.
import type { BuiltinName } from '../model/prims/index.js';

export const BUILTIN_DOCS: Readonly<Record<BuiltinName, string>> = {
  atomic_read: 'Reads an atomic_t (one step).',
  atomic_set: 'Stores into an atomic_t.',
  atomic_inc: 'Adds one to an atomic_t.',
  atomic_dec: 'Subtracts one from an atomic_t.',
  atomic_inc_return: 'Adds one to an atomic_t and returns the new value.',
  atomic_dec_return: 'Subtracts one from an atomic_t and returns the new value.',
  atomic_cmpxchg:
    'atomic_cmpxchg(a, old, new): stores `new` if the value is `old`; returns the value it found. A failed cmpxchg is a read.',
  init_completion: "Sets the completion's `done` count to 0.",
  reinit_completion: "Sets the completion's `done` count back to 0.",
  complete: 'Adds one to `done`, waking one waiter; allowed in atomic context.',
  complete_all: 'Makes `done` unbounded: every wait returns at once from then on.',
  wait_for_completion:
    'Waits until `done > 0`, then consumes one (none after complete_all). A wait nobody can complete is a deadlock.',
  free: 'kfree: frees a pool object; `free(null)` is a no-op. Freeing an object a reader still holds is premature_free.',
  local_irq_disable: "Turns the thread's interrupts off: atomic context and an RCU read side (the flag does not nest).",
  local_irq_enable: "Turns the thread's interrupts on again.",
  local_irq_save: 'local_irq_save(f): stores the interrupt state in the int local `f` (1 = off), then disables.',
  local_irq_restore: 'local_irq_restore(f): puts back the interrupt state saved in `f`.',
  kick_all_cpus_sync:
    'Sends an IPI to every CPU and spins until each thread that had interrupts off when it began has turned them on (tlb_remove_table_sync_one). Two steps: begin, wait.',
  READ_ONCE:
    'A marked load of a shared variable, field or element (same value as the plain read; marked for data_race).',
  WRITE_ONCE: 'A marked store to a shared variable, field or element (marked for data_race).',
  rcu_dereference: 'A marked load of a ref under RCU; loading a protected object inside a read side holds it.',
  rcu_assign_pointer: 'A marked store of a ref (publishes an object to RCU readers).',
  smp_rmb: 'Read barrier: a no-op under sequential consistency, accepted to transcribe the code.',
  smp_wmb: 'Write barrier: a no-op under sequential consistency, accepted to transcribe the code.',
  smp_mb: 'Full barrier: a no-op under sequential consistency, accepted to transcribe the code.',
  mutex_lock: 'Takes a mutex, waiting while another thread holds it.',
  mutex_trylock:
    'Takes the mutex if nobody holds it (the caller included); returns whether it did. Never blocks or sleeps.',
  mutex_unlock: 'Releases a mutex the thread holds (otherwise lock_misuse).',
  rcu_read_lock: 'Enters an RCU read-side critical section (nests).',
  rcu_read_unlock: 'Leaves an RCU read-side critical section.',
  srcu_read_lock:
    "srcu_read_lock(d): enters a read section of the SRCU domain d; returns the domain's index (0/1) to pass to srcu_read_unlock.",
  srcu_read_unlock:
    'srcu_read_unlock(d, idx): leaves the read section; another index than the lock returned is lock_misuse.',
  synchronize_rcu:
    'Waits for a grace period: two steps, begin snapshots the readers inside now, wait proceeds once each has left.',
  synchronize_srcu:
    'synchronize_srcu(d): waits for a grace period of the SRCU domain d (begin snapshots the readers, wait for each to leave).',
  call_rcu:
    'Frees the object after a grace period: the callback is scheduled like a thread once the readers inside now have left.',
  kfree_rcu: 'call_rcu(obj) whose callback frees the object.',
  call_srcu: 'call_srcu(d, obj): frees the object after an SRCU grace period of domain d.',
  refcount_set: 'Sets a refcount_t.',
  refcount_read: 'Reads a refcount_t.',
  refcount_inc: 'Takes a reference; an increment that finds 0 is use_after_free.',
  refcount_dec: 'Drops a reference; a decrement below 0 is use_after_free, one to 0 a leak (with the leak check on).',
  refcount_inc_not_zero:
    'Takes a reference only from a count that is not 0; returns whether it did (the lookup under RCU).',
  refcount_dec_and_test: 'Drops a reference; returns whether it was the last one.',
  down_read: 'Takes an rwsem for read; waits while a writer holds it or is queued (writer preference).',
  down_write: 'Takes an rwsem for write; a writer that finds it taken queues, then waits for the holders.',
  up_read: 'Releases a read hold of an rwsem.',
  up_write: 'Releases the write hold of an rwsem.',
  down_read_trylock: 'Takes the rwsem for read if no writer holds or waits for it; returns whether it did.',
  down_write_trylock: 'Takes the rwsem for write if nobody holds it; returns whether it did.',
  read_seqcount_begin: 'Waits while the sequence count is odd (a writer inside), then returns it.',
  raw_read_seqcount: 'Returns the sequence count as it is, odd or not (the speculative reader must check).',
  read_seqcount_retry: 'read_seqcount_retry(sc, start): whether a writer ran since `start` (the read must be retried).',
  write_seqcount_begin: 'Makes the sequence count odd: a writer is inside.',
  write_seqcount_end: 'Makes the sequence count even again.',
  might_sleep:
    'Says the code may sleep here: sleep_in_atomic under a spinlock, in an RCU read side or with interrupts off.',
  spin_lock: 'Takes a spinlock, spinning while another thread holds it.',
  spin_trylock: 'Takes the spinlock if nobody holds it (the caller included); returns whether it did.',
  spin_unlock: 'Releases a spinlock the thread holds (otherwise lock_misuse).',
};
