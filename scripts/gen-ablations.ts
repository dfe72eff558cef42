// Writes the ablation specs specs/rfc-2008-fixed-without-<fix>.mmspec from
// specs/rfc-2008-fixed.mmspec: each reverts one fix (the lines the fix changed, back to the
// RFC as posted) and keeps only the scenario that fix closes, now expecting the violation it
// closes. So every "closed" claim of rfc-2008-fixed is earned by a passing scenario there that
// fails here, and `diff` between the two files shows exactly the reverted lines. Edit the fixed
// spec, then regenerate; test/scripts/gen-ablations.test.ts fails when a committed ablation
// differs from this output. Run from the repository root: node dist/scripts/gen-ablations.js
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const FIXED_PATH = 'specs/rfc-2008-fixed.mmspec';

/** One fix reverted: the name, what reverting means, the replacements and the scenario it earns. */
export interface Ablation {
  name: string;
  what: string;
  /** [text in the fixed spec, its RFC form]: each must occur exactly once. */
  revert: readonly (readonly [string, string])[];
  scenario: string;
  expect: string;
}

// The RFC's vma_get()/vma_put() and spinning vma_remove(), as posted (specs/rfc-2008.mmspec).
const VMA_GET_RFC: readonly (readonly [string, string])[] = [
  [
    'fn vma_get(v: ref vma) { }\nfn vma_put(v: ref vma) { }\n',
    'fn vma_get(v: ref vma) {\n  BUG_ON(vma_is_dead(v));\n  atomic_inc(v.usage);\n}\n' +
      'fn vma_put(v: ref vma) {\n  local r: int;\n  r = atomic_dec_return(v.usage);\n  BUG_ON(r == 0);\n}\n',
  ],
  [
    'fn vma_remove(v: ref vma) {\n  atomic_set(v.usage, 0);\n}\n',
    'fn vma_remove(v: ref vma) {\n  local old: int;\n  old = atomic_cmpxchg(v.usage, 1, 0);\n' +
      '  while (old != 0) {\n' +
      '    if (old != 1) await atomic_read(v.usage) == 0 || atomic_read(v.usage) == 1;   // cpu_relax()\n' +
      '    old = atomic_cmpxchg(v.usage, 1, 0);\n  }\n}\n',
  ],
];

const hook = (name: string, type: string, fixed: string, rfc: string): readonly [string, string] => [
  `fn ${name}(): ${type} { return ${fixed}; }`,
  `fn ${name}(): ${type} { return ${rfc}; }`,
];
const CHECK =
  'return vma_is_dead(v) || a < v.start || a >= v.end || (e == PTE_RW && !v.write) || (!v.read && !v.write);';

export const ABLATIONS: readonly Ablation[] = [
  {
    name: 'q1-pmd-same',
    what: 'FIX Q1: no pmd_same() recheck in pte_offset_map_lock().',
    revert: [hook('pmd_recheck', 'bool', 'true', 'false')],
    scenario: 'q1_pgtable_freed_under_walk',
    expect: 'violation(null_deref)',
  },
  {
    name: 'q1-srcu-free',
    what: 'FIX Q1: pte pages freed at once (kfree), not after an SRCU grace period.',
    revert: [
      [
        'fn pte_free_tlb(pt: ref pte_page) { call_srcu(mm_srcu, pt); }',
        'fn pte_free_tlb(pt: ref pte_page) { free(pt); }',
      ],
    ],
    scenario: 'q1_pgtable_freed_under_walk',
    expect: 'violation(premature_free)',
  },
  {
    name: 'q2-free-pgtables-locked',
    what: 'FIX Q2: free_pgtables() clears pmds without page_table_lock.',
    revert: [hook('free_pgtables_locked', 'bool', 'true', 'false')],
    scenario: 'q2_pgtable_instantiated_for_naught',
    expect: 'violation(final no_page_table_over_hole)',
  },
  {
    name: 'q2-pte-alloc-recheck',
    what: 'FIX Q2: __pte_alloc() does not re-validate the VMA.',
    revert: [hook('pte_alloc_recheck', 'bool', 'true', 'false')],
    scenario: 'q2_pgtable_instantiated_for_naught',
    expect: 'violation(final no_page_table_over_hole)',
  },
  {
    name: 'q3-expand-stack',
    what: 'FIX Q3: expand_stack() without mmap_sem, as posted.',
    revert: [
      ['  local w: ref vma;\n', ''],
      [
        '  down_read(mmap_sem);\n  w = find_vma(addr);\n  if (w == v) expand_stack(v, addr);\n  up_read(mmap_sem);\n  if (w != v) goto retry;\n',
        '  expand_stack(v, addr);\n',
      ],
    ],
    scenario: 'q3_expand_stack_vs_mmap',
    expect: 'violation(invariant vmas_do_not_overlap)',
  },
  {
    name: 'q4-range',
    what: 'FIX Q4: the check under the PTL does not cover the range.',
    revert: [[CHECK, 'return vma_is_dead(v) || (e == PTE_RW && !v.write) || (!v.read && !v.write);']],
    scenario: 'q4c_split_in_place',
    expect: 'violation(invariant no_pte_after_munmap)',
  },
  {
    name: 'q4-retry',
    what: 'FIX Q4: a stale VMA gives SIGBUS, not a retry of the lookup.',
    revert: [hook('stale_fault', 'int', 'VM_FAULT_RETRY', 'VM_FAULT_SIGBUS')],
    scenario: 'q4a_merge_sigbus',
    expect: 'violation(invariant no_sigbus_on_mapped_address)',
  },
  {
    name: 'q4-write',
    what: 'FIX Q4: the check under the PTL does not cover VM_WRITE.',
    revert: [[CHECK, 'return vma_is_dead(v) || a < v.start || a >= v.end || (!v.read && !v.write);']],
    scenario: 'q4b_mprotect_in_place',
    expect: 'violation(invariant no_writable_pte_after_mprotect)',
  },
  {
    name: 'q5-vma-get',
    what: "FIX Q5/Q6: the RFC's vma_get()/vma_put() reference and the spinning vma_remove(), as posted.",
    revert: VMA_GET_RFC,
    scenario: 'q5_vma_get_vs_vma_remove',
    expect: 'violation(assertion)',
  },
  {
    name: 'q6-vma-get',
    what: "FIX Q5/Q6: the RFC's vma_get()/vma_put() reference and the spinning vma_remove(), as posted.",
    revert: VMA_GET_RFC,
    scenario: 'q6_vma_remove_spins',
    expect: 'violation(deadlock)',
  },
  {
    name: 'q11-vma-get',
    what: "FIX Q5/Q6: the RFC's vma_get()/vma_put() reference and the spinning vma_remove(), as posted.",
    revert: VMA_GET_RFC,
    scenario: 'q11_mkwrite_error_leaks_vma_ref',
    expect: 'violation(deadlock)',
  },
  {
    name: 'q12-anon-vma-recheck',
    what: 'FIX Q12: anon_vma_prepare() links the VMA without re-validating it.',
    revert: [hook('anon_vma_recheck', 'bool', 'true', 'false')],
    scenario: 'q12_anon_vma_prepare_after_unlink',
    expect: 'violation(invariant no_anon_vma_on_unmapped_vma)',
  },
  {
    name: 'q13-srcu-free-pmd',
    what: 'FIX Q13: pmd pages freed at once (free_pmd_range), not after an SRCU grace period.',
    revert: [
      [
        'fn pmd_free_tlb(pm: ref pmd_page) { call_srcu(mm_srcu, pm); }',
        'fn pmd_free_tlb(pm: ref pmd_page) { free(pm); }',
      ],
    ],
    scenario: 'q13_pmd_page_freed_under_walk',
    expect: 'violation(use_after_free)',
  },
  {
    name: 'q13-pmd-alloc-recheck',
    what: 'FIX Q13: __pmd_alloc() does not re-validate the VMA.',
    revert: [hook('pmd_alloc_recheck', 'bool', 'true', 'false')],
    scenario: 'q13b_pmd_instantiated_for_naught',
    expect: 'violation(final no_page_table_over_hole)',
  },
  {
    name: 'q14-fork-copies',
    what: "FIX Q14: copy_page_range() asks the parent's vma->anon_vma, as in 2.6.28.",
    revert: [
      [
        'fn fork_copies(v: ref vma, av: ref anon_vma): bool { return av != null; }',
        'fn fork_copies(v: ref vma, av: ref anon_vma): bool { return v.anon_vma != null; }',
      ],
    ],
    scenario: 'q14_fork_vs_first_anon_fault',
    expect: 'violation(invariant no_child_pte_outside_rmap)',
  },
  {
    name: 'q15-mremap-kills-old',
    what: 'FIX Q15: move_vma() leaves the old VMA alive while its PTEs move, as in 2.6.28.',
    revert: [hook('mremap_kills_old', 'bool', 'true', 'false')],
    scenario: 'q15_mremap_vs_fault',
    expect: 'violation(invariant mremap_moves_every_page)',
  },
  {
    name: 'q16-pgoff-locked',
    what: 'FIX Q16: the fault reads vm_start and vm_pgoff as two plain loads, as in 2.6.28.',
    revert: [hook('pgoff_locked', 'bool', 'true', 'false')],
    scenario: 'q16_torn_vm_pgoff',
    expect: 'violation(invariant file_pte_maps_its_file_page)',
  },
  {
    name: 'q17-mergeable-rcu',
    what: "FIX Q17: anon_vma_prepare() locks a neighbour's anon_vma outside RCU and links it even if its list emptied.",
    revert: [hook('mergeable_rcu', 'bool', 'true', 'false')],
    scenario: 'q17_mergeable_anon_vma_freed',
    expect: 'violation(use_after_free)',
  },
  {
    name: 'q18-vma-get',
    what: "FIX Q5/Q6: the RFC's vma_get()/vma_put() reference and the spinning vma_remove(), as posted.",
    revert: VMA_GET_RFC,
    scenario: 'q18_cow_oom_leaks_vma_ref',
    expect: 'violation(deadlock)',
  },
  {
    name: 'q18b-vma-get',
    what: "FIX Q5/Q6: the RFC's vma_get()/vma_put() reference and the spinning vma_remove(), as posted.",
    revert: VMA_GET_RFC,
    scenario: 'q18b_cow_vma_get_vs_munmap',
    expect: 'violation(assertion)',
  },
  {
    name: 'q18c-wp-recheck',
    what: 'FIX Q5/Q6: do_wp_page() does not re-validate after retaking the PTL (the private COW copy).',
    revert: [hook('wp_recheck', 'bool', 'true', 'false')],
    scenario: 'q18c_cow_after_merge_and_mprotect',
    expect: 'violation(invariant no_writable_pte_after_mprotect)',
  },
  {
    name: 'q6-wp-recheck',
    what: 'FIX Q5/Q6: do_wp_page() does not re-validate after retaking the PTL.',
    revert: [hook('wp_recheck', 'bool', 'true', 'false')],
    scenario: 'q6b_wp_after_merge_and_mprotect',
    expect: 'violation(invariant no_writable_pte_after_mprotect)',
  },
  {
    name: 'q7-fput',
    what: 'FIX Q7: remove_vma() puts vm_file at once (only the VMA waits for the grace period).',
    revert: [['fn file_free(f: ref file) { call_srcu(mm_srcu, f); }', 'fn file_free(f: ref file) { free(f); }']],
    scenario: 'q7_vma_free_call_srcu',
    expect: 'violation(use_after_free)',
  },
  {
    name: 'q8-unlock-page',
    what: 'FIX Q8: __do_fault() bails without unlock_page(), as posted.',
    revert: [hook('do_fault_unlock_stale', 'bool', 'true', 'false')],
    scenario: 'q8_do_fault_sigbus_keeps_page_lock',
    expect: 'violation(lock_misuse)',
  },
  {
    name: 'q9-exit-mmap',
    what: 'FIX Q9: exit_mmap() frees VMAs that were never marked dead, as posted.',
    revert: [hook('exit_mmap_mark_dead', 'bool', 'true', 'false')],
    scenario: 'q9_exit_mmap',
    expect: 'violation(assertion)',
  },
  {
    name: 'q10-read',
    what: 'FIX Q10: the check under the PTL does not cover read permission (mprotect(PROT_NONE)).',
    revert: [[CHECK, 'return vma_is_dead(v) || a < v.start || a >= v.end || (e == PTE_RW && !v.write);']],
    scenario: 'q10_prot_none_vs_read_fault',
    expect: 'violation(invariant no_accessible_pte_after_prot_none)',
  },
];

const SCENARIOS_HEADER = '// ---- the scenarios of rfc-2008.mmspec, unchanged; every one passes here';

export const ablationPath = (a: Ablation): string => `specs/rfc-2008-fixed-without-${a.name}.mmspec`;

function replaceOnce(text: string, from: string, to: string, where: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`${where}: the fixed spec must contain exactly once: ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The text of one ablation spec, from the fixed spec's text. */
export function ablationText(fixed: string, a: Ablation): string {
  const file = `rfc-2008-fixed-without-${a.name}`;
  const lines = fixed.split('\n');
  const scenario = lines.find((l) => l.startsWith(`scenario ${a.scenario} expect pass `));
  if (scenario === undefined) throw new Error(`${file}: no passing scenario ${a.scenario} in ${FIXED_PATH}`);
  // The spec line, and the note above the import.
  let text = replaceOnce(fixed, lines[0]!, `spec "${file}: rfc-2008-fixed with one fix reverted"`, file);
  const note =
    `// GENERATED from rfc-2008-fixed.mmspec with one fix reverted — ${a.what}\n` +
    '// It earns that fix: the scenario below passes in rfc-2008-fixed.mmspec and fails here.\n' +
    `// \`diff specs/rfc-2008-fixed.mmspec specs/${file}.mmspec\` shows the\n` +
    '// reverted lines (and the scenarios left out). docs/rfc-2008.md, "Each fix is earned".\n\n';
  text = replaceOnce(text, '\nimport "lib/mm.mmspec";', `\n${note}import "lib/mm.mmspec";`, file);
  for (const [from, to] of a.revert) text = replaceOnce(text, from, to, file);
  const cut = text.indexOf(SCENARIOS_HEADER);
  if (cut < 0) throw new Error(`${file}: no "${SCENARIOS_HEADER}" line in ${FIXED_PATH}`);
  return (
    text.slice(0, cut) +
    '// The scenario of rfc-2008-fixed.mmspec that this fix closes, with the violation it closes.\n' +
    `${scenario.replace(' expect pass ', ` expect ${a.expect} `)}\n`
  );
}

/** Every ablation spec: its path and text, from the fixed spec under `root`. */
export function ablations(root = '.'): { path: string; text: string }[] {
  const fixed = readFileSync(join(root, FIXED_PATH), 'utf8');
  return ABLATIONS.map((a) => ({ path: ablationPath(a), text: ablationText(fixed, a) }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const { path, text } of ablations()) writeFileSync(path, text);
  console.log(`wrote ${ABLATIONS.length} ablation specs from ${FIXED_PATH}`);
}
