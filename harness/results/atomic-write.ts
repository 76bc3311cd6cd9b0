import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { storageError } from './storage-error.ts';

/** A temp name beside `file` (same folder, so the rename stays on one file system and is atomic). */
function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`);
}

/**
 * Writes `file` so a reader — or a second run writing the same file — only ever sees a whole old or a whole new
 * version: write a temp file beside it, then rename over it. A disk error is named in words (storageError).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tempBeside(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw storageError(error, file, 'write reports');
  }
}

/** Points the symlink `link` at `target`, replacing what was there in one rename (no moment without a link). */
export function symlinkAtomic(target: string, link: string): void {
  const tmp = tempBeside(link);
  try {
    symlinkSync(target, tmp);
    renameSync(tmp, link);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
