// `mmcheck replay --step`: walk a trace one step at a time on a terminal.
//   n (or Enter) next · b back · s <name> show an object · q quit
// The session is a pure object (a line in, text out) so that it is tested without a TTY;
// runStepSession only wires it to readline.
import { createInterface } from 'node:readline';
import { changeName } from '../checker/trace/state-change.js';
import type { TraceView } from '../checker/trace/trace-view.js';
import { type StateView, showValue } from '../model/state-view.js';
import { cleanText } from '../report/text-fit.js';

const HELP = 'n (or Enter) next · b back · s <name> show a global, object, field or thread · q quit';

export class StepSession {
  /** 0 = the initial state, i = just after step i. */
  private at = 0;
  private readonly views: StateView[];

  /** `trace` is viewed with the positions the session shows (relative to the spec's folder). */
  constructor(private readonly trace: TraceView) {
    this.views = trace.states;
  }

  start(): string {
    return `${this.trace.steps.length} steps; ${HELP}\n${this.show()}`;
  }

  /** Handle one input line; `done` once the user quits. */
  handle(input: string): { out: string; done: boolean } {
    const line = input.trim();
    const [cmd, ...rest] = line.split(/\s+/);
    switch (cmd) {
      case '':
      case 'n':
        if (this.at === this.trace.steps.length) return { out: 'at the last step (b goes back, q quits)', done: false };
        this.at++;
        return { out: this.show(), done: false };
      case 'b':
        if (this.at === 0) return { out: 'at the initial state (n goes forward)', done: false };
        this.at--;
        return { out: this.show(), done: false };
      case 's':
        return {
          out: rest.length === 0 ? 'usage: s <name>, e.g. s pmd, s pte_page#0, s fault' : this.lookup(rest.join(' ')),
          done: false,
        };
      case 'q':
        return { out: '', done: true };
      default:
        return { out: `unknown command '${line}'; ${HELP}`, done: false };
    }
  }

  private view(): { view: StateView; note: string } {
    const i = Math.min(this.at, this.views.length - 1);
    return {
      view: this.views[Math.max(0, i)]!,
      note: i < this.at ? ' (the state before the violating step, which did not complete)' : '',
    };
  }

  private show(): string {
    const steps = this.trace.steps;
    if (this.at === 0) return 'initial state (after init); n runs step 1';
    const s = steps[this.at - 1]!;
    const out = [
      `step ${s.index}/${steps.length}  ${s.threadName}  ${s.position}  ${s.text}${s.preempted ? `  (preempts ${steps[s.index - 2]!.threadName})` : ''}`,
    ];
    for (const c of s.changes) out.push(`  ${changeName(c)}: ${c.before} → ${c.after}`);
    const v = this.trace.violation;
    if (v !== null && this.at === steps.length) out.push(`  ✗ ${v.kind}: ${v.message}`);
    return out.join('\n');
  }

  private lookup(name: string): string {
    const { view, note } = this.view();
    const label = this.at === 0 ? 'initial state' : `after step ${this.at}${note}`;
    const found = findInView(view, name);
    if (found !== null) return `${name} (${label}): ${found}`;
    const known = [
      ...Object.keys(view.globals),
      ...view.pools.flatMap((p) => p.slots.filter((sl) => sl.status !== 'unallocated').map((sl) => sl.object)),
      ...view.threads.map((t) => t.name),
    ];
    return `no global, object or thread named '${name}'; try one of: ${known.join(', ')}`;
  }
}

/** A name in a state: a global, a pool object or one of its fields, a thread, a lock. */
export function findInView(view: StateView, name: string): string | null {
  if (name in view.globals) return showValue(view.globals[name]!);
  const [obj, ...path] = name.split('.');
  for (const p of view.pools) {
    const slot = p.slots.find((s) => s.object === obj);
    if (slot === undefined) continue;
    if (path.length === 0) {
      const cb =
        slot.callback === undefined
          ? ''
          : `, deferred free queued on ${slot.callback.domain} waiting for {${slot.callback.waitsFor.join(', ')}}`;
      return `${slot.status}${cb} ${showValue(slot.fields)}`;
    }
    const f = slot.fields[path[0]!];
    return f === undefined ? null : showValue(f);
  }
  const t = view.threads.find((x) => x.name === name);
  if (t !== undefined) {
    const parts = [
      `${t.status}`,
      t.status === 'finished' ? '' : `next \`${t.next}\` (${t.position})`,
      `locals ${showValue(t.locals)}`,
    ];
    if (t.holds.length > 0) parts.push(`holds ${t.holds.join(', ')}`);
    if (t.readSections.length > 0) parts.push(`inside read sections of ${t.readSections.join(', ')}`);
    if (t.waitsFor.length > 0) parts.push(`grace period waits for ${t.waitsFor.join(', ')}`);
    return parts.filter((x) => x !== '').join('; ');
  }
  const lock = view.locks.find((l) => l.name === name);
  if (lock !== undefined)
    return lock.owner === '' && lock.readers.length === 0
      ? 'free'
      : `held by ${[lock.owner, ...lock.readers.map((r) => `${r} (read)`)].filter((x) => x).join(', ')}`;
  return null;
}

export async function runStepSession(
  session: StepSession,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  const rl = createInterface({ input, output, terminal: true, prompt: 'step> ' });
  // End of input ends the session: Ctrl-D on an empty line closes readline, and on a line
  // with text typed (where readline only deletes the character under the cursor) as well.
  const onKey = (_s: string | undefined, key: { ctrl?: boolean; name?: string } | undefined): void => {
    if (key?.ctrl === true && key.name === 'd') rl.close();
  };
  let quit = false;
  input.on('keypress', onKey);
  output.write(`${cleanText(session.start(), true)}\n`);
  rl.prompt();
  try {
    for await (const line of rl) {
      const r = session.handle(line);
      if (r.out !== '') output.write(`${cleanText(r.out, true)}\n`);
      if (r.done) {
        quit = true;
        break;
      }
      rl.prompt();
    }
  } finally {
    input.off('keypress', onKey);
    rl.close();
  }
  // Ended by end of input: the shell's prompt starts on a line of its own.
  if (!quit) output.write('\n');
}
