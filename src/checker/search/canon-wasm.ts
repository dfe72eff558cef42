// The thread-symmetry canonicaliser of model/symmetry.ts (threadSymmetry + threadRenaming) as a
// WebAssembly function over the memory the search's successors already live in (the hash's,
// xxh64-wasm.ts): c(src, dst, tab) writes the canonical form of the state at byte src into
// dst and returns 1, or returns 0 when the state is its own (dst left as it was), exactly as
// the JS `canonicalize` does; tab is the byte address of its tables (writeTables), written
// into the same memory once per search. It allocates nothing. The JS version stays the
// reference (test/checker/search/canon-wasm.test.ts holds this one to it word for word) and
// the fallback for states outside such a memory and for wrappers (search/fingerprint.ts).
//
// A second module that imports the hash's memory, rather than a second function in the
// hash's module: the hash's module stays as it was (its bytes and result), and a search
// without symmetry never compiles or instantiates this one (an instance is kept per memory,
// and memories are pooled, so a search pays for one only the first time).
//
// Per call, as in the JS version: each class's members sorted by block with an insertion sort
// (pc first, then the rest of the block lexicographically as signed int32; equal blocks keep
// their order), then, when a member moved, the whole state copied, the moved blocks copied to
// their new places, owner words (thread id + 1) and mask words (bit tid; bits of unmoved
// threads, the init pseudo-thread's among them, stay) renamed. Words of blocks are compared
// and copied two at a time as i64: rotating a pair by 32 puts the first word high, and
// flipping the low half's sign bit makes i64.lt_s order the pair as two signed int32.
import type { SymmetryTables } from '../../model/system.js';
import { Code, MEMORY_COPY, OP, section, uleb } from './wasm-asm.js';

// Locals: 0 src, 1 dst, 2 tab (parameters); i32 3..26: the tables' addresses (N the thread
// count), the class (LO, HI, LEN), the sort (I the member inserted, S the free slot, B and A
// the blocks compared, P a byte offset in them), MOVED the moved threads' bits, W and END a
// word list, V, HIT, M, Q, SLO scratch; i64 27, 28: the word pairs compared.
const SRC = 0;
const DST = 1;
const TAB = 2;
const [N, CLS, CLS_END, BASES, TIDS, SORTED, PERM, LO, HI, LEN] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
const [I, S, B, FIRST, A, P, MOVED, W, END, V, HIT, M, Q, SLO] = [
  13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
] as const;
const X = 27;
const Y = 28;
const I32_LOCALS = 24; // 3..26
const I64_LOCALS = 2;

// The tables' header: one i32 each, at tab + 4 * index. Addresses are absolute bytes; the
// words of a state (bases, owners, masks) are byte offsets from the state's start.
const H = {
  stateBytes: 0,
  threads: 1,
  classes: 2, // from, to (member byte offsets: 4 * member), block bytes; 12 bytes a class
  classesEnd: 3,
  bases: 4, // per member: its block's byte offset
  tids: 5, // per member: its thread id
  sorted: 6, // scratch: per member position, the member (4 * member) sorted there
  perm: 7, // perm[old tid] = new tid, for max(threads, 32) tids (the identity outside classes)
  owners: 8,
  ownersEnd: 9,
  masks: 10,
  masksEnd: 11,
  words: 12,
} as const;

/** The word pair in `local`, on the stack as an i64 that i64.lt_s orders as (first word, second word) signed. */
const pairKey = (c: Code, local: number): Code => c.get(local).i64(32n).op(OP.i64Rotl).i64(0x80000000n).op(OP.i64Xor);

/** Copies the `len` (a multiple of 4) bytes at `from` to `to`, eight at a time; uses P. */
function copy(c: Code, from: number, to: number, len: number): void {
  c.i32(0).set(P);
  c.block('copied8', () =>
    c.loop('copy8', () => {
      c.get(P).i32(8).op(OP.i32Add).get(len).op(OP.i32GtU).brIf('copied8');
      c.get(to).get(P).op(OP.i32Add).get(from).get(P).op(OP.i32Add).mem(OP.i64Load).mem(OP.i64Store);
      c.get(P).i32(8).op(OP.i32Add).set(P).br('copy8');
    }),
  );
  c.get(P).get(len).op(OP.i32LtU);
  c.if('copy4', () => c.get(to).get(P).op(OP.i32Add).get(from).get(P).op(OP.i32Add).mem(OP.i32Load).mem(OP.i32Store));
}

/**
 * Inside 'shift', with block A's pc equal to block B's: falls through when A's rest is
 * greater than B's (A moves up one place), branches to 'placed' when it is less or equal.
 */
function compareRest(c: Code): void {
  c.i32(4).set(P);
  c.block('tail', () =>
    c.loop('pairs', () => {
      c.get(P).i32(8).op(OP.i32Add).get(LEN).op(OP.i32GtU).brIf('tail');
      c.get(A).get(P).op(OP.i32Add).mem(OP.i64Load).set(X);
      c.get(B).get(P).op(OP.i32Add).mem(OP.i64Load).set(Y);
      c.get(X).get(Y).op(OP.i64Ne);
      c.if('differ', () => {
        pairKey(c, X);
        pairKey(c, Y).op(OP.i64LtS).brIf('placed').br('greater');
      });
      c.get(P).i32(8).op(OP.i32Add).set(P).br('pairs');
    }),
  );
  c.get(P).get(LEN).op(OP.i32GeU).brIf('placed'); // equal blocks keep their order
  c.get(A).get(P).op(OP.i32Add).mem(OP.i32Load).get(B).get(P).op(OP.i32Add).mem(OP.i32Load);
  c.op(OP.i32LeS).brIf('placed');
}

/** Insertion sort of the class's members LO..HI by block: sorted[] holds them in order. */
function sortClass(c: Code): void {
  c.get(SORTED).get(LO).op(OP.i32Add).set(SLO);
  c.get(LO).set(I);
  c.block('sorted', () =>
    c.loop('insert', () => {
      c.get(I).get(HI).op(OP.i32Eq).brIf('sorted');
      c.get(SRC).get(BASES).get(I).op(OP.i32Add).mem(OP.i32Load).op(OP.i32Add).set(B);
      c.load(B).set(FIRST);
      c.get(SORTED).get(I).op(OP.i32Add).set(S); // the free slot
      c.block('placed', () =>
        c.loop('shift', () => {
          c.get(S).get(SLO).op(OP.i32Eq).brIf('placed');
          c.get(S).i32(4).op(OP.i32Sub).set(Q); // the slot before it, block A
          c.get(SRC).get(BASES).load(Q).op(OP.i32Add).mem(OP.i32Load).op(OP.i32Add).set(A);
          c.load(A).set(V);
          c.get(V).get(FIRST).op(OP.i32LtS).brIf('placed'); // the pc: most pairs differ there
          c.block('greater', () => {
            c.get(V).get(FIRST).op(OP.i32GtS).brIf('greater');
            compareRest(c);
          });
          c.get(S).load(Q).mem(OP.i32Store).get(Q).set(S).br('shift');
        }),
      );
      c.get(S).get(I).mem(OP.i32Store);
      c.get(I).i32(4).op(OP.i32Add).set(I).br('insert');
    }),
  );
}

/** perm for the class's members from sorted[], and the bits of the moved ones into MOVED. */
function permuteClass(c: Code): void {
  c.get(LO).set(I);
  c.block('permuted', () =>
    c.loop('member', () => {
      c.get(I).get(HI).op(OP.i32Eq).brIf('permuted');
      c.get(SORTED).get(I).op(OP.i32Add).mem(OP.i32Load).set(M);
      c.get(PERM).get(TIDS).get(M).op(OP.i32Add).mem(OP.i32Load).i32(2).op(OP.i32Shl).op(OP.i32Add);
      c.get(TIDS).get(I).op(OP.i32Add).mem(OP.i32Load).mem(OP.i32Store);
      c.get(M).get(I).op(OP.i32Ne);
      c.if('moved', () => {
        c.get(MOVED).i32(1).get(TIDS).get(I).op(OP.i32Add).mem(OP.i32Load).op(OP.i32Shl).op(OP.i32Or).set(MOVED);
      });
      c.get(I).i32(4).op(OP.i32Add).set(I).br('member');
    }),
  );
}

/** For each class (LO, HI, LEN loaded), `body`. */
function eachClass(c: Code, body: () => void): void {
  c.load(TAB, 4 * H.classes).set(CLS);
  c.block('classes', () =>
    c.loop('class', () => {
      c.get(CLS).get(CLS_END).op(OP.i32Eq).brIf('classes');
      c.load(CLS, 0).set(LO).load(CLS, 4).set(HI).load(CLS, 8).set(LEN);
      body();
      c.get(CLS).i32(12).op(OP.i32Add).set(CLS).br('class');
    }),
  );
}

/** The moved members' blocks, from src to their new places in dst. */
function moveBlocks(c: Code): void {
  eachClass(c, () => {
    c.get(LO).set(I);
    c.block('moved', () =>
      c.loop('member', () => {
        c.get(I).get(HI).op(OP.i32Eq).brIf('moved');
        c.get(SORTED).get(I).op(OP.i32Add).mem(OP.i32Load).set(M);
        c.get(M).get(I).op(OP.i32Ne);
        c.if('move', () => {
          c.get(SRC).get(BASES).get(M).op(OP.i32Add).mem(OP.i32Load).op(OP.i32Add).set(A);
          c.get(DST).get(BASES).get(I).op(OP.i32Add).mem(OP.i32Load).op(OP.i32Add).set(B);
          copy(c, A, B, LEN);
        });
        c.get(I).i32(4).op(OP.i32Add).set(I).br('member');
      }),
    );
  });
}

/** For each word listed from header entry `from` to `to`, A its address in dst, `body`. */
function eachWord(c: Code, from: number, to: number, body: () => void): void {
  c.load(TAB, 4 * from)
    .set(W)
    .load(TAB, 4 * to)
    .set(END);
  c.block('words', () =>
    c.loop('word', () => {
      c.get(W).get(END).op(OP.i32Eq).brIf('words');
      c.get(DST).load(W).op(OP.i32Add).set(A);
      body();
      c.get(W).i32(4).op(OP.i32Add).set(W).br('word');
    }),
  );
}

/** perm[t] for the tid in `local`, on the stack. */
const permOf = (c: Code, local: number): Code =>
  c.get(PERM).get(local).i32(2).op(OP.i32Shl).op(OP.i32Add).mem(OP.i32Load);

function renameWords(c: Code): void {
  eachWord(c, H.owners, H.ownersEnd, () => {
    c.load(A).i32(1).op(OP.i32Sub).set(V);
    c.get(V).get(N).op(OP.i32LtU);
    c.if('thread', () => permOf(c.get(A), V).i32(1).op(OP.i32Add).mem(OP.i32Store));
  });
  eachWord(c, H.masks, H.masksEnd, () => {
    c.load(A).set(V);
    c.get(V).get(MOVED).op(OP.i32And).set(HIT);
    c.get(HIT);
    c.if('hit', () => {
      c.get(V).get(MOVED).i32(-1).op(OP.i32Xor).op(OP.i32And).set(V);
      c.block('bits', () =>
        c.loop('bit', () => {
          c.get(HIT).op(OP.i32Eqz).brIf('bits');
          c.i32(31).get(HIT).op(OP.i32Clz).op(OP.i32Sub).set(M);
          c.get(HIT).i32(1).get(M).op(OP.i32Shl).i32(-1).op(OP.i32Xor).op(OP.i32And).set(HIT);
          permOf(c.get(V).i32(1), M).op(OP.i32Shl).op(OP.i32Or).set(V).br('bit');
        }),
      );
      c.get(A).get(V).mem(OP.i32Store);
    });
  });
}

function body(): number[] {
  const c = new Code();
  // The tables' addresses and the thread count, from the header into their locals.
  const header = [
    [H.classesEnd, CLS_END],
    [H.bases, BASES],
    [H.tids, TIDS],
    [H.sorted, SORTED],
    [H.perm, PERM],
    [H.threads, N],
  ] as const;
  for (const [at, local] of header) c.load(TAB, 4 * at).set(local);
  c.i32(0).set(MOVED);
  eachClass(c, () => {
    sortClass(c);
    permuteClass(c);
  });
  c.get(MOVED).op(OP.i32Eqz);
  c.if('own', () => c.i32(0).op(OP.return));
  // memory.copy for the whole state (fixed_k5's 544 bytes: 24 ns a call as an i64 loop, 13 ns
  // so); blocks of 64 bytes are copied faster by the loop (copy) than by a call.
  c.get(DST)
    .get(SRC)
    .load(TAB, 4 * H.stateBytes)
    .op(...MEMORY_COPY);
  moveBlocks(c);
  renameWords(c);
  return [...c.i32(1).bytes, OP.end];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const code = [2, I32_LOCALS, 0x7f, I64_LOCALS, 0x7e, ...body()];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // type 0: (i32, i32, i32) -> i32
    ...section(2, [1, 1, 0x6d, 1, 0x6d, 0x02, 0x00, 1]), // import m.m: memory, at least 1 page
    ...section(3, [1, 0]),
    ...section(7, [1, 1, 0x63, 0x00, 0]), // export "c": function 0
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

let module: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, (src: number, dst: number, tab: number) => number>();

/** The canonicaliser bound to `memory` (one instance per memory, kept with it). */
export function canonIn(memory: WebAssembly.Memory): (src: number, dst: number, tab: number) => number {
  let c = instances.get(memory);
  if (c === undefined) {
    module ??= new WebAssembly.Module(moduleBytes());
    c = new WebAssembly.Instance(module, { m: { m: memory } }).exports.c as (s: number, d: number, t: number) => number;
    instances.set(memory, c);
  }
  return c;
}

/** Bytes the tables take (tableBytes(t) at a 4-aligned tab). */
export function tableBytes(t: SymmetryTables): number {
  const members = t.tids.length;
  return 4 * (H.words + t.classes.length + 3 * members + Math.max(t.threads, 32) + t.owners.length + t.masks.length);
}

/** Writes the tables for c(…, tab) at byte tab (4-aligned) of `memory`. */
export function writeTables(t: SymmetryTables, memory: ArrayBufferLike, tab: number): void {
  const w = new Int32Array(memory, tab, tableBytes(t) / 4);
  let at = H.words;
  /** Appends `values` (times `scale`), setting header[from] and header[to] to where they start and end. */
  const put = (from: number, to: number | null, values: ArrayLike<number>, scale: number): void => {
    w[from] = tab + 4 * at;
    for (let i = 0; i < values.length; i++) w[at++] = values[i]! * scale;
    if (to !== null) w[to] = tab + 4 * at;
  };
  w[H.stateBytes] = 4 * t.words;
  w[H.threads] = t.threads;
  put(H.classes, H.classesEnd, t.classes, 4);
  put(H.bases, null, t.bases, 4);
  put(H.tids, null, t.tids, 1);
  put(H.sorted, null, new Int32Array(t.tids.length), 1);
  put(
    H.perm,
    null,
    Int32Array.from({ length: Math.max(t.threads, 32) }, (_, i) => i),
    1,
  );
  put(H.owners, H.ownersEnd, t.owners, 4);
  put(H.masks, H.masksEnd, t.masks, 4);
}
