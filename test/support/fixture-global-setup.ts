import type { TestProject } from 'vitest/node';
import { loadBaselines } from '../../harness/baselines/io.ts';
import { defaultRateOptions } from '../../harness/compare/rate.ts';
import { readRunFolder } from '../../harness/results/run-folder.ts';
import '../../suites/global-setup.ts'; // the ProvidedContext declarations

/**
 * A global setup that provides a run read from a folder instead of generating one, so the real suite files can
 * be run on fixture runs: BENCH_FIXTURE_RUN=<run folder>, BENCH_FIXTURE_BASELINES=a.json,b.json.
 */
export function setup(project: TestProject): void {
  project.provide('bench', readRunFolder(process.env.BENCH_FIXTURE_RUN!));
  project.provide('benchBaselines', loadBaselines((process.env.BENCH_FIXTURE_BASELINES ?? '').split(',').filter(Boolean)));
  project.provide('benchCompare', defaultRateOptions);
}
