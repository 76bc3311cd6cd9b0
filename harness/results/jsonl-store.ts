import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { storageError } from './storage-error.ts';
import type { ResultRow } from './types.ts';

/**
 * The source of truth of a run: one JSON line per finished prompt, appended the moment the prompt finishes. A run
 * that dies — a crash, a dropped connection, Ctrl-C, SIGKILL — keeps every finished prompt, and a resumed run
 * skips them. Each line goes down in one write() and is fsync'd, so a line is either whole on disk or torn only
 * at the very end; a torn tail is cut off before anything is appended to it.
 */
export class JsonlResultStore {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /**
   * Cuts a torn last line (the process died mid-write, or the disk filled) back to the last newline, so the next
   * append starts a line of its own instead of gluing onto the fragment. Returns the bytes dropped.
   */
  repairTornTail(): number {
    if (!existsSync(this.file)) return 0;
    const fd = openSync(this.file, 'r+');
    try {
      const size = fstatSync(fd).size;
      if (size === 0) return 0;
      // scan back from the end for the last newline, a block at a time (a torn line may be long)
      let end = size;
      const block = Buffer.alloc(64 * 1024);
      while (end > 0) {
        const start = Math.max(0, end - block.length);
        const n = readSync(fd, block, 0, end - start, start);
        const at = block.subarray(0, n).lastIndexOf(0x0a);
        if (at >= 0) {
          const keep = start + at + 1;
          if (keep === size) return 0;
          ftruncateSync(fd, keep);
          fsyncSync(fd);
          return size - keep;
        }
        end = start;
      }
      ftruncateSync(fd, 0);
      fsyncSync(fd);
      return size;
    } finally {
      closeSync(fd);
    }
  }

  /** One whole line per row, written with a single write() and flushed to disk before the next prompt starts. */
  append(row: ResultRow): void {
    const line = Buffer.from(`${JSON.stringify(row)}\n`);
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'a');
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written);
      fsyncSync(fd);
    } catch (error) {
      throw storageError(error, this.file);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Rows already written, one per prompt: a prompt recorded again (an infrastructure fault, then its retry on
   * resume) reads as its last row. A torn last line is ignored, not fatal.
   */
  read(): ResultRow[] {
    // size 0: nothing written yet (a device such as /dev/full also reports 0 and would never end a read)
    if (!existsSync(this.file) || statSync(this.file).size === 0) return [];
    const rows = new Map<string, ResultRow>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const row = JSON.parse(line) as ResultRow;
        rows.set(row.promptId, row);
      } catch {
        // only the last line can be torn; anything after it was never written
      }
    }
    return [...rows.values()];
  }
}
