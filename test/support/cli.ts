import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

/** Runs one of the harness's command-line entry points the way `npm run` does (tsx), from the repo root. */
export function runCli(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; output: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, script), ...args], {
    cwd: root,
    env: { ...process.env, BENCH_CONFIG: '', BENCH_BASELINES: '', GITHUB_STEP_SUMMARY: '', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, output: `${child.stdout}\n${child.stderr}` };
}
