import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');

export interface VitestChildResult {
  status: number | null;
  output: string;
  /** Per test: full name → passed/failed, from Vitest's JSON reporter. */
  tests: Map<string, string>;
  failureMessages: string[];
  reportsDir: string;
}

/**
 * Runs the harness's real command (`vitest run --project=…`) in a child process, the way a user does, with its
 * reports in a temp folder, and reads the per-test outcome from Vitest's JSON reporter.
 */
export function runVitestProject(project: string, env: Record<string, string> = {}, args: string[] = []): VitestChildResult {
  const scratch = mkdtempSync(join(tmpdir(), `bench-${project}-`));
  const reportsDir = env.BENCH_REPORTS_DIR ?? join(scratch, 'reports');
  const json = join(scratch, 'vitest.json');
  const child = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', `--project=${project}`, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...args], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_REPORTS_DIR: reportsDir, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const tests = new Map<string, string>();
  const failureMessages: string[] = [];
  try {
    const report = JSON.parse(readFileSync(json, 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[] };
    for (const file of report.testResults) for (const t of file.assertionResults) {
      tests.set(t.fullName, t.status);
      failureMessages.push(...t.failureMessages);
    }
  } catch {
    // no JSON when the global setup failed: the caller asserts on `output`
  }
  return { status: child.status, output: `${child.stdout}\n${child.stderr}`, tests, failureMessages, reportsDir };
}
