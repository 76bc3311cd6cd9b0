import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunRecord } from '../results/types.ts';
import { renderCsv } from './csv.ts';
import { flattenRow } from './flat-row.ts';
import { renderMetricsJson } from './metrics-json.ts';
import { renderResultsText } from './results-text.ts';

/** The report writers, by file name. Each is a pure function of the run record. */
export const reportWriters: Record<string, (record: RunRecord) => string> = {
  'bitnet_coherent_results.txt': renderResultsText,
  'bitnet_coherent_metrics.json': renderMetricsJson,
  'results.csv': (record) => renderCsv(record.rows.map((row) => flattenRow(row, record.environment, record.project))),
  'run.json': (record) => `${JSON.stringify(record, null, 2)}\n`,
};

/** Writes every report into the run's folder and points `<reports>/latest` at it. Returns the paths. */
export async function writeReports(record: RunRecord): Promise<string[]> {
  mkdirSync(record.reportDir, { recursive: true });
  const files = Object.entries(reportWriters).map(([name, render]) => {
    const file = join(record.reportDir, name);
    writeFileSync(file, render(record));
    return file;
  });
  const latest = join(dirname(record.reportDir), 'latest');
  try {
    rmSync(latest, { force: true });
    symlinkSync(basename(record.reportDir), latest);
  } catch {
    // two projects finishing at once race for `latest`; either link is right
  }
  return [join(record.reportDir, 'results.jsonl'), ...files];
}
