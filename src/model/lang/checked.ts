// The output of the resolver/typechecker: the AST untouched, plus side tables that say
// what every name means and what type every expression has. Lowering reads only this.
import type { Decl, Expr, ScenarioDecl, Span, Stmt } from './ast.js';
import type { SourceSet } from './diagnostics.js';
import type { Ty } from './types.js';

export interface FieldInfo {
  name: string;
  ty: Ty;
  /** Word offset of the field inside a pool slot (after the slot's allocation word). */
  offset: number;
  span: Span;
}

export interface StructInfo {
  name: string;
  fields: FieldInfo[];
  fieldByName: Map<string, FieldInfo>;
  words: number;
  /** Which grace period guards frees of this type: the RCU domain or an SRCU global. */
  protectedBy?: { kind: 'rcu' } | { kind: 'srcu'; domain: string };
  span: Span;
}

export interface PoolInfo {
  struct: string;
  size: number;
  span: Span;
  /** SLAB_TYPESAFE_BY_RCU: a reader in an RCU read side may still read a freed object. */
  typesafeByRcu: boolean;
}

export interface GlobalInfo {
  name: string;
  ty: Ty;
  ghost: boolean;
  init?: Expr;
  /** The initialiser's value (null is 0), evaluated by the checker: the model reads this. */
  initValue?: number;
  span: Span;
}

export interface LocalInfo {
  name: string;
  ty: Ty;
  /** Index among the body's locals (params first), assigned in declaration order. */
  index: number;
  span: Span;
  used: boolean;
}

/** A thread or fn body: its parameters and locals share one frame. */
export interface BodyInfo {
  kind: 'thread' | 'fn' | 'init';
  name: string;
  params: LocalInfo[];
  locals: LocalInfo[];
  localByName: Map<string, LocalInfo>;
  body: Stmt[];
  returns: Ty;
  /** A fn whose body is `return e;`: inlined as an expression. */
  macro?: Expr;
  span: Span;
}

export type Sym =
  | { k: 'const'; value: number }
  | { k: 'enum'; value: number }
  | { k: 'global'; global: GlobalInfo }
  | { k: 'local'; body: BodyInfo; local: LocalInfo };

export interface ScenarioInfo {
  name: string;
  /** `condition`: with `violation(invariant NAME)` / `violation(final NAME)`, the condition that must fail. */
  expect: { kind: 'pass' } | { kind: 'violation'; violation: string; condition?: string };
  budget: { states?: number; seconds?: number; depth?: number; executions?: number };
  threads: { body: BodyInfo; args: number[]; span: Span }[];
  /** With a scenario `init { }`: the global init blocks followed by the scenario's, as one body. */
  init?: BodyInfo;
  decl: ScenarioDecl;
}

export interface CheckedSpec {
  sources: SourceSet;
  title: string;
  consts: Map<string, number>;
  /** Each const's type: int, bool or an enum (from its expression). */
  constTypes: Map<string, Ty>;
  enums: Map<string, string[]>;
  structs: Map<string, StructInfo>;
  pools: Map<string, PoolInfo>;
  globals: Map<string, GlobalInfo>;
  init: BodyInfo;
  threads: Map<string, BodyInfo>;
  fns: Map<string, BodyInfo>;
  invariants: { name: string; cond: Expr; span: Span }[];
  finals: { name: string; cond: Expr; span: Span }[];
  scenarios: ScenarioInfo[];
  /** The type of every checked expression. */
  types: Map<Expr, Ty>;
  /** What every `name` expression refers to. */
  names: Map<Expr, Sym>;
  /** For `goto`: the label statement it jumps to, per body. */
  decls: Decl[];
}
