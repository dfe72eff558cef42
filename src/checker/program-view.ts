// A compiled Program as `mmcheck show` prints it: each thread's steps with their source
// lines, and the state layout, as plain data (report/program.ts renders it).
import { formatLine } from '../model/lang/diagnostics.js';
import type { Layout } from '../model/layout.js';
import type { Program } from '../model/program.js';

export interface ProgramView {
  spec: string;
  scenario: string;
  stateWords: number;
  threads: { name: string; steps: { step: number; position: string; text: string; visible: boolean }[] }[];
  entities: string[];
  layout: { name: string; offset: number; words: number }[];
}

export function viewProgram(program: Program): ProgramView {
  const src = program.spec.sources;
  const threads = program.threads.map((t) => ({
    name: t.layout.name,
    steps: t.ops.map((op, i) => ({ step: i, position: formatLine(src, op.span), text: op.text, visible: op.visible })),
  }));
  return {
    spec: src.files[0]?.path ?? '',
    scenario: program.scenario.name,
    stateWords: program.layout.words,
    threads,
    entities: [...program.entityNames],
    layout: layoutRegions(program.layout),
  };
}

function layoutRegions(L: Layout): ProgramView['layout'] {
  const out: ProgramView['layout'] = [];
  const rcu = L.domains[0]!.addr;
  for (const [name, offset] of L.globals) out.push({ name, offset, words: nextOffset(L, rcu, offset) - offset });
  out.push({ name: 'rcu (readers mask)', offset: rcu, words: 1 });
  for (const p of L.poolList)
    out.push({
      name: `pool ${p.struct}[${p.size}] (${p.slotWords} words per slot)`,
      offset: p.base,
      words: p.size * p.slotWords,
    });
  for (const t of L.threads)
    out.push({ name: `thread ${t.name} (pc, locals, bookkeeping)`, offset: t.base, words: t.end - t.base });
  return out;
}

function nextOffset(L: Layout, rcu: number, offset: number): number {
  const starts = [...L.globals.values(), rcu].filter((o) => o > offset);
  return Math.min(...starts);
}
