import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ResultRow } from './types.ts';

/**
 * The source of truth of a run: one JSON line per finished prompt, appended (and flushed by the OS) the moment
 * the prompt finishes. A run that dies — a crash, a dropped connection, Ctrl-C — keeps every finished prompt,
 * and a resumed run skips them.
 */
export class JsonlResultStore {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  append(row: ResultRow): void {
    appendFileSync(this.file, `${JSON.stringify(row)}\n`);
  }

  /** Rows already written; a torn last line (the process died mid-write) is ignored, not fatal. */
  read(): ResultRow[] {
    if (!existsSync(this.file)) return [];
    const rows: ResultRow[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        rows.push(JSON.parse(line) as ResultRow);
      } catch {
        // only the last line can be torn; anything after it was never written
      }
    }
    return rows;
  }
}
