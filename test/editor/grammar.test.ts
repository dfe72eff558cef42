import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { GRAMMAR_PATH, grammarText } from '../../scripts/gen-grammar.js';
import { BUILTINS, SYNC_PRIMS } from '../../src/model/lang/builtins.js';
import { KEYWORDS } from '../../src/model/lang/lexer.js';
import { VIOLATION_KINDS } from '../../src/model/lang/violation-kinds.js';
import { loadGrammar, ROOT, type Tok, tokenise, unmatched } from './textmate.js';

/** Every .mmspec under `dir`, recursively. */
function specsUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.mmspec'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

// The bundled specs and the fixtures the compiler accepts (test/fixtures/invalid holds
// deliberately broken text: unterminated strings, stray characters).
const SPECS = [
  ...specsUnder('specs'),
  ...specsUnder('test/fixtures').filter((f) => !f.startsWith('test/fixtures/invalid/')),
];

/** The tokens of `text` whose text is `word`, and the first one's scopes. */
async function scopesOf(text: string, word: string, nth = 0): Promise<string[]> {
  const toks = tokenise(await loadGrammar(), text).filter((t) => t.text === word);
  assert.ok(toks[nth] !== undefined, `no token '${word}' in ${JSON.stringify(text)}`);
  return toks[nth]!.scopes;
}

test('the committed grammar is the one scripts/gen-grammar.ts generates', () => {
  const committed = readFileSync(join(ROOT, GRAMMAR_PATH), 'utf8');
  assert.equal(committed, grammarText(), 'run `npx tsc -p tsconfig.json && node dist/scripts/gen-grammar.js`');
});

test('every bundled spec tokenises with no unmatched token', async () => {
  const grammar = await loadGrammar();
  assert.ok(SPECS.length >= 100, `found only ${SPECS.length} specs`);
  const bad: string[] = [];
  let tokens = 0;
  for (const file of SPECS) {
    const toks = tokenise(grammar, readFileSync(join(ROOT, file), 'utf8'));
    tokens += toks.length;
    for (const t of toks.filter(unmatched)) bad.push(`${file}:${t.line}:${t.col}: '${t.text}' ${t.scopes.join(' ')}`);
  }
  assert.deepEqual(bad.slice(0, 20), []);
  assert.ok(tokens > 10_000, `only ${tokens} tokens`);
});

test('the definition of unmatched catches what the grammar cannot read', async () => {
  const toks = tokenise(await loadGrammar(), 'thread t() { x = 1 $ 2; }');
  assert.deepEqual(
    toks.filter(unmatched).map((t: Tok) => t.text),
    ['$'],
  );
});

test('every built-in of the registry is scoped as a built-in where it is called', async () => {
  const grammar = await loadGrammar();
  const missed: string[] = [];
  for (const name of BUILTINS.keys()) {
    const tok = tokenise(grammar, `  r = ${name}(&p->lock, 1);`).find((t) => t.text === name);
    if (!tok?.scopes.includes('support.function.builtin.mmspec')) missed.push(name);
  }
  assert.deepEqual(missed, []);
  assert.ok(BUILTINS.size > 40, `registry has ${BUILTINS.size} built-ins`);
});

test('every keyword, sync type and violation kind gets its own scope', async () => {
  const grammar = await loadGrammar();
  for (const kw of KEYWORDS) {
    const tok = tokenise(grammar, `${kw} `).find((t) => t.text === kw);
    assert.ok(tok !== undefined && tok.scopes.length === 2, kw);
    assert.ok(!tok.scopes[1]!.startsWith('variable.'), `${kw}: ${tok.scopes[1]}`);
  }
  for (const prim of SYNC_PRIMS)
    assert.ok((await scopesOf(`lock: ${prim};`, prim)).includes('support.type.mmspec'), prim);
  for (const kind of VIOLATION_KINDS)
    assert.ok(
      (await scopesOf(`scenario s expect violation(${kind}) {}`, kind)).includes(
        'constant.other.violation-kind.mmspec',
      ),
      kind,
    );
});

test('key scopes in specs/kernel-c.mmspec', async () => {
  const text = readFileSync(join(ROOT, 'specs/kernel-c.mmspec'), 'utf8');
  const at = (word: string, nth = 0) => scopesOf(text, word, nth);
  assert.deepEqual(await at('thread'), ['source.mmspec', 'keyword.declaration.mmspec']);
  assert.deepEqual(await at('lookup'), ['source.mmspec', 'entity.name.function.thread.mmspec']);
  assert.deepEqual(await at('rcu_read_lock'), ['source.mmspec', 'support.function.builtin.mmspec']);
  assert.deepEqual(await at('spin_lock'), ['source.mmspec', 'support.function.builtin.mmspec']);
  assert.deepEqual(await at('obj'), ['source.mmspec', 'entity.name.type.struct.mmspec']);
  assert.deepEqual(await at('spinlock'), ['source.mmspec', 'support.type.mmspec']);
  assert.deepEqual(await at('->'), ['source.mmspec', 'punctuation.accessor.arrow.mmspec']);
  assert.deepEqual(await at('++'), ['source.mmspec', 'keyword.operator.increment.mmspec']);
  assert.deepEqual(await at('+='), ['source.mmspec', 'keyword.operator.assignment.compound.mmspec']);
  assert.deepEqual(await at('&'), ['source.mmspec', 'keyword.operator.bitwise.mmspec']);
  assert.deepEqual(await at('2'), ['source.mmspec', 'constant.numeric.decimal.mmspec']);
  assert.deepEqual(await at('null'), ['source.mmspec', 'constant.language.mmspec']);
  assert.deepEqual(await at('kernel C to mmspec: a refcounted lookup'), [
    'source.mmspec',
    'string.quoted.double.mmspec',
  ]);
  assert.deepEqual(await at('//'), ['source.mmspec', 'comment.line.double-slash.mmspec']);
  assert.deepEqual(await at(' rcu_assign_pointer, refcount_t, an anonymous final) compiled as written.'), [
    'source.mmspec',
    'comment.line.double-slash.mmspec',
  ]);
  assert.deepEqual(await at('lookup_vs_remove'), ['source.mmspec', 'entity.name.section.scenario.mmspec']);
  assert.deepEqual(await at('pass'), ['source.mmspec', 'keyword.other.expect.mmspec']);
  assert.deepEqual(await at('typesafe_by_rcu'), ['source.mmspec', 'storage.modifier.mmspec']);
  // `ref` is a type before a struct name, and a field like any other after `->`.
  assert.deepEqual(await at('ref', 1), ['source.mmspec', 'storage.type.ref.mmspec']);
  assert.deepEqual(await at('ref', 0), ['source.mmspec', 'variable.other.mmspec']);
  assert.deepEqual(await at('obj', 2), ['source.mmspec', 'entity.name.type.mmspec']);
  assert.deepEqual(await scopesOf('if (refcount_dec_and_test(p->ref)) free(p);', 'ref'), [
    'source.mmspec',
    'variable.other.member.mmspec',
  ]);
  assert.deepEqual(await at('alloc'), ['source.mmspec', 'keyword.operator.new.mmspec']);
});

test('comments and strings span what the lexer says they span', async () => {
  const toks = tokenise(await loadGrammar(), 'x = 1; /* a\n "b" */ y = "c // d \\n"; for i in 0..n {}');
  const scoped = (text: string) => toks.find((t) => t.text === text)?.scopes.at(-1);
  assert.equal(scoped(' "b" '), 'comment.block.mmspec');
  assert.equal(scoped('c // d '), 'string.quoted.double.mmspec');
  assert.equal(scoped('\\n'), 'constant.character.escape.mmspec');
  assert.equal(scoped('y'), 'variable.other.mmspec');
  assert.equal(scoped('n'), 'variable.other.mmspec');
  assert.equal(scoped('in'), 'keyword.control.mmspec');
});
