// End-to-end check of the HTML trace page in a real browser: opt-in (`npm run test:e2e`),
// skipped by `npm test`. Installs Debian's chromium when it is missing (needs root and the
// network), writes the page with `mmcheck replay --html`, loads it headless with the step
// selected through the URL (#step=N), and checks the DOM the page's script rendered. A
// screenshot is left at $MMCHECK_E2E_SCREENSHOT (default: a temporary file) to look at.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main.js';

const enabled = process.env['MMCHECK_E2E'] === '1';
const TRACE = 'traces/rfc-2008-example.fault_vs_munmap.premature_free.json';

function chromium(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
    encoding: 'utf8',
  }).stdout.trim();
  if (found !== '') return found;
  execFileSync('apt-get', ['install', '-y', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return 'chromium';
}

function headless(browser: string, url: string, extra: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'mmcheck-chromium-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    `--user-data-dir=${profile}`,
    '--window-size=1400,1000',
    ...extra,
    url,
  ];
  return execFileSync(browser, flags, { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] });
}

test('e2e: the HTML trace renders in chromium: diagram, violating step, full state of a clicked step', {
  skip: enabled ? false : 'opt-in: npm run test:e2e',
}, async () => {
  const browser = chromium();
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-e2e-'));
  const html = join(dir, 'trace.html');
  const io = { out: () => {}, err: () => {}, color: false };
  assert.equal(await main(['node', 'mmcheck', 'replay', TRACE, '--html', html], io), 0);
  const url = `${pathToFileURL(resolve(html)).href}#step=8`;

  const dom = headless(browser, url, ['--dump-dom']);
  assert.match(dom, /<h1>premature_free in scenario fault_vs_munmap<\/h1>/);
  assert.match(dom, /<tr class="step violation[^"]*" data-step="20"/);
  assert.match(dom, /<tr class="step sel" data-step="8"/);
  // Rendered by the page's script: the state after step 8 (munmap took mmap_sem for write).
  assert.match(dom, /<h2 id="state-title">State after step 8 \(munmap: down_write\(mmap_sem\);\)<\/h2>/);
  assert.match(dom, /<h3>Locks<\/h3>.*<td>mmap_sem<\/td><td>rwsem<\/td><td>munmap<\/td>/s);
  assert.match(dom, /<h3>RCU \/ SRCU<\/h3>.*<td>mm_srcu<\/td><td>fault<\/td>/s);
  assert.match(dom, /<h3>Page tables<\/h3>.*<td>pte_page#0<\/td><td>allocated<\/td>/s);
  assert.match(dom, /<h3>Threads<\/h3>.*<td>fault<\/td><td>runnable<\/td>/s);

  const shot = process.env['MMCHECK_E2E_SCREENSHOT'] ?? join(dir, 'trace.png');
  headless(browser, `${pathToFileURL(resolve(html)).href}#step=20`, [`--screenshot=${shot}`]);
  assert.ok(existsSync(shot));
  assert.deepEqual([...readFileSync(shot).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]); // PNG
});
