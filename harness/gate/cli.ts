/**
 * npm run gate -- reports/<run-id>|reports/latest [--baseline file …] [--tolerance 0.1] [--z 1.96] [--config bench.config.json]
 *
 * Reads a run folder and baselines, prints the one-screen summary, exits 0 ok / 1 regression / 2 infrastructure /
 * 3 usage. Without --baseline, the config's `baselines` (or BENCH_BASELINES) are used.
 */
import { parseArgs } from 'node:util';
import { baselineFilesOf, loadBaselines } from '../baselines/io.ts';
import { loadConfigFromFlag } from '../config/load.ts';
import { HarnessError } from '../errors.ts';
import { buildReportContext, renderConsoleSummary } from '../reports/index.ts';
import { readRunFolder } from '../results/run-folder.ts';
import { exitCodes } from './gate.ts';

const USAGE = 'usage: npm run gate -- <run folder> [--baseline fixtures/baselines/x.json …] [--tolerance 0.10] [--z 1.96] [--config bench.config.json]';

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { baseline: { type: 'string', multiple: true }, tolerance: { type: 'string' }, z: { type: 'string' }, config: { type: 'string' } },
  });
  if (positionals.length !== 1) return usage(`expected one run folder, got ${positionals.length}`);
  const record = readRunFolder(positionals[0]!);
  // The config always supplies the comparison settings; --baseline only replaces its list of baselines.
  const loaded = loadConfigFromFlag(values.config);
  const files = values.baseline ?? baselineFilesOf(loaded);
  const fromConfig = loaded.config.compare;
  const relativeTolerance = number(values.tolerance, '--tolerance', fromConfig.relativeTolerance);
  const z = number(values.z, '--z', fromConfig.z);
  const context = buildReportContext(record, loadBaselines(files), { relativeTolerance, z });
  console.log(renderConsoleSummary(context));
  return context.gate.code;
}

function number(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a non-negative number, got "${raw}"`);
  return n;
}

class UsageError extends Error {}

function usage(problem: string): number {
  console.error(`${problem}\n${USAGE}`);
  return exitCodes.usage;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') process.exitCode = usage((error as Error).message);
  else {
    console.error(error instanceof HarnessError ? error.describe() : (error as Error).stack);
    process.exitCode = exitCodes.usage;
  }
}
