import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { JsonlResultStore } from './jsonl-store.ts';
import type { RunRecord } from './types.ts';

/**
 * Reads a run folder (`reports/<run-id>` or `reports/latest`) back into a run record: run.json for the run, and
 * results.jsonl — the source of truth, appended as each prompt finished — for the rows when it is there.
 */
export function readRunFolder(dir: string): RunRecord {
  const folder = resolve(dir);
  const runJson = join(folder, 'run.json');
  if (!existsSync(runJson)) {
    throw new ConfigError(`${dir} is not a run folder: ${runJson} does not exist`, 'pass a folder the harness wrote, e.g. reports/latest or reports/<run-id>');
  }
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(runJson, 'utf8')) as RunRecord;
  } catch (error) {
    throw new ConfigError(`${runJson} is not valid JSON: ${(error as Error).message}`, 'the run was probably killed while writing its reports; rerun it');
  }
  if (typeof record.runId !== 'string' || !Array.isArray(record.promptIds)) {
    throw new ConfigError(`${runJson} is not a run record (no runId/promptIds)`, 'pass a folder the harness wrote');
  }
  const jsonl = join(folder, 'results.jsonl');
  const rows = existsSync(jsonl) ? new JsonlResultStore(jsonl).read() : [];
  const order = new Map(record.promptIds.map((id, i) => [id, i]));
  if (rows.length) record.rows = rows.sort((a, b) => (order.get(a.promptId) ?? 1e9) - (order.get(b.promptId) ?? 1e9));
  record.reportDir = realpathSync(folder);
  return record;
}
