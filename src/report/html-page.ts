// The style sheet and the script of the HTML trace page (html.ts), inlined into every page.
// The page reflows from 900 px up: the diagram's table has a fixed layout (the lanes share
// the width left by the step, line and changes columns, and statements wrap), and the state
// panel goes beside the diagram only from sideBySideWidth(lanes) px, below it otherwise.

const GAP = 12;
const PAD = 20;
const STATE_MIN = 360;
const STATE_VW = 0.3;
/** Step number, file:line and changes columns at full size (px, 13 px type). */
const FIXED_COLUMNS = 36 + 140 + 200;
const LANE_MIN = 150;

/** The narrowest window (px) that holds every lane at LANE_MIN beside the state panel. */
export function sideBySideWidth(lanes: number): number {
  const rest = 2 * PAD + GAP + FIXED_COLUMNS + lanes * LANE_MIN;
  return Math.ceil(Math.max(rest + STATE_MIN, rest / (1 - STATE_VW)));
}

const LANE_COLOURS = [
  ['#54aeff', '#ddf4ff'],
  ['#c297ff', '#fbefff'],
  ['#4ac26b', '#dafbe1'],
  ['#d4a72c', '#fff8c5'],
  ['#ff8182', '#ffebe9'],
  ['#3fb8af', '#d8f5f2'],
];

export const PAGE_CSS = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font:13px/1.4 system-ui,sans-serif;color:#1d232b;background:#fafbfc;display:flex;flex-direction:column}
${LANE_COLOURS.map(([line, bg], i) => `.l${i}{--lane:${line};--lane-bg:${bg}}`).join('')}
header{padding:10px ${PAD}px 6px;background:#fff;border-bottom:1px solid #d8dee4;flex:none;max-height:35vh;overflow:auto}
h1{font-size:19px;margin:0 0 2px}.sub{color:#57606a;margin:0;overflow-wrap:anywhere}
.msg{margin:4px 0;overflow-wrap:anywhere}.ok{color:#1a7f37;font-weight:600;margin:2px 0}.bad{color:#cf222e;font-weight:600;margin:2px 0}
header ul{margin:2px 0;padding-left:20px;overflow-wrap:anywhere}.hint{color:#57606a;font-size:12px;margin:4px 0 0}
main{flex:1;min-height:0;display:grid;gap:${GAP}px;padding:${GAP}px ${PAD}px;grid-template-columns:minmax(0,1fr);grid-template-rows:minmax(0,3fr) minmax(150px,2fr)}
#diagram{overflow:auto;min-width:0;min-height:0;background:#fff;border:1px solid #d8dee4;border-radius:6px}
#state{overflow:auto;min-width:0;min-height:0;background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:6px 12px}
table{border-collapse:collapse}
table.lanes{width:100%;table-layout:fixed}
col.i{width:2.8em}col.ln{width:var(--ln)}col.ch{width:15.5em}col.lane.folded{width:2.4em}
th,td{padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.lanes thead th{position:sticky;top:0;z-index:1;background:#eef1f4;border-bottom:2px solid #afb8c1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
th.lane,td.lane{border-left:2px solid var(--lane)}
th.lane button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
th.lane button::before{content:'▾ ';color:#8c959f}th.lane.folded button::before{content:'▸'}
th.lane.folded button{text-overflow:clip}
td.lane code{display:inline-block;max-width:100%;padding:1px 4px;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:var(--lane-bg);border:1px solid var(--lane)}
td.lane.folded code,td.lane.folded .pre{display:none}
@media (min-width:1101px){wbr.u{display:none}}
td.lane.folded.act::after{content:'●';color:var(--lane)}
td.i{color:#57606a;text-align:right}
td.ln{color:#57606a;font-size:12px;overflow-wrap:normal}td.ln .file{color:#8c959f;white-space:nowrap;display:inline-block;max-width:100%;overflow:hidden;text-overflow:ellipsis;vertical-align:top}td.ln .file.imp{color:#8250df}td.ln .no{white-space:nowrap}
td.ch{font-size:12px;color:#424a53}td.ch .n{font-family:monospace}
.pre{color:#9a6700;font-size:12px}
tr.step{cursor:pointer;border-bottom:1px solid #f0f2f4;scroll-margin-top:2.6em}tr.step:hover{background:#f0f6ff}
tr.step:focus{outline:2px solid #0969da;outline-offset:-2px}tr.sel{background:#dbeafe!important}
tr.violation{background:#ffebe9}tr.violation td.act code{background:#ffcecb;border-color:#cf222e}.x{color:#cf222e}tr.looping td.i{background:#fff8c5}.loop{color:#9a6700;margin-right:.2em}.loop-note{color:#9a6700}
#state h2{font-size:15px;margin:2px 0 4px;overflow-wrap:anywhere}
#state-body{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:0 16px;align-items:start}
.sec{min-width:0}.sec.wide{grid-column:1/-1}
.sec h3{font-size:13px;margin:8px 0 2px;color:#424a53}
.sec table{font-size:12px;width:100%}.sec td{border-top:1px solid #eaeef2;font-family:monospace}.sec th{font-weight:600;color:#57606a}.sec th,.sec td{overflow-wrap:break-word}
.threads{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px}
.thread{min-width:0;border:1px solid #d8dee4;border-left:4px solid var(--lane,#afb8c1);border-radius:4px;padding:3px 8px 4px}
.thread h4{margin:0;font-size:13px;display:flex;justify-content:space-between;gap:8px}
.thread h4 span{min-width:0;overflow-wrap:anywhere}.thread h4 .status{font-weight:400;color:#57606a;flex:none}
.thread.ran{box-shadow:0 0 0 2px var(--lane)}
.thread .line{font-size:12px;overflow-wrap:anywhere}.thread .k{color:#57606a}.thread .pos{color:#8c959f;white-space:nowrap}
.thread .line code{font-size:12px}
dl.locals{display:grid;grid-template-columns:fit-content(60%) minmax(0,1fr);gap:0 8px;margin:2px 0;font:12px/1.45 monospace}
dl.locals dt{color:#57606a;overflow-wrap:anywhere}dl.locals dd{margin:0;overflow-wrap:anywhere}
details.fn{margin:2px 0 0}details.fn:not([open]){display:inline-block;margin-right:12px}details.fn summary{font-size:12px;color:#57606a;cursor:pointer}details.fn dl{margin-left:12px}
.changed{background:#fff8c5}.freed{color:#cf222e}.unallocated{color:#8c959f}
.pt{display:inline-block;min-width:1.6em;text-align:center;border:1px solid #afb8c1;margin-right:2px;padding:0 3px}
@media (max-width:1100px){col.ln{width:var(--ln-short)}td.ln .ext{display:none}col.ch{width:11.5em}col.i{width:2.4em}th,td{padding:2px 3px}td.lane code{padding:1px 2px}}
`;

// Plain browser JavaScript; the data comes from the JSON block of the page, and text goes in
// through textContent only (a spec's or a trace's strings never become markup).
export const PAGE_SCRIPT = `
(function(){
var D=JSON.parse(document.getElementById('trace-data').textContent);
var pageTable=new RegExp(D.pageTable,'i');
var laneOf={};D.lanes.forEach(function(n,i){laneOf[n]=i;});
var openFns={};
function show(v){if(v===null||v===undefined)return '';if(typeof v!=='object')return String(v);
 if(Array.isArray(v))return '['+v.map(show).join(', ')+']';
 if('#bigint' in v)return v['#bigint'];var ks=Object.keys(v);if(ks.length===1&&ks[0]==='owner')return v.owner?'held by '+v.owner:'unlocked';if('#set' in v)return '{'+v['#set'].map(show).join(', ')+'}';
 if('#map' in v)return '{'+v['#map'].map(function(p){return show(p[0])+' ↦ '+show(p[1]);}).join(', ')+'}';
 return '{'+Object.keys(v).map(function(k){return k+': '+show(v[k]);}).join(', ')+'}';}
function el(tag,text,cls){var e=document.createElement(tag);if(text!==undefined)e.textContent=text;if(cls)e.className=cls;return e;}
function base(p){return p.replace(/^.*[\\\\/]/,'');}
function section(parent,title,wide){var s=el('section',undefined,wide?'sec wide':'sec');s.appendChild(el('h3',title));parent.appendChild(s);return s;}
function table(parent,title,headers,rows){if(rows.length===0)return;var s=section(parent,title);
 var t=el('table'),h=el('tr');headers.forEach(function(x){h.appendChild(el('th',x));});t.appendChild(h);
 rows.forEach(function(r){var tr=el('tr');if(r.cls)tr.className=r.cls;r.cells.forEach(function(c){var td=el('td');if(c instanceof Node)td.appendChild(c);else td.textContent=c;tr.appendChild(td);});t.appendChild(tr);});s.appendChild(t);}
function line(card,key,value,code){var d=el('div',undefined,'line');d.appendChild(el('span',key+' ','k'));d.appendChild(el(code?'code':'span',value));card.appendChild(d);return d;}
function locals(card,t,mark){
 var groups={},order=[],names=Object.keys(t.locals);
 names.forEach(function(k){var dot=k.indexOf('.'),fn=dot<0?'':k.slice(0,dot);if(!(fn in groups)){groups[fn]=[];order.push(fn);}groups[fn].push([dot<0?k:k.slice(dot+1),k]);});
 order.forEach(function(fn){var dl=el('dl',undefined,'locals'),changed=false;
  groups[fn].forEach(function(p){var c=mark(t.name+'.'+p[1]);if(c)changed=true;dl.appendChild(el('dt',p[0],c));dl.appendChild(el('dd',show(t.locals[p[1]]),c));});
  if(fn===''){card.appendChild(dl);return;}
  var d=el('details',undefined,'fn'),key=t.name+'/'+fn;d.setAttribute('data-fn',fn);
  d.open=key in openFns?openFns[key]:(changed||names.length<=12);
  d.appendChild(el('summary',fn+' ('+groups[fn].length+')'));d.appendChild(dl);
  d.addEventListener('toggle',function(){openFns[key]=d.open;});card.appendChild(d);});}
function threads(b,s,mark,ran){if(s.threads.length===0)return;var sec=section(b,'Threads',true),box=el('div',undefined,'threads');sec.appendChild(box);
 s.threads.forEach(function(t){var c=el('div',undefined,'thread'+(t.name in laneOf?' l'+laneOf[t.name]%6:'')+(ran===t.name?' ran':''));c.setAttribute('data-thread',t.name);
  var h=el('h4');h.appendChild(el('span',t.name));h.appendChild(el('span',t.status,'status'));c.appendChild(h);
  if(t.status!=='finished'){var n=line(c,'next',t.next,true);if(t.position)n.appendChild(el('span',' '+base(t.position),'pos'));}
  if(t.waitsFor.length)line(c,'grace period waits for',t.waitsFor.join(', '));
  if(t.holds.length)line(c,'holds',t.holds.join(', '));
  if(t.readSections.length)line(c,'read sections',t.readSections.join(', '));
  locals(c,t,mark);box.appendChild(c);});}
function render(i){
 var si=Math.min(i,D.states.length-1),s=D.states[Math.max(si,0)],step=D.steps[i-1];
 var changed={};(step?step.changes:[]).forEach(function(c){changed[c.name]=1;changed[c.name.split('.')[0]]=1;});
 var mark=function(n){return changed[n]?'changed':'';};
 document.getElementById('state-title').textContent=i===0?'Initial state':('State after step '+i+(step?' ('+step.thread+': '+step.text+')':''));
 var b=document.getElementById('state-body');b.textContent='';
 if(si<i){var p=el('p','The violating step did not complete: this is the state before it.','bad');p.style.gridColumn='1/-1';b.appendChild(p);}
 if(!s)return;
 threads(b,s,mark,step?step.thread:'');
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
var rows=[].slice.call(document.querySelectorAll('tr.step')),cur=-1;
function select(i,how){i=Math.max(0,Math.min(i,rows.length-1));cur=i;
 rows.forEach(function(r,j){r.classList.toggle('sel',j===i);r.tabIndex=j===i?0:-1;});render(i);
 if(how.focus)rows[i].focus({preventScroll:true});
 if(how.scroll)rows[i].scrollIntoView({block:how.center?'center':'nearest'});
 if(how.hash!==false&&location.hash!=='#step='+i)history.replaceState(null,'','#step='+i);}
rows.forEach(function(r,j){r.addEventListener('click',function(){select(j,{focus:true});});});
document.addEventListener('keydown',function(e){if(e.altKey||e.ctrlKey||e.metaKey)return;
 var t=e.target;if(t&&t.closest&&t.closest('#state,input,textarea,select'))return;
 var k=e.key,i;
 if(k==='ArrowDown'||k==='j')i=cur+1;else if(k==='ArrowUp'||k==='k')i=cur-1;else if(k==='Home')i=0;else if(k==='End')i=rows.length-1;
 else if(k==='PageDown')i=cur+10;else if(k==='PageUp')i=cur-10;else return;
 e.preventDefault();select(i,{focus:true,scroll:true});});
[].forEach.call(document.querySelectorAll('th.lane button'),function(btn){btn.addEventListener('click',function(){
 var th=btn.parentNode,lane=th.getAttribute('data-lane'),fold=!th.classList.contains('folded');btn.setAttribute('aria-expanded',String(!fold));
 [].forEach.call(document.querySelectorAll('[data-lane="'+lane+'"]'),function(x){x.classList.toggle('folded',fold);
  if(x.tagName==='TD'&&x.classList.contains('act')){if(fold)x.title=x.textContent;else x.removeAttribute('title');}});
 if(rows[cur])rows[cur].scrollIntoView({block:'nearest'});});});
function fromHash(){var m=/step=(\\d+)/.exec(location.hash);return m?Number(m[1]):-1;}
window.addEventListener('hashchange',function(){var i=fromHash();if(i>=0&&i!==cur)select(i,{focus:true,scroll:true,hash:false});});
var start=fromHash();
select(start>=0?start:(D.violationStep>=0?D.violationStep:0),{focus:true,scroll:true,center:true,hash:false});
})();
`;
