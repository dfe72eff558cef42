// Resolver and typechecker, declaration level: collects every declaration of every file
// into one namespace, evaluates constants, lays out structs (check-storage.ts), and then
// checks each body (check-body.ts) and scenario (check-scenario.ts). Errors are values;
// after an error the offending item gets type `error` so that one mistake yields one message.
import type { Decl, Param, Span, SpecFile } from './ast.js';
import { BUILTINS } from './builtins.js';
import { checkBodies } from './check-body.js';
import { checkScenario } from './check-scenario.js';
import { declareStorage, layOutStructs } from './check-storage.js';
import type { BodyInfo, CheckedSpec, LocalInfo } from './checked.js';
import { constType, evalConst } from './const-eval.js';
import { type Diagnostic, error, formatLine, type SourceSet } from './diagnostics.js';
import { resolveType } from './resolve-type.js';
import { type Ty, VOID } from './types.js';

export interface CheckOutput {
  spec: CheckedSpec;
  diagnostics: Diagnostic[];
}

export function checkSpec(sources: SourceSet, files: SpecFile[]): CheckOutput {
  const diags: Diagnostic[] = [];
  // `files` come imports first (compile.ts loadSources: depth-first post-order), so a const
  // may use an imported const, and `init` blocks run in that order: an imported file's
  // before its importer's, side-by-side imports in the order they are written.
  const decls = files.flatMap((f) => f.decls);
  const spec: CheckedSpec = {
    sources,
    title: '',
    consts: new Map(),
    constTypes: new Map(),
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
  // Pass 1: names of every kind, so declarations may refer to each other in any order.
  const lost = declareNames(decls, spec, diags);
  // Pass 2: constants, in order (a constant may use earlier constants and enum members).
  for (const d of decls) {
    if (d.kind !== 'const' || lost.has(d)) continue;
    const ty = constType(d.value, spec, diags);
    const v = ty === undefined ? undefined : evalConst(d.value, spec, diags);
    if (v === undefined || ty === undefined) continue;
    spec.consts.set(d.name, v);
    spec.constTypes.set(d.name, ty);
  }
  // Pass 3: struct layouts; pass 4: pools and globals.
  layOutStructs(decls, spec, diags);
  declareStorage(decls, lost, spec, diags);
  // Pass 5: bodies' signatures, invariants and finals; then the bodies themselves.
  declareBodies(decls, lost, spec, diags);
  checkBodies(spec, diags);
  // Scenarios come from the spec itself: an import brings declarations, not the imported
  // file's scenarios (a stress spec importing a protocol runs only its own scenario).
  // The spec itself comes last (imports first); an imported file's scenarios are not its.
  for (const d of files.at(-1)?.decls ?? []) if (d.kind === 'scenario') checkScenario(d, spec, diags);
  // The passes above visit declarations by kind (fns before threads, ...); a reader wants the
  // messages in file order. The sort is stable, so one statement's messages keep their order.
  diags.sort((a, b) => a.span.file - b.span.file || a.span.start - b.span.start);
  return { spec, diagnostics: diags };
}

/**
 * Claim every declared name. Returns the declarations that lost their name: they are left
 * out of every later pass, so they cannot cascade into errors about their uses (which
 * resolve to the first declaration).
 */
function declareNames(decls: Decl[], spec: CheckedSpec, diags: Diagnostic[]): Set<Decl> {
  // The hint names what the name already is (the first declaration wins).
  const taken = new Map<string, { span: Span; what: string }>();
  const lost = new Set<Decl>();
  const claim = (name: string, span: Span, what: string, decl?: Decl): boolean => {
    const prev = taken.get(name);
    if (prev !== undefined) {
      diags.push(
        error(
          'MM101',
          span,
          `duplicate name '${name}'`,
          `'${name}' is already declared as ${prev.what} at ${formatLine(spec.sources, prev.span)}`,
        ),
      );
      if (decl !== undefined) lost.add(decl);
      return false;
    }
    if (BUILTINS.has(name)) {
      diags.push(error('MM102', span, `'${name}' is a built-in and cannot be redeclared`));
      if (decl !== undefined) lost.add(decl);
      return false;
    }
    taken.set(name, { span, what });
    return true;
  };
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
        for (const m of d.members) claim(m.name, m.span, 'an enum member');
        break;
      case 'struct':
        claim(d.name, d.nameSpan, 'a struct');
        break;
      case 'const':
      case 'global':
      case 'thread':
      case 'fn':
        claim(d.name, d.nameSpan, declarationWhat(d), d);
        break;
      default:
        break;
    }
  }
  return lost;
}

function declarationWhat(d: Extract<Decl, { kind: 'const' | 'global' | 'thread' | 'fn' }>): string {
  if (d.kind === 'global') return d.ghost ? 'a ghost global' : 'a shared global';
  return d.kind === 'const' ? 'a const' : `a ${d.kind}`;
}

/** Threads' and fns' signatures, the merged init body, invariants and finals. */
function declareBodies(decls: Decl[], lost: Set<Decl>, spec: CheckedSpec, diags: Diagnostic[]): void {
  const initBodies: Decl[] = [];
  for (const d of decls) {
    if (d.kind === 'init') initBodies.push(d);
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
