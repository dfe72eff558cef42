// The probe the browser checks of the HTML trace page append as one more inline script (the
// page's Content-Security-Policy allows inline scripts and nothing else). It runs after the
// page's script: it records what is selected and focused on load, presses keys the way a
// person would (a keydown on whatever has the focus), measures the layout, folds a lane,
// clicks the step selected on load again (so the DOM and the screenshot show it), and writes its report as base64 JSON into <pre id="mmcheck-probe"> for --dump-dom.

export interface Probe {
  innerWidth: number;
  scrollWidth: number;
  selected: string | null;
  focused: string | null;
  hash: string;
  keys: { key: string; selected: string | null; focused: string | null; hash: string }[];
  heads: { text: string; right: number }[];
  diagram: { scrollWidth: number; clientWidth: number };
  state: { scrollWidth: number; clientWidth: number; height: number };
  lines: string[];
  threads: { name: string; status: string; locals: string[]; localsReadable: boolean }[];
  fold: { folded: number; unfolded: number };
  pwned: boolean;
  injected: number;
  scripts: number;
}

export const PROBE = `(function(){
function sel(){var r=document.querySelector('tr.sel');return r?r.getAttribute('data-step'):null;}
function foc(){var a=document.activeElement;return a&&a.getAttribute?a.getAttribute('data-step'):null;}
function box(el){var s=getComputedStyle(el);return {scrollWidth:el.scrollWidth,clientWidth:el.clientWidth,height:el.getBoundingClientRect().height};}
function threads(){return [].map.call(document.querySelectorAll('#state .thread'),function(c){
 var dts=[].slice.call(c.querySelectorAll('.locals dt'));
 var ok=dts.every(function(dt){var dd=dt.nextElementSibling,a=dt.getBoundingClientRect(),b=dd.getBoundingClientRect(),cb=c.getBoundingClientRect();
  return dd.tagName==='DD'&&Math.abs(a.top-b.top)<2&&b.right<=cb.right+0.5&&b.width>=24;});
 return {name:c.getAttribute('data-thread'),status:(c.querySelector('.status')||{textContent:''}).textContent,
  locals:dts.map(function(dt){var g=dt.closest('[data-fn]');return (g?g.getAttribute('data-fn')+'.':'')+dt.textContent+' = '+dt.nextElementSibling.textContent;}),localsReadable:ok};});}
var out={innerWidth:innerWidth,selected:sel(),focused:foc(),hash:location.hash,keys:[]};
out.threads=threads();
['ArrowUp','k','ArrowDown','Home','End'].forEach(function(k){
 var t=document.activeElement||document.body;
 t.dispatchEvent(new KeyboardEvent('keydown',{key:k,bubbles:true,cancelable:true}));
 out.keys.push({key:k,selected:sel(),focused:foc(),hash:location.hash});});
out.scrollWidth=document.documentElement.scrollWidth;
out.heads=[].map.call(document.querySelectorAll('table.lanes thead th'),function(th){return {text:th.textContent.trim(),right:Math.round(th.getBoundingClientRect().right)};});
out.diagram=box(document.getElementById('diagram'));out.state=box(document.getElementById('state'));
out.lines=[].map.call(document.querySelectorAll('tr.step td.ln'),function(td){return td.textContent;});
var th=document.querySelectorAll('table.lanes thead th.lane')[1],b=th&&th.querySelector('button');
out.fold={folded:-1,unfolded:-1};
if(b){b.click();out.fold.folded=Math.round(th.getBoundingClientRect().width);b.click();out.fold.unfolded=Math.round(th.getBoundingClientRect().width);}
var back=document.querySelector('tr.step[data-step="'+out.selected+'"]');if(back)back.click();
out.pwned=window.pwned!==undefined;
out.injected=document.querySelectorAll('img,iframe,object,embed,[onerror],[onload],[onclick]').length;
out.scripts=document.scripts.length;
var pre=document.createElement('pre');pre.id='mmcheck-probe';pre.hidden=true;
pre.textContent=btoa(unescape(encodeURIComponent(JSON.stringify(out))));document.body.appendChild(pre);
})();`;
