// Compile speed: a generated spec of about 2,000 lines (structs, pools, fns and threads in
// the RFC's idiom), compiled with every scenario's system built. Goal: under 200 ms.
import { performance } from 'node:perf_hooks';
import { buildSystem, compileText } from '../src/model/compile.js';

export function generateSpec(threads: number): string {
  const out: string[] = [
    'spec "generated: compile-speed benchmark"',
    'struct vma { start: int; end: int; usage: atomic; }',
    'struct pte_page srcu_protected(mm_srcu) { pte: int[4]; ptl: spinlock; }',
    'pool vma[4];',
    'pool pte_page[4];',
    'shared mm_srcu: srcu;',
    'shared mmap_sem: rwsem;',
    'shared tree: ref vma;',
    'shared pmd: ref pte_page;',
    'fn vma_is_dead(v: ref vma): bool { return atomic_read(v.usage) == 0; }',
  ];
  for (let i = 0; i < threads; i++) {
    out.push(
      `fn walk_${i}(addr: int): ref pte_page {`,
      '  local pt: ref pte_page;',
      '  pt = pmd;',
      '  if (pt == null) {',
      '    pt = alloc pte_page {};',
      '    pmd = pt;',
      '  }',
      '  return pt;',
      '}',
      `thread fault_${i}(addr: int) {`,
      '  local v: ref vma; local pt: ref pte_page; local idx: int;',
      '  idx = srcu_read_lock(mm_srcu);',
      `retry_${i}:`,
      '  v = tree;',
      `  if (v == null || v.start > addr) goto out_${i};`,
      `  if (vma_is_dead(v)) goto retry_${i};`,
      `  pt = walk_${i}(addr);`,
      '  spin_lock(pt.ptl);',
      `  if (vma_is_dead(v)) { spin_unlock(pt.ptl); goto out_${i}; }`,
      '  if (pt.pte[addr] == 0) pt.pte[addr] = 1;',
      '  spin_unlock(pt.ptl);',
      `out_${i}:`,
      '  srcu_read_unlock(mm_srcu, idx);',
      '}',
    );
  }
  out.push('init { tree = alloc vma { start: 0, end: 4, usage: 1 }; }');
  for (let i = 0; i + 1 < threads; i += 2)
    out.push(`scenario s_${i} expect pass { fault_${i}(1); fault_${i + 1}(2); }`);
  return `${out.join('\n')}\n`;
}

export function benchCompile(): { lines: number; compileMs: number; buildMs: number; scenarios: number } {
  const text = generateSpec(84);
  const lines = text.split('\n').length;
  compileText(text, 'generated.mmspec'); // warm-up (JIT)
  const t0 = performance.now();
  const r = compileText(text, 'generated.mmspec');
  const t1 = performance.now();
  if (!r.ok) throw new Error('generated spec does not compile');
  for (const s of r.spec.scenarios) buildSystem(r.spec, s);
  const t2 = performance.now();
  return { lines, compileMs: t1 - t0, buildMs: t2 - t1, scenarios: r.spec.scenarios.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = benchCompile();
  console.log(
    `compile: ${r.lines} lines in ${r.compileMs.toFixed(1)} ms; ${r.scenarios} scenario systems built in ${r.buildMs.toFixed(1)} ms`,
  );
}
