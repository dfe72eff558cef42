// `npm test`'s runner: every test file in test-files.ts's order (the longest first), two at a
// time, through the summary reporter. `node --test a b c` sorts the files it is given by path
// (Node 20): the longest-first order was lost there, and soundness.test.js (model/, 40 s of
// CPU) started four fifths of the way through and ran on alone while the other core idled.
// run() keeps the order given. Each file's process inherits this one's node flags (the
// suite's `--import ./dist/test/support/fc-global.js`, package.json).
//
//   node --import ./dist/test/support/fc-global.js dist/test/support/run-tests.js
import { resolve } from 'node:path';
import { run } from 'node:test';
import summaryReporter from './summary-reporter.js';
import { orderedTestFiles } from './test-files.js';

const stream = run({ files: orderedTestFiles().map((f) => resolve(f)), concurrency: 2 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(summaryReporter).pipe(process.stdout);
