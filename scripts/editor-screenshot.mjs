// Drives a running code-server (VS Code in the browser, extensions on the server side) with
// headless Chromium through puppeteer-core, on specs/rfc-2008.mmspec with the mmcheck
// extension installed, and screenshots what a user sees: highlighting, a hover on a
// built-in, a go-to-definition into the imported library, and the diagnostic of a typo made
// in the editor (never saved). It fails when the editor does not show what mmcheck lsp
// answers, so a run is a check as well as a picture.
//
// Started by scripts/editor-screenshot.sh (which sets up code-server); by hand:
//   PUPPETEER_DIR=<dir with node_modules/puppeteer-core> node scripts/editor-screenshot.mjs URL FOLDER OUTDIR
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [url, folder, out] = process.argv.slice(2);
if (out === undefined || process.env.PUPPETEER_DIR === undefined) {
  console.error('usage: PUPPETEER_DIR=<dir> node scripts/editor-screenshot.mjs URL FOLDER OUTDIR');
  process.exit(2);
}
// Where F12 must land: the line of the fn in the library, as the checkout has it now.
const lib = readFileSync(join(folder, 'specs/lib/mm.mmspec'), 'utf8').split('\n');
const defLine = lib.findIndex((l) => l.startsWith('fn find_vma_mmap_read(')) + 1;
// puppeteer-core is not a dependency of mmcheck: it is loaded from wherever it was installed.
const puppeteer = createRequire(`${process.env.PUPPETEER_DIR}/`)('puppeteer-core');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
  defaultViewport: { width: 1200, height: 720 },
});
const page = await browser.newPage();
const failures = [];

async function key(mods, k) {
  for (const m of mods) await page.keyboard.down(m);
  await page.keyboard.press(k);
  for (const m of [...mods].reverse()) await page.keyboard.up(m);
}
// innerText, not textContent: the text as shown, one line per row of the Problems panel.
const text = (sel) => page.$$eval(sel, (els) => els.map((e) => e.innerText).join('\n'));
const oneLine = (s) => s.replace(/\s+/g, ' ').trim();
async function shot(name) {
  await page.screenshot({ path: `${out}/${name}.png` });
  console.log(`screenshot ${out}/${name}.png`);
}
/** Polls `get` until `ok` holds of its value (or the time is up); returns the last value. */
async function until(what, get, ok, ms = 20000) {
  let v = await get();
  for (const end = Date.now() + ms; !ok(v) && Date.now() < end; v = await get()) await sleep(250);
  console.log(`${what}: ${oneLine(String(v))}`);
  if (!ok(v)) failures.push(what);
  return v;
}
/** The centre of the token `word` on the visible line of the active editor containing `lineText`. */
function tokenAt(lineText, word) {
  return page.evaluate(
    (lineText, word) => {
      const editor = document.querySelector('.editor-group-container.active .editor-instance');
      for (const line of editor?.querySelectorAll('.view-lines .view-line') ?? []) {
        if (!line.textContent.replace(/\u00a0/g, ' ').includes(lineText)) continue;
        for (const span of line.querySelectorAll('span > span')) {
          if (span.textContent !== word) continue;
          const r = span.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }
      }
      return null;
    },
    lineText,
    word,
  );
}
async function gotoLine(n) {
  await key(['Control'], 'KeyG');
  await sleep(400);
  await page.keyboard.type(String(n));
  await page.keyboard.press('Enter');
  await sleep(600);
}
async function hoverOn(lineText, word, what, expect) {
  const p = await tokenAt(lineText, word);
  if (p === null) throw new Error(`'${word}' is not on screen`);
  // Ask again on each try (a hover asked before the server was up is not asked again): by the
  // mouse, or, as a mouse hover sometimes never comes in headless Chromium, by the keyboard
  // (Show Hover, Ctrl+K Ctrl+I) at the same place.
  let tries = 0;
  const get = async () => {
    await page.mouse.move(10, 300);
    await page.keyboard.press('Escape');
    await sleep(300);
    if (tries++ % 2 === 0) await page.mouse.move(p.x, p.y);
    else {
      await page.mouse.click(p.x, p.y);
      await key(['Control'], 'KeyK');
      await key(['Control'], 'KeyI');
    }
    await sleep(1500);
    return text('.monaco-hover:not(.hidden)');
  };
  return until(what, get, (t) => t.includes(expect), 40000);
}
/** Opens a file by its path in Quick Open (a path needs no file search); retries while the workbench loads. */
async function openFile(path) {
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (let attempt = 1; attempt <= 5; attempt++) {
    await key(['Control'], 'KeyP');
    const input = await page.waitForSelector('.quick-input-widget input', { visible: true, timeout: 10000 });
    await input.type(path);
    const listed = await page
      .waitForFunction(
        (n) => document.querySelector('.quick-input-list')?.textContent.includes(n),
        { timeout: 10000 },
        name,
      )
      .catch(() => null);
    if (listed !== null) {
      await page.keyboard.press('Enter');
      const opened = await page.waitForSelector('.editor-instance .view-lines', { timeout: 15000 }).catch(() => null);
      if (opened !== null) return;
    }
    await page.keyboard.press('Escape');
    await sleep(2000);
  }
  throw new Error(`could not open ${path}`);
}
/** Moves the mouse off the text and closes any hover, so that it hides no line. */
async function noHover() {
  await page.mouse.move(10, 300);
  await page.keyboard.press('Escape');
  await sleep(300);
}

try {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await sleep(4000);
  await key(['Control'], 'KeyB'); // hide the side bar: the editor gets the width
  await openFile(`${folder}/specs/rfc-2008.mmspec`);
  await until(
    'language mode',
    () => text('.statusbar'),
    (t) => t.includes('mmspec'),
  );

  // 1. Highlighting and a hover on a built-in (the server answers: it has compiled the spec).
  await page.mouse.move(700, 400);
  await page.mouse.wheel({ deltaY: 94 * 19 });
  await sleep(800);
  await gotoLine(99);
  await hoverOn('idx = srcu_read_lock(mm_srcu)', 'srcu_read_lock', 'hover on srcu_read_lock', 'blocks: no');
  await shot('1-hover-builtin');
  await hoverOn('if (vma_is_dead(v)) goto retry', 'vma_is_dead', 'hover on vma_is_dead', 'fn vma_is_dead(v: ref vma)');

  // 2. Go to definition (F12) of a fn of the imported library.
  await noHover();
  const call = await tokenAt('v = find_vma_mmap_read(addr)', 'find_vma_mmap_read');
  await page.mouse.click(call.x, call.y);
  await page.keyboard.press('F12');
  await until(
    'definition tab',
    () => text('.tab.active'),
    (t) => t.includes('mm.mmspec') && !t.includes('rfc'),
  );
  await until(
    'definition cursor',
    () => text('.statusbar-item[id$="selection"]'),
    (t) => t.includes(`Ln ${defLine},`),
  );
  await noHover();
  await shot('2-definition');

  // 3. A typo typed in the editor, unsaved: the diagnostic arrives on change.
  const tab = await page.evaluate(() => {
    const t = [...document.querySelectorAll('.tab')].find((e) => e.textContent.includes('rfc-2008.mmspec'));
    const r = t.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.mouse.click(tab.x, tab.y);
  await sleep(1000);
  const again = await tokenAt('v = find_vma_mmap_read(addr)', 'find_vma_mmap_read');
  await page.mouse.click(again.x, again.y);
  await key(['Control'], 'ArrowRight'); // to the end of the word
  await page.keyboard.type('x');
  await key(['Control', 'Shift'], 'KeyM'); // the Problems panel
  await until(
    'problems',
    () => text('.markers-panel .monaco-list-row'),
    (t) =>
      t.includes("undeclared function 'find_vma_mmap_readx'") && t.includes('MM321') && t.includes('Ln 101, Col 7'),
  );
  await gotoLine(101);
  // The hint is the error message's second line: the hover over the name shows it.
  await hoverOn('v = find_vma_mmap_readx(addr)', 'find_vma_mmap_readx', 'hover on the typo', 'did you mean');
  await shot('3-diagnostic');
  await key(['Control'], 'KeyZ');
  await until(
    'after undo',
    () => text('.markers-panel .monaco-list-row'),
    (t) => !t.includes('MM321'),
  );
} finally {
  await browser.close();
}
if (failures.length > 0) {
  console.error(`not seen in the editor: ${failures.join(', ')}`);
  process.exit(1);
}
