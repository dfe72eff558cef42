import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTrace } from '../../src/checker/trace/file.js';
import { replayTrace } from '../../src/checker/trace/replay.js';
import { fileLine, renderHtml } from '../../src/report/html.js';
import { PAGE_SCRIPT, sideBySideWidth } from '../../src/report/html-page.js';
import { HOSTILE, hostileView } from '../support/hostile-view.js';

const RFC = 'traces/rfc-2008-example.fault_vs_munmap.premature_free.json';
const FIVE = 'test/fixtures/traces/five-lanes.five.final.json';

function page(path: string): string {
  const t = readTrace(path);
  assert.ok(t.ok);
  const r = replayTrace(t.trace, path);
  assert.equal(r.kind, 'replayed');
  if (r.kind !== 'replayed') return '';
  return renderHtml(r.view, { title: path, reproduced: r.reproduced, reason: r.reason });
}

const text = (html: string): string => html.replace(/<[^>]*>/g, '');
const cells = (html: string, cls: string): string[] =>
  [...html.matchAll(new RegExp(`<td class="${cls}"[^>]*>(.*?)</td>`, 'g'))].map((m) => text(m[1]!));

test('html: one self-contained page — no external scripts, styles, images, fonts or fetches', () => {
  const html = page(RFC);
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<(script|img|link|iframe)[^>]+(src|href)=/i);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /@import|url\(|fetch\(|XMLHttpRequest/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('html: the swimlane diagram has one row per step, and the violating row is marked', () => {
  const html = page(RFC);
  assert.equal(html.match(/<tr class="step[^"]*" data-step="\d+"/g)?.length, 21); // initial state + 20 steps
  assert.match(html, /<tr class="step violation" data-step="20"[^>]*>.*free\(<wbr>pt\);/);
  assert.match(
    html,
    /<th class="lane l0" data-lane="0"><button [^>]*>fault<\/button><\/th><th class="lane l1" data-lane="1">/,
  );
  assert.match(html, /⋯ preempted/);
  assert.match(html, /reproduced as recorded/);
  const data = JSON.parse(/<script type="application\/json" id="trace-data">(.*?)<\/script>/s.exec(html)![1]!) as {
    states: unknown[];
    steps: unknown[];
    lanes: string[];
    violationStep: number;
  };
  assert.equal(data.steps.length, 20);
  assert.equal(data.states.length, 20); // the initial state and the 19 that completed
  assert.equal(data.violationStep, 20);
  assert.deepEqual(data.lanes, ['fault', 'munmap']);
});

test('html: the line column names the file of each step — the spec or the file it imports', () => {
  // Before: bare numbers ("19", "13") from five-lanes.mmspec and lib/page-cache.mmspec alike.
  const lines = cells(page(FIVE), 'ln').filter((s) => s !== '');
  assert.equal(lines.length, 32); // the deferred free (step 33) has no statement
  for (const l of lines) assert.match(l, /^(five-lanes|page-cache)\.mmspec:\d+$/);
  assert.ok(lines.includes('five-lanes.mmspec:19'));
  assert.ok(lines.includes('page-cache.mmspec:13'));
  assert.match(
    page(FIVE),
    /<span class="file imp">page-cache<span class="ext">\.mmspec<\/span><\/span><wbr><span class="no">:13<\/span>/,
  );
  assert.deepEqual(fileLine('specs/lib/mm.mmspec:468'), ['mm.mmspec', '468']);
  assert.deepEqual(fileLine('C:\\specs\\a.mmspec:3'), ['a.mmspec', '3']);
  assert.deepEqual(fileLine('a.mmspec'), ['a.mmspec', '']);
});

test('html: six lanes — one foldable column each; the state panel goes beside them only where they fit', () => {
  const html = page(FIVE);
  const lanes = [
    ...html.matchAll(/<th class="lane l\d" data-lane="(\d)"><button [^>]*aria-expanded="true"[^>]*>([^<]*)</g),
  ];
  assert.deepEqual(
    lanes.map((m) => m[2]),
    ['reader#1', 'reader#2', 'reader#3', 'evict', 'refill', 'callback(page#0)'],
  );
  assert.equal(html.match(/<col class="lane" data-lane="\d">/g)?.length, 6);
  assert.match(html, /table\.lanes\{width:100%;table-layout:fixed\}/);
  // Six lanes do not fit beside the state panel at 1400 px: it goes below them there.
  assert.match(html, new RegExp(`@media \\(min-width: ${sideBySideWidth(6)}px\\) \\{ main\\{grid-template-columns`));
  assert.ok(sideBySideWidth(6) > 1400 && sideBySideWidth(2) <= 1400 && sideBySideWidth(3) <= 1400);
  assert.match(page(RFC), new RegExp(`@media \\(min-width: ${sideBySideWidth(2)}px\\)`));
});

test('html: every string of the view is escaped — markup in names, text, paths and messages stays text', () => {
  const html = renderHtml(hostileView(), {
    title: HOSTILE[2]!,
    reproduced: false,
    reason: HOSTILE[0]!,
    recorded: HOSTILE[1]!,
  });
  const json = /<script type="application\/json" id="trace-data">(.*?)<\/script>/s.exec(html)![1]!;
  assert.doesNotMatch(json, /</);
  const markup = html
    .replace(/<script type="application\/json" id="trace-data">.*?<\/script>/s, '')
    .replace(/<script>\n\(function\(\)\{.*?\}\)\(\);\n<\/script>/s, '')
    .replace(/="[^"]*"/g, '=""'); // attribute values: no quote inside them, so nothing escapes them

  assert.doesNotMatch(markup, /<script|<img|<b>x<\/b>|<!--|<[^>]*\sonerror=/i);
  for (const h of HOSTILE.slice(0, 4))
    assert.ok(html.includes(h.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)), h);
  assert.deepEqual(JSON.parse(json).lanes, [HOSTILE[0], HOSTILE[1]]); // the script sets them as text
});

test('html: the page script builds the state panel with textContent only, and a trace of no steps renders', () => {
  assert.doesNotMatch(PAGE_SCRIPT, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  const empty = { ...hostileView(), steps: [], preemptions: [], stepViolation: false };
  empty.states = empty.states.slice(0, 1);
  const html = renderHtml(empty, { title: 'empty' });
  assert.equal(html.match(/<tr class="step[^"]*" data-step="\d+"/g)?.length, 1); // the initial state alone
  assert.match(html, /0 steps · 0 threads · 0 preemptions/);
});

test('html: the changes column leaves out what a free poisons and the locals a finishing thread clears', () => {
  const html = page(FIVE);
  const changes = (step: number): string =>
    text(new RegExp(`data-step="${step}"[^>]*>.*<td class="ch">(.*?)</td></tr>`).exec(html)![1]!);
  // Step 11: refill frees page#1 (its refcnt is poisoned) and finishes (fresh is cleared).
  assert.equal(changes(11), 'page#1 allocated → freed');
  // Step 27: reader#2 leaves its read section and finishes.
  assert.equal(changes(27), 'rcu.readers {reader#2} → {}');
  assert.equal(changes(24), 'slot_lock unlocked → held by reader#2');
});

test('html: a livelock marks the steps that repeat forever and says so above the diagram', () => {
  const html = page('test/fixtures/traces/goto-spin.flag.deadlock.json');
  assert.match(
    html,
    /<p class="loop-note">↻ step 2 repeats forever \(nothing the spinning threads wait on can change\)<\/p>/,
  );
  assert.deepEqual(
    [...html.matchAll(/<tr class="step([^"]*)" data-step="(\d+)"/g)].map((m) => `${m[2]}${m[1]}`),
    ['0', '1', '2 looping'],
  );
  assert.match(html, /data-step="2"[^>]*><td class="i"><span class="loop"[^>]*>↻<\/span>2<\/td>/);
  assert.doesNotMatch(page(RFC), /class="loop-note"|class="step looping"|class="loop"/);
});
