import { join } from 'node:path';

/**
 * Where Vitest's own junit reporter writes (vitest.config.ts). Its file is opened when Vitest starts, before the
 * run id exists, so it goes to a fixed place and finish() copies it into the run folder as junit.xml.
 */
export function junitFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_JUNIT_FILE ?? join(env.BENCH_REPORTS_DIR ?? 'reports', 'junit.xml');
}
