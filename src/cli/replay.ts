// `mmcheck replay <trace>`: re-execute a saved counterexample and show it. Exit 0 when the
// recorded violation reproduces (same kind, same step, same position), 1 when it diverges
// or no longer occurs (with where and why), 2 when the trace or the spec cannot be read.
import type { Command } from 'commander';
import { readTrace, specPosition } from '../checker/trace/file.js';
import { replayTrace, type TraceReplay } from '../checker/trace/replay.js';
import type { TraceFile } from '../checker/trace/schema.js';
import { viewTrace } from '../checker/trace/trace-view.js';
import { assertNotAnInput, FileWriteError, writeFileAtomic } from '../io/write-atomic.js';
import { renderDiagnostics } from '../model/lang/diagnostics.js';
import { renderHtml } from '../report/html.js';
import { DEFAULT_WIDTH, renderSwimlanes } from '../report/swimlane.js';
import { cleanText, fitLine } from '../report/text-fit.js';
import { EXIT_USAGE, type Io, UsageError } from './exit.js';
import { specInputs } from './load.js';
import { runStepSession, StepSession } from './step.js';

export interface ReplayFlags {
  spec?: string;
  html?: string;
  json?: boolean;
  step?: boolean;
}

export function registerReplay(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command('replay')
    .description('re-execute a saved counterexample trace, show it, and check that it still reproduces')
    .argument('<trace>', 'a trace file, e.g. traces/<spec>.<scenario>.<kind>.json')
    .option('--spec <path>', 'replay on this spec instead of the one the trace names')
    .option('--html <out.html>', 'also write the trace as one self-contained HTML page')
    .option('--json', 'machine-readable output')
    .option('--step', 'walk the trace interactively (n next, b back, s <name> show, q quit)')
    .action(async (trace: string, o: ReplayFlags) => {
      setCode(await cmdReplay(trace, o, io));
    });
}

type Replayed = Extract<TraceReplay, { kind: 'replayed' }>;

export interface StepIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

export async function cmdReplay(
  tracePath: string,
  o: ReplayFlags,
  io: Io,
  term: StepIo = { input: process.stdin, output: process.stdout },
): Promise<number> {
  // A UsageError is printed by main as `mmcheck: …`, and with --json also as {"error": …} on stdout.
  if (o.step === true && o.json === true)
    throw new UsageError('--step walks the trace interactively and --json prints it as one document: give one of them');
  if (o.step === true && term.input.isTTY !== true) {
    io.err(
      'mmcheck: --step walks the trace interactively, but stdin is not a terminal; run without --step to print the whole trace',
    );
    return 2;
  }
  const loaded = readTrace(tracePath);
  if (!loaded.ok) throw new UsageError(cleanText(loaded.error));
  const trace = loaded.trace;
  const r = replayTrace(trace, tracePath, o.spec);
  if (r.kind === 'spec-unreadable') throw new UsageError(cleanText(r.message));
  if (r.kind === 'spec-invalid') {
    io.err(renderDiagnostics(r.sources, r.diagnostics));
    throw new UsageError(`the spec of ${tracePath} no longer compiles; fix it, or pass --spec`);
  }
  if (r.kind === 'no-scenario') {
    if (o.json === true)
      io.out(
        JSON.stringify(
          { trace: tracePath, scenario: trace.scenario, reproduced: false, reason: r.reason, changed: r.changed },
          null,
          2,
        ),
      );
    else io.err(cleanText(`mmcheck: ${tracePath}: not reproduced: ${r.reason}`));
    return 1;
  }
  const { sys, replay } = r;
  const where = (span: Parameters<typeof specPosition>[1]): string => specPosition(sys.program.spec.sources, span);
  if (o.html !== undefined) {
    const inputs = [{ path: tracePath, is: 'the trace being replayed' }, ...specInputs(sys.program.spec.sources)];
    assertNotAnInput(o.html, inputs);
  }
  // The verdict comes first: a page that cannot be written must not hide it.
  let htmlError: string | undefined;
  if (o.json === true) {
    htmlError = writeHtml(o.html, tracePath, trace, r);
    // One document: the verdict, and the write's error beside it as main's {"error": …} names it.
    const error = htmlError === undefined ? {} : { error: htmlError };
    io.out(JSON.stringify({ ...replayJson(tracePath, trace, r), ...error }, null, 2));
  } else {
    if (o.step === true) await runStepSession(new StepSession(viewTrace(sys, replay, where)), term.input, term.output);
    else io.out(renderReplay(tracePath, trace, r, io.color === true, io.width ?? DEFAULT_WIDTH));
    htmlError = writeHtml(o.html, tracePath, trace, r);
  }
  if (htmlError !== undefined) {
    io.err(`error: ${htmlError}`);
    return EXIT_USAGE;
  }
  if (o.html !== undefined && o.json !== true) io.err(`wrote ${o.html}`);
  return r.reproduced ? 0 : 1;
}

/** Writes the page to `path` (when given); the write's error (`cannot write …: why`), or undefined. */
function writeHtml(path: string | undefined, tracePath: string, trace: TraceFile, r: Replayed): string | undefined {
  if (path === undefined) return undefined;
  const page = renderHtml(r.view, {
    title: `${tracePath}`,
    reproduced: r.reproduced,
    reason: r.reason,
    recorded: trace.violation.kind,
  });
  try {
    writeFileAtomic(path, page);
    return undefined;
  } catch (e) {
    if (!(e instanceof FileWriteError)) throw e;
    return e.message;
  }
}

/** `replay --json`: the verdict, the recorded and the replayed violation, and the steps. */
function replayJson(tracePath: string, trace: TraceFile, r: Replayed): object {
  const { sys, replay } = r;
  const steps = replay.steps.map(({ span: _span, ...s }) => s);
  const violation =
    replay.violation === null
      ? null
      : {
          ...replay.violation,
          span: undefined,
          position: specPosition(sys.program.spec.sources, replay.violation.span),
        };
  return {
    trace: tracePath,
    spec: sys.program.spec.sources.files[0]?.path,
    scenario: trace.scenario,
    reproduced: r.reproduced,
    reason: r.reason,
    changed: r.changed,
    notes: r.notes,
    recorded: trace.violation,
    violation,
    steps,
  };
}

/**
 * What `replay` prints, fitted to `width`. Every string read from the trace file (scenario,
 * version, messages, positions) is cleaned of control characters before it is printed.
 */
function renderReplay(tracePath: string, trace: TraceFile, r: Replayed, color: boolean, width: number): string {
  const view = r.view;
  const out = [
    `trace ${tracePath}`,
    `  scenario ${trace.scenario} of ${view.mainFile || trace.spec.path}, recorded by mmcheck ${trace.mmcheck}`,
  ];
  const m = trace.minimized;
  if (m !== undefined)
    out.push(
      `  minimised from ${m.before.steps} steps and ${m.before.preemptions} preemption${m.before.preemptions === 1 ? '' : 's'}${m.proved ? '; no schedule with fewer preemptions reaches it' : ''}`,
    );
  const v = view.violation;
  if (v !== null) {
    out.push(`  ${v.kind}${v.at === undefined ? '' : ` at ${v.at}`}: ${v.message}`);
    for (const o of v.objects) out.push(`    ${o.object}: ${o.event}`);
  } else {
    out.push(
      `  recorded: ${trace.violation.kind} at ${trace.violation.position || '(no position)'}: ${trace.violation.message}`,
    );
  }
  const header = out.splice(0).flatMap((l) => fitLine(cleanText(l), width));
  out.push(...header, renderSwimlanes(view, { color, width }), '');
  const want = trace.violation;
  out.push(
    r.reproduced
      ? `reproduced: ${want.kind} ${want.terminal ? 'after' : 'at'} step ${want.step}${want.position ? ` (${want.position})` : ''}, as recorded`
      : `NOT reproduced: ${r.reason}`,
  );
  if (r.reproduced && r.changed.length > 0)
    out.push(
      `  note: the spec changed since the trace was recorded (${r.changed.join(', ')}: hash differs), and the violation still reproduces`,
    );
  for (const n of r.notes) out.push(`  note: ${n}`);
  const tail = out.splice(header.length + 2).map((l) => cleanText(l));
  return [...out, ...tail.flatMap((l) => fitLine(l, width))].join('\n');
}
