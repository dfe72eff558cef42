// Every state word's name (`pte_page#0.pte[1]`, `sem.writer`, `fault.v`) and how its value
// reads, for messages and trace changes. Sync objects' words are named and formatted by
// their primitive family. Built on first use: most runs never name a word.
import type { CheckedSpec } from './lang/checked.js';
import { type Ty, typeWords } from './lang/types.js';
import type { Layout, ObjectRef } from './layout.js';
import { syncType, THREAD_WORD_DECLS, type ThreadNaming } from './prims/index.js';
import type { WordNaming } from './runtime.js';

/** What a word holds: a plain value of a type, or word `word` of a sync object. */
type WordKind = { ty: Ty } | { prim: string; word: number };

interface WordTable {
  names: string[];
  kinds: (WordKind | undefined)[];
  refs: (ObjectRef | undefined)[];
}

/** Thread names for decoding owner words and thread masks. */
export function threadNaming(layout: Layout, entityNames: readonly string[]): ThreadNaming {
  return {
    owner: (w) => (w === 0 ? '' : (entityNames[w - 1] ?? `#${w - 1}`)),
    threadsIn: (mask) => layout.threads.filter((_t, i) => ((mask >>> i) & 1) === 1).map((t) => t.name),
  };
}

export function wordNaming(spec: CheckedSpec, layout: Layout, entityNames: readonly string[]): WordNaming {
  let table: WordTable | null = null;
  const get = (): WordTable => {
    table ??= buildWordTable(spec, layout);
    return table;
  };
  const who = threadNaming(layout, entityNames);
  return {
    nameOf: (addr) => get().names[addr] ?? `word ${addr}`,
    refOf: (addr) => get().refs[addr],
    formatValue: (addr, value) => {
      const kind = get().kinds[addr];
      // The rcu domain's readers mask: the threads inside a read section.
      if (addr === layout.domains[0]!.addr) return `{${who.threadsIn(value).join(', ')}}`;
      if (kind === undefined) return String(value);
      if ('prim' in kind) return syncType(kind.prim).formatWord?.(kind.word, value, who) ?? String(value);
      const ty = kind.ty;
      if (ty.k === 'ref') return value === 0 ? 'null' : `${ty.struct}#${value - 1}`;
      if (ty.k === 'bool') return value === 0 ? 'false' : 'true';
      if (ty.k === 'enum') return spec.enums.get(ty.name)?.[value] ?? String(value);
      return String(value);
    },
  };
}

function buildWordTable(spec: CheckedSpec, layout: Layout): WordTable {
  const t: WordTable = { names: new Array(layout.words), kinds: new Array(layout.words), refs: [] };
  for (const g of spec.globals.values()) nameValue(t, g.ty, layout.globals.get(g.name)!, g.name);
  t.names[layout.domains[0]!.addr] = 'rcu.readers';
  layout.lockClasses.forEach((c, i) => {
    t.names[layout.lockEdges + i] = `<lockdep ${c}>`;
  });
  for (const p of layout.poolList) {
    const st = spec.structs.get(p.struct)!;
    for (let i = 0; i < p.size; i++) {
      const base = p.base + i * p.slotWords;
      t.names[base] = `${p.struct}#${i}.<alloc>`;
      t.refs[base] = { pool: p.struct, slot: i };
      const prefix = `${p.struct}#${i}.`;
      for (const f of st.fields)
        nameValue(t, f.ty, base + 1 + f.offset, prefix + f.name, { pool: p.struct, slot: i, prefix });
      if (p.hasCallbacks) {
        t.names[base + 1 + p.fieldWords] = `${p.struct}#${i}.<callback>`;
        t.names[base + 2 + p.fieldWords] = `${p.struct}#${i}.<callback-wait>`;
      }
    }
  }
  for (const th of [...layout.threads, layout.init]) {
    t.names[th.pc] = `${th.name}.pc`;
    for (const [body, base] of th.frames) {
      for (const l of body.locals)
        nameValue(
          t,
          l.ty,
          base + l.index,
          body === th.body ? `${th.name}.${l.name}` : `${th.name}.${body.name}.${l.name}`,
        );
      t.names[base + body.locals.length] = `${th.name}.${body.name}.<return>`;
    }
    for (const d of THREAD_WORD_DECLS) if (d.label !== undefined) t.names[th[d.name]] = `${th.name}.${d.label}`;
  }
  return t;
}

/** A word of a pool slot: its object, and the prefix (`vma#0.`) its field names start with. */
interface SlotOf {
  pool: string;
  slot: number;
  prefix: string;
}

function nameValue(t: WordTable, ty: Ty, addr: number, label: string, slot?: SlotOf): void {
  if (ty.k === 'array') {
    const w = typeWords(ty.elem);
    for (let i = 0; i < ty.size; i++) nameValue(t, ty.elem, addr + i * w, `${label}[${i}]`, slot);
    return;
  }
  const wordNames = ty.k === 'sync' ? syncType(ty.prim).wordNames : null;
  if (ty.k === 'sync' && wordNames !== null) {
    wordNames.forEach((n, i) => {
      t.names[addr + i] = `${label}.${n}`;
      t.kinds[addr + i] = { prim: ty.prim, word: i };
    });
  } else {
    t.names[addr] = label;
    t.kinds[addr] = ty.k === 'sync' ? { prim: ty.prim, word: 0 } : { ty };
  }
  if (slot === undefined) return;
  const ref = { pool: slot.pool, slot: slot.slot, field: label.slice(slot.prefix.length) };
  for (let i = 0; i < typeWords(ty); i++) t.refs[addr + i] = ref;
}
