import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { saveBaseline } from '../baselines/io.ts';
import { snapshotOf } from '../baselines/from-run.ts';
import { type BaselineKind, baselineKinds } from '../baselines/schema.ts';
import type { Logger } from '../log.ts';
import { junitFile, publishedJunitFile } from '../reports/junit.ts';
import { writeFileAtomic } from '../results/atomic-write.ts';
import type { RunRecord } from '../results/types.ts';

/**
 * What finish() does after the writers, each optional and never fatal (the reports are already on disk):
 * record the run as a baseline when BENCH_RECORD_BASELINE asks for it, and copy Vitest's JUnit file into the
 * run folder. Returns the files written.
 */
export function afterReports(record: RunRecord, env: NodeJS.ProcessEnv, log: Logger): string[] {
  const written: string[] = [];
  const target = env.BENCH_RECORD_BASELINE;
  if (target) {
    try {
      const kind = (env.BENCH_BASELINE_KIND ?? 'previous-run') as BaselineKind;
      if (!baselineKinds.includes(kind)) throw new Error(`BENCH_BASELINE_KIND must be one of ${baselineKinds.join(', ')}, got "${kind}"`);
      saveBaseline(target, snapshotOf(record, { label: env.BENCH_BASELINE_LABEL || undefined, kind }));
      written.push(resolve(target));
    } catch (error) {
      log.warn(`BENCH_RECORD_BASELINE: not recorded: ${(error as Error).message}`);
    }
  }
  // Vitest's junit reporter writes when the test run ends, before the global teardown that calls finish()
  const junit = junitFile(env);
  if (existsSync(junit) && statSync(junit).mtimeMs >= Date.parse(record.startedAt)) {
    const dest = join(record.reportDir, 'junit.xml');
    const xml = readFileSync(junit);
    writeFileAtomic(dest, xml);
    written.push(dest);
    if (!env.BENCH_JUNIT_FILE) {
      // this process's own file has served; the stable path is replaced whole, never written into
      writeFileAtomic(publishedJunitFile(env), xml);
      rmSync(junit, { force: true });
    }
  }
  return written;
}
