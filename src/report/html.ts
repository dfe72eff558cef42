// A counterexample as one self-contained HTML page (`replay --html`): no external assets, no
// network (a Content-Security-Policy forbids it). The swimlane diagram is static HTML, one
// column (lane) per thread, foldable; a small script (html-page.ts) shows the full state after
// the selected step — threads with their locals, locks with owners, RCU/SRCU readers and
// pending callbacks, page tables, every pool object, globals. The violating step is selected
// and focused on load; ↑/↓, Home/End move between steps; `#step=N` in the URL names the
// selected step. The layout reflows from 900 px up: the state panel sits beside the diagram
// when the window is wide enough for every lane, and below it otherwise. Every string from
// the trace is escaped here or set as text by the script, never parsed as markup.
import { changeName, type StateChange } from '../checker/trace/state-change.js';
import type { StepView, TraceView } from '../checker/trace/trace-view.js';
import { PAGE_CSS, PAGE_SCRIPT, sideBySideWidth } from './html-page.js';
import { livelockPhrase } from './swimlane.js';

export interface HtmlOptions {
  title: string;
  reproduced?: boolean;
  reason?: string;
  recorded?: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Structs drawn as page tables in the state panel (by the kernel's names for them). */
export const PAGE_TABLE_STRUCT = /^(pte|pmd|pud|p4d|pgd)(_|$)|page_?table/i;

/** `dir/lib/mm.mmspec:468` → [`mm.mmspec`, `468`]; a position without a line is all file. */
export function fileLine(position: string): [string, string] {
  const colon = position.lastIndexOf(':');
  const hasLine = colon >= 0 && /^\d+$/.test(position.slice(colon + 1));
  const path = hasLine ? position.slice(0, colon) : position;
  return [
    path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1),
    hasLine ? position.slice(colon + 1) : '',
  ];
}

/**
 * Escaped statement text that a lane wraps after `(` or `,`, or before `.`, rather than
 * anywhere; below 1100 px also after a name's `_` (the `wbr.u` the style sheet keeps there).
 */
const breakable = (text: string): string =>
  esc(text)
    .replace(/[(,]/g, '$&<wbr>')
    .replace(/_/g, '_<wbr class="u">')
    .replace(/\.(?=[A-Za-z_])/g, '<wbr>.');

function lineCell(s: StepView, mainFile: string): string {
  if (s.position === '') return '<td class="ln"></td>';
  const [file, line] = fileLine(s.position);
  const imported = file !== fileLine(mainFile)[0];
  const dot = file.lastIndexOf('.');
  const name = dot > 0 ? `${esc(file.slice(0, dot))}<span class="ext">${esc(file.slice(dot))}</span>` : esc(file);
  return `<td class="ln" title="${esc(s.position)}"><span class="file${imported ? ' imp' : ''}">${name}</span>${line === '' ? '' : `<wbr><span class="no">:${esc(line)}</span>`}</td>`;
}

/**
 * The changes worth showing, by the terminal's rule: not the fields a free poisons (the free
 * says it), not the locals a finishing thread clears (they no longer exist).
 */
function shownChanges(s: StepView): StateChange[] {
  const freed = new Set(s.changes.filter((c) => c.kind === 'free').map((c) => c.object));
  return s.changes.filter(
    (c) => c.field === undefined || !(freed.has(c.object) || (s.finished && c.object === s.threadName)),
  );
}

function stepRow(view: TraceView, s: StepView, lanes: number[]): string {
  const bad = view.stepViolation && s.index === view.steps.length;
  const from = view.livelock?.from ?? 0;
  const loop = from > 0 && s.index >= from;
  const prev = s.preempted ? view.steps[s.index - 2]!.thread : -1;
  const cells = lanes.map((t, i) => {
    const attrs = `class="lane l${i % 6}${t === s.thread ? ' act' : ''}" data-lane="${i}"`;
    if (t === s.thread) return `<td ${attrs}><code>${breakable(s.text)}</code>${bad ? ' <b class="x">✗</b>' : ''}</td>`;
    return `<td ${attrs}>${t === prev ? '<span class="pre">⋯ preempted</span>' : ''}</td>`;
  });
  const changed = shownChanges(s)
    .map((c) => `<div><span class="n">${esc(changeName(c))}</span> ${esc(c.before)} → <b>${esc(c.after)}</b></div>`)
    .join('');
  const mark = loop ? `<span class="loop" title="this step is in the loop that repeats forever">↻</span>` : '';
  return `<tr class="step${bad ? ' violation' : ''}${loop ? ' looping' : ''}" data-step="${s.index}" tabindex="-1"><td class="i">${mark}${s.index}</td>${lineCell(s, view.mainFile)}${cells.join('')}<td class="ch">${changed}</td></tr>`;
}

/**
 * The line column's width, from its longest file name (12 px type is about 0.55em of the
 * table's 13 px per character, plus `:123` and the padding), capped; `--ln-short` is the
 * width below 1100 px, where the extension is hidden. A longer name is cut with an ellipsis.
 */
function lineColumnWidth(view: TraceView): string {
  const files = view.steps.map((s) => fileLine(s.position)[0]);
  const longest = Math.max(0, ...files.map((f) => f.length));
  const short = Math.max(0, ...files.map((f) => (f.lastIndexOf('.') > 0 ? f.lastIndexOf('.') : f.length)));
  const em = (chars: number, cap: number): string =>
    `${Math.min(cap, Math.round(((chars + 4) * 0.55 + 0.6) * 10) / 10)}em`;
  return `--ln:${em(longest, 15)};--ln-short:${em(short, 10.5)}`;
}

function diagram(view: TraceView, lanes: number[]): string {
  const laneName = new Map(view.steps.map((s) => [s.thread, s.threadName]));
  const cols = `<colgroup><col class="i"><col class="ln" style="${lineColumnWidth(view)}">${lanes.map((_t, i) => `<col class="lane" data-lane="${i}">`).join('')}<col class="ch"></colgroup>`;
  const head = `<tr><th class="i">#</th><th class="ln">line</th>${lanes
    .map((t, i) => {
      const name = esc(laneName.get(t)!);
      return `<th class="lane l${i % 6}" data-lane="${i}"><button type="button" class="fold" aria-expanded="true" title="fold or unfold the lane of ${name}">${name}</button></th>`;
    })
    .join('')}<th class="ch">changes</th></tr>`;
  const initial = `<tr class="step" data-step="0" tabindex="-1"><td class="i">0</td><td class="ln"></td>${lanes.map((_t, i) => `<td class="lane l${i % 6}" data-lane="${i}"></td>`).join('')}<td class="ch"><i>initial state</i></td></tr>`;
  const rows = view.steps.map((s) => stepRow(view, s, lanes));
  return `<section id="diagram"><table class="lanes">${cols}<thead>${head}</thead><tbody>
${initial}
${rows.join('\n')}
</tbody></table></section>`;
}

function summary(view: TraceView, opts: HtmlOptions): string {
  const v = view.violation;
  const verdict =
    opts.reproduced === undefined
      ? ''
      : opts.reproduced
        ? '<p class="ok">reproduced as recorded</p>'
        : `<p class="bad">NOT reproduced: ${esc(opts.reason ?? '')}</p>`;
  if (v === null)
    return `${verdict}<p class="bad">no violation${opts.recorded ? ` (the trace recorded ${esc(opts.recorded)})` : ''}</p>`;
  const objects =
    v.objects.length === 0
      ? ''
      : `<ul>${v.objects.map((o) => `<li><b>${esc(o.object)}</b>: ${esc(o.event)}</li>`).join('')}</ul>`;
  const loop = livelockPhrase(view);
  const ends = loop === null ? '' : `<p class="loop-note">↻ ${esc(loop)}</p>`;
  return `${verdict}<p class="msg"><b>${esc(v.kind)}</b>${v.at ? ` at ${esc(v.at)}` : ''}: ${esc(v.message)}</p>${ends}${objects}`;
}

export function renderHtml(view: TraceView, opts: HtmlOptions): string {
  const steps = view.steps;
  const lanes = [...new Set(steps.map((s) => s.thread))].sort((a, b) => a - b);
  const v = view.violation;
  const data = {
    steps: steps.map((s) => ({
      index: s.index,
      thread: s.threadName,
      text: s.text,
      changes: shownChanges(s).map((c) => ({ name: changeName(c), before: c.before, after: c.after })),
    })),
    lanes: lanes.map((t) => steps.find((s) => s.thread === t)!.threadName),
    states: view.states,
    violationStep: v === null ? -1 : steps.length,
    pageTable: PAGE_TABLE_STRUCT.source,
  };
  const preemptions = `${view.preemptions.length} preemption${view.preemptions.length === 1 ? '' : 's'}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>mmcheck: ${esc(v?.kind ?? 'trace')} in ${esc(view.scenario)}</title>
<style>${PAGE_CSS}
@media (min-width: ${sideBySideWidth(lanes.length)}px) { ${SIDE_BY_SIDE} }</style></head>
<body>
<header><h1>${esc(v?.kind ?? 'trace')} in scenario ${esc(view.scenario)}</h1>
<p class="sub">${esc(opts.title)} · spec ${esc(view.mainFile)} · ${steps.length} steps · ${lanes.length} threads · ${preemptions}</p>
${summary(view, opts)}
<p class="hint">↑/↓ (or k/j): previous/next step · Home/End: first/last · click a step for the state after it · click a thread's name to fold its lane · the address (#step=N) names the selected step</p></header>
<main>${diagram(view, lanes)}
<aside id="state"><h2 id="state-title">State</h2><div id="state-body"></div></aside></main>
<script type="application/json" id="trace-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

/** The layout once the window is wide enough for every lane beside the state panel. */
const SIDE_BY_SIDE =
  'main{grid-template-columns:minmax(0,1fr) clamp(360px,30vw,560px);grid-template-rows:minmax(0,1fr)}';
