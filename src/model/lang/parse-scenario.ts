// The parser's scenario declarations: `scenario NAME budget(...) expect ... { threads }`,
// and the `;`-terminated items of a braced body, which structs share.
import type { Decl, ScenarioDecl } from './ast.js';
import type { Token } from './lexer.js';
import {
  acceptPunct,
  atEof,
  type Cursor,
  describe,
  expectName,
  expectPunct,
  expectSemicolon,
  isDeclStart,
  isKeyword,
  isPunct,
  isWord,
  lineOf,
  next,
  peek,
  report,
  spanFrom,
} from './parse-cursor.js';
import { parseArgs } from './parse-expr.js';
import { parseBlock } from './parse-stmt.js';

/**
 * The `;`-terminated items of a struct or scenario body up to its `}`. An item that fails is
 * skipped to its `;`, so one bad field does not hide the others.
 */
export function parseItems(p: Cursor, open: Token, item: () => boolean, starts?: string): void {
  for (;;) {
    const t = peek(p);
    if (isPunct(t, '}')) {
      next(p);
      return;
    }
    // `starts`: a declaration keyword that may start an item (a scenario's `init`).
    if (t.kind === 'eof' || (isDeclStart(t) && t.text !== starts)) {
      report(
        p,
        'MM012',
        t.span,
        `expected '}', found ${describe(t)}`,
        `to close the '{' at line ${lineOf(p, open.span.start)}`,
      );
      return;
    }
    if (item()) continue;
    while (!atEof(p) && !isPunct(peek(p), ';') && !isPunct(peek(p), '}') && !isDeclStart(peek(p))) next(p);
    acceptPunct(p, ';');
  }
}

export function parseScenario(p: Cursor): Decl | undefined {
  const kw = next(p);
  const name = expectName(p);
  if (name === undefined) return undefined;
  let budget: ScenarioDecl['budget'] = [];
  if (isWord(peek(p), 'budget')) {
    next(p);
    const b = parseBudget(p);
    if (b === undefined) return undefined;
    budget = b;
  }
  const expect = parseExpectation(p);
  if (expect === undefined) return undefined;
  const misplaced = isWord(peek(p), 'budget')
    ? "a budget comes before 'expect': `scenario NAME budget(...) expect ...`"
    : undefined;
  const open = expectPunct(p, '{', 'to start the scenario body', misplaced);
  if (open === undefined) return undefined;
  const threads: ScenarioDecl['threads'] = [];
  let init: ScenarioDecl['init'];
  parseItems(
    p,
    open,
    () => {
      const kw = peek(p);
      if (isKeyword(kw, 'init')) {
        if (init !== undefined || threads.length > 0)
          report(p, 'MM035', kw.span, "a scenario's init block must come first", 'write `{ init { ... } t(); ... }`');
        next(p);
        const b = parseBlock(p, "after 'init'");
        if (b === undefined) return false;
        init ??= { body: b.body, span: spanFrom(p, kw.span) };
        return true;
      }
      const t = expectName(p);
      if (t === undefined) return false;
      if (!isPunct(peek(p), '(')) {
        report(p, 'MM010', peek(p).span, `expected '(' after thread name, found ${describe(peek(p))}`);
        return false;
      }
      const args = parseArgs(p);
      if (args === undefined || !expectSemicolon(p, 'thread')) return false;
      threads.push({ name: t.text, nameSpan: t.span, args, span: spanFrom(p, t.span) });
      return true;
    },
    'init',
  );
  const out: ScenarioDecl = {
    kind: 'scenario',
    name: name.text,
    nameSpan: name.span,
    expect,
    budget,
    threads,
    span: spanFrom(p, kw.span),
  };
  if (init !== undefined) out.init = init;
  return out;
}

/** `( key: N, … )` after `budget`. */
function parseBudget(p: Cursor): ScenarioDecl['budget'] | undefined {
  if (expectPunct(p, '(', "after 'budget'") === undefined) return undefined;
  const budget: ScenarioDecl['budget'] = [];
  if (acceptPunct(p, ')')) return budget;
  for (;;) {
    const key = expectName(p);
    if (key === undefined || expectPunct(p, ':', 'after budget key') === undefined) return undefined;
    const v = peek(p);
    if (v.kind !== 'int') {
      report(p, 'MM010', v.span, `expected integer, found ${describe(v)}`);
      return undefined;
    }
    next(p);
    budget.push({ key: key.text, keySpan: key.span, value: v.value ?? 0 });
    if (acceptPunct(p, ',')) continue;
    if (acceptPunct(p, ')')) return budget;
    report(p, 'MM010', peek(p).span, `expected ',' or ')' in budget, found ${describe(peek(p))}`);
    return undefined;
  }
}

function parseExpectation(p: Cursor): ScenarioDecl['expect'] | undefined {
  const kw = peek(p);
  if (!isWord(kw, 'expect')) {
    report(
      p,
      'MM010',
      kw.span,
      `expected 'expect', found ${describe(kw)}`,
      "a scenario states its outcome: 'expect pass' or 'expect violation(kind)'",
    );
    return undefined;
  }
  next(p);
  const t = peek(p);
  if (isWord(t, 'pass')) {
    next(p);
    return { kind: 'pass', span: spanFrom(p, kw.span) };
  }
  if (!isWord(t, 'violation')) {
    report(p, 'MM010', t.span, `expected 'pass' or 'violation', found ${describe(t)}`);
    return undefined;
  }
  next(p);
  if (expectPunct(p, '(', "after 'violation'") === undefined) return undefined;
  // `invariant` and `final` are violation kinds as well as keywords.
  const v = peek(p).kind === 'keyword' ? next(p) : expectName(p);
  if (v === undefined) return undefined;
  // `use-after-free`, as prose spells it: read as one (unknown) kind, so that the checker
  // reports it with a suggestion instead of the parser stumbling on the '-'.
  let violation = v.text;
  let violationSpan = v.span;
  while (
    isPunct(peek(p), '-') &&
    peek(p, 1).kind === 'ident' &&
    peek(p, 1).span.start === peek(p).span.end &&
    peek(p).span.start === violationSpan.end
  ) {
    next(p);
    const part = next(p);
    violation += `-${part.text}`;
    violationSpan = { ...violationSpan, end: part.span.end };
  }
  // `violation(invariant NAME)`, `violation(final NAME)`: which condition must fail.
  const cond = peek(p).kind === 'ident' ? next(p) : undefined;
  if (expectPunct(p, ')', cond === undefined ? 'after violation kind' : 'after condition name') === undefined)
    return undefined;
  const out: ScenarioDecl['expect'] = { kind: 'violation', violation, violationSpan, span: spanFrom(p, kw.span) };
  if (cond !== undefined) out.condition = { name: cond.text, span: cond.span };
  return out;
}
