// The language server driven over the protocol, as an editor drives it: initialize, open
// specs/rfc-2008.mmspec, edit it, and ask for hovers, definitions, symbols and completions.
// Positions are found in the spec's text (the line holding a piece of code, the column of a
// name in it), so that adding to the spec or its library does not move them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startClient, type TestClient, textOf, uriOf } from './client.js';

const SPEC = 'specs/rfc-2008.mmspec';
const uri = uriOf(SPEC);
const lib = uriOf('specs/lib/mm.mmspec');
let c: TestClient;

/** The CLI's server on a process of its own, started first so that it runs beside the tests. */
const cli = new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
  const frame = (m: object): string => {
    const s = JSON.stringify({ jsonrpc: '2.0', ...m });
    return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
  };
  const p = spawn(process.execPath, ['bin/mmcheck.js', 'lsp', '--stdio']);
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => {
    stdout += d;
  });
  p.stderr.on('data', (d) => {
    stderr += d;
  });
  p.on('close', (status) => done({ status, stdout, stderr }));
  // Exit code 0 only if the shutdown request arrived before the exit (LSP: 1 otherwise).
  p.stdin.end(
    [
      frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }),
      frame({ id: 2, method: 'shutdown' }),
      frame({ method: 'exit' }),
    ].join(''),
  );
});
let version = 1;

const at = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: at(l1, c1), end: at(l2, c2) });

/** Where `name` starts on the first line of `file` that contains `context` (and `name` in it). */
function where(file: string, context: string, name = context): { line: number; character: number } {
  const lines = textOf(file).split('\n');
  const line = lines.findIndex((l) => l.includes(context));
  assert.ok(line >= 0, `${file}: no line contains ${context}`);
  const character = lines[line]!.indexOf(name, lines[line]!.indexOf(context));
  assert.ok(character >= 0, `${file}:${line + 1}: no ${name} in ${context}`);
  return { line, character };
}
const LIB = 'specs/lib/mm.mmspec';
// The lines the test works on.
const LOCK = where(SPEC, 'idx = srcu_read_lock(mm_srcu)', 'srcu_read_lock'); // a built-in call
const SRCU = where(SPEC, 'idx = srcu_read_lock(mm_srcu)', 'mm_srcu'); // a global of the library
const NULL_CHECK = where(SPEC, 'if (v == null) goto bad_area', 'v'); // a local; a label use
const GOTO = where(SPEC, 'if (v == null) goto bad_area', 'bad_area');
const LABEL = where(SPEC, 'bad_area:');
const START = where(SPEC, 'if (v.start <= addr)', 'start'); // a field of the library's struct
const DEAD = where(SPEC, 'if (vma_is_dead(v)) goto retry', 'vma_is_dead');
const FN_DEAD = where(SPEC, 'fn vma_is_dead', 'vma_is_dead');
const THREAD = where(SPEC, 'thread fault(', 'fault');
const THREAD_END = { line: textOf(SPEC).split('\n').indexOf('}', THREAD.line), character: 0 };
const USE = where(SPEC, 'fault(0, false); munmap(0, 1);', 'fault'); // a thread in a scenario
const INV_USE = where(SPEC, 'expect violation(invariant vmas_do_not_overlap)', 'vmas_do_not_overlap');
const IMPORT = where(SPEC, 'import "lib/mm.mmspec"', 'lib');
const LOCAL_IDX = where(SPEC, 'local idx: int;', 'local');
const WRITE = where(SPEC, '(write && !v.write)', 'v.write');
const LAST_SCENARIO = where(SPEC, 'scenario q9_exit_mmap');
const LIB_START = where(LIB, 'start: int;');
const LIB_SRCU = where(LIB, 'shared mm_srcu', 'mm_srcu');
const LIB_INV = where(LIB, 'invariant vmas_do_not_overlap', 'vmas_do_not_overlap');
/** The range of `n` characters from p. */
const span = (p: { line: number; character: number }, n: number) => range(p.line, p.character, p.line, p.character + n);
const req = (method: string, line: number, character: number, doc = uri): Promise<unknown> =>
  c.rpc.sendRequest(method, { textDocument: { uri: doc }, position: at(line, character) });
const edit = (r: ReturnType<typeof range>, text: string): void => {
  void c.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++version },
    contentChanges: [{ range: r, text }],
  });
};

before(async () => {
  c = await startClient();
  c.rpc.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'mmspec', version, text: textOf(SPEC) },
  });
});
after(async () => {
  await c.close();
});

test('didOpen publishes the compiler diagnostics of the spec and of the file it imports', async () => {
  assert.deepEqual(await c.diagnostics(uri), { uri, diagnostics: [] });
  assert.deepEqual(await c.diagnostics(lib), { uri: lib, diagnostics: [] });
});

test('hover on a built-in: signature, kernel semantics, blocks and sleeps', async () => {
  assert.deepEqual(await req('textDocument/hover', LOCK.line, LOCK.character + 2), {
    contents: {
      kind: 'markdown',
      value:
        '```mmspec\nsrcu_read_lock(srcu): int\n```\n' +
        "srcu_read_lock(d): enters a read section of the SRCU domain d; returns the domain's index (0/1) to pass to srcu_read_unlock." +
        '\n\nblocks: no · sleeps: no',
    },
    range: span(LOCK, 14),
  });
});

test('hover on names shows their declaration: a local, a global of the imported file, a thread', async () => {
  const md = (value: string) => ({ kind: 'markdown', value });
  assert.deepEqual(await req('textDocument/hover', NULL_CHECK.line, NULL_CHECK.character), {
    contents: md('```mmspec\nlocal v: ref vma;\n```\nlocal of fault'),
    range: span(NULL_CHECK, 1),
  });
  assert.deepEqual(await req('textDocument/hover', SRCU.line, SRCU.character + 2), {
    contents: md('```mmspec\nshared mm_srcu: srcu;\n```\nglobal · in `lib/mm.mmspec`'),
    range: span(SRCU, 7),
  });
  assert.deepEqual(await req('textDocument/hover', USE.line, USE.character), {
    contents: md('```mmspec\nthread fault(addr: int, write: bool)\n```\nthread'),
    range: span(USE, 5),
  });
});

test('definition: labels, fields, globals and invariants of the imported file, fns, threads, imports', async () => {
  const loc = (u: string, r: ReturnType<typeof range>) => [{ uri: u, range: r }];
  const def = (p: { line: number; character: number }, d = 0) =>
    req('textDocument/definition', p.line, p.character + d);
  assert.deepEqual(await def(GOTO, 2), loc(uri, span(LABEL, 9)));
  assert.deepEqual(await def(START, 1), loc(lib, span(LIB_START, 5)));
  assert.deepEqual(await def(SRCU, 2), loc(lib, span(LIB_SRCU, 7)));
  assert.deepEqual(await def(INV_USE, 2), loc(lib, span(LIB_INV, 19)));
  assert.deepEqual(await def(DEAD, 2), loc(uri, span(FN_DEAD, 11)));
  assert.deepEqual(await def(USE), loc(uri, span(THREAD, 5)));
  assert.deepEqual(await def(IMPORT, 1), loc(lib, range(0, 0, 0, 0)));
});

test('document symbols: the fns, threads and scenarios of the document itself', async () => {
  const syms = (await c.rpc.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as {
    name: string;
    detail: string;
    kind: number;
  }[];
  assert.deepEqual(
    syms.map((s) => `${s.detail} ${s.name}`),
    SYMBOLS,
  );
  assert.deepEqual(
    syms.find((s) => s.name === 'fault'),
    {
      name: 'fault',
      detail: 'thread',
      kind: 12,
      range: range(THREAD.line, 0, THREAD_END.line, 1),
      selectionRange: span(THREAD, 5),
    },
  );
});

test('didChange: a type error, with its exact range, message and hint; a warning as a warning', async () => {
  edit(span(SRCU, 7), 'addr');
  assert.deepEqual(await c.diagnostics(uri), {
    uri,
    diagnostics: [
      {
        range: span(SRCU, 4),
        severity: 1,
        code: 'MM320',
        source: 'mmcheck',
        message: "'srcu_read_lock' needs a srcu, got int\nhint: 'addr' is an int; declare it as `addr: srcu;`",
      },
    ],
  });
  assert.deepEqual(await c.diagnostics(lib), { uri: lib, diagnostics: [] });
  edit(span(SRCU, 4), 'mm_srcu');
  edit(range(LOCK.line, 0, LOCK.line, 0), '  local unused: int;\n');
  assert.deepEqual((await c.diagnostics(uri)).diagnostics, []);
  assert.deepEqual((await c.diagnostics(uri)).diagnostics, WARNING);
  await c.diagnostics(lib);
  await c.diagnostics(lib);
  edit(range(LOCK.line, 0, LOCK.line + 1, 0), '');
  assert.deepEqual((await c.diagnostics(uri)).diagnostics, []);
  await c.diagnostics(lib);
});

test('completion: the fields of the struct after `.`, the built-ins elsewhere, violation kinds', async () => {
  edit(span(START, 5), '');
  assert.equal((await c.diagnostics(uri)).diagnostics[0]?.code, 'MM010');
  await c.diagnostics(lib);
  const field = (label: string, detail: string) => ({ label, kind: 5, detail });
  // Every field of struct vma as lib/mm.mmspec declares it, in its order.
  const text = textOf(LIB).split('\n');
  const from = text.findIndex((l) => l.startsWith('struct vma '));
  const fields = text
    .slice(from + 1, text.indexOf('}', from))
    .map((l) => /^\s*(\w+): ([^;]+);/.exec(l))
    .filter((m) => m !== null)
    .map((m) => field(m[1]!, `${m[1]}: ${m[2]}; (vma)`));
  assert.deepEqual(fields.slice(0, 2), [field('start', 'start: int; (vma)'), field('end', 'end: int; (vma)')]);
  assert.deepEqual(await req('textDocument/completion', START.line, START.character), fields);
  const all = (await req('textDocument/completion', LOCAL_IDX.line, LOCAL_IDX.character)) as { label: string }[];
  assert.deepEqual(all[0], {
    label: 'atomic_read',
    kind: 3,
    detail: 'atomic_read(atomic): int',
    documentation: { kind: 'markdown', value: 'Reads an atomic_t (one step).\n\nblocks: no · sleeps: no' },
  });
  for (const l of ['wait_for_completion', 'scenario', 'fault', 'vma', 'mm_srcu', 'v'])
    assert.ok(
      all.some((i) => i.label === l),
      l,
    );
  edit(range(LAST_SCENARIO.line, 0, LAST_SCENARIO.line, 0), 'scenario s expect violation(');
  await c.diagnostics(uri);
  await c.diagnostics(lib);
  const kinds = (await req('textDocument/completion', LAST_SCENARIO.line, 28)) as { label: string }[];
  assert.deepEqual(
    kinds.slice(0, 3).map((k) => k.label),
    ['assertion', 'use_after_free', 'null_deref'],
  );
});

test('an error in an imported file is reported against that file, at its UTF-16 column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmcheck-lsp-'));
  try {
    writeFileSync(join(dir, 'lib.mmspec'), 'shared a: int = 0; /* ü😀 */ shared b: nosuchtype;\n');
    const main = uriOf(join(dir, 'main.mmspec'));
    c.rpc.sendNotification('textDocument/didOpen', {
      textDocument: { uri: main, languageId: 'mmspec', version: 1, text: 'import "lib.mmspec";\n' },
    });
    assert.deepEqual(await c.diagnostics(main), { uri: main, diagnostics: [] });
    const got = await c.diagnostics(uriOf(join(dir, 'lib.mmspec')));
    assert.deepEqual(got.diagnostics[0]?.range, range(0, 39, 0, 49));
    assert.equal(got.diagnostics[0]?.code, 'MM112');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a C-ism is an error with its hint on the second line; hover on a field names its struct; close clears', async () => {
  const doc = 'untitled:c.mmspec';
  c.rpc.sendNotification('textDocument/didOpen', {
    textDocument: { uri: doc, languageId: 'mmspec', version: 1, text: 'thread t() {\n  int x;\n}\n' },
  });
  const d = { range: range(1, 2, 1, 5), code: 'MM033', source: 'mmcheck' };
  assert.deepEqual(await c.diagnostics(doc), {
    uri: doc,
    diagnostics: [{ ...d, severity: 1, message: 'C-style declaration\nhint: declare locals with `local x: int;`' }],
  });
  c.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: doc } });
  assert.deepEqual(await c.diagnostics(doc), { uri: doc, diagnostics: [] });
  assert.deepEqual(await req('textDocument/hover', WRITE.line, WRITE.character + 3), {
    contents: { kind: 'markdown', value: '```mmspec\nwrite: bool;\n```\nfield of struct vma · in `lib/mm.mmspec`' },
    range: span({ line: WRITE.line, character: WRITE.character + 2 }, 5),
  });
});

test('mmcheck lsp speaks LSP on stdin/stdout and exits 0 after shutdown and exit', async () => {
  const r = await cli;
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"serverInfo":\{"name":"mmcheck","version":"[^"]+"\}/);
});

/** `mmcheck lsp` given `input` and then the end of its input: how it ended (killed after 5 s: a hang). */
function lspOnInput(input: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['bin/mmcheck.js', 'lsp']);
    const timer = setTimeout(() => p.kill(), 5000);
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stderr });
    });
    p.stdin.end(input);
  });
}

test('mmcheck lsp: a message that is neither request nor notification, then the end of input, ends it quietly', async () => {
  // The library logs the bad message through the server's console after the input has
  // closed; the send threw "Connection is closed" from a promise: exit 70, an internal bug.
  assert.deepEqual(await lspOnInput('Content-Length: 2\r\n\r\n{}'), { status: 0, stderr: '' });
});

/** One LSP message with its header. */
const framed = (m: object): string => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...m });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

test('mmcheck lsp: a document opened just before the end of input ends it quietly (a stack trace, "Connection is closed")', async () => {
  // The input ended before the queued didOpen was handled: its diagnostics, sent to a closed
  // connection, threw, and the library printed the error with its stack on stderr.
  const input = [
    framed({ id: 1, method: 'initialize', params: { capabilities: {} } }),
    framed({ method: 'initialized', params: {} }),
    framed({
      method: 'textDocument/didOpen',
      params: { textDocument: { uri: 'file:///tmp/x.mmspec', languageId: 'mmspec', version: 1, text: 'spec "x";\n' } },
    }),
  ].join('');
  assert.deepEqual(await lspOnInput(input), { status: 0, stderr: '' });
});

test('mmcheck lsp: input that ends inside a message ends the server (it ran on for ever)', async () => {
  assert.deepEqual(await lspOnInput('Content-Length: 100\r\n\r\n{"jsonrpc":'), { status: 0, stderr: '' });
});

const WARNING = [
  {
    range: span({ line: LOCK.line, character: 8 }, 6),
    severity: 2,
    code: 'MM202',
    source: 'mmcheck',
    message: "unused local 'unused'",
  },
];

const SYMBOLS = [
  'fn vma_is_dead',
  'fn vma_get',
  'fn vma_put',
  'fn vma_remove',
  'fn vma_free',
  'fn pte_free_tlb',
  'fn vma_is_stale',
  'fn stale_fault',
  'fn wp_recheck',
  'fn pmd_recheck',
  'fn pte_alloc_recheck',
  'fn free_pgtables_locked',
  'fn file_free',
  'fn do_fault_unlock_stale',
  'fn exit_mmap_mark_dead',
  'fn anon_vma_recheck',
  'fn pmd_free_tlb',
  'fn pmd_alloc_recheck',
  'fn fork_copies',
  'fn mremap_kills_old',
  'fn pgoff_locked',
  'fn mergeable_rcu',
  'thread fault',
  'scenario expect violation(use_after_free) q1_pgtable_freed_under_walk',
  'scenario expect violation(final no_page_table_over_hole) q2_pgtable_instantiated_for_naught',
  'scenario expect violation(invariant vmas_do_not_overlap) q3_expand_stack_vs_mmap',
  'scenario expect violation(invariant no_sigbus_on_mapped_address) q4a_merge_sigbus',
  'scenario expect violation(invariant no_writable_pte_after_mprotect) q4b_mprotect_in_place',
  'scenario expect violation(invariant no_pte_after_munmap) q4c_split_in_place',
  'scenario expect violation(assertion) q5_vma_get_vs_vma_remove',
  'scenario expect violation(deadlock) q6_vma_remove_spins',
  'scenario expect violation(use_after_free) q7_vma_free_call_srcu',
  'scenario expect violation(lock_misuse) q8_do_fault_sigbus_keeps_page_lock',
  'scenario expect violation(assertion) q9_exit_mmap',
  'scenario expect violation(invariant no_accessible_pte_after_prot_none) q10_prot_none_vs_read_fault',
  'scenario expect violation(deadlock) q11_mkwrite_error_leaks_vma_ref',
  'scenario expect violation(invariant no_anon_vma_on_unmapped_vma) q12_anon_vma_prepare_after_unlink',
  'scenario expect violation(use_after_free) q13_pmd_page_freed_under_walk',
  'scenario expect violation(final no_page_table_over_hole) q13b_pmd_instantiated_for_naught',
  'scenario expect violation(invariant no_child_pte_outside_rmap) q14_fork_vs_first_anon_fault',
  'scenario expect violation(invariant mremap_moves_every_page) q15_mremap_vs_fault',
  'scenario expect violation(invariant file_pte_maps_its_file_page) q16_torn_vm_pgoff',
  'scenario expect violation(use_after_free) q17_mergeable_anon_vma_freed',
  'scenario expect violation(deadlock) q18_cow_oom_leaks_vma_ref',
  'scenario expect violation(assertion) q18b_cow_vma_get_vs_munmap',
];
