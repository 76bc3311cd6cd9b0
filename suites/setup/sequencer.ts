import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * `--shard=i/n` for the bench projects shards prompts, not files: every shard's global setup generates its share
 * of the prompts (harness/run/shard.ts), and every suite file must run on every shard to judge them. So bench
 * files are all kept on each shard; other projects' files (unit tests) are sharded as Vitest normally does.
 */
export class BenchSequencer extends BaseSequencer {
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const bench = files.filter(isBenchSuite);
    const others = files.filter((f) => !isBenchSuite(f));
    return [...bench, ...(others.length ? await super.shard(others) : [])];
  }
}

function isBenchSuite(spec: TestSpecification): boolean {
  return spec.moduleId.replaceAll('\\', '/').includes('/suites/');
}
