// The .mmspec abstract syntax tree. Every node carries the span of the text it came from,
// so that every later stage can point at the source. The parser produces it; nothing
// after the parser mutates it (the checker's findings live in side tables keyed by node).

/** A source range: `file` is the index into `SourceSet.files`; offsets are UTF-16 indices. */
export interface Span {
  file: number;
  start: number;
  end: number;
}

// ---- types ------------------------------------------------------------------------------

export type TypeExpr =
  | { kind: 'int'; span: Span }
  | { kind: 'bool'; span: Span }
  | { kind: 'named'; name: string; span: Span } // struct, enum, or primitive sync type
  | { kind: 'ref'; target: string; span: Span }
  | { kind: 'array'; elem: TypeExpr; size: Expr; span: Span };

// ---- expressions ------------------------------------------------------------------------

export type UnaryOp = '!' | '-' | '~';

export type BinaryOp =
  | '||'
  | '&&'
  | '=>'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>';

/**
 * `addrOf`: the span of a C `&` written before a sync object passed to a built-in
 * (`spin_lock(&v->lock)`); it means the same as the object without it. The checker rejects
 * it anywhere else (there are no pointers).
 */
export type Expr =
  | { kind: 'int'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  | { kind: 'name'; name: string; span: Span; addrOf?: Span }
  | { kind: 'field'; object: Expr; field: string; fieldSpan: Span; span: Span; addrOf?: Span }
  | { kind: 'index'; object: Expr; index: Expr; span: Span; addrOf?: Span }
  | { kind: 'unary'; op: UnaryOp; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'call'; callee: string; calleeSpan: Span; args: Expr[]; span: Span }
  | { kind: 'alloc'; type: string; typeSpan: Span; inits: FieldInit[]; span: Span };

export interface FieldInit {
  field: string;
  fieldSpan: Span;
  value: Expr;
}

// ---- statements -------------------------------------------------------------------------

export type Stmt =
  | { kind: 'local'; name: string; nameSpan: Span; type: TypeExpr; init?: Expr; span: Span }
  // `op`: written `x++`, `x += e`, ... (the value is then `x + 1`, `x + e`, ...).
  | { kind: 'assign'; target: Expr; value: Expr; span: Span; op?: string }
  | { kind: 'expr'; expr: Expr; span: Span } // a call used as a statement
  | { kind: 'if'; cond: Expr; then: Stmt; else?: Stmt; span: Span }
  | { kind: 'while'; cond: Expr; body: Stmt; span: Span }
  | { kind: 'for'; var: string; varSpan: Span; from: Expr; to: Expr; body: Stmt; span: Span }
  | { kind: 'block'; body: Stmt[]; span: Span }
  | { kind: 'atomic'; body: Stmt[]; span: Span }
  | { kind: 'label'; name: string; span: Span } // `name:` — labels the statement after it
  | { kind: 'goto'; label: string; labelSpan: Span; span: Span }
  | { kind: 'return'; value?: Expr; span: Span }
  | { kind: 'break'; span: Span }
  | { kind: 'continue'; span: Span }
  | { kind: 'await'; cond: Expr; span: Span }
  | { kind: 'choose'; target: Expr; from: Expr; to: Expr; span: Span } // choose x in a..b
  | { kind: 'either'; branches: Stmt[][]; span: Span }
  | { kind: 'assert'; cond: Expr; message?: string; span: Span }
  | { kind: 'bug_on'; cond: Expr; span: Span }
  | { kind: 'skip'; span: Span }; // `;` on its own

// ---- declarations -----------------------------------------------------------------------

export interface FieldDecl {
  name: string;
  nameSpan: Span;
  type: TypeExpr;
  span: Span;
}

export interface Param {
  name: string;
  nameSpan: Span;
  type: TypeExpr;
  span: Span;
}

/** `scenario name [budget(states: N, seconds: S, ...)] expect pass | violation(kind [condition]) { ... }` */
export interface ScenarioDecl {
  kind: 'scenario';
  name: string;
  nameSpan: Span;
  expect:
    | { kind: 'pass'; span: Span }
    | {
        kind: 'violation';
        violation: string;
        violationSpan: Span;
        condition?: { name: string; span: Span };
        span: Span;
      };
  budget: { key: string; keySpan: Span; value: number }[];
  /** `init { ... }` first in the body: runs after the global init blocks, for this scenario only. */
  init?: { body: Stmt[]; span: Span };
  threads: { name: string; nameSpan: Span; args: Expr[]; span: Span }[];
  span: Span;
}

export type Decl =
  | { kind: 'spec'; title: string; span: Span }
  | { kind: 'import'; path: string; pathSpan: Span; span: Span }
  | { kind: 'const'; name: string; nameSpan: Span; value: Expr; span: Span }
  | { kind: 'enum'; name: string; nameSpan: Span; members: { name: string; span: Span }[]; span: Span }
  | {
      kind: 'struct';
      name: string;
      nameSpan: Span;
      /** `srcu_protected(domain)` or `rcu_protected`; the domain name is a shared srcu global. */
      protectedBy?: { kind: 'srcu'; domain: string; domainSpan: Span } | { kind: 'rcu' };
      fields: FieldDecl[];
      span: Span;
    }
  | { kind: 'pool'; type: string; typeSpan: Span; size: Expr; typesafeByRcu?: boolean; span: Span }
  | { kind: 'global'; ghost: boolean; name: string; nameSpan: Span; type: TypeExpr; init?: Expr; span: Span }
  | { kind: 'init'; body: Stmt[]; span: Span }
  | { kind: 'thread'; name: string; nameSpan: Span; params: Param[]; body: Stmt[]; span: Span }
  | { kind: 'fn'; name: string; nameSpan: Span; params: Param[]; returns?: TypeExpr; body: Stmt[]; span: Span }
  | { kind: 'invariant'; name: string; nameSpan: Span; cond: Expr; span: Span }
  | { kind: 'final'; name: string; nameSpan: Span; cond: Expr; span: Span }
  | ScenarioDecl;

/** One parsed file. */
export interface SpecFile {
  file: number;
  decls: Decl[];
}

/**
 * Calls f on every object-valued property of an AST node but its span (child nodes and arrays
 * of them): the generic walk of the passes that look for one kind of node anywhere. A for-in
 * loop, not Object.entries: no array per node (building a system walks the tree many times).
 */
export function forEachChild(node: object, f: (child: object) => void, skip = 'span'): void {
  for (const k in node) {
    if (k === skip) continue;
    const v = (node as Record<string, unknown>)[k];
    if (v !== null && typeof v === 'object') f(v);
  }
}
