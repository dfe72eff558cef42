// Loaded before every test file (`node --import`, see package.json): every fast-check property
// runs from one seed, so two `npm test` runs explore the same cases and print the same counts.
// A property that fails prints its seed and path; MMCHECK_SEED=<n> reruns the suite from
// another seed (the long runs of `npm run test:props` use MMCHECK_PROPS_SCALE as well).
import fc from 'fast-check';

const DEFAULT_SEED = 20261202;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got '${raw}'`);
  return n;
}

export const PROPERTY_SEED = envInt('MMCHECK_SEED', DEFAULT_SEED);

/** How many times more cases the property tests run than in `npm test` (1 there). */
export const PROPERTY_SCALE = envInt('MMCHECK_PROPS_SCALE', 1);

/** A property's case count in this run: `base` in `npm test`, scaled in `npm run test:props`. */
export function propertyRuns(base: number): number {
  return base * PROPERTY_SCALE;
}

fc.configureGlobal({ seed: PROPERTY_SEED });
