// The table of `default-mode.js --modes bfs:none,auto` (one JSON line per run, BENCH_REPEAT
// rows per scenario and mode): per scenario, the states and the best CPU seconds of each
// mode, and whether the default search took no longer than the unreduced BFS. Scenarios
// where both runs stayed under `--min-cpu` seconds (default 0.05: the noise of a loaded
// machine at that size) are counted, not listed.
//
// `node dist/bench/default-mode-table.js results.jsonl [--min-cpu 0.05]`
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { grouped } from '../src/io/grouped.js';

interface Row {
  spec: string;
  scenario: string;
  mode: string;
  ran: string;
  got: string;
  states: number;
  cpu: number;
}

interface Pair {
  name: string;
  runs: Map<string, Row[]>;
}

function pairs(rows: Row[]): Pair[] {
  const by = new Map<string, Pair>();
  for (const r of rows) {
    const name = `${r.spec.replace(/^specs\//, '').replace(/\.mmspec$/, '')} ${r.scenario}`;
    const p = by.get(name) ?? { name, runs: new Map() };
    by.set(name, p);
    p.runs.set(r.mode, [...(p.runs.get(r.mode) ?? []), r]);
  }
  return [...by.values()];
}

const best = (rows: Row[]): Row => rows.reduce((a, b) => (b.cpu < a.cpu ? b : a));

function cell(r: Row): string {
  const cut = r.got.startsWith('incomplete') ? ' (budget)' : '';
  return `${grouped(r.states)}${cut}`;
}

export function defaultModeTable(rows: Row[], minCpu: number, before = 'bfs:none', after = 'auto'): string[] {
  const out = [
    `| scenario | states, ${before} | states, ${after} (search) | CPU s, ${before} | CPU s, ${after} | ${after} / ${before} |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  let small = 0;
  let slower = 0;
  let compared = 0;
  for (const p of pairs(rows)) {
    const [b, a] = [p.runs.get(before), p.runs.get(after)];
    if (b === undefined || a === undefined) continue;
    const [rb, ra] = [best(b), best(a)];
    compared++;
    if (ra.cpu > rb.cpu && ra.got === rb.got) slower++;
    if (rb.cpu < minCpu && ra.cpu < minCpu) {
      small++;
      continue;
    }
    const ratio = rb.cpu > 0 ? `${(ra.cpu / rb.cpu).toFixed(2)}×` : '';
    out.push(
      `| ${p.name} | ${cell(rb)} | ${cell(ra)} (${ra.ran}) | ${rb.cpu.toFixed(2)} | ${ra.cpu.toFixed(2)} | ${ratio} |`,
    );
  }
  out.push(
    '',
    `${compared} scenarios; ${small} took under ${minCpu} s of CPU in both modes (not listed); ` +
      `${after} took more CPU than ${before} on ${slower} (same verdict).`,
  );
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, flag, value] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node dist/bench/default-mode-table.js results.jsonl [--min-cpu 0.05]');
    process.exit(2);
  }
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Row);
  const minCpu = flag === '--min-cpu' ? Number(value) : 0.05;
  for (const l of defaultModeTable(rows, minCpu)) console.log(l);
}
