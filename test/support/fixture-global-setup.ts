import type { TestProject } from 'vitest/node';
import { loadBaselines } from '../../harness/baselines/io.ts';
import { defaultRateOptions } from '../../harness/compare/rate.ts';
import { readRunFolder } from '../../harness/results/run-folder.ts';
import { shardPrompts } from '../../harness/run/shard.ts';
import '../../suites/global-setup.ts'; // the ProvidedContext declarations

/**
 * A global setup that provides a run read from a folder instead of generating one, so the real suite files can
 * be run on fixture runs: BENCH_FIXTURE_RUN=<run folder>, BENCH_FIXTURE_BASELINES=a.json,b.json.
 */
export function setup(project: TestProject): void {
  const run = readRunFolder(process.env.BENCH_FIXTURE_RUN!);
  // like BenchSession.open with `--shard`: this shard's share of the prompts
  const shard = project.vitest.config.shard;
  if (shard) {
    run.rows = shardPrompts(run.rows, shard);
    run.promptIds = shardPrompts(run.promptIds, shard);
  }
  project.provide('bench', run);
  project.provide('benchBaselines', loadBaselines((process.env.BENCH_FIXTURE_BASELINES ?? '').split(',').filter(Boolean)));
  project.provide('benchCompare', defaultRateOptions);
}
