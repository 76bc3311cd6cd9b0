import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../harness/gate/gate.ts';
import { root } from './support/cli.ts';

/** The main command's own exit status: Vitest's 1 for failed tests, the gate's codes when the setup never ran them. */
describe('npx vitest run --project=x86 exit status', () => {
  it('3 for a bad configuration, before anything is provisioned', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bench-exit-'));
    const env = { ...process.env, BENCH_CACHE_DIR: join(scratch, 'cache'), BENCH_REPORTS_DIR: join(scratch, 'reports'), BENCH_CONFIG: '', BENCH_THREADS: 'four', NO_COLOR: '1' };
    const child = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project=x86'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    const output = `${child.stdout}\n${child.stderr}`;
    expect(child.status, output).toBe(exitCodes.usage);
    expect(output).toMatch(/BenchConfigError: read configuration failed: invalid configuration[\s\S]*generation\.threads \(set by BENCH_THREADS\)/);
  });
});
