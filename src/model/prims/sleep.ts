// might_sleep(): the annotation alone. The registry adds the sleep_in_atomic check to every
// built-in that may sleep; this one does nothing else, and touches no shared word.
import { VOID } from '../lang/types.js';
import type { PrimitiveFamily } from './family.js';

export const sleep = {
  name: 'sleep',
  types: {},
  builtins: {
    might_sleep: {
      args: [],
      returns: VOID,
      blocks: false,
      sleeps: true,
      sleepsAs: 'might_sleep()',
      threadLocal: true,
      compile: () => ({ exec: () => 0 }),
    },
  },
} satisfies PrimitiveFamily;
