// `mmcheck export --promela`: one scenario's compiled transition system as Promela
// (docs/export.md), written atomically, or why a construct cannot be exported (exit 2).
import { assertNotAnInput, writeFileAtomic } from '../io/write-atomic.js';
import { formatPosition, sourceExcerpt } from '../model/lang/diagnostics.js';
import { exportPromela, PromelaRefusal } from '../model/promela/export-promela.js';
import { cleanText } from '../report/text-fit.js';
import { EXIT_OK, EXIT_USAGE, type Io, UsageError } from './exit.js';
import { loadSpec, selectScenarios, specInputs } from './load.js';

export interface ExportFlags {
  promela?: boolean;
  scenario?: string[];
  output?: string;
}

export function cmdExport(path: string, o: ExportFlags, io: Io): number {
  if (o.promela !== true) throw new UsageError('export needs a format: --promela');
  if (o.scenario === undefined) throw new UsageError('export --promela needs --scenario NAME (one scenario per model)');
  if (new Set(o.scenario).size > 1)
    throw new UsageError(
      `export --promela writes one scenario per model: --scenario ${o.scenario.join(', ')} names several`,
    );
  const spec = loadSpec(path, io);
  if (spec === null) return EXIT_USAGE;
  const [scenario] = selectScenarios(spec, o.scenario, path);
  if (o.output !== undefined) assertNotAnInput(o.output, specInputs(spec.sources));
  let text: string;
  try {
    text = exportPromela(spec, scenario!);
  } catch (e) {
    if (!(e instanceof PromelaRefusal)) throw e;
    // As a diagnostic is shown (model/lang/diagnostics.ts): the position, the line, a caret.
    const head = cleanText(
      `${formatPosition(spec.sources, e.span)}: error[${e.code}]: cannot export to Promela: ${e.why}`,
    );
    io.err([head, ...sourceExcerpt(spec.sources, e.span)].join('\n'));
    return EXIT_USAGE;
  }
  if (o.output === undefined) io.out(text);
  else writeFileAtomic(o.output, `${text}\n`);
  return EXIT_OK;
}
