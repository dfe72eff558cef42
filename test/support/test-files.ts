// The test files `npm test` runs (run-tests.ts), one per line: every dist/test/**/*.test.js,
// the longest first, then the others in name order. run-tests.ts starts them in this order,
// two at a time; a long file started late (soundness.test.js, 40 s of CPU, came after four
// fifths of the list) ran on alone while the other core sat idle. Longest first, the short
// files fill the gaps at the end instead. (`node --test` given this list sorts it by path.)
//
//   node dist/test/support/test-files.js
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = 'dist/test';

/**
 * The files over ~8 s of CPU, longest first (each file alone, user+sys, measured 2026-12-04
 * on a shared machine, load 4-6). The last three also wait on processes they start (a
 * pseudo-terminal, SPIN and gcc, chromium): started late, their waits would end the run.
 */
export const LONGEST = [
  'dist/test/model/soundness.test.js',
  'dist/test/model/dead-locals.test.js',
  'dist/test/model/codegen.test.js',
  'dist/test/checker/parallel/target-cuts.test.js',
  'dist/test/checker/auto.test.js',
  'dist/test/cli/cli-fuzz.test.js',
  'dist/test/checker/parallel/bfs-parallel.test.js',
  'dist/test/checker/distrib/partition.test.js',
  'dist/test/cli/interrupt.test.js',
  'dist/test/cli/export-promela.test.js',
  'dist/test/e2e/html.e2e.test.js',
];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(path));
    else if (e.name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

/** Every test file once: the longest that exist first, then the rest sorted. */
export function orderedTestFiles(root = ROOT): string[] {
  const all = testFiles(root).sort();
  const first = LONGEST.filter((f) => all.includes(f));
  return [...first, ...all.filter((f) => !first.includes(f))];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  console.log(orderedTestFiles().join('\n'));
