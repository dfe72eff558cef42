#!/usr/bin/env node
import { internalBug } from '../dist/src/cli/exit.js';
import { main } from '../dist/src/cli/main.js';

// `mmcheck explore … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
// Anything main() did not catch is a bug of mmcheck's: exit 70, never 1 (a violation).
const err = { err: (s) => process.stderr.write(`${s}\n`) };
process.on('uncaughtException', (e) => {
  process.exit(internalBug(e, process.argv, err));
});
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = internalBug(e, process.argv, err);
  },
);
