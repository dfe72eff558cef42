// The HTML trace page (`mmcheck replay --html`) in a real browser: headless Chromium, driven
// by its command-line flags only (--dump-dom, --screenshot, --window-size). Runs in `npm test`
// whenever `chromium` (or `chromium-browser`) is on PATH and is skipped with a note otherwise;
// `npm run test:e2e` (MMCHECK_E2E=1) fails instead of skipping. It never installs anything.
//
// Each check loads a copy of the page with one extra inline script appended (the probe,
// test/e2e/html-probe.ts): it runs after the page's own script, measures the layout, presses
// keys, and writes what it saw into the DOM, which --dump-dom prints. The screenshots are
// left in $MMCHECK_E2E_SCREENSHOTS (default: a temporary directory) to look at.

import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';
import { renderHtml } from '../../src/report/html.js';
import { hostileView } from '../support/hostile-view.js';
import { PROBE, type Probe } from './html-probe.js';

const run = promisify(execFile);
const RFC = 'traces/rfc-2008-example.fault_vs_munmap.premature_free.json';
const FIVE = 'test/fixtures/traces/five-lanes.five.final.json';

function findChromium(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  return (found.stdout ?? '').trim();
}

const BROWSER = findChromium();
const REQUIRED = process.env['MMCHECK_E2E'] === '1';
const skip =
  BROWSER !== '' || REQUIRED
    ? false
    : 'chromium is not on PATH: the HTML trace view was not checked in a browser (install chromium to run these)';
const DIR = mkdtempSync(join(tmpdir(), 'mmcheck-e2e-'));
const SHOTS = process.env['MMCHECK_E2E_SCREENSHOTS'] ?? DIR;

async function writePage(trace: string, name: string): Promise<string> {
  const html = join(DIR, `${name}.html`);
  const io = { out: () => {}, err: () => {}, color: false };
  assert.equal(await main(['node', 'mmcheck', 'replay', trace, '--html', html], io), 0);
  return html;
}

interface Loaded {
  dom: string;
  probe: Probe;
  shot: string;
}

/** Load `html` (plus the probe) at `width` px with `hash`; the DOM after the probe, and a screenshot. */
async function load(html: string, width: number, hash: string, shotName: string): Promise<Loaded> {
  assert.notEqual(BROWSER, '', 'MMCHECK_E2E=1 but chromium is not on PATH');
  const probed = html.replace(/\.html$/, `.probed-${width}.html`);
  writeFileSync(probed, readFileSync(html, 'utf8').replace('</body>', `<script>${PROBE}</script></body>`));
  mkdirSync(SHOTS, { recursive: true });
  const shot = join(SHOTS, `${shotName}-${width}.png`);
  const profile = mkdtempSync(join(DIR, 'profile-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    `--window-size=${width},900`,
    `--screenshot=${shot}`,
    '--dump-dom',
    `${pathToFileURL(resolve(probed)).href}${hash}`,
  ];
  const { stdout } = await run(BROWSER, flags, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 }).finally(() =>
    rmSync(profile, { recursive: true, force: true }),
  );
  const m = /<pre id="mmcheck-probe"[^>]*>([A-Za-z0-9+/=]*)<\/pre>/.exec(stdout);
  assert.ok(m, 'the probe ran and wrote its report');
  const probe = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as Probe;
  assert.deepEqual([...readFileSync(shot).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]); // PNG
  return { dom: stdout, probe, shot };
}

// The four page loads run side by side (one chromium each): about a second each on a quiet machine.
describe('e2e html: the trace page in headless chromium', { skip, concurrency: true }, () => {
  test('a 2-thread trace at 1400 px — diagram, the step the URL names, its full state', async () => {
    const { dom, probe } = await load(await writePage(RFC, 'rfc'), 1400, '#step=8', 'rfc');
    assert.match(dom, /<h1>premature_free in scenario fault_vs_munmap<\/h1>/);
    assert.match(dom, /<tr class="step violation[^"]*" data-step="20"/);
    assert.equal(probe.selected, '8');
    assert.equal(probe.focused, '8');
    assert.match(dom, /<h2 id="state-title">State after step 8 \(munmap: down_write\(mmap_sem\);\)<\/h2>/);
    assert.match(dom, /<h3>Locks<\/h3>.*<td>mmap_sem<\/td><td>rwsem<\/td><td>munmap<\/td>/s);
    assert.match(dom, /<h3>RCU \/ SRCU<\/h3>.*<td>mm_srcu<\/td><td>fault<\/td>/s);
    assert.match(dom, /<h3>Page tables<\/h3>.*<td>pte_page#0<\/td><td>allocated<\/td>/s);
    // Each thread's locals as name = value rows (before: one crushed `{addr: 1, v: vma#0, …}` cell).
    assert.deepEqual(probe.threads[0]?.locals, ['addr = 1', 'v = vma#0', 'pt = pte_page#0', 'idx = 0']);
    assert.ok(probe.threads[0]?.localsReadable);
    assert.deepEqual(
      probe.threads.map((t) => [t.name, t.status]),
      [
        ['fault', 'runnable'],
        ['munmap', 'runnable'],
      ],
    );
  });

  for (const width of [900, 1400]) {
    test(`a 6-lane trace at ${width} px — focus, keys, file:line, locals, no overflow, folding`, async () => {
      const { probe } = await load(await writePage(FIVE, 'five'), width, '', 'five');
      assert.equal(probe.innerWidth, width);
      // The violating (last) step is selected and focused on load: arrows work before any click.
      assert.deepEqual([probe.selected, probe.focused, probe.hash], ['33', '33', '']);
      assert.deepEqual(probe.keys, [
        { key: 'ArrowUp', selected: '32', focused: '32', hash: '#step=32' },
        { key: 'k', selected: '31', focused: '31', hash: '#step=31' },
        { key: 'ArrowDown', selected: '32', focused: '32', hash: '#step=32' },
        { key: 'Home', selected: '0', focused: '0', hash: '#step=0' },
        { key: 'End', selected: '33', focused: '33', hash: '#step=33' },
      ]);
      // Every lane and the changes column are inside the window; nothing scrolls sideways.
      assert.deepEqual(
        probe.heads.map((h) => h.text),
        ['#', 'line', 'reader#1', 'reader#2', 'reader#3', 'evict', 'refill', 'callback(page#0)', 'changes'],
      );
      for (const h of probe.heads) assert.ok(h.right <= width, `${h.text} ends at ${h.right} > ${width}`);
      assert.ok(probe.scrollWidth <= width, `the page is ${probe.scrollWidth} px wide`);
      assert.ok(probe.diagram.scrollWidth <= probe.diagram.clientWidth, JSON.stringify(probe.diagram));
      assert.ok(probe.state.scrollWidth <= probe.state.clientWidth, JSON.stringify(probe.state));
      assert.ok(probe.state.height >= 150, `the state panel is ${probe.state.height} px high`);
      // The line column names the file: the main spec's and the imported library's lines.
      assert.ok(probe.lines.includes('five-lanes.mmspec:19'), probe.lines.join(' '));
      assert.ok(probe.lines.includes('page-cache.mmspec:13'), probe.lines.join(' '));
      // Locals: per thread, one `name value` per line, the fn's locals under the fn's name.
      const r3 = probe.threads.find((t) => t.name === 'reader#3');
      assert.deepEqual(r3?.locals, [
        'id = 0',
        'p = null',
        'seen = 0',
        'get_page.p = null',
        'put_page.p = null',
        'put_page.left = 0',
      ]);
      for (const t of probe.threads)
        assert.ok(t.localsReadable, `${t.name}: a local's name and value are not on one line`);
      // A lane folds to a narrow column and unfolds.
      assert.ok(probe.fold.folded < 48 && probe.fold.unfolded > 80, JSON.stringify(probe.fold));
    });
  }

  test('hostile names run no script and inject no element', async () => {
    const html = join(DIR, 'hostile.html');
    writeFileSync(html, renderHtml(hostileView(), { title: '<img src=x onerror=window.pwned=1>', reproduced: true }));
    const { probe } = await load(html, 1000, '#step=1', 'hostile');
    assert.equal(probe.pwned, false);
    assert.equal(probe.injected, 0);
    assert.equal(probe.scripts, 3); // the trace data, the page's script and the probe
    assert.equal(probe.selected, '1');
  });
});
