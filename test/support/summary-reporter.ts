// The `npm test` reporter: a dot per passing test, the failures in full, a line per test
// skipped with a reason (what did not run, and why), then one summary line with the counts
// and the property seed, so two runs can be compared at a glance.
import { inspect } from 'node:util';
import { PROPERTY_SEED } from './fc-global.js';

interface TestEvent {
  type: string;
  data: {
    name?: string;
    nesting?: number;
    details?: { error?: unknown };
    skip?: unknown;
    todo?: unknown;
    file?: string;
  };
}

export default async function* summaryReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const counts = { pass: 0, fail: 0, skipped: 0, todo: 0 };
  const failures: string[] = [];
  const skips: string[] = [];
  let column = 0;
  for await (const event of source) {
    if (event.type === 'test:pass') {
      if (event.data.skip !== undefined) {
        counts.skipped++;
        if (typeof event.data.skip === 'string') skips.push(`- skipped: ${event.data.name ?? '?'}: ${event.data.skip}`);
      } else if (event.data.todo !== undefined) counts.todo++;
      else counts.pass++;
      yield '.';
    } else if (event.type === 'test:fail') {
      counts.fail++;
      const where = event.data.file === undefined ? '' : ` (${event.data.file})`;
      const error = event.data.details?.error as { cause?: unknown } | undefined;
      failures.push(`✖ ${event.data.name ?? '?'}${where}\n${inspect(error?.cause ?? error)}`);
      yield 'X';
    } else continue;
    if (++column % 80 === 0) yield '\n';
  }
  yield '\n';
  for (const f of failures) yield `\n${f}\n`;
  for (const s of skips) yield `${s}\n`;
  yield `tests ${counts.pass + counts.fail + counts.skipped + counts.todo}: pass ${counts.pass}, fail ${counts.fail}, skipped ${counts.skipped}, todo ${counts.todo} (property seed ${PROPERTY_SEED})\n`;
}
