// What bin/mmcheck.js needs of the CLI, in one module: the bundler's entry point
// (scripts/bundle.ts), and the unbundled fallback.
export { internalBug } from './exit.js';
export { main } from './main.js';
