import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTrace } from '../../src/checker/trace/file.js';
import { replayTrace } from '../../src/checker/trace/replay.js';
import { renderHtml } from '../../src/report/html.js';

function page(path: string): string {
  const t = readTrace(path);
  assert.ok(t.ok);
  const r = replayTrace(t.trace, path);
  assert.equal(r.kind, 'replayed');
  if (r.kind !== 'replayed') return '';
  return renderHtml(r.view, { title: path, reproduced: r.reproduced, reason: r.reason });
}

test('html: one self-contained page — no external scripts, styles, images, fonts or fetches', () => {
  const html = page('traces/rfc-2008-example.fault_vs_munmap.premature_free.json');
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<(script|img|link|iframe)[^>]+(src|href)=/i);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /@import|url\(|fetch\(|XMLHttpRequest/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('html: the swimlane diagram has one clickable row per step, and the violating row is marked', () => {
  const html = page('traces/rfc-2008-example.fault_vs_munmap.premature_free.json');
  assert.equal(html.match(/<tr class="step[^"]*" data-step="\d+"/g)?.length, 21); // initial state + 20 steps
  assert.match(html, /<tr class="step violation" data-step="20"[^>]*>.*free\(pt\);/);
  assert.match(html, /<th class="lane l0">fault<\/th><th class="lane l1">munmap<\/th>/);
  assert.match(html, /⋯ preempted/);
  assert.match(html, /reproduced as recorded/);
  const data = JSON.parse(/<script type="application\/json" id="trace-data">(.*?)<\/script>/s.exec(html)![1]!) as {
    states: unknown[];
    steps: unknown[];
    violationStep: number;
  };
  assert.equal(data.steps.length, 20);
  assert.equal(data.states.length, 20); // the initial state and the 19 that completed
  assert.equal(data.violationStep, 20);
});

test('html: spec text is escaped, never markup', () => {
  const html = page('test/fixtures/traces/lost-update.three_incs.final.json');
  assert.doesNotMatch(html, /<\/script><script>alert/);
  const json = /<script type="application\/json" id="trace-data">(.*?)<\/script>/s.exec(html)![1]!;
  assert.doesNotMatch(json, /</);
});
