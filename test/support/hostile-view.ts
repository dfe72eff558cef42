// A TraceView whose every string is markup: thread, local, global, pool, lock and domain
// names, statement text, file paths, changes, the violation's message and notes. A spec's
// own names cannot hold `<` (identifiers), but a trace file's fields, paths and messages can,
// and a reporter must not care which is which. Used by the HTML tests (in-process and in
// the browser).
import type { TraceView } from '../../src/checker/trace/trace-view.js';
import { big } from '../../src/model/itf.js';

/** Markup that would run or inject something if it reached the page unescaped. */
export const HOSTILE = [
  '<script>window.pwned=1</script>',
  '</script><script>window.pwned=1</script>',
  '<img src=x onerror=window.pwned=1>',
  '"><img src=x onerror=window.pwned=1>',
  "'><b>x</b><!--",
];

export function hostileView(): TraceView {
  const h = (i: number): string => HOSTILE[i % HOSTILE.length]!;
  const thread = {
    name: h(0),
    status: 'runnable' as const,
    pc: 0,
    next: h(1),
    position: `${h(2)}/x.mmspec:3`,
    locals: { [h(3)]: h(4), n: big(1) },
    holds: [h(1)],
    readSections: [h(2)],
    waitsFor: [h(3)],
  };
  const state = {
    globals: { [h(4)]: big(0), [h(0)]: { '#set': [h(1)] } },
    pools: [
      {
        struct: 'pte_page',
        protectedBy: h(2),
        slots: [
          { object: h(3), status: 'allocated' as const, fields: { [h(4)]: [big(1), h(0)] } },
          {
            object: h(1),
            status: 'freed' as const,
            fields: { [h(2)]: h(3) },
            callback: { domain: h(4), waitsFor: [h(0)] },
          },
        ],
      },
    ],
    threads: [thread, { ...thread, name: h(1) }],
    locks: [{ name: h(2), kind: h(3), owner: h(4), readers: [h(0)], queued: [h(1)] }],
    domains: [{ name: h(3), srcu: true, readers: [h(4)], idx: 0 }],
  };
  const step = (index: number, t: number) => ({
    index,
    thread: t,
    threadName: h(t),
    text: h(index),
    position: `${h(index + 1)}/lib/${h(index + 2)}.mmspec:${index}`,
    preempted: index === 2,
    finished: false,
    changes: [
      { object: h(index), field: h(index + 1), kind: 'value' as const, before: h(index + 2), after: h(index + 3) },
    ],
  });
  return {
    scenario: h(0),
    mainFile: `${h(1)}.mmspec`,
    steps: [step(1, 0), step(2, 1), step(3, 0)],
    states: [state, state, state],
    preemptions: [2],
    violation: {
      kind: 'assertion',
      message: h(2),
      at: h(3),
      objects: [{ object: h(4), event: h(0) }],
      involved: [],
    },
    stepViolation: true,
  };
}
