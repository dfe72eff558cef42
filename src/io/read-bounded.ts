// Reading an input file with a size bound: only regular files (a FIFO, a device such as
// /dev/zero or a folder is refused before a byte is read), and never more than the bound,
// even where the size the file system reports is wrong (/proc files report 0).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { errnoReason } from './errors.js';
import { grouped } from './grouped.js';
import { ignoredLimit, showBytes } from './limits.js';

/** Why a file could not be read, as words (`no such file or folder`, `it is a FIFO, not a regular file`). */
export class FileReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(reason);
  }
}

export interface ReadBound {
  bytes: number;
  /** What the file is, for the message: `a spec file`. */
  what: string;
  /** The environment variable that raises the bound. */
  env: string;
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'it is a folder';
  if (s.isFIFO()) return 'it is a FIFO';
  if (s.isCharacterDevice()) return 'it is a character device';
  if (s.isBlockDevice()) return 'it is a block device';
  if (s.isSocket()) return 'it is a socket';
  return 'it is not a file';
}

const overBound = (path: string, size: string, b: ReadBound): FileReadError =>
  new FileReadError(
    path,
    `it is ${size}, over the ${showBytes(b.bytes)} limit for ${b.what} (set ${b.env} to raise it${ignoredLimit(b.env)})`,
    'EFBIG',
  );

/**
 * `text` without the byte order mark an editor may save a file with, which JSON.parse refuses
 * (trace files, part files; the spec lexer reads one as a space).
 */
export function withoutBom(text: string): string {
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** The file's text (UTF-8), or a FileReadError saying why not. */
export function readTextBounded(path: string, bound: ReadBound): string {
  // '' would open the working folder: "it is a folder" for `mmcheck explore ''`.
  if (path === '') throw new FileReadError(path, 'an empty path names no file', 'ENOENT');
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not block; it is refused below.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new FileReadError(path, errnoReason(e), (e as NodeJS.ErrnoException).code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(path, `${kindOf(st)}, not a regular file`, 'ENOTREG');
    if (st.size > bound.bytes) throw overBound(path, `${grouped(st.size)} bytes`, bound);
    const chunks: Buffer[] = [];
    let sum = 0;
    for (let size = Math.min(st.size + 1, bound.bytes + 1); ; size = 64 * 1024) {
      const chunk = Buffer.allocUnsafe(size);
      const n = readSync(fd, chunk, 0, size, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      sum += n;
      if (sum > bound.bytes) throw overBound(path, `more than ${showBytes(bound.bytes)}`, bound);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw new FileReadError(path, errnoReason(e), (e as NodeJS.ErrnoException).code);
  } finally {
    closeSync(fd);
  }
}
