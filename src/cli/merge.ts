// `mmcheck merge parts/*.json`: the part files of a partitioned run (explore --partition k/n
// --result-out FILE) combined into one verdict per scenario (checker/distrib/merge.ts).
// Exit codes: 1 a violation, or a pass where the spec expects a violation; else 3 incomplete
// (a part incomplete or missing); 0 every part passed and they cover the search; 2 files
// that are not parts of one run.
import type { Command } from 'commander';
import { type Merged, type MergedScenario, MergeMismatch, mergeParts, partRanges } from '../checker/distrib/merge.js';
import { type PartFile, parsePartFile } from '../checker/distrib/part-file.js';
import { grouped } from '../io/grouped.js';
import { inputLimits, LIMIT_ENV } from '../io/limits.js';
import { FileReadError, readTextBounded, withoutBom } from '../io/read-bounded.js';
import { DEFAULT_WIDTH } from '../report/swimlane.js';
import { verdictLine } from '../report/text.js';
import { cleanText, fitLine } from '../report/text-fit.js';
import { EXIT_USAGE, type Io, verdictExitCode } from './exit.js';

export function registerMerge(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command('merge')
    .description('combine the result files of a partitioned run (explore --partition) into one verdict')
    .argument('<parts...>', 'part files written by explore --result-out')
    .option('--json', 'machine-readable output')
    .action((files: string[], o: { json?: boolean }) => {
      setCode(cmdMerge(files, o, io));
    });
}

export function cmdMerge(files: readonly string[], o: { json?: boolean }, io: Io): number {
  /** Exit 2: `where: error: why` on stderr and, with --json, `where: why` as the one document on stdout. */
  const refuse = (where: string | null, why: string): number => {
    io.err(cleanText(where === null ? `error: ${why}` : `${where}: error: ${why}`));
    if (o.json === true) io.out(JSON.stringify({ error: where === null ? why : `${where}: ${why}` }, null, 2));
    return EXIT_USAGE;
  };
  const parts: { file: string; part: PartFile }[] = [];
  const bound = { bytes: inputLimits().traceBytes, what: 'a part file', env: LIMIT_ENV.traceBytes };
  for (const file of files) {
    let text: string;
    try {
      text = readTextBounded(file, bound);
    } catch (e) {
      if (!(e instanceof FileReadError)) throw e;
      // A shell passes a pattern that matched no file through as it is: say so.
      const pattern = /[*?[]/.test(file) ? ' (a pattern that matched no file?)' : '';
      return refuse(file, `cannot read it: ${e.reason}${pattern}`);
    }
    const part = parsePartFile(withoutBom(text));
    if (typeof part === 'string') {
      return refuse(file, part);
    }
    parts.push({ file, part });
  }
  let merged: Merged;
  try {
    merged = mergeParts(parts);
  } catch (e) {
    if (!(e instanceof MergeMismatch)) throw e;
    return refuse(null, `cannot merge: ${e.message}`);
  }
  if (o.json === true) io.out(JSON.stringify(merged, null, 2));
  else for (const line of mergedText(merged, io.width ?? DEFAULT_WIDTH)) io.out(line);
  // A pass where the spec expects a violation is 1: no part found it, and the merge is the run's answer.
  return verdictExitCode(merged.scenarios);
}

/** Fitted to `width` columns but for the verdict lines, which stay whole for logs to be searched (as explore's). */
function mergedText(m: Merged, width: number): string[] {
  const head = `${m.spec}: ${m.present.length} of ${m.n} parts${m.missing.length > 0 ? ` (missing: ${partRanges(m.missing)})` : ''}`;
  const out = fitLine(cleanText(head), width);
  for (const s of m.scenarios) {
    const [verdict, ...rest] = scenarioText(s);
    // Text from the part files is printed with its control characters escaped, as explore prints a spec's.
    out.push(cleanText(verdict!));
    for (const l of rest) for (const x of fitLine(cleanText(l), width)) out.push(x);
  }
  return out;
}

/** As explore prints a scenario (report/text.ts renderRun): the verdict line, the counts, why incomplete, the violation. */
function scenarioText(s: MergedScenario): string[] {
  const v = s.violation?.violation;
  const states =
    s.statesLow === s.statesHigh
      ? grouped(s.statesLow)
      : `${grouped(s.statesLow)} to ${grouped(s.statesHigh)} distinct`;
  const lines = [
    verdictLine(s.scenario, s.got, s.expected, s.asExpected),
    `  ${states} states, ${grouped(s.transitions)} transitions in all parts`,
    `  slowest part ${s.slowestSeconds.toFixed(2)} s, all parts ${s.totalSeconds.toFixed(2)} s`,
  ];
  for (const r of s.reductionsNotApplied ?? []) lines.push(`  ${r.reduction}: not applied: ${r.detail}`);
  if (s.verdict === 'incomplete') lines.push(`  incomplete: ${s.why}`);
  if (v !== undefined) {
    lines.push(`  ${s.why}`, `  ${v.message}`);
    s.violation?.steps?.forEach((st, i) => {
      lines.push(`  ${String(i + 1).padStart(3)}. ${st.thread}: ${st.text}`);
    });
    if (s.violation?.traceFile !== undefined) lines.push(`  trace: ${s.violation.traceFile}`);
  }
  return lines;
}
