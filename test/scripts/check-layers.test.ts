import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breach, importsOf } from '../../scripts/check-layers.js';

test('check-layers reads type-only imports, re-exports and multi-line import lists', () => {
  const text = [
    "import type { A } from '../checker/result.js';",
    "import { type B, type C } from '../checker/trace/trace-view.js';",
    "import {\n  changeName,\n  type StateChange,\n} from '../checker/trace/state-change.js';",
    "export { D } from './swimlane.js';",
    "import { Chalk } from 'chalk';",
  ].join('\n');
  assert.deepEqual(
    importsOf('src/report/x.ts', text).map((i) => [i.target, i.typeOnly]),
    [
      ['src/checker/result.ts', true],
      ['src/checker/trace/trace-view.ts', true],
      ['src/checker/trace/state-change.ts', false],
      ['src/report/swimlane.ts', false],
      ['chalk', false],
    ],
  );
});

test('check-layers: reporters render results and views; the model and the checker never look right', () => {
  const at = (from: string, target: string, typeOnly = false) => breach({ from, target, typeOnly });
  assert.equal(at('src/report/text.ts', 'src/checker/trace/trace-view.ts', true), null);
  assert.equal(at('src/report/sarif.ts', 'src/model/lang/violation-kinds.ts'), null);
  assert.equal(at('src/report/html.ts', 'src/checker/trace/state-change.ts'), null);
  assert.match(at('src/report/text.ts', 'src/checker/trace/trace-view.ts') ?? '', /view builder/);
  assert.match(at('src/report/text.ts', 'src/checker/scenario.ts', true) ?? '', /not a result or view/);
  assert.match(at('src/report/program.ts', 'src/model/model-system.ts', true) ?? '', /model runtime/);
  assert.match(at('src/model/compile.ts', 'src/checker/result.ts', true) ?? '', /model imports checker/);
  assert.match(at('src/checker/gate/run-case.ts', 'src/report/text.ts') ?? '', /checker imports report/);
  assert.equal(at('src/cli/main.ts', 'src/report/text.ts'), null);
  assert.equal(at('src/model/compile.ts', 'src/io/read-bounded.ts'), null);
  assert.equal(at('src/model/lang/check-inlined.ts', 'src/io/limits.ts'), null);
  assert.match(at('src/io/walk.ts', 'src/model/compile.ts') ?? '', /src\/io imports model/);
  assert.equal(at('src/lsp/analysis.ts', 'src/model/compile.ts'), null);
  assert.equal(at('src/lsp/analysis.ts', 'src/io/limits.ts'), null);
  assert.equal(at('src/cli/main.ts', 'src/lsp/server.ts'), null);
  assert.match(at('src/lsp/server.ts', 'src/checker/explore.ts') ?? '', /language server imports checker/);
  assert.match(at('src/lsp/server.ts', 'src/cli/exit.ts') ?? '', /language server imports cli/);
  assert.match(at('src/report/html.ts', 'src/lsp/navigate.ts', true) ?? '', /src\/report imports the language server/);
  assert.match(at('src/model/compile.ts', 'src/lsp/defs.ts') ?? '', /the model imports the language server/);
});
