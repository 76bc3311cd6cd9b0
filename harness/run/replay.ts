import { baselineFilesOf, loadBaselines } from '../baselines/io.ts';
import type { Baseline } from '../baselines/schema.ts';
import type { RateOptions } from '../compare/rate.ts';
import { loadConfig } from '../config/load.ts';
import type { Logger } from '../log.ts';
import { renderConsoleSummary, buildReportContext } from '../reports/index.ts';
import { readRunFolder } from '../results/run-folder.ts';
import type { RunRecord } from '../results/types.ts';
import { afterReports } from './after-reports.ts';

/**
 * A run read back from its folder instead of generated: `BENCH_RUN_DIR=reports/merged npx vitest run --project=x86`
 * runs every suite on a run merged from shards (one Vitest report, JUnit file and exit status for all prompts),
 * or re-judges an old run against new baselines, without touching an engine.
 */
export interface ReplayedRun {
  record: RunRecord;
  baselines: Baseline[];
  compare: RateOptions;
  /** Prints the summary and copies the JUnit file into the run folder; the folder's reports are left as they are. */
  finish(): void;
}

export function replayRun(dir: string, options: { configFile?: string; env?: NodeJS.ProcessEnv; log: Logger }): ReplayedRun {
  const env = options.env ?? process.env;
  const loaded = loadConfig({ file: options.configFile, env });
  const record = readRunFolder(dir);
  const baselines = loadBaselines(baselineFilesOf(loaded));
  options.log.info(`replaying ${record.runId} from ${record.reportDir} (${record.rows.length}/${record.promptIds.length} prompts); no engine is run`);
  return {
    record,
    baselines,
    compare: loaded.config.compare,
    finish() {
      afterReports(record, { ...env, BENCH_RECORD_BASELINE: '' }, options.log);
      console.log(`\n${renderConsoleSummary(buildReportContext(record, baselines, loaded.config.compare))}\n`);
    },
  };
}
