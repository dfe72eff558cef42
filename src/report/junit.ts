// JUnit XML for `mmcheck check`, in the shape Jenkins' junit plugin, GitLab's
// artifacts:reports:junit and the GitHub test-report actions read (validated in the tests
// against the Jenkins JUnit XSD): one <testsuite> per spec, one <testcase> per scenario.
// A scenario not as expected is a <failure> whose text is the run's report with its trace;
// a spec that does not compile is one <testcase> with an <error>; a run that crashed is an
// <error>; replayed traces form one more suite. Library specs (nothing to run) are left out.
// A case as expected has a <system-out> when there is something to say: a pass by the budget
// rule, a reduction `--reduce` asked for that its search did not apply.
import type { GateCase, GateReport, GateSpec, GateTrace } from '../checker/gate/report.js';

export function renderJunit(r: GateReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const spec of r.specs) {
    if (spec.status === 'library') continue;
    const cases = r.cases.filter((c) => c.spec === spec.path);
    const suite = spec.status === 'error' ? specErrorSuite(spec, r.startedAt) : caseSuite(spec, cases, r.startedAt);
    suites.push(suite.xml);
    tests += suite.tests;
    failures += suite.failures;
    errors += suite.errors;
  }
  if (r.traces.length > 0 || (r.tracesNotReplayed ?? 0) > 0) {
    const suite = traceSuite(r.traces, r.tracesNotReplayed ?? 0, r.startedAt);
    suites.push(suite.xml);
    tests += suite.tests;
    failures += suite.failures;
  }
  const head = `<testsuites ${attrs({ name: 'mmcheck check', tests, failures, errors, time: r.seconds.toFixed(3) })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, '</testsuites>', ''].join('\n');
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
}

function caseSuite(spec: GateSpec, cases: GateCase[], timestamp: string): Suite {
  const failures = cases.filter((c) => !c.asExpected && c.error === undefined).length;
  const errors = cases.filter((c) => c.error !== undefined).length;
  const time = cases.reduce((t, c) => t + c.stats.seconds, 0);
  const body = cases.map((c) => {
    const open = `    <testcase ${attrs({ name: c.scenario, classname: spec.path, time: c.stats.seconds.toFixed(3) })}`;
    if (c.error !== undefined)
      return `${open}>\n      <error ${attrs({ message: c.why, type: 'internal' })}>${escapeXml(c.report)}</error>\n    </testcase>`;
    if (!c.asExpected) {
      const type = c.violation?.kind ?? c.got;
      return `${open}>\n      <failure ${attrs({ message: c.why, type })}>${escapeXml(c.report)}</failure>\n    </testcase>`;
    }
    // A pass by the budget rule says why; a reduction `--reduce` asked for and not applied says so.
    const notes = (c.reductionsNotApplied ?? []).map((r) => `${r.reduction}: not applied: ${r.detail}`);
    if (c.got !== c.expected) notes.unshift(c.why);
    if (notes.length > 0)
      return `${open}>\n      <system-out>${escapeXml(notes.join('\n'))}</system-out>\n    </testcase>`;
    return `${open}/>`;
  });
  const head = `  <testsuite ${attrs({ name: spec.path, tests: cases.length, failures, errors, skipped: 0, time: time.toFixed(3), timestamp })}>`;
  return { xml: [head, ...body, '  </testsuite>'].join('\n'), tests: cases.length, failures, errors };
}

function specErrorSuite(spec: GateSpec, timestamp: string): Suite {
  const first = spec.errors[0]?.message ?? 'the spec does not compile';
  const message = spec.errors.length > 1 ? `${first} (and ${spec.errors.length - 1} more)` : first;
  const detail = spec.errors.map((d) => d.rendered).join('\n');
  const xml = [
    `  <testsuite ${attrs({ name: spec.path, tests: 1, failures: 0, errors: 1, skipped: 0, time: '0.000', timestamp })}>`,
    `    <testcase ${attrs({ name: '(compile)', classname: spec.path, time: '0.000' })}>`,
    `      <error ${attrs({ message, type: 'spec_error' })}>${escapeXml(detail)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: 1, failures: 0, errors: 1 };
}

/**
 * The replayed traces; trace files not replayed because the gate was interrupted first are
 * one failing case, so that a stopped gate's report never reads as all passed.
 */
function traceSuite(traces: GateTrace[], notReplayed: number, timestamp: string): Suite {
  const body = traces.map((t) => {
    const open = `    <testcase ${attrs({ name: t.path, classname: 'traces', time: t.seconds.toFixed(3) })}`;
    return t.reproduces
      ? `${open}/>`
      : `${open}>\n      <failure ${attrs({ message: t.detail, type: 'trace' })}>${escapeXml(t.detail)}</failure>\n    </testcase>`;
  });
  if (notReplayed > 0) {
    const message = 'interrupted before the trace files were replayed';
    body.push(
      [
        `    <testcase ${attrs({ name: `(${notReplayed} trace file${notReplayed === 1 ? '' : 's'} not replayed)`, classname: 'traces', time: '0.000' })}>`,
        `      <failure ${attrs({ message, type: 'interrupted' })}>${message}</failure>`,
        '    </testcase>',
      ].join('\n'),
    );
  }
  const tests = body.length;
  const failures = traces.filter((t) => !t.reproduces).length + (notReplayed > 0 ? 1 : 0);
  const time = traces.reduce((s, t) => s + t.seconds, 0);
  const head = `  <testsuite ${attrs({ name: 'traces', tests, failures, errors: 0, skipped: 0, time: time.toFixed(3), timestamp })}>`;
  return { xml: [head, ...body, '  </testsuite>'].join('\n'), tests, failures, errors: 0 };
}

function attrs(o: Record<string, string | number>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k}="${escapeXml(String(v)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;')}"`)
    .join(' ');
}

/** The characters XML 1.0 cannot hold at all: C0 controls but tab, LF and CR, and U+FFFE/U+FFFF. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is its purpose
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes markup and drops the characters XML 1.0 cannot hold at all. */
export function escapeXml(s: string): string {
  return s.replace(NOT_IN_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
