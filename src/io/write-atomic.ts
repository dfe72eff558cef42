// Every file mmcheck writes (trace files, --junit, --sarif, --html, golden files) is written
// whole or not at all: to a temporary file in the target's folder, flushed, then renamed
// over the target, so a full disk or a killed process never leaves a truncated file where a
// good one was. A target that is not a regular file (/dev/stdout, a FIFO, a terminal) is
// written directly (/dev/stdout and /dev/fd/N on the descriptor itself). Missing folders are created one level at a time, so a path that cannot
// exist (/proc/x/y) fails at once. Every failure is one FileWriteError naming the path.
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errnoReason } from './errors.js';

/** An empty path is the working directory to resolve(): it names no file (it was "it is a folder"). */
const EMPTY = 'an empty path names no file';
/** `out/`: resolve() drops the slash, and a file named `out` was written where a folder was meant. */
const SLASHED = "it ends in '/', so it names a folder; name a file";

/** Why `path` names no file to write (empty, or ending in a slash), or undefined. */
function notAFileName(path: string): string | undefined {
  if (path === '') return EMPTY;
  return path.endsWith('/') ? SLASHED : undefined;
}

/** `cannot write <path>: <reason>`; the CLI prints it as `error: …` and exits 2. */
export class FileWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot write ${path === '' ? "''" : path}: ${reason}`);
  }
}

export interface WriteHooks {
  /** Writes the bytes to the open temporary file (tests inject failures here). */
  write?: (fd: number, data: Buffer) => void;
}

const writeAll = (fd: number, data: Buffer): void => {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
};

/** `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`: the descriptor they name (opening them fails where it is a socket). */
function namedFd(abs: string): number | null {
  if (abs === '/dev/stdout') return 1;
  if (abs === '/dev/stderr') return 2;
  const m = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(abs);
  return m === null ? null : Number(m[1]);
}

/** Write to an open descriptor, waiting while a non-blocking pipe is full. */
function writeToFd(path: string, fd: number, data: Buffer): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (let off = 0; off < data.length; ) {
      try {
        off += writeSync(fd, data, off, data.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(pause, 0, 0, 5);
      }
    }
  } catch (e) {
    throw new FileWriteError(path, errnoReason(e));
  }
}

/**
 * Before a long run whose result goes to `path`: throws the FileWriteError writeFileAtomic
 * would throw at the end for a path that is a folder, so the run is not lost to it.
 */
export function assertWritablePath(path: string): void {
  const bad = notAFileName(path);
  if (bad !== undefined) throw new FileWriteError(path, bad);
  const abs = resolve(path);
  if (namedFd(abs) !== null) return;
  let st: Stats | undefined;
  try {
    st = statSync(abs);
  } catch {
    // Absent: its folders are created, in the nearest one that exists (below).
  }
  if (st?.isDirectory()) throw new FileWriteError(path, 'it is a folder');
  if (st !== undefined && !st.isFile()) return; // a device or a FIFO, written in place
  assertFolderWritable(path, dirname(abs));
}

/**
 * Before a long run that writes into `dir` (explore --save and --trace-out warn with it):
 * throws the FileWriteError, naming `path`, of a folder this user may not write to. The temporary file,
 * or the first missing folder, is created in the nearest folder that exists: one this user
 * may not write to fails the same way at the end (as root, never).
 */
export function assertFolderWritable(path: string, dir: string): void {
  if (path === '') throw new FileWriteError(path, EMPTY);
  let missing: string | undefined;
  let at = resolve(dir);
  // Not a file system of folders (as writeFileAtomic): its write says what it says, as root or not.
  if (/^\/(dev|proc|sys)(\/|$)/.test(at)) return;
  while (!existsSync(at) && dirname(at) !== at) {
    missing = at;
    at = dirname(at);
  }
  try {
    accessSync(at, constants.W_OK);
  } catch (e) {
    const why = errnoReason(e);
    throw new FileWriteError(path, missing === undefined ? why : `cannot create folder ${missing}: ${why}`);
  }
}

/** A file a command reads, which none of its outputs may replace: its path and what it is ("the spec being read"). */
export interface CommandInput {
  path: string;
  is: string;
}

/**
 * An output that names one of the command's inputs (`export -o spec.mmspec`, `replay --html
 * trace.json`, `check --junit` on a spec it checks; also through a link) would replace the
 * file the user wrote with a report on it. Throws the FileWriteError that refuses it, before
 * anything is written.
 */
export function assertNotAnInput(path: string, inputs: readonly CommandInput[]): void {
  // (`dir/` is a folder, never an input: --trace-out dir/ saves into it.)
  if (path === '') throw new FileWriteError(path, EMPTY);
  const out = fileIdentity(path);
  if (out === undefined) return;
  for (const input of inputs) {
    if (fileIdentity(input.path) !== out) continue;
    const spelled = resolve(input.path) === resolve(path) ? '' : ` (${input.path})`;
    throw new FileWriteError(path, `it is ${input.is}${spelled}; name another file`);
  }
}

/** Device and inode of a regular file (links followed), or undefined. */
function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(resolve(path));
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** Write `text` to `path` atomically where it is a regular file (or does not exist yet). */
export function writeFileAtomic(path: string, text: string, hooks: WriteHooks = {}): void {
  const bad = notAFileName(path);
  if (bad !== undefined) throw new FileWriteError(path, bad);
  const abs = resolve(path);
  const fd = namedFd(abs);
  if (fd !== null) {
    writeToFd(path, fd, Buffer.from(text, 'utf8'));
    return;
  }
  let st: Stats | undefined;
  try {
    st = lstatSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new FileWriteError(path, errnoReason(e));
  }
  let target = abs;
  if (st?.isSymbolicLink() === true) {
    try {
      target = realpathSync(abs);
      st = statSync(target);
    } catch {
      // A dangling link or a link into /proc (a pipe's fd): let the write follow it.
      writeDirect(path, text);
      return;
    }
  }
  if (st?.isDirectory()) throw new FileWriteError(path, 'it is a folder');
  // Not a regular file (a device, a FIFO, a terminal, /dev/stdout): written in place.
  if (/^\/(dev|proc|sys)\//.test(abs) || /^\/(dev|proc|sys)\//.test(target) || (st !== undefined && !st.isFile())) {
    writeDirect(path, text);
    return;
  }
  ensureFolder(dirname(target), path, 0);
  writeViaRename(path, target, Buffer.from(text, 'utf8'), st, hooks);
}

/**
 * Write in place (a device, a FIFO, a terminal). Non-blocking: a FIFO nobody reads is an
 * error at once (ENXIO), not a hang; a full pipe is waited for.
 */
function writeDirect(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK, 0o666);
  } catch (e) {
    throw new FileWriteError(path, errnoReason(e));
  }
  try {
    writeToFd(path, fd, Buffer.from(text, 'utf8'));
  } finally {
    closeQuietly(fd);
  }
}

function writeViaRename(path: string, target: string, data: Buffer, old: Stats | undefined, hooks: WriteHooks): void {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o666);
    if (old !== undefined) fchmodSync(fd, old.mode & 0o7777);
    (hooks.write ?? writeAll)(fd, data);
    try {
      fsyncSync(fd);
    } catch (e) {
      // Some file systems cannot flush (EINVAL); the data is written all the same.
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    }
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // It was never created, or it is gone.
    }
    throw new FileWriteError(path, errnoReason(e));
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing after a failed write may fail too; the write's error is the one reported.
  }
}

/** Create `dir` and its missing parents, one level at a time (no retry loop: /proc/x fails at once). */
function ensureFolder(dir: string, path: string, depth: number): void {
  try {
    mkdirSync(dir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        // A dangling link: not a folder.
      }
      if (!isDir) throw new FileWriteError(path, `${dir} is not a folder`);
      return;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 256)
      throw new FileWriteError(path, `cannot create folder ${dir}: ${errnoReason(e)}`);
    ensureFolder(parent, path, depth + 1);
  }
  try {
    mkdirSync(dir);
  } catch (e) {
    // Created meanwhile by another process: fine when it is a folder.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && lstatSync(dir, { throwIfNoEntry: false })?.isDirectory())
      return;
    throw new FileWriteError(path, `cannot create folder ${dir}: ${errnoReason(e)}`);
  }
}
