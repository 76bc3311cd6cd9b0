import { join } from 'node:path';

/**
 * Where Vitest's own junit reporter writes (vitest.config.ts). Its file is opened when Vitest starts, before the
 * run id exists, so it goes to a place of this process's own — two runs at once would otherwise write one file
 * (invalid XML) and copy each other's — and finish() copies it into the run folder as junit.xml and publishes it
 * as `<reports>/junit.xml`, each by an atomic rename.
 */
export function junitFile(env: NodeJS.ProcessEnv = process.env, pid = process.pid): string {
  return env.BENCH_JUNIT_FILE ?? join(env.BENCH_REPORTS_DIR ?? 'reports', '.junit', `${pid}.xml`);
}

/** The stable path CI test panels read: the JUnit file of the run that finished last. */
export function publishedJunitFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.BENCH_REPORTS_DIR ?? 'reports', 'junit.xml');
}
