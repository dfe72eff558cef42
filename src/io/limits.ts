// The bounds on what mmcheck reads, so that no input can exhaust the heap or hang a
// command: each has a default and an environment variable that raises it (README.md,
// "Input bounds"). Read once per call, so tests and the check workers see the caller's
// environment.
import { grouped } from './grouped.js';

export interface InputLimits {
  /** Largest spec file (main file or import), in bytes. */
  specBytes: number;
  /** Most files one spec may load (itself and every file it imports, transitively). */
  specFiles: number;
  /** Largest trace file, in bytes. */
  traceBytes: number;
  /** Most statements a thread may have once every fn call in it is inlined. */
  inlinedStatements: number;
}

export const LIMIT_ENV = {
  specBytes: 'MMCHECK_MAX_SPEC_BYTES',
  specFiles: 'MMCHECK_MAX_SPEC_FILES',
  traceBytes: 'MMCHECK_MAX_TRACE_BYTES',
  inlinedStatements: 'MMCHECK_MAX_STEPS',
} as const satisfies Record<keyof InputLimits, string>;

export const DEFAULT_LIMITS: InputLimits = {
  specBytes: 4 * 1024 * 1024,
  specFiles: 256,
  traceBytes: 64 * 1024 * 1024,
  inlinedStatements: 100_000,
};

/** A variable's value as a limit: a positive integer, or undefined. */
function limitValue(raw: string): number | undefined {
  if (!/^\s*[0-9]+\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The limits in force: the defaults, each raised (or lowered) by its variable when that is a positive integer. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_ENV) as (keyof InputLimits)[]) {
    const raw = env[LIMIT_ENV[key]];
    const n = raw === undefined ? undefined : limitValue(raw);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

/**
 * For a bound's message after "set VAR to raise it": when VAR is set but ignored (`8M`, `-3`),
 * says so, lest the user read the advice as the one they followed. '' otherwise.
 */
export function ignoredLimit(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = env[name];
  if (raw === undefined || limitValue(raw) !== undefined) return '';
  return `; ${name}=${JSON.stringify(raw)} is ignored: it must be a positive whole number`;
}

/** `4 MiB`, `512 KiB`, `100 bytes`. */
export function showBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${grouped(n)} bytes`;
}
