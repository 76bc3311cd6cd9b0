import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Baseline } from '../baselines/schema.ts';
import type { RateOptions } from '../compare/rate.ts';
import { symlinkAtomic, writeFileAtomic } from '../results/atomic-write.ts';
import type { RunRecord } from '../results/types.ts';
import { buildReportContext, type ReportContext } from './context.ts';
import { renderCsv } from './csv.ts';
import { renderHtmlReport } from './html.ts';
import { renderMarkdownSummary } from './markdown.ts';
import { renderMetricsJson } from './metrics-json.ts';
import { renderResultsText } from './results-text.ts';

export { buildReportContext, type ReportContext } from './context.ts';
export { renderConsoleSummary } from './console-summary.ts';

/**
 * The report writers, by file name. Each is a pure function of the report context (flat rows, comparisons,
 * gate). results.jsonl is not here: the generation pipeline appends it as prompts finish (and the merge tool
 * writes it), it is the source the others are rendered from.
 */
export const reportWriters: Record<string, (ctx: ReportContext) => string> = {
  'bitnet_coherent_results.txt': (ctx) => renderResultsText(ctx.record, ctx.comparisons),
  'bitnet_coherent_metrics.json': (ctx) => renderMetricsJson(ctx.record),
  'results.csv': (ctx) => renderCsv(ctx.rows),
  'summary.md': renderMarkdownSummary,
  'report.html': renderHtmlReport,
  'comparison.json': (ctx) => `${JSON.stringify({ gate: ctx.gate, comparisons: ctx.comparisons }, null, 2)}\n`,
  'run.json': (ctx) => `${JSON.stringify(ctx.record, null, 2)}\n`,
};

export interface WriteReportsOptions {
  baselines?: readonly Baseline[];
  rateOptions?: RateOptions;
  /** Append summary.md here too (GitHub Actions' job summary); default $GITHUB_STEP_SUMMARY. */
  stepSummaryFile?: string;
  /** Point `<reports>/latest` at this run (not for merged runs written elsewhere). Default true. */
  linkLatest?: boolean;
}

/**
 * Writes every report into the run's folder and points `<reports>/latest` at it, each file and the link replaced
 * in one rename, so a reader (or a second run finishing at the same moment) never sees half a file. Returns the
 * context and the paths.
 */
export async function writeReports(record: RunRecord, options: WriteReportsOptions = {}): Promise<{ context: ReportContext; files: string[] }> {
  mkdirSync(record.reportDir, { recursive: true });
  const context = buildReportContext(record, options.baselines, options.rateOptions);
  const files = Object.entries(reportWriters).map(([name, render]) => {
    const file = join(record.reportDir, name);
    writeFileAtomic(file, render(context));
    return file;
  });
  const stepSummary = options.stepSummaryFile ?? process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) appendFileSync(stepSummary, `${reportWriters['summary.md']!(context)}\n`);
  if (options.linkLatest ?? true) linkLatest(record.reportDir);
  return { context, files: [join(record.reportDir, 'results.jsonl'), ...files] };
}

function linkLatest(reportDir: string): void {
  const latest = join(dirname(reportDir), 'latest');
  try {
    symlinkAtomic(basename(reportDir), latest);
  } catch {
    // `latest` is a convenience: a reports folder on a file system without symlinks still has every report
  }
}
