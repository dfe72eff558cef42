// Resolved types of the .mmspec language. Every value is one 32-bit word in the state;
// a sync object occupies the words its primitive family declares (src/model/prims, listed
// by lang/builtins.ts SYNC_PRIMS) and can only be used through its built-ins.

/** The name of a sync type (spinlock, rwsem, srcu, ...), declared by a primitive family. */
export type SyncPrim = string;

export type Ty =
  | { k: 'int' }
  | { k: 'bool' }
  | { k: 'enum'; name: string }
  | { k: 'ref'; struct: string }
  | { k: 'null' } // the type of `null`, assignable to every ref
  | { k: 'array'; elem: Ty; size: number }
  | { k: 'sync'; prim: SyncPrim; words: number }
  | { k: 'void' }
  | { k: 'error' }; // after a reported error: compatible with everything, so errors don't cascade

export const INT: Ty = { k: 'int' };
export const BOOL: Ty = { k: 'bool' };
export const VOID: Ty = { k: 'void' };
export const NULL: Ty = { k: 'null' };
export const ERROR: Ty = { k: 'error' };

export function typeName(t: Ty): string {
  switch (t.k) {
    case 'int':
    case 'bool':
    case 'void':
    case 'null':
      return t.k;
    case 'error':
      return '<error>';
    case 'enum':
      return t.name;
    case 'ref':
      return `ref ${t.struct}`;
    case 'array':
      return `${typeName(t.elem)}[${t.size}]`;
    case 'sync':
      return t.prim;
  }
}

/** Words a value of this type occupies. */
export function typeWords(t: Ty): number {
  if (t.k === 'array') return t.size * typeWords(t.elem);
  if (t.k === 'sync') return t.words;
  return 1;
}

/** Can a value of type `from` be stored where `to` is expected? */
export function assignable(to: Ty, from: Ty): boolean {
  if (to.k === 'error' || from.k === 'error') return true;
  if (to.k === 'ref') return from.k === 'null' || (from.k === 'ref' && from.struct === to.struct);
  if (to.k === 'enum') return from.k === 'enum' && from.name === to.name;
  if (to.k === 'int') return from.k === 'int';
  if (to.k === 'bool') return from.k === 'bool';
  return false;
}

/** Types that `==`/`!=` may compare with each other. */
export function comparable(a: Ty, b: Ty): boolean {
  if (a.k === 'error' || b.k === 'error') return true;
  if (a.k === 'null') return b.k === 'ref' || b.k === 'null';
  if (b.k === 'null') return a.k === 'ref';
  return assignable(a, b) && (a.k === 'int' || a.k === 'bool' || a.k === 'enum' || a.k === 'ref');
}

export function isScalar(t: Ty): boolean {
  return t.k === 'int' || t.k === 'bool' || t.k === 'enum' || t.k === 'ref';
}

/** A word with its indefinite article, by spelling: `an int`, `an atomic`, `a ref vma`. */
export function withArticle(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}
