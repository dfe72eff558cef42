// Spec names are keys like any other in a trace file: a global named `__proto__` (or
// `constructor`) is in every ITF state, and a trace's options keep every key they have.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exploreSpec } from '../../../src/checker/explore-spec.js';
import { readTrace } from '../../../src/checker/trace/file.js';
import { compileText } from '../../../src/model/compile.js';

const PROTO = ['__', 'proto', '__'].join('');

test('ITF: a global named __proto__ is in every state of a saved trace', async () => {
  const r = compileText(`shared __proto__: int;
shared constructor: int;
thread t() { __proto__ = 1; constructor = 2; assert(__proto__ == 0, "set"); }
scenario s expect violation(assertion) { t(); }
`);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const out = join(mkdtempSync(join(tmpdir(), 'mmcheck-itf-')), 'proto.json');
  await exploreSpec('proto.mmspec', r.spec, r.spec.scenarios, { mode: 'bfs' }, { traceOut: out });
  const json = JSON.parse(readFileSync(out, 'utf8')) as { vars: string[]; states: Record<string, unknown>[] };
  assert.deepEqual(json.vars.slice(0, 2), ['__proto__', 'constructor']);
  assert.deepEqual(
    json.states.map((s) => [Object.hasOwn(s, '__proto__'), s[PROTO], s['constructor']]),
    [
      [true, { '#bigint': '0' }, { '#bigint': '0' }],
      [true, { '#bigint': '1' }, { '#bigint': '0' }],
      [true, { '#bigint': '1' }, { '#bigint': '2' }],
    ],
  );
  // The options read back keep a key named __proto__ as data.
  const text = readFileSync(out, 'utf8').replace('"options": {', '"options": {"__proto__": 7, ');
  writeFileSync(out, text);
  const t = readTrace(out);
  assert.ok(t.ok, t.ok ? '' : t.error);
  assert.equal(Object.hasOwn(t.trace.options, '__proto__'), true);
  assert.equal(t.trace.options[PROTO], 7);
});
