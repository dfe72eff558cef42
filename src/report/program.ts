// `mmcheck show`: the compiled program of a scenario — each thread's steps with their
// source lines, and the state layout — as plain data and as text.
import { formatLine } from '../model/lang/diagnostics.js';
import type { ModelSystem } from '../model/model-system.js';

export interface ProgramView {
  spec: string;
  scenario: string;
  stateWords: number;
  threads: { name: string; steps: { step: number; position: string; text: string; visible: boolean }[] }[];
  entities: string[];
  layout: { name: string; offset: number; words: number }[];
}

export function viewProgram(sys: ModelSystem): ProgramView {
  const src = sys.spec.sources;
  const threads = sys.threads.map((t) => ({
    name: t.layout.name,
    steps: t.ops.map((op, i) => ({ step: i, position: formatLine(src, op.span), text: op.text, visible: op.visible })),
  }));
  const layout: ProgramView['layout'] = [];
  const L = sys.layout;
  for (const [name, offset] of L.globals) layout.push({ name, offset, words: nextOffset(L, offset) - offset });
  layout.push({ name: 'rcu (readers mask)', offset: L.domains[0]!.addr, words: 1 });
  for (const p of L.poolList)
    layout.push({
      name: `pool ${p.struct}[${p.size}] (${p.slotWords} words per slot)`,
      offset: p.base,
      words: p.size * p.slotWords,
    });
  for (const t of L.threads)
    layout.push({ name: `thread ${t.name} (pc, locals, bookkeeping)`, offset: t.base, words: t.end - t.base });
  return {
    spec: src.files[0]?.path ?? '',
    scenario: sys.scenario.name,
    stateWords: sys.stateWords,
    threads,
    entities: Array.from({ length: sys.threadCount }, (_, i) => sys.threadName(i)),
    layout,
  };
}

function nextOffset(L: ModelSystem['layout'], offset: number): number {
  const starts = [...L.globals.values(), L.domains[0]!.addr].filter((o) => o > offset);
  return Math.min(...starts);
}

export function renderProgram(v: ProgramView): string {
  const out: string[] = [`scenario ${v.scenario} of ${v.spec}`];
  for (const t of v.threads) {
    out.push(
      '',
      `thread ${t.name}: ${t.steps.filter((s) => s.visible).length} steps (${t.steps.length} ops; ~ = thread-local, fused into the step before it)`,
    );
    for (const s of t.steps)
      out.push(`  ${String(s.step).padStart(3)}${s.visible ? ' ' : '~'} ${s.position.padEnd(28)} ${s.text}`);
  }
  const env = v.entities.slice(v.threads.length);
  if (env.length > 0) out.push('', `environment: ${env.join(', ')}`);
  out.push('', `state layout: ${v.stateWords} words (${v.stateWords * 4} bytes)`);
  for (const l of v.layout)
    out.push(`  [${String(l.offset).padStart(4)}] ${l.name}${l.words > 1 ? ` (${l.words} words)` : ''}`);
  return out.join('\n');
}
