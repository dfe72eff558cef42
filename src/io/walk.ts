// Walking a folder for input files (the specs and traces `mmcheck check` runs). Symbolic
// links are followed, to files and to folders, with each folder walked once (by its real
// path) so that a link cycle ends; every entry that cannot be read — a folder without
// permission, a dangling link — is named in `problems`, never skipped in silence.
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errnoReason } from './errors.js';

export interface WalkResult {
  /** Files whose name ends in the extension, in name order, each real file once. */
  files: string[];
  /** `path: why`, one per entry that could not be read. */
  problems: string[];
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Files under `dir` whose name ends in `ext`, recursively in name order, skipping
 * dot-entries and node_modules. `seen` holds the real paths already taken (folders and
 * files), shared across the walks of one run.
 */
export function walkFiles(dir: string, ext: string, seen: Set<string> = new Set()): WalkResult {
  const out: WalkResult = { files: [], problems: [] };
  const real = realOf(dir, out);
  if (real === null || seen.has(real)) return out;
  seen.add(real);
  walkInto(dir, ext, seen, out, 0);
  return out;
}

function realOf(p: string, out: WalkResult): string | null {
  try {
    return realpathSync(p);
  } catch (e) {
    out.problems.push(`${p}: ${errnoReason(e)}`);
    return null;
  }
}

function walkInto(dir: string, ext: string, seen: Set<string>, out: WalkResult, depth: number): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort(byName);
  } catch (e) {
    out.problems.push(`${dir}: cannot read the folder: ${errnoReason(e)}`);
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = statSync(p).isDirectory();
      } catch (err) {
        out.problems.push(`${p}: a symbolic link that cannot be followed: ${errnoReason(err)}`);
        continue;
      }
    }
    if (isDir) {
      const real = realOf(p, out);
      if (real === null || seen.has(real)) continue;
      if (depth >= 64) {
        out.problems.push(`${p}: folders nest more than 64 deep`);
        continue;
      }
      seen.add(real);
      walkInto(p, ext, seen, out, depth + 1);
    } else if (e.name.endsWith(ext)) {
      // Not only regular files: a FIFO named x.mmspec is taken, and reported when it is read.
      const real = realOf(p, out);
      if (real === null || seen.has(real)) continue;
      seen.add(real);
      out.files.push(p);
    }
  }
}
