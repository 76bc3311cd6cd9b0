import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { storageError } from './storage-error.ts';

/**
 * Makes `path` anew beside it (same folder, so the rename stays on one file system and is atomic), then renames it
 * over `path`: a reader — or a second run writing the same path — only ever sees the whole old or the whole new one.
 */
function replaceAtomically(path: string, make: (temp: string) => void): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`);
  try {
    make(temp);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes `file` atomically; a disk error is named in words (storageError). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  try {
    replaceAtomically(file, (temp) => writeFileSync(temp, data));
  } catch (error) {
    throw storageError(error, file, 'write reports');
  }
}

/** Points the symlink `link` at `target`, replacing what was there in one rename (never a moment without a link). */
export function symlinkAtomic(target: string, link: string): void {
  replaceAtomically(link, (temp) => symlinkSync(target, temp));
}
