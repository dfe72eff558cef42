// mmcheck run in a pseudo-terminal and interrupted as a person would: util-linux `script` runs
// it in one, and writing ^C to it is what a person's Ctrl-C does. interrupt.test.ts and
// simulate.test.ts use it.
//
// `script` runs the command through `$SHELL -c` (/bin/sh when SHELL is unset). dash does
// not exec a -c command: it stays in the terminal's foreground group, gets the ^C too,
// waits for mmcheck (which exits 3) and then kills itself with SIGINT, so `script` said 130.
// That was the 130 a CI sandbox (no SHELL) saw where a bash login here saw 3. The command
// is run with `exec`, so mmcheck alone gets the ^C whatever the shell. Where `script` cannot
// run a command in a pseudo-terminal (not installed, no ptys), or with MMCHECK_TTY_TESTS=0,
// the tests send SIGINT to the process instead (the same handler path).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/mmcheck.js');
const SCRIPT = '/usr/bin/script';

/** Whether `script` runs a command in a pseudo-terminal here and passes its exit code on. */
function ptyWorks(): boolean {
  if (process.env.MMCHECK_TTY_TESTS === '0') return false;
  const probe = spawnSync(SCRIPT, ['-qfec', 'exec node -e "process.exit(process.stdout.isTTY ? 3 : 4)"', '/dev/null'], {
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: 30_000,
  });
  return probe.status === 3;
}

/** Whether the tests type ^C in a pseudo-terminal (else they send SIGINT). */
export const TTY = ptyWorks();

/** The process whose parent is `pid` (the mmcheck that `script` runs), from /proc. */
function childOf(pid: number): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no child of ${pid}`);
}

export interface Stopped {
  code: number | null;
  /** Milliseconds from the first ^C to the verdict line. */
  stopMs: number;
  out: string;
}

/**
 * Runs `mmcheck args` in a pseudo-terminal (TTY) and, `afterMs` after it has shown that it
 * runs (a search's progress line, check's `check: 0/N scenarios`: its handlers are on by
 * then), types ^C or sends SIGTERM to it. Without a terminal there is no progress line: the
 * signal goes 20 s after the start (at load 17, five mmchecks started at once had not all
 * loaded and put their handlers on after 8 s: they died of the signal).
 */
export function interrupt(args: string[], afterMs = 500, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT'): Promise<Stopped> {
  // exec: the shell `script` starts must not stay in the foreground group (see the top).
  const command = `exec ${['node', BIN, ...args].map((a) => `'${a}'`).join(' ')}`;
  const p = TTY
    ? spawn(SCRIPT, ['-qfec', command, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('node', [BIN, ...args], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, COLUMNS: '80' },
      });
  let out = '';
  let sentAt = 0;
  let stoppedAt = 0;
  const send = (ms: number): void => {
    sentAt = -1;
    setTimeout(() => {
      sentAt = performance.now();
      if (!TTY) p.kill(signal);
      else if (signal === 'SIGINT') p.stdin.write('\x03');
      else process.kill(childOf(p.pid!), signal);
    }, ms);
  };
  if (!TTY) send(20_000);
  p.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (sentAt === 0 && /\d+ states, [\d,]+\/s|check: \d+\/\d+ scenarios/.test(out)) send(afterMs);
    if (stoppedAt === 0 && sentAt > 0 && /incomplete \(interrupted\)|\b\d+ scenarios:/.test(out))
      stoppedAt = performance.now();
  });
  return new Promise((resolve) => {
    p.on('exit', (code) => resolve({ code, stopMs: (stoppedAt || performance.now()) - sentAt, out }));
  });
}
