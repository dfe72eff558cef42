// One short reason for a file-system error, for messages read by people:
// `ENOSPC: no space left on device, write` → `no space left on device`.

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  ELOOP: 'too many levels of symbolic links',
  EFBIG: 'file too large',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ENXIO: 'nothing reads it (a FIFO or device without a reader)',
};

export function errnoReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code !== undefined && WORDS[code] !== undefined) return WORDS[code];
  const message = err instanceof Error ? err.message : String(e);
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(message);
  return m?.[1] ?? message.split('\n')[0] ?? 'unknown error';
}
