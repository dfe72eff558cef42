// Opt-in long fuzz of the compile pipeline (`npm run fuzz`, from the repository root):
// 100,000 cases of test/model/lang/compile-fuzz.ts's property, which the default test runs
// only 1,000 times. Prints the throughput and, on a failure, fast-check's report (the seed
// and the shrunk spec text); exits 1 then.
//
//   node dist/scripts/fuzz.js [cases] [seed]
import { pathToFileURL } from 'node:url';
import { runCompileFuzz } from '../test/model/lang/compile-fuzz.js';

function main(): number {
  const cases = Number(process.argv[2] ?? 100_000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  console.log(`compile fuzz: ${cases} cases, seed ${seed}`);
  const start = performance.now();
  try {
    const c = runCompileFuzz(cases, seed);
    const s = (performance.now() - start) / 1000;
    console.log(
      `ok: ${c.cases} cases in ${s.toFixed(1)} s (${Math.round(c.cases / s)} cases/s); ` +
        `${c.compiled} compiled, ${c.systems} systems built, ${c.steps} walk steps`,
    );
    return 0;
  } catch (e) {
    const s = (performance.now() - start) / 1000;
    console.log(`FAILED after ${s.toFixed(1)} s:\n${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
