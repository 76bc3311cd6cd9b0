import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root as repoRoot } from './cli.ts';

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
 * reports in a temp folder, and reads the per-test outcome from Vitest's JSON reporter. Asynchronous on purpose:
 * a fake server in the calling test process (the RunPod API) must keep answering while the child runs.
 */
export async function runVitestProject(project: string, env: Record<string, string> = {}, args: string[] = []): Promise<VitestChildResult> {
  const scratch = mkdtempSync(join(tmpdir(), `bench-${project}-`));
  const reportsDir = env.BENCH_REPORTS_DIR ?? join(scratch, 'reports');
  const json = join(scratch, 'vitest.json');
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', `--project=${project}`, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...args], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_REPORTS_DIR: reportsDir, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  clearTimeout(timer);
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
  return { status, output, tests, failureMessages, reportsDir };
}

export interface RunningVitest {
  output(): string;
  /** Resolves when the combined output matches, rejects if the child exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Signals the child's whole process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Like runVitestProject, but running in the background so a test can interrupt it mid-run. */
export function startVitestProject(project: string, env: Record<string, string>): RunningVitest {
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', `--project=${project}`], {
    cwd: repoRoot,
    detached: true, // its own process group, like a shell job
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    output: () => output,
    exited,
    signal: (signal) => process.kill(-child.pid!, signal),
    async waitFor(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
