// Resolver and typechecker, declaration level: collects every declaration of every file
// into one namespace, evaluates constants, lays out structs, and then checks each body
// (check-body.ts). Errors are values; after an error the offending item gets type `error`
// so that one mistake yields one message.
import type { Decl, Expr, Param, Span, SpecFile, TypeExpr } from './ast.js';
import { checkBodies } from './check-body.js';
import type { BodyInfo, CheckedSpec, FieldInfo, LocalInfo, ScenarioInfo, StructInfo } from './checked.js';
import { didYouMean, error, formatLine, type Diagnostic, type SourceSet } from './diagnostics.js';
import { BUILTINS, SYNC_PRIMS, syncTy } from './builtins.js';
import { assignable, BOOL, ERROR, INT, typeName, typeWords, VOID, type Ty, withArticle } from './types.js';
import { isViolationKind, VIOLATION_KINDS } from './violation-kinds.js';

const MAX_ARRAY = 1024;
const MAX_POOL = 31; // slot bitmasks are one word
// Every state is one Int32Array of this many words at most (4 MiB). Arrays nest, so a few
// `[1024]`s multiply past what can be allocated (or explored): say so instead of failing
// (or hanging) while laying out the state.
const MAX_STATE_WORDS = 1 << 20;

export interface CheckOutput {
  spec: CheckedSpec;
  diagnostics: Diagnostic[];
}

export function checkSpec(sources: SourceSet, files: SpecFile[]): CheckOutput {
  const diags: Diagnostic[] = [];
  // Imported files' declarations come before the importer's (files are in load order: the
  // spec, then its imports depth-first), so a const may use an imported const.
  const decls = [...files].reverse().flatMap((f) => f.decls);
  const spec: CheckedSpec = {
    sources,
    title: '',
    consts: new Map(),
    enums: new Map(),
    structs: new Map(),
    pools: new Map(),
    globals: new Map(),
    init: newBody('init', 'init', [], [], VOID, { file: 0, start: 0, end: 0 }),
    threads: new Map(),
    fns: new Map(),
    invariants: [],
    finals: [],
    scenarios: [],
    types: new Map(),
    names: new Map(),
    decls,
  };
  // The hint names what the name already is (the first declaration wins), and a declaration
  // that lost its name is left out of every later pass, so it cannot cascade into errors
  // about its uses (which resolve to the first declaration).
  const taken = new Map<string, { span: Span; what: string }>();
  const lost = new Set<Decl>();
  const claim = (name: string, span: Span, what: string, decl?: Decl): boolean => {
    const prev = taken.get(name);
    if (prev !== undefined) {
      diags.push(
        error(
          span,
          `duplicate name '${name}'`,
          `'${name}' is already declared as ${prev.what} at ${formatLine(sources, prev.span)}`,
        ),
      );
      if (decl !== undefined) lost.add(decl);
      return false;
    }
    if (BUILTINS.has(name)) {
      diags.push(error(span, `'${name}' is a built-in and cannot be redeclared`));
      if (decl !== undefined) lost.add(decl);
      return false;
    }
    taken.set(name, { span, what });
    return true;
  };

  // Pass 1: names of every kind, so declarations may refer to each other in any order.
  const initBodies: Decl[] = [];
  for (const d of decls) {
    switch (d.kind) {
      case 'spec':
        spec.title = d.title; // the importer's title, which comes last, wins
        break;
      case 'enum':
        if (claim(d.name, d.nameSpan, 'an enum'))
          spec.enums.set(
            d.name,
            d.members.map((m) => m.name),
          );
        d.members.forEach((m) => claim(m.name, m.span, 'an enum member'));
        break;
      case 'struct':
        claim(d.name, d.nameSpan, 'a struct');
        break;
      case 'init':
        initBodies.push(d);
        break;
      case 'const':
      case 'global':
      case 'thread':
      case 'fn':
        claim(
          d.name,
          d.nameSpan,
          d.kind === 'global'
            ? d.ghost
              ? 'a ghost global'
              : 'a shared global'
            : d.kind === 'const'
              ? 'a const'
              : `a ${d.kind}`,
          d,
        );
        break;
      default:
        break;
    }
  }
  // Pass 2: constants, in order (a constant may use earlier constants and enum members).
  for (const d of decls) {
    if (d.kind !== 'const' || lost.has(d)) continue;
    const v = evalConst(d.value, spec, diags);
    if (v !== undefined) spec.consts.set(d.name, v);
  }
  // Pass 3: struct layouts.
  for (const d of decls) {
    if (d.kind !== 'struct' || spec.structs.has(d.name)) continue;
    const fields: FieldInfo[] = [];
    const fieldByName = new Map<string, FieldInfo>();
    let offset = 0;
    for (const f of d.fields) {
      const ty = resolveType(f.type, spec, diags, true);
      const first = fieldByName.get(f.name);
      if (first !== undefined) {
        diags.push(
          error(
            f.nameSpan,
            `duplicate field '${f.name}' in struct ${d.name}`,
            `'${f.name}' is already declared at ${formatLine(sources, first.span)}; rename or remove one`,
          ),
        );
        continue;
      }
      const info: FieldInfo = { name: f.name, ty, offset, span: f.nameSpan };
      offset += typeWords(ty);
      fields.push(info);
      fieldByName.set(f.name, info);
    }
    const info: StructInfo = { name: d.name, fields, fieldByName, words: offset, span: d.nameSpan };
    if (d.protectedBy !== undefined) {
      info.protectedBy =
        d.protectedBy.kind === 'rcu' ? { kind: 'rcu' } : { kind: 'srcu', domain: d.protectedBy.domain };
    }
    spec.structs.set(d.name, info);
  }
  // Pass 4: pools and globals.
  for (const d of decls) {
    if (d.kind === 'pool') {
      if (!spec.structs.has(d.type)) {
        diags.push(error(d.typeSpan, `unknown struct '${d.type}' in pool`, unknownStructHint(spec, d.type)));
        continue;
      }
      if (spec.pools.has(d.type)) {
        diags.push(error(d.typeSpan, `duplicate pool for struct '${d.type}'`));
        continue;
      }
      // A bad size still declares the pool (with one slot), so that `alloc` of its struct is
      // not also reported as having no pool.
      let size = evalConst(d.size, spec, diags);
      if (size !== undefined && (size < 1 || size > MAX_POOL)) {
        diags.push(
          error(
            d.size.span,
            `pool size must be between 1 and ${MAX_POOL}, got ${size}`,
            `a pool's slots are one bitmask word: at most ${MAX_POOL} objects alive at once`,
          ),
        );
        size = undefined;
      }
      spec.pools.set(d.type, { struct: d.type, size: size ?? 1, span: d.typeSpan });
    } else if (d.kind === 'global' && !lost.has(d)) {
      const ty = resolveType(d.type, spec, diags, true);
      const g = { name: d.name, ty, ghost: d.ghost, span: d.nameSpan };
      spec.globals.set(d.name, d.init === undefined ? g : { ...g, init: d.init });
    }
  }
  checkStateSize(spec, diags);
  for (const s of spec.structs.values()) {
    const p = s.protectedBy;
    if (p?.kind !== 'srcu') continue;
    const g = spec.globals.get(p.domain);
    const decl = decls.find((d) => d.kind === 'struct' && d.name === s.name);
    const span = decl?.kind === 'struct' && decl.protectedBy?.kind === 'srcu' ? decl.protectedBy.domainSpan : s.span;
    if (g === undefined || g.ty.k !== 'sync' || g.ty.prim !== 'srcu') {
      // When the name is taken by something else, declaring it again would be a duplicate.
      const domains = [...spec.globals.values()]
        .filter((x) => x.ty.k === 'sync' && x.ty.prim === 'srcu')
        .map((x) => x.name);
      const hint =
        domains.length > 0
          ? `the srcu globals are: ${domains.join(', ')}`
          : g === undefined
            ? `declare \`shared ${p.domain}: srcu;\``
            : `'${p.domain}' is a ${typeName(g.ty)}; declare an srcu domain, e.g. \`shared ${p.domain}_srcu: srcu;\``;
      diags.push(error(span, `srcu_protected needs a shared srcu global, '${p.domain}' is not one`, hint));
    }
  }
  // Pass 5: bodies' signatures.
  for (const d of decls) {
    if ((d.kind === 'thread' || d.kind === 'fn') && !lost.has(d)) {
      const params = d.params.map((p, i) => param(p, i, spec, diags));
      const returns = d.kind === 'fn' && d.returns !== undefined ? resolveType(d.returns, spec, diags, false) : VOID;
      const body = newBody(d.kind, d.name, params, d.body, returns, d.nameSpan);
      if (d.kind === 'fn') {
        const only = d.body.length === 1 ? d.body[0] : undefined;
        if (only?.kind === 'return' && only.value !== undefined) body.macro = only.value;
        spec.fns.set(d.name, body);
      } else spec.threads.set(d.name, body);
    }
  }
  spec.init = newBody(
    'init',
    'init',
    [],
    initBodies.flatMap((d) => (d.kind === 'init' ? d.body : [])),
    VOID,
    initBodies[0]?.span ?? { file: 0, start: 0, end: 0 },
  );
  for (const d of decls) {
    if (d.kind === 'invariant') spec.invariants.push({ name: d.name, cond: d.cond, span: d.nameSpan });
    if (d.kind === 'final') spec.finals.push({ name: d.name, cond: d.cond, span: d.nameSpan });
  }
  checkBodies(spec, diags);
  // The model starts from these values and never evaluates constants itself.
  for (const g of spec.globals.values())
    if (g.init !== undefined) g.initValue = g.init.kind === 'null' ? 0 : (evalConst(g.init, spec, []) ?? 0);
  // Scenarios come from the spec itself: an import brings declarations, not the imported
  // file's scenarios (a stress spec importing a protocol runs only its own scenario).
  for (const d of files[0]?.decls ?? []) if (d.kind === 'scenario') checkScenario(d, spec, diags);
  // The passes above visit declarations by kind (fns before threads, ...); a reader wants the
  // messages in file order. The sort is stable, so one statement's messages keep their order.
  diags.sort((a, b) => a.span.file - b.span.file || a.span.start - b.span.start);
  return { spec, diagnostics: diags };
}

function checkStateSize(spec: CheckedSpec, diags: Diagnostic[]): void {
  let total = 0;
  let biggest: { name: string; span: Span; words: number } | undefined;
  const add = (name: string, span: Span, words: number): void => {
    total += words;
    if (biggest === undefined || words > biggest.words) biggest = { name, span, words };
  };
  for (const g of spec.globals.values()) add(g.name, g.span, typeWords(g.ty));
  for (const p of spec.pools.values())
    add(`pool ${p.struct}`, p.span, p.size * (1 + (spec.structs.get(p.struct)?.words ?? 0)));
  if (total <= MAX_STATE_WORDS || biggest === undefined) return;
  const words = (n: number): string => (Number.isSafeInteger(n) ? `${n} words` : 'too many words');
  diags.push(
    error(
      biggest.span,
      `the model state is too large: ${words(total)}, at most ${MAX_STATE_WORDS}`,
      `'${biggest.name}' takes ${words(biggest.words)}: shrink its arrays${biggest.name.startsWith('pool ') ? ' or the pool' : ''}`,
    ),
  );
}

function newBody(
  kind: BodyInfo['kind'],
  name: string,
  params: LocalInfo[],
  body: BodyInfo['body'],
  returns: Ty,
  span: Span,
): BodyInfo {
  const localByName = new Map(params.map((p) => [p.name, p]));
  return { kind, name, params, locals: [...params], localByName, body, returns, span };
}

function param(p: Param, index: number, spec: CheckedSpec, diags: Diagnostic[]): LocalInfo {
  const ty = resolveType(p.type, spec, diags, false);
  return { name: p.name, ty, index, span: p.nameSpan, used: false };
}

function checkScenario(d: Extract<Decl, { kind: 'scenario' }>, spec: CheckedSpec, diags: Diagnostic[]): void {
  if (spec.scenarios.some((s) => s.name === d.name)) {
    diags.push(error(d.nameSpan, `duplicate scenario '${d.name}'`));
    return;
  }
  let expect: ScenarioInfo['expect'] = { kind: 'pass' };
  if (d.expect.kind === 'violation') {
    if (!isViolationKind(d.expect.violation)) {
      // `use-after-free` (the prose spelling) reaches here as one name: see parseExpectation.
      const fixed = d.expect.violation.replaceAll('-', '_');
      const near = isViolationKind(fixed)
        ? `did you mean '${fixed}'?`
        : didYouMean(d.expect.violation, VIOLATION_KINDS);
      diags.push(
        error(
          d.expect.violationSpan,
          `unknown violation kind '${d.expect.violation}'`,
          near ?? `one of: ${VIOLATION_KINDS.join(', ')}`,
        ),
      );
    }
    expect = { kind: 'violation', violation: d.expect.violation };
    const c = d.expect.condition;
    if (c !== undefined) {
      const conds =
        d.expect.violation === 'invariant' ? spec.invariants : d.expect.violation === 'final' ? spec.finals : null;
      if (conds === null) {
        if (isViolationKind(d.expect.violation))
          diags.push(
            error(
              c.span,
              `only an invariant or final violation names a condition, not ${d.expect.violation}`,
              `write violation(${d.expect.violation})`,
            ),
          );
      } else if (!conds.some((x) => x.name === c.name)) {
        const what = d.expect.violation === 'invariant' ? 'invariant' : 'final condition';
        const near = didYouMean(
          c.name,
          conds.map((x) => x.name),
        );
        diags.push(
          error(
            c.span,
            `no ${what} named '${c.name}'`,
            near ??
              (conds.length === 0
                ? `this spec declares no ${what}`
                : `declared: ${conds.map((x) => x.name).join(', ')}`),
          ),
        );
      } else expect.condition = c.name;
    }
  }
  const budget: ScenarioInfo['budget'] = {};
  for (const b of d.budget) {
    if (b.key === 'states' || b.key === 'seconds' || b.key === 'depth' || b.key === 'executions')
      budget[b.key] = b.value;
    else diags.push(error(b.keySpan, `unknown budget '${b.key}'`, 'one of: states, seconds, depth, executions'));
  }
  const threads: ScenarioInfo['threads'] = [];
  for (const t of d.threads) {
    const body = spec.threads.get(t.name);
    if (body === undefined) {
      const threads = [...spec.threads.keys()];
      const hint = spec.fns.has(t.name)
        ? `'${t.name}' is a fn; only threads can be started`
        : (didYouMean(t.name, threads) ??
          (threads.length > 0
            ? `the threads are: ${threads.join(', ')}`
            : `declare it: \`thread ${t.name}() { ... }\``));
      diags.push(error(t.nameSpan, `unknown thread '${t.name}'`, hint));
      continue;
    }
    if (t.args.length !== body.params.length) {
      diags.push(
        error(
          t.span,
          `thread '${t.name}' takes ${body.params.length} argument${body.params.length === 1 ? '' : 's'}, got ${t.args.length}`,
          `it is declared as ${signature(body)}`,
        ),
      );
      continue;
    }
    const args: number[] = [];
    t.args.forEach((a, i) => {
      const p = body.params[i]!;
      const v = constArg(a, p.ty, spec, diags);
      args.push(v ?? 0);
      if (v !== undefined && p.ty.k === 'ref') {
        diags.push(
          error(
            a.span,
            `thread argument '${p.name}' is ${withArticle(typeName(p.ty))}; a scenario can only pass null`,
            'let the thread find its objects in shared state',
          ),
        );
      }
    });
    threads.push({ body, args, span: t.span });
  }
  if (d.threads.length > 30) diags.push(error(d.nameSpan, 'a scenario may start at most 30 threads'));
  spec.scenarios.push({ name: d.name, expect, budget, threads, decl: d });
}

/** A scenario argument: a constant of the parameter's type (int, bool or enum), or null. */
function constArg(a: Expr, ty: Ty, spec: CheckedSpec, diags: Diagnostic[]): number | undefined {
  if (a.kind === 'null') {
    if (ty.k !== 'ref' && ty.k !== 'error')
      diags.push(error(a.span, `cannot pass null for ${withArticle(typeName(ty))}`));
    return undefined;
  }
  const isBool = a.kind === 'bool' || (a.kind === 'unary' && a.op === '!');
  const enumOf = a.kind === 'name' ? [...spec.enums].find(([, members]) => members.includes(a.name))?.[0] : undefined;
  const got: Ty = isBool ? BOOL : enumOf !== undefined ? { k: 'enum', name: enumOf } : INT;
  if (ty.k !== 'error' && ty.k !== 'ref' && !assignable(ty, got)) {
    diags.push(error(a.span, `cannot pass ${withArticle(typeName(got))} for ${withArticle(typeName(ty))}`));
    return undefined;
  }
  return evalConst(a, spec, diags);
}

/** Resolve a written type. Sync primitives are allowed only where storage lives. */
export function resolveType(t: TypeExpr, spec: CheckedSpec, diags: Diagnostic[], storage: boolean): Ty {
  switch (t.kind) {
    case 'int':
      return INT;
    case 'bool':
      return BOOL;
    case 'ref':
      if (!spec.structs.has(t.target) && !isStructDeclared(spec, t.target)) {
        diags.push(error(t.span, `unknown struct '${t.target}'`, unknownStructHint(spec, t.target)));
        return ERROR;
      }
      return { k: 'ref', struct: t.target };
    case 'array': {
      const elem = resolveType(t.elem, spec, diags, storage);
      const size = evalConst(t.size, spec, diags);
      if (size === undefined || elem.k === 'error') return ERROR;
      if (size < 1 || size > MAX_ARRAY) {
        diags.push(error(t.size.span, `array size must be between 1 and ${MAX_ARRAY}, got ${size}`));
        return ERROR;
      }
      return { k: 'array', elem, size };
    }
    case 'named': {
      if (t.name === 'int') return INT;
      if (t.name === 'bool') return BOOL;
      if ((SYNC_PRIMS as readonly string[]).includes(t.name)) {
        if (!storage) {
          diags.push(
            error(
              t.span,
              `a ${t.name} cannot be a local or parameter`,
              'declare it as a shared global or a struct field',
            ),
          );
          return ERROR;
        }
        return syncTy(t.name);
      }
      if (spec.enums.has(t.name)) return { k: 'enum', name: t.name };
      if (isStructDeclared(spec, t.name)) {
        diags.push(error(t.span, `struct '${t.name}' can only be held by reference`, `write \`ref ${t.name}\``));
        return ERROR;
      }
      const types = ['int', 'bool', ...SYNC_PRIMS, ...spec.enums.keys(), ...structNames(spec)];
      diags.push(
        error(
          t.span,
          `unknown type '${t.name}'`,
          didYouMean(t.name, types) ?? `the types are int, bool, ${SYNC_PRIMS.join(', ')}, enums and \`ref STRUCT\``,
        ),
      );
      return ERROR;
    }
  }
}

/** For an unknown struct: the likely one, or the declared ones, or how to declare it. */
export function unknownStructHint(spec: CheckedSpec, name: string): string {
  const structs = structNames(spec);
  const near = didYouMean(name, structs);
  if (near !== undefined) return near;
  return structs.length > 0 ? `the structs are: ${structs.join(', ')}` : `declare it with \`struct ${name} { ... }\``;
}

export function structNames(spec: CheckedSpec): string[] {
  return spec.decls.flatMap((d) => (d.kind === 'struct' ? [d.name] : []));
}

/** `thread fault(addr: int)` / `fn get(): int`, for hints about calls that do not match. */
export function signature(body: BodyInfo): string {
  const params = body.params.map((p) => `${p.name}: ${typeName(p.ty)}`).join(', ');
  return `${body.kind} ${body.name}(${params})${body.returns.k === 'void' ? '' : `: ${typeName(body.returns)}`}`;
}

function isStructDeclared(spec: CheckedSpec, name: string): boolean {
  return spec.decls.some((d) => d.kind === 'struct' && d.name === name);
}

/** Evaluate a constant expression (ints, consts, enum members, arithmetic). */
export function evalConst(e: Expr, spec: CheckedSpec, diags: Diagnostic[]): number | undefined {
  const fail = (msg: string, hint?: string): undefined => {
    diags.push(error(e.span, msg, hint));
    return undefined;
  };
  switch (e.kind) {
    case 'int':
      return e.value;
    case 'bool':
      return e.value ? 1 : 0;
    case 'name': {
      const c = spec.consts.get(e.name);
      if (c !== undefined) return c;
      for (const members of spec.enums.values()) {
        const i = members.indexOf(e.name);
        if (i >= 0) return i;
      }
      // A variable here is the usual mistake (a size taken from a global): say so.
      const isVar = spec.decls.some((d) => d.kind === 'global' && d.name === e.name);
      const hint = isVar
        ? `'${e.name}' is a variable; declare a constant, e.g. \`const ${e.name.toUpperCase()} = 2;\``
        : (didYouMean(e.name, spec.consts.keys()) ?? 'only const and enum names may be used here');
      return fail(`'${e.name}' is not a constant`, hint);
    }
    case 'unary': {
      const v = evalConst(e.operand, spec, diags);
      if (v === undefined) return undefined;
      return e.op === '-' ? -v : v === 0 ? 1 : 0;
    }
    case 'binary': {
      const a = evalConst(e.left, spec, diags);
      const b = evalConst(e.right, spec, diags);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+':
          return (a + b) | 0;
        case '-':
          return (a - b) | 0;
        case '*':
          return Math.imul(a, b);
        case '/':
          return b === 0 ? fail('division by zero in constant') : (a / b) | 0;
        case '%':
          return b === 0 ? fail('division by zero in constant') : a % b;
        default:
          return fail('expected a constant integer expression');
      }
    }
    default:
      return fail('expected a constant integer expression');
  }
}
