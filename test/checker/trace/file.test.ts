import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { needsLeakCheck, runScenario } from '../../../src/checker/scenario.js';
import { buildTrace, defaultTraceName, formatJson, readTrace, writeTrace } from '../../../src/checker/trace/file.js';
import { replaySchedule } from '../../../src/checker/trace/record.js';
import { checkTraceFile, replayTrace } from '../../../src/checker/trace/replay.js';
import { parseTraceText, type TraceFile } from '../../../src/checker/trace/schema.js';
import { buildSystem, compileFile, findScenario } from '../../../src/model/compile.js';
import { propertyRuns } from '../../support/fc-global.js';

const UAF = 'test/fixtures/traces/uaf.mmspec';
const RFC = 'specs/rfc-2008-example.mmspec';

/** Explore a scenario with BFS and save its trace into a fresh temporary directory. */
async function makeTrace(
  spec: string,
  scenario: string,
  dir = mkdtempSync(join(tmpdir(), 'mmcheck-trace-')),
): Promise<{ path: string; trace: TraceFile }> {
  const c = compileFile(spec);
  assert.ok(c.ok);
  const sc = findScenario(c.spec, scenario)!;
  const run = await runScenario(buildSystem(c.spec, sc, { leak: needsLeakCheck(sc) }), sc, { mode: 'bfs' });
  assert.equal(run.result.verdict.kind, 'violation');
  if (run.result.verdict.kind !== 'violation') throw new Error('unreachable');
  const sys = buildSystem(c.spec, sc);
  const path = join(dir, defaultTraceName(spec, scenario, run.result.verdict.violation.kind));
  const trace = buildTrace({
    sys,
    replay: replaySchedule(sys, run.result.verdict.schedule),
    tracePath: path,
    options: { mode: 'bfs' },
  });
  writeTrace(path, trace);
  return { path, trace };
}

test('trace file: written, read back unchanged, and it names its spec relative to itself', async () => {
  const { path, trace } = await makeTrace(UAF, 'reader_vs_release');
  assert.match(path, /uaf\.reader_vs_release\.use_after_free\.json$/);
  const back = readTrace(path);
  assert.ok(back.ok, back.ok ? '' : back.error);
  assert.deepEqual(back.trace, JSON.parse(readFileSync(path, 'utf8')));
  assert.deepEqual(back.trace, JSON.parse(JSON.stringify(trace)));
  assert.equal(trace.spec.path, relative(join(path, '..'), UAF));
  assert.equal(trace.format, 'mmcheck-trace');
  assert.equal(trace['#meta'].format, 'ITF');
  assert.match(trace.spec.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    trace.schedule.map((e) => e.threadName),
    ['reader', 'release', 'release', 'release', 'reader'],
  );
  assert.deepEqual(trace.schedule[4], {
    thread: 0,
    threadName: 'reader',
    choice: 0,
    step: 2,
    position: 'uaf.mmspec:14',
    text: 'x = o.val;',
  });
  assert.deepEqual(
    { ...trace.violation, message: '' },
    {
      kind: 'use_after_free',
      message: '',
      step: 5,
      terminal: false,
      thread: 0,
      threadName: 'reader',
      position: 'uaf.mmspec:14',
      objects: [{ object: 'obj#0', event: 'is freed' }],
    },
  );
  // ITF: one state per completed step plus the initial one, each indexed, ints as #bigint.
  assert.equal(trace.states.length, 5);
  trace.states.forEach((s, i) => {
    assert.equal(s['#meta'].index, i);
  });
  assert.deepEqual(trace.vars, ['cur', 'mm::rcu', 'mm::pools', 'mm::threads']);
  assert.equal(trace.states[0]!['cur'], 'obj#0');
  assert.deepEqual(trace.states[4]!['mm::pools'], {
    '#map': [['obj#0', { status: 'freed', fields: { val: { '#bigint': '0' } } }]],
  });
  assert.equal(checkTraceFile(path).detail, 'reproduces');
});

test('trace file: a deadlock is a terminal violation with the final state recorded', async () => {
  const { trace } = await makeTrace('test/fixtures/traces/abba.mmspec', 'abba');
  assert.equal(trace.violation.terminal, true);
  assert.equal(trace.violation.step, 2);
  assert.equal(trace.states.length, 3);
});

/** Edits of a valid trace, and the message each must give. */
// biome-ignore lint/suspicious/noExplicitAny: an edit reaches anywhere into the parsed JSON tree
const SCHEMA_ERRORS: [(t: Record<string, any>) => void, string][] = [
  [
    (t) => {
      t['schedule'][3].thread = 'x';
    },
    'traces/x.json: field "schedule[3].thread" must be an integer',
  ],
  [
    (t) => {
      delete t['scenario'];
    },
    'traces/x.json: field "scenario" is missing',
  ],
  [
    (t) => {
      t['violation'].kind = 'oops';
    },
    `traces/x.json: field "violation.kind" must be one of assertion, use_after_free, null_deref, premature_free, invariant, final, deadlock, lock_misuse, sleep_in_atomic, lock_order, pool_exhausted, leak, data_race`,
  ],
  [
    (t) => {
      t['spec'].sha256 = 'abc';
    },
    'traces/x.json: field "spec.sha256" must be a sha256 hash (64 hex digits)',
  ],
  [
    (t) => {
      t['states'].pop();
    },
    'traces/x.json: field "states" has 4 entries; a trace of 5 steps ending in a step violation has 5',
  ],
  [
    (t) => {
      t['states'][2]['#meta'].index = 7;
    },
    'traces/x.json: field "states[2].#meta.index" must be 2',
  ],
  [
    (t) => {
      t['states'][1]['cur'] = { '#bigint': 'x1' };
    },
    'traces/x.json: field "states[1].cur.#bigint" must be a string of decimal digits',
  ],
  [
    (t) => {
      t['version'] = 9;
    },
    'traces/x.json: field "version" is 9, but this mmcheck reads trace version 1; upgrade mmcheck',
  ],
];

test('trace file: schema errors name the field', async () => {
  const { trace } = await makeTrace(UAF, 'reader_vs_release');
  const text = JSON.stringify(trace);
  // biome-ignore lint/suspicious/noExplicitAny: as SCHEMA_ERRORS
  const edit = (f: (t: Record<string, any>) => void): string => {
    // biome-ignore lint/suspicious/noExplicitAny: as SCHEMA_ERRORS
    const t = JSON.parse(text) as Record<string, any>;
    f(t);
    return JSON.stringify(t);
  };
  const error = (s: string): string => {
    const r = parseTraceText(s, 'traces/x.json');
    assert.equal(r.ok, false);
    return r.ok ? '' : r.error;
  };
  for (const [mutate, message] of SCHEMA_ERRORS) assert.equal(error(edit(mutate)), message);
  assert.equal(error('{"quint": 1}'), 'traces/x.json: is not an mmcheck trace: field "format" must be "mmcheck-trace"');
  assert.equal(error('null'), 'traces/x.json: is not an mmcheck trace: expected a JSON object, found null');
  assert.match(
    error(text.slice(0, 200)),
    /^traces\/x\.json: the file looks truncated: it is not valid JSON \(.*\); re-create it with mmcheck explore --save$/,
  );
  assert.match(error(''), /^traces\/x\.json: the file is empty/);
});

// Truncated, mutated and foreign JSON: always a value (a trace or one message), never a
// throw; and a trace that still parses replays to a verdict, never a throw.
test('trace file fuzz: truncated, mutated and foreign JSON give a clear error, never a throw (1,000 cases)', async () => {
  const { path, trace } = await makeTrace(UAF, 'reader_vs_release');
  const text = readFileSync(path, 'utf8');
  const json = JSON.parse(text) as unknown;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]): void => {
    paths.push(p);
    if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, [...p, Array.isArray(v) ? Number(k) : k]);
  };
  walk(json, []);
  const mutate = (at: (string | number)[], value: unknown, remove: boolean): string => {
    const copy = JSON.parse(text) as Record<string | number, unknown>;
    if (at.length === 0) return JSON.stringify(value);
    let o = copy as Record<string | number, unknown>;
    for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    const last = at[at.length - 1]!;
    if (remove) delete o[last];
    else o[last] = value;
    return JSON.stringify(copy);
  };
  const truncated = fc.integer({ min: 0, max: text.length - 1 }).map((n) => text.slice(0, n));
  const mutated = fc
    .tuple(fc.integer({ min: 0, max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }), fc.boolean())
    .map(([i, v, rm]) => mutate(paths[i]!, v, rm));
  const foreign = fc.oneof(fc.json({ maxDepth: 4 }), fc.string());
  const flipped = fc
    .tuple(
      fc.integer({ min: 0, max: text.length - 1 }),
      fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '0', '-', 'x', ' '),
    )
    .map(([i, c]) => text.slice(0, i) + c + text.slice(i + 1));
  fc.assert(
    fc.property(fc.oneof(truncated, mutated, foreign, flipped), (s) => {
      const r = parseTraceText(s, 'traces/x.json');
      if (!r.ok) {
        assert.match(r.error, /^traces\/x\.json: /);
        assert.doesNotMatch(r.error, /\n\s+at /);
        return;
      }
      const out = replayTrace(r.trace, path, UAF);
      assert.ok(['spec-unreadable', 'spec-invalid', 'no-scenario', 'replayed'].includes(out.kind));
    }),
    { numRuns: propertyRuns(1000) },
  );
  assert.equal(trace.schedule.length, 5);
});

test('replay: an edited spec diverges, says where, and says the spec changed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-edit-'));
  const spec = join(dir, 'rfc.mmspec');
  const original = readFileSync(RFC, 'utf8');
  writeFileSync(spec, original);
  const { path } = await makeTrace(spec, 'fault_vs_munmap', dir);
  assert.equal(checkTraceFile(path).detail, 'reproduces');

  // munmap now waits for usage 2, which never comes: it blocks at step 11.
  writeFileSync(
    spec,
    original.replace('await atomic_cmpxchg(v.usage, 1, 0) == 1;', 'await atomic_cmpxchg(v.usage, 2, 0) == 2;'),
  );
  const blocked = checkTraceFile(path);
  assert.equal(blocked.reproduces, false);
  assert.equal(
    blocked.detail,
    `step 11: munmap is blocked at \`await atomic_cmpxchg(v.usage, 2, 0) == 2;\` (${shown(spec)}:38); the spec changed since the trace was recorded (rfc.mmspec: hash differs)`,
  );

  // The fix: the page-table page waits for a grace period too. The schedule still runs, the violation is gone.
  writeFileSync(spec, original.replace('pmd = null; free(pt);', 'pmd = null; call_srcu(mm_srcu, pt);'));
  const fixed = checkTraceFile(path);
  assert.equal(fixed.reproduces, false);
  assert.match(
    fixed.detail,
    /^the violation no longer occurs: all 20 steps ran, and premature_free did not happen; the spec changed/,
  );

  // A comment-only edit changes the hash but not the trace.
  writeFileSync(spec, `${original}\n// reviewed\n`);
  const comment = replayTrace(readTraceOk(path), path);
  assert.equal(comment.kind === 'replayed' && comment.reproduced, true);
  assert.deepEqual(comment.kind === 'replayed' ? comment.changed : [], ['rfc.mmspec']);

  // A missing scenario.
  writeFileSync(spec, original.replace('scenario fault_vs_munmap', 'scenario renamed'));
  assert.match(
    checkTraceFile(path).detail,
    /^the spec has no scenario 'fault_vs_munmap' \(its scenarios: renamed, two_faults\); the spec changed/,
  );
});

test('formatJson: short values on one line, long ones broken up, and it parses back', () => {
  const v = { a: [1, 2], b: { c: 'x'.repeat(200) }, d: [] };
  const s = formatJson(v, '');
  assert.deepEqual(JSON.parse(s), v);
  assert.equal(s, `{\n  "a": [1,2],\n  "b": {\n    "c": "${'x'.repeat(200)}"\n  },\n  "d": []\n}`);
});

/** A path as compile.ts displays it: relative to the working directory unless outside it. */
function shown(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}

function readTraceOk(path: string): TraceFile {
  const r = readTrace(path);
  assert.ok(r.ok);
  return r.trace;
}
