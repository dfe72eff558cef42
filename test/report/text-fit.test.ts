// Prose lines fitted to the terminal (report/text-fit.ts fitLine) and the counts they print:
// a number stays on the line of its unit, and one thing is not "1 states".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Stats } from '../../src/checker/result.js';
import { renderStats } from '../../src/report/text.js';
import { fitLine } from '../../src/report/text-fit.js';

test('fitLine: a line breaks before a number, never between the number and its unit', () => {
  // Before, the break fell at the last space that fit: "… peak 65" then "MiB", "… 0.01" then "s".
  const stats = '  201 states, 345 transitions, 1 execution, depth 20, 0.01 s, 30,607 states/s, peak 65 MiB';
  // "… depth 20, 0.01" fits 59 columns, "… peak 65" fits 86: the break moves before the number.
  assert.deepEqual(fitLine(stats, 59), [
    '  201 states, 345 transitions, 1 execution, depth 20,',
    '    0.01 s, 30,607 states/s, peak 65 MiB',
  ]);
  assert.deepEqual(fitLine(stats, 86), [
    '  201 states, 345 transitions, 1 execution, depth 20, 0.01 s, 30,607 states/s, peak',
    '    65 MiB',
  ]);
  assert.deepEqual(fitLine('  slowest part 0.11 s, all parts 0.21 s', 37), [
    '  slowest part 0.11 s, all parts',
    '    0.21 s',
  ]);
  // With no other space to break at, the line still breaks there.
  assert.deepEqual(fitLine('  12345678901234567890 s', 22), ['  12345678901234567890', '    s']);
});

test('renderStats: one state and one transition in the singular', () => {
  const stats: Stats = {
    states: 1,
    transitions: 1,
    executions: 0,
    sleepBlocked: 0,
    maxDepth: 1,
    queue: 0,
    seconds: 0,
    statesPerSecond: 0,
    peakMemoryBytes: 0,
    storedBytes: 0,
  };
  assert.equal(renderStats(stats), '1 state, 1 transition, depth 1, 0.00 s, 0 states/s');
  assert.equal(
    renderStats({ ...stats, states: 2, transitions: 1_000 }),
    '2 states, 1,000 transitions, depth 1, 0.00 s, 0 states/s',
  );
});
