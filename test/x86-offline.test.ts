import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './support/cli.ts';
import { canIsolateNetwork } from './support/net.ts';


describe('the main job on a machine without network', () => {
  // Skipped only outside CI: in CI a machine that cannot isolate the network must fail, not pass as skipped.
  it.skipIf(!canIsolateNetwork && !process.env.CI)('stops at the first network step with one clear message and records it in the reports', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bench-offline-'));
    const env = { ...process.env, BENCH_CACHE_DIR: join(scratch, 'cache'), BENCH_REPORTS_DIR: join(scratch, 'reports'), BENCH_CONFIG: '', NO_COLOR: '1', FORCE_COLOR: '0' };
    const t0 = Date.now();
    const child = spawnSync('unshare', ['-n', process.execPath, 'node_modules/vitest/vitest.mjs', 'run', '--project=x86'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    const output = `${child.stdout}\n${child.stderr}`;
    expect(child.status, output).toBe(2); // infrastructure, not Vitest's generic 1 (suites/global-setup.ts teardown)
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(output).toMatch(/BenchInfrastructureError: clone microsoft\/BitNet@01eb415 failed: no network on local/);
    expect(output).toMatch(/What to do: this step needs the network\. .*BENCH_ENGINE_DIR.*npx vitest run --project=demo/);
    // the main message is not a stack trace
    const block = output.slice(output.indexOf('BenchInfrastructureError'), output.indexOf('What to do'));
    expect(block).not.toMatch(/^\s+at /m);
    const run = JSON.parse(readFileSync(join(scratch, 'reports', 'latest', 'run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'failed', failure: { kind: 'infrastructure', step: expect.stringContaining('clone') } });
    expect(run.phases.find((s: { status: string }) => s.status === 'failed')).toMatchObject({ status: 'failed', step: expect.stringContaining('clone') });
    expect(readFileSync(join(scratch, 'reports', 'latest', 'bitnet_coherent_results.txt'), 'utf8')).toMatch(/Status: +failed — clone .* failed: no network/);
  });
});
