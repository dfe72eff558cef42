// The mmcheck command line: a thin shell that parses options and calls one library
// function per command. Exit codes: 0 ok, 1 violation / not as expected, 2 usage or spec
// error, 3 incomplete, 70 an internal error (a bug of mmcheck's, exit.ts internalBug).

import { Command, CommanderError } from 'commander';
import { viewProgram } from '../checker/program-view.js';
import { cleanText } from '../io/clean-text.js';
import { phase } from '../io/phases.js';
import { FileWriteError } from '../io/write-atomic.js';
import { compileProgram } from '../model/program.js';
import { renderProgram } from '../report/program.js';
import { registerCheck } from './check.js';
import { EXIT_OK, EXIT_USAGE, type Io, internalBug, UsageError, VERSION } from './exit.js';
import type { ExploreFlags } from './explore-cmd.js';
import { exploreOnWorker } from './explore-thread.js';
import { cmdExport, type ExportFlags } from './export-cmd.js';
import { loadSpec, selectScenarios } from './load.js';
import { registerMerge } from './merge.js';
import { registerReplay } from './replay.js';
import { typedOptions } from './search-flags.js';
import { addReportOptions, addSearchOptions, bitstateBits, int, scenarioNames, seed } from './search-options.js';
import { registerSimulate } from './simulate-cmd.js';
import { addTerminalOptions, applyTerminalFlags, stdio, type TerminalFlags } from './terminal.js';

export async function main(argv: string[], given: Io = stdio()): Promise<number> {
  let code = EXIT_OK;
  // The commands print through `io`, which --width, --color and --no-color amend.
  const io: Io = { ...given };
  const program = new Command('mmcheck')
    .description('model checker for memory-manager concurrency protocols')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  addTerminalOptions(program).hook('preAction', () => applyTerminalFlags(io, program.opts<TerminalFlags>()));

  registerShowAndExport(program, io, (c) => {
    code = c;
  });

  addReportOptions(
    addSearchOptions(
      program
        .command('explore')
        .description("explore every interleaving of a spec's scenarios and report violations")
        .argument('<spec>', 'a .mmspec file')
        .option('-s, --scenario <name>', 'run only this scenario (repeat it for several)', scenarioNames),
      {
        defaultMode: 'auto',
        modeHelp: 'search mode (auto: BFS, or DPOR where a bounded DPOR run finishes first; docs/search.md)',
        bounds: '',
        workersDefault:
          "every core for a BFS with no state or memory bound, from its first level of 16,384 states, after auto's first DPOR attempt (else 1; docs/search.md)",
      },
    )
      .option('--preemption-bound <k>', 'DPOR: explore only schedules with at most k preemptions (incomplete)', int)
      .option('--seed <n>', 'random mode: seed; --bitstate: salt of the hash functions (a swarm runs several)', seed)
      .option('--executions <n>', 'random mode: executions to sample', int),
  )
    .option('--minimize', 'minimise counterexamples: fewest preemptions, then fewest steps (the default)')
    .option('--no-minimize', 'print and save counterexamples as the search found them')
    .option('--partition <k/n>', 'explore part k of n (0 <= k < n) of a breadth-first search (docs/distributed.md)')
    .option(
      '--partitions <n>',
      'explore one of n parts, its index k from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (or MMCHECK_PARTITION_INDEX)',
      int,
    )
    .option('--result-out <file>', "write this part's result file, for mmcheck merge")
    .option('--bitstate', "bitstate BFS (SPIN's supertrace): a bit array instead of the state table; incomplete")
    .option('--bitstate-bits <2^k>', 'bits of the bitstate array, 2^10 to 2^32 (default 2^28, 32 MiB)', bitstateBits)
    .action(async (spec: string, o: ExploreFlags, cmd: Command) => {
      phase('main: options parsed');
      // --por has a default: only one typed is refused where no DPOR runs (search-flags.ts).
      o.typed = typedOptions(cmd);
      code = await exploreOnWorker(spec, o, io);
      phase('main: done');
    });

  registerCheck(program, io, (c) => {
    code = c;
  });
  registerReplay(program, io, (c) => {
    code = c;
  });
  registerMerge(program, io, (c) => {
    code = c;
  });
  registerSimulate(program, io, (c) => {
    code = c;
  });

  if (argv.length <= 2) {
    // No command: the usage, on stderr, and exit 2 (a script that forgot its arguments fails).
    io.err(program.helpInformation().trimEnd());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT_OK;
      if (argv.includes('--json')) io.out(JSON.stringify({ error: e.message }, null, 2));
      return EXIT_USAGE;
    }
    // A message may name a path found in a folder or by the shell: escaped, as every report shows one.
    if (e instanceof UsageError) {
      io.err(cleanText(`mmcheck: ${e.message}`, true));
      // With --json, stdout is always one JSON document, a usage error included.
      if (argv.includes('--json')) io.out(JSON.stringify({ error: e.message }, null, 2));
      return EXIT_USAGE;
    }
    if (e instanceof FileWriteError) {
      io.err(cleanText(`error: ${e.message}`, true));
      if (argv.includes('--json')) io.out(JSON.stringify({ error: e.message }, null, 2));
      return EXIT_USAGE;
    }
    return internalBug(e, argv, io);
  }
  return code;
}

/** `show`, `export` and `lsp`: the commands that run no search. */
function registerShowAndExport(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command('show')
    .description('print the compiled program of a scenario: steps and state layout')
    .argument('<spec>', 'a .mmspec file')
    .option('-s, --scenario <name>', 'scenario to show (repeat it for several; default: every scenario)', scenarioNames)
    .option('--json', 'machine-readable output')
    .action((spec: string, o: { scenario?: string[]; json?: boolean }) => {
      setCode(cmdShow(spec, o, io));
    });

  program
    .command('export')
    .description('write one scenario as Promela for SPIN to cross-check (docs/export.md)')
    .argument('<spec>', 'a .mmspec file')
    .option('--promela', 'the format: Promela')
    .option('-s, --scenario <name>', 'the scenario to export', scenarioNames)
    .option('-o, --output <file>', 'write to this file (default: stdout)')
    .action((spec: string, o: ExportFlags) => {
      setCode(cmdExport(spec, o, io));
    });

  program
    .command('lsp')
    .description('run the language server on stdin/stdout (docs/editor.md)')
    .option('--stdio', 'talk over stdin/stdout (the only transport; accepted for LSP clients that pass it)')
    .action(async () => {
      // Loaded here: the language-server library costs every other command ~0.3 s at start-up.
      const { serveStreams } = await import('../lsp/server.js');
      await serveStreams(process.stdin, process.stdout, VERSION);
    });
}

function cmdShow(path: string, o: { scenario?: string[]; json?: boolean }, io: Io): number {
  const spec = loadSpec(path, io, o.json === true);
  if (spec === null) return EXIT_USAGE;
  const views = selectScenarios(spec, o.scenario, path).map((s) => viewProgram(compileProgram(spec, s)));
  io.out(o.json === true ? JSON.stringify(views, null, 2) : views.map(renderProgram).join('\n\n'));
  return EXIT_OK;
}
