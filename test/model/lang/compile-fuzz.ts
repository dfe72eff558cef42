// Property test of the whole front end and model construction: whatever the text,
// compileText never throws and returns well-formed diagnostics; when it compiles, every
// scenario's system builds, initial() returns a state or a violation, and a short seeded
// random walk over step() runs without an exception. A throw anywhere is a bug: user
// mistakes must come out as diagnostics (or, at run time, as violations), never as a stack.
//
// Inputs are the valid specs of test/fixtures/valid/ after random edits (character ranges
// and whole tokens deleted, duplicated, swapped or replaced), and random token streams.
// Token edits keep most of a spec parseable, so many cases get through the checker into
// buildSystem; character edits and streams mostly exercise the lexer and parser.
//
// compile-fuzz.test.ts runs 1,000 cases; scripts/fuzz.ts (`npm run fuzz`) runs 100,000.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildSystem, compileText, type ReadFile } from '../../../src/model/compile.js';
import { renderDiagnostics } from '../../../src/model/lang/diagnostics.js';
import { KEYWORDS, lex } from '../../../src/model/lang/lexer.js';
import { Footprint, STEP_VIOLATION } from '../../../src/model/system.js';

export const VALID_DIR = 'test/fixtures/valid';

/** Steps of the random walk taken from each initial state. */
const WALK_STEPS = 40;

interface Seed {
  name: string;
  text: string;
  /** The text cut at token starts: each piece is one token and the gap (space, comments) after it. */
  pieces: string[];
}

function loadSeeds(dir: string): Seed[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mmspec'))
    .sort();
  if (files.length === 0) throw new Error(`no valid specs in ${dir}: run from the repository root`);
  return files.map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    const starts = lex(text, 0).tokens.map((t) => t.span.start);
    const pieces = [text.slice(0, starts[0]), ...starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length))];
    return { name: f, text, pieces };
  });
}

/** Words for replacements and streams: the grammar, the seeds' own names, and edge numbers. */
function vocabulary(seeds: Seed[]): string[] {
  const words = new Set<string>([...KEYWORDS]);
  for (const s of seeds) for (const t of lex(s.text, 0).tokens) if (t.kind === 'ident') words.add(t.text);
  for (const w of GRAMMAR_WORDS) words.add(w);
  const punct = '{ } ( ) [ ] ; : , . .. = == != < <= > >= + - * / % ! && || =>'.split(' ');
  const numbers = ['0', '1', '2', '-1', '30', '31', '32', '1024', '1025', '2147483647', '0x7fffffff', '99999999999'];
  const odd = ['"s"', '"lib/x.mmspec"', '"', '/*', '@', '&', '1.5'];
  return [...words, ...punct, ...numbers, ...odd];
}

/** Identifiers the grammar gives a meaning in some positions (contextual keywords, types). */
const GRAMMAR_WORDS: ReadonlySet<string> = new Set(
  'expect pass violation budget in or atomic srcu_protected rcu_protected int bool ref spinlock rwsem mutex seqcount srcu'.split(
    ' ',
  ),
);

type Edit =
  | { kind: 'delete'; a: number; b: number }
  | { kind: 'duplicate'; a: number; b: number; at: number }
  | { kind: 'swap'; a: number; b: number; c: number; d: number }
  | { kind: 'replace'; a: number; word: number };

/**
 * Apply one edit to a sequence (characters, lines or token pieces); positions wrap around its
 * length. `replace(old, k)` picks the k-th replacement for an element.
 */
function applyEdit<T>(xs: T[], e: Edit, replace: (old: T, k: number) => T): T[] {
  const n = xs.length;
  if (n === 0) return xs;
  if (e.kind === 'replace') {
    const i = e.a % n;
    return [...xs.slice(0, i), replace(xs[i] as T, e.word), ...xs.slice(i + 1)];
  }
  const at = (i: number): number => i % (n + 1);
  const [a, b] = [Math.min(at(e.a), at(e.b)), Math.max(at(e.a), at(e.b))];
  switch (e.kind) {
    case 'delete':
      return [...xs.slice(0, a), ...xs.slice(b)];
    case 'duplicate': {
      const to = at(e.at);
      return [...xs.slice(0, to), ...xs.slice(a, b), ...xs.slice(to)];
    }
    case 'swap': {
      const [x0, x1, y0, y1] = [a, b, at(e.c), at(e.d)].sort((m, k) => m - k) as [number, number, number, number];
      return [...xs.slice(0, x0), ...xs.slice(y0, y1), ...xs.slice(x1, y0), ...xs.slice(x0, x1), ...xs.slice(y1)];
    }
  }
}

/** Small edits, so most of a seed survives: ranges of at most `span` elements. */
function editArb(span: number, replaceWeight = 1): fc.Arbitrary<Edit> {
  const pos = fc.nat({ max: 1 << 20 });
  const range = fc.tuple(pos, fc.nat({ max: span })).map(([a, len]) => ({ a, b: a + len }));
  return fc.oneof(
    { weight: 1, arbitrary: range.map((r) => ({ kind: 'delete' as const, ...r })) },
    { weight: 1, arbitrary: fc.tuple(range, pos).map(([r, at]) => ({ kind: 'duplicate' as const, ...r, at })) },
    {
      weight: 1,
      arbitrary: fc.tuple(range, range).map(([r, s]) => ({ kind: 'swap' as const, a: r.a, b: r.b, c: s.a, d: s.b })),
    },
    {
      weight: replaceWeight,
      arbitrary: fc.tuple(pos, fc.nat()).map(([a, word]) => ({ kind: 'replace' as const, a, word })),
    },
  );
}

/** The input generators by kind (exported so their reach can be measured one by one). */
export function fuzzInputs(
  dir = VALID_DIR,
): Record<'tokenReplace' | 'tokenEdits' | 'lineEdits' | 'charEdits' | 'stream', fc.Arbitrary<string>> {
  const seeds = loadSeeds(dir);
  const words = vocabulary(seeds);
  // Replacement lines: any line of any seed.
  const lines = seeds.flatMap((x) => x.text.split(/(?<=\n)/));
  const seed = fc.nat({ max: seeds.length - 1 }).map((i) => seeds[i] as Seed);
  // A token is mostly replaced by one of its own class (a name by a name, a number by a
  // number), which keeps the spec parseable and lets the checker and builder see it. The
  // piece's trailing gap is kept, so the new word never glues to the next token.
  const classOf = (w: string): number =>
    KEYWORDS.has(w) || GRAMMAR_WORDS.has(w) ? 0 : /^[A-Za-z_]/.test(w) ? 1 : /^-?[0-9]/.test(w) ? 2 : 3;
  const byClass = [0, 1, 2, 3].map((c) => words.filter((w) => classOf(w) === c));
  const replaceToken = (piece: string, k: number): string => {
    const word = /^\S*/.exec(piece)?.[0] ?? '';
    const pool = k % 4 === 0 ? words : (byClass[classOf(word)] as string[]);
    return (pool[(k >>> 2) % pool.length] as string) + (piece.slice(word.length) || ' ');
  };
  // One name, number or operator swapped for another of its class: mostly still parses, so
  // it probes the checker (a wrong type, an unknown name) and, when it checks, the model.
  const tokenReplace = fc
    .tuple(seed, fc.nat({ max: 1 << 20 }), fc.nat())
    .map(([s, a, k]) => applyEdit(s.pieces, { kind: 'replace', a, word: k - (k % 4) + 1 }, replaceToken).join(''));
  const tokenEdits = fc
    .tuple(seed, fc.array(editArb(6, 6), { minLength: 1, maxLength: 3 }))
    .map(([s, edits]) => edits.reduce((ps, e) => applyEdit(ps, e, replaceToken), s.pieces).join(''));
  // Whole lines: a line is often a whole statement, so these edits mostly still compile
  // (a duplicated spin_lock, a lost unlock, swapped steps) and reach buildSystem.
  const lineEdits = fc
    .tuple(seed, fc.array(editArb(3), { minLength: 1, maxLength: 3 }))
    .map(([s, edits]) =>
      edits
        .reduce((ls, e) => applyEdit(ls, e, (_, k) => lines[k % lines.length] as string), s.text.split(/(?<=\n)/))
        .join(''),
    );
  const charEdits = fc
    .tuple(seed, fc.array(editArb(40), { minLength: 1, maxLength: 3 }))
    .map(([s, edits]) =>
      edits.reduce((cs, e) => applyEdit(cs, e, (_, k) => ' ;{}()0x'[k % 8] as string), [...s.text]).join(''),
    );
  const stream = fc
    .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', '\n', '')), { maxLength: 150 })
    .map((parts) => parts.map(([w, sep]) => w + sep).join(''));
  return { tokenReplace, tokenEdits, lineEdits, charEdits, stream };
}

/** Imports never touch the disk: every imported file is missing. */
const noFiles: ReadFile = (path) => {
  throw Object.assign(new Error(`no such file: ${path}`), { code: 'ENOENT' });
};

export interface FuzzCounts {
  cases: number;
  /** Cases that compiled without errors. */
  compiled: number;
  /** Scenario systems built, and walk steps taken over all of them. */
  systems: number;
  steps: number;
}

/**
 * One case: compile, check the diagnostics, build and walk every scenario. Throws on a bug,
 * with a message saying which stage failed (fast-check then shrinks the text).
 */
export function checkCompile(text: string, walkSeed: number, counts: FuzzCounts): void {
  counts.cases++;
  const r = compileText(text, 'fuzz.mmspec', noFiles);
  if (!Array.isArray(r.diagnostics)) throw new Error('compileText returned no diagnostics array');
  for (const d of r.diagnostics) {
    const f = r.sources.files[d.span.file];
    if (f === undefined) throw new Error(`diagnostic in unknown file ${d.span.file}: ${d.message}`);
    if (d.span.start < 0 || d.span.start > d.span.end || d.span.end > f.text.length)
      throw new Error(`diagnostic span out of range: ${JSON.stringify(d.span)} ${d.message}`);
    if (d.message === '' || (d.severity !== 'error' && d.severity !== 'warning'))
      throw new Error(`malformed diagnostic ${JSON.stringify(d)}`);
  }
  renderDiagnostics(r.sources, r.diagnostics);
  if (!r.ok) {
    if (!r.diagnostics.some((d) => d.severity === 'error'))
      throw new Error('compile failed without an error diagnostic');
    return;
  }
  counts.compiled++;
  let rng = walkSeed >>> 0 || 1;
  const random = (n: number): number => {
    rng ^= rng << 13;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    return (rng >>> 0) % n;
  };
  for (const scenario of r.spec.scenarios) {
    const sys = buildSystem(r.spec, scenario);
    counts.systems++;
    const init = sys.initial();
    if (!('state' in init)) continue;
    let s: Int32Array = init.state;
    let out: Int32Array = new Int32Array(sys.stateWords);
    const fp = new Footprint();
    for (let i = 0; i < WALK_STEPS; i++) {
      const enabled: [number, number][] = [];
      for (let t = 0; t < sys.threadCount; t++) {
        const c = sys.choices(s, t);
        sys.nextStepInfo(s, t);
        if (c > 0) enabled.push([t, random(c)]);
      }
      if (enabled.length === 0) {
        sys.terminal(s);
        break;
      }
      const [t, c] = enabled[random(enabled.length)] as [number, number];
      sys.guardFootprint(s, t, fp);
      counts.steps++;
      if (sys.step(s, t, c, out, fp) === STEP_VIOLATION) {
        sys.lastViolation();
        break;
      }
      [s, out] = [out, s];
    }
  }
}

/**
 * Run `n` cases (seeded for reproduction; fast-check prints the seed and the shrunk text on
 * failure, and the error says which stage threw). Throws fast-check's report on a failure.
 */
export function runCompileFuzz(n: number, seed?: number, dir = VALID_DIR): FuzzCounts {
  const counts: FuzzCounts = { cases: 0, compiled: 0, systems: 0, steps: 0 };
  const a = fuzzInputs(dir);
  const input = fc.oneof(
    { weight: 2, arbitrary: a.tokenReplace },
    { weight: 3, arbitrary: a.tokenEdits },
    { weight: 2, arbitrary: a.lineEdits },
    { weight: 2, arbitrary: a.charEdits },
    { weight: 1, arbitrary: a.stream },
  );
  const prop = fc.property(input, fc.nat(), (text, walkSeed) => checkCompile(text, walkSeed, counts));
  fc.assert(prop, seed === undefined ? { numRuns: n } : { numRuns: n, seed });
  return counts;
}
