// The kinds fixtures of the kernel-C language features (trylocks, raw_read_seqcount,
// shifts, scenario init blocks, anonymous conditions, `->`/`&`/`++`/`+=`): rows of the
// kinds table (test/checker/kinds.test.ts), which test/checker/kinds-lang-c.test.ts also
// runs with every other search mode.
import type { ViolationKind } from '../../src/model/lang/violation-kinds.js';

export interface LangCCase {
  name: string;
  kind: ViolationKind;
  thread: string | null;
  line: number | null;
}

export const LANG_C_CASES: LangCCase[] = [
  { name: 'final-kernel-c', kind: 'final', thread: null, line: 21 },
  { name: 'lock_misuse-trylock-failed', kind: 'lock_misuse', thread: 't#2', line: 9 },
  // The twin is the point: mutex_trylock never sleeps, so it is fine under a spinlock.
  { name: 'sleep_in_atomic-trylock-under-spinlock', kind: 'sleep_in_atomic', thread: 't', line: 9 },
  { name: 'assertion-raw-seqcount-odd', kind: 'assertion', thread: 'spf', line: 24 },
  { name: 'assertion-shift-range', kind: 'assertion', thread: 't', line: 8 },
  { name: 'assertion-scenario-init', kind: 'assertion', thread: 't', line: 7 },
  { name: 'invariant-anonymous', kind: 'invariant', thread: 'bump', line: 10 },
];
