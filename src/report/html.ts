// A counterexample as one self-contained HTML page (`replay --html`): no external assets, no
// network (a Content-Security-Policy forbids it). The swimlane diagram is static HTML; a
// small script shows the full state after the step you click — threads, locks with owners,
// RCU/SRCU readers and pending callbacks, page tables, every pool object, globals. The
// violating step is marked. `#step=N` in the URL selects step N on load.
import { changeName } from '../checker/trace/state-change.js';
import type { TraceView } from '../checker/trace/trace-view.js';

export interface HtmlOptions {
  title: string;
  reproduced?: boolean;
  reason?: string;
  recorded?: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Structs drawn as page tables in the state panel (by the kernel's names for them). */
export const PAGE_TABLE_STRUCT = /^(pte|pmd|pud|p4d|pgd)(_|$)|page_?table/i;

export function renderHtml(view: TraceView, opts: HtmlOptions): string {
  const steps = view.steps;
  const lanes = [...new Set(steps.map((s) => s.thread))].sort((a, b) => a - b);
  const laneName = new Map(steps.map((s) => [s.thread, s.threadName]));
  const v = view.violation;
  const changes = steps.map((s) => s.changes.map((c) => ({ name: changeName(c), before: c.before, after: c.after })));
  const data = {
    steps: steps.map((s) => ({
      index: s.index,
      thread: s.threadName,
      text: s.text,
      position: s.position,
      changes: changes[s.index - 1],
    })),
    states: view.states,
    violationStep: v === null ? -1 : steps.length,
    pageTable: PAGE_TABLE_STRUCT.source,
  };
  const head = `<tr><th>#</th><th>line</th>${lanes.map((t, i) => `<th class="lane l${i % 6}">${esc(laneName.get(t)!)}</th>`).join('')}<th>changes</th></tr>`;
  const rows = steps.map((s) => {
    const bad = view.stepViolation && s.index === steps.length;
    const prev = s.preempted ? steps[s.index - 2]!.thread : -1;
    const cells = lanes.map((t, i) => {
      if (t === s.thread)
        return `<td class="lane l${i % 6} act"><code>${esc(s.text)}</code>${bad ? ' <b class="x">✗</b>' : ''}</td>`;
      return `<td class="lane l${i % 6}">${t === prev ? '<span class="pre">⋯ preempted</span>' : ''}</td>`;
    });
    const changed = changes[s.index - 1]!.map(
      (c) => `<div><span class="n">${esc(c.name)}</span> ${esc(c.before)} → <b>${esc(c.after)}</b></div>`,
    ).join('');
    const line = s.position.slice(s.position.lastIndexOf(':') + 1);
    return `<tr class="step${bad ? ' violation' : ''}" data-step="${s.index}" tabindex="0" title="${esc(s.position)}"><td class="i">${s.index}</td><td class="ln">${esc(line)}</td>${cells.join('')}<td class="ch">${changed}</td></tr>`;
  });
  const objects =
    v === null ? '' : `<ul>${v.objects.map((o) => `<li><b>${esc(o.object)}</b>: ${esc(o.event)}</li>`).join('')}</ul>`;
  const verdict =
    opts.reproduced === undefined
      ? ''
      : opts.reproduced
        ? '<p class="ok">reproduced as recorded</p>'
        : `<p class="bad">NOT reproduced: ${esc(opts.reason ?? '')}</p>`;
  const summary =
    v === null
      ? `<p class="bad">no violation${opts.recorded ? ` (the trace recorded ${esc(opts.recorded)})` : ''}</p>`
      : `<p class="msg"><b>${esc(v.kind)}</b>${v.at ? ` at ${esc(v.at)}` : ''}: ${esc(v.message)}</p>${objects}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>mmcheck: ${esc(v?.kind ?? 'trace')} in ${esc(view.scenario)}</title>
<style>${CSS}</style></head>
<body>
<header><h1>${esc(v?.kind ?? 'trace')} in scenario ${esc(view.scenario)}</h1>
<p class="sub">${esc(opts.title)} · spec ${esc(view.mainFile)} · ${steps.length} steps · ${view.preemptions.length} preemption${view.preemptions.length === 1 ? '' : 's'}</p>
${verdict}${summary}</header>
<main><section id="diagram"><table class="lanes"><thead>${head}</thead><tbody>
<tr class="step" data-step="0" tabindex="0"><td class="i">0</td><td class="ln"></td>${lanes.map((_t, i) => `<td class="lane l${i % 6}"></td>`).join('')}<td class="ch"><i>initial state</i></td></tr>
${rows.join('\n')}
</tbody></table><p class="hint">Click a step (or use ↑/↓) to see the full state after it.</p></section>
<aside id="state"><h2 id="state-title">State</h2><div id="state-body"></div></aside></main>
<script type="application/json" id="trace-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

const CSS = `
html,body{height:100%}body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d232b;background:#fafbfc;display:flex;flex-direction:column}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #d8dee4;flex:none;max-height:40vh;overflow:auto}
h1{font-size:20px;margin:0 0 4px}.sub{color:#57606a;margin:0}
.msg{margin:6px 0}.ok{color:#1a7f37;font-weight:600;margin:4px 0}.bad{color:#cf222e;font-weight:600;margin:4px 0}
header ul{margin:4px 0;padding-left:20px}
main{display:flex;gap:16px;padding:12px 20px;flex:1;min-height:0}
#diagram{flex:3;overflow:auto}#state{flex:2;background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:8px 12px;overflow:auto}
table{border-collapse:collapse}table.lanes{width:100%}
th,td{padding:3px 8px;text-align:left;vertical-align:top}
thead th{position:sticky;top:0;background:#eef1f4;border-bottom:2px solid #afb8c1}
td.lane,th.lane{border-left:2px solid #d0d7de;min-width:12em}
td.act code{display:inline-block;padding:1px 6px;border-radius:4px;background:#ddf4ff;border:1px solid #54aeff}
.l1 code{background:#fbefff!important;border-color:#c297ff!important}.l2 code{background:#dafbe1!important;border-color:#4ac26b!important}
.l3 code{background:#fff8c5!important;border-color:#d4a72c!important}.l4 code{background:#ffebe9!important;border-color:#ff8182!important}
td.i,td.ln{color:#57606a;text-align:right}td.ch{font-size:12px;color:#424a53}td.ch .n{font-family:monospace}
.pre{color:#9a6700;font-size:12px}
tr.step{cursor:pointer}tr.step:hover{background:#f0f6ff}tr.sel{background:#dbeafe!important}
tr.violation{background:#ffebe9}tr.violation td.act code{background:#ffcecb!important;border-color:#cf222e!important}.x{color:#cf222e}
.hint{color:#57606a;font-size:12px}
#state h2{font-size:16px;margin:4px 0}#state h3{font-size:13px;margin:10px 0 2px;color:#424a53}
#state table{font-size:12px;width:100%}#state td{border-top:1px solid #eaeef2;font-family:monospace}
.changed{background:#fff8c5}.freed{color:#cf222e}.unallocated{color:#8c959f}
.pt{display:inline-block;min-width:1.6em;text-align:center;border:1px solid #afb8c1;margin-right:2px;padding:0 3px}
`;

// Plain browser JavaScript; the data comes from the JSON block above, text goes in via
// textContent only (a spec's strings never become markup).
const SCRIPT = `
(function(){
var D=JSON.parse(document.getElementById('trace-data').textContent);
var pageTable=new RegExp(D.pageTable,'i');
function show(v){if(v===null||v===undefined)return '';if(typeof v!=='object')return String(v);
 if(Array.isArray(v))return '['+v.map(show).join(', ')+']';
 if('#bigint' in v)return v['#bigint'];var ks=Object.keys(v);if(ks.length===1&&ks[0]==='owner')return v.owner?'held by '+v.owner:'unlocked';if('#set' in v)return '{'+v['#set'].map(show).join(', ')+'}';
 if('#map' in v)return '{'+v['#map'].map(function(p){return show(p[0])+' ↦ '+show(p[1]);}).join(', ')+'}';
 return '{'+Object.keys(v).map(function(k){return k+': '+show(v[k]);}).join(', ')+'}';}
function el(tag,text,cls){var e=document.createElement(tag);if(text!==undefined)e.textContent=text;if(cls)e.className=cls;return e;}
function table(parent,title,headers,rows){if(rows.length===0)return;parent.appendChild(el('h3',title));
 var t=el('table'),h=el('tr');headers.forEach(function(x){h.appendChild(el('th',x));});t.appendChild(h);
 rows.forEach(function(r){var tr=el('tr');if(r.cls)tr.className=r.cls;r.cells.forEach(function(c){var td=el('td');if(c instanceof Node)td.appendChild(c);else td.textContent=c;tr.appendChild(td);});t.appendChild(tr);});parent.appendChild(t);}
function render(i){
 var si=Math.min(i,D.states.length-1),s=D.states[Math.max(si,0)],step=D.steps[i-1];
 var changed={};(step?step.changes:[]).forEach(function(c){changed[c.name]=1;changed[c.name.split('.')[0]]=1;});
 var mark=function(n){return changed[n]?'changed':'';};
 document.getElementById('state-title').textContent=i===0?'Initial state':('State after step '+i+(step?' ('+step.thread+': '+step.text+')':''));
 var b=document.getElementById('state-body');b.textContent='';
 if(si<i)b.appendChild(el('p','The violating step did not complete: this is the state before it.','bad'));
 if(!s)return;
 table(b,'Threads',['thread','status','next','holds','read sections','locals'],s.threads.map(function(t){return{cls:mark(t.name),cells:[t.name,t.status+(t.waitsFor.length?' (grace period waits for '+t.waitsFor.join(', ')+')':''),t.status==='finished'?'':t.next+' @ '+t.position,t.holds.join(', '),t.readSections.join(', '),show(t.locals)]};}));
 table(b,'Locks',['lock','kind','owner','readers','queued writers'],s.locks.map(function(l){return{cls:mark(l.name),cells:[l.name,l.kind,l.owner||'—',l.readers.join(', '),(l.queued||[]).join(', ')]};}));
 table(b,'RCU / SRCU',['domain','readers inside','idx'],s.domains.map(function(d){return{cells:[d.name,d.readers.join(', ')||'—',d.srcu?String(d.idx):'']};}));
 var cbs=[];s.pools.forEach(function(p){p.slots.forEach(function(sl){if(sl.callback)cbs.push({cls:mark(sl.object),cells:[sl.object,sl.callback.domain,sl.callback.waitsFor.join(', ')||'(ready)']});});});
 table(b,'Pending callbacks (deferred frees)',['object','domain','waits for readers'],cbs);
 var pts=[],objs=[];s.pools.forEach(function(p){p.slots.forEach(function(sl){
  var row={cls:mark(sl.object)+' '+sl.status,cells:[sl.object,sl.status]};
  if(pageTable.test(p.struct)){var cell=el('span');Object.keys(sl.fields).forEach(function(k){var f=sl.fields[k];
   if(Array.isArray(f)){var w=el('span',k+': ');f.forEach(function(x){w.appendChild(el('span',show(x),'pt'));});cell.appendChild(w);}else cell.appendChild(el('span',' '+k+': '+show(f)+' '));});
   row.cells.push(cell);pts.push(row);}else{row.cells.push(show(sl.fields));objs.push(row);}});});
 table(b,'Page tables',['object','status','contents'],pts);
 table(b,'Pools',['object','status','fields'],objs);
 table(b,'Globals',['name','value'],Object.keys(s.globals).map(function(k){return{cls:mark(k),cells:[k,show(s.globals[k])]};}));
}
var rows=[].slice.call(document.querySelectorAll('tr.step'));
function select(i,scroll){rows.forEach(function(r){r.classList.toggle('sel',Number(r.dataset.step)===i);});render(i);if(scroll&&rows[i])rows[i].scrollIntoView({block:'nearest'});}
rows.forEach(function(r){r.addEventListener('click',function(){select(Number(r.dataset.step));});
 r.addEventListener('keydown',function(e){var i=Number(r.dataset.step);if(e.key==='ArrowDown'&&rows[i+1]){rows[i+1].focus();select(i+1);e.preventDefault();}
 if(e.key==='ArrowUp'&&i>0){rows[i-1].focus();select(i-1);e.preventDefault();}});});
var m=/step=(\\d+)/.exec(location.hash);
select(m?Math.min(Number(m[1]),D.steps.length):(D.violationStep>=0?D.violationStep:0),true);
})();
`;
