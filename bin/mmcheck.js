#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// `mmcheck explore … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
main(process.argv).then((code) => {
  process.exitCode = code;
});
