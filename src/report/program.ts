// `mmcheck show`: the compiled program of a scenario (checker/program-view.ts) as text.
import type { ProgramView } from '../checker/program-view.js';

export function renderProgram(v: ProgramView): string {
  const out: string[] = [`scenario ${v.scenario} of ${v.spec}`];
  for (const t of v.threads) {
    out.push(
      '',
      `thread ${t.name}: ${t.steps.filter((s) => s.visible).length} steps (${t.steps.length} ops; ~ = thread-local, fused into the step before it)`,
    );
    for (const s of t.steps)
      out.push(`  ${String(s.step).padStart(3)}${s.visible ? ' ' : '~'} ${s.position.padEnd(28)} ${s.text}`);
  }
  const env = v.entities.slice(v.threads.length);
  if (env.length > 0) out.push('', `environment: ${env.join(', ')}`);
  out.push('', `state layout: ${v.stateWords} words (${v.stateWords * 4} bytes)`);
  for (const l of v.layout)
    out.push(`  [${String(l.offset).padStart(4)}] ${l.name}${l.words > 1 ? ` (${l.words} words)` : ''}`);
  return out.join('\n');
}
