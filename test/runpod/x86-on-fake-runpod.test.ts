import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLlamaCppBuild } from '../../harness/engine/llama-cpp/build.ts';
import type { RunRecord } from '../../harness/results/types.ts';
import { fakeRunpodEnv, type RunpodTestEnv, useRunpodTestEnv } from '../support/runpod-test-env.ts';
import { runVitestProject, startVitestProject } from '../support/run-vitest.ts';
import { observe } from '../support/secret-scan.ts';

/**
 * The main command, `vitest run --project=x86`, with its target set to RunPod and the provider pointed at a fake
 * RunPod API on loopback whose pods are real local sshds: create → SSH ready → generate (the demo engine) →
 * reports with cost → terminate. Then every way a run can end, checking afterwards that no pod is left running.
 */
let binDir: string;
const startEnv = useRunpodTestEnv();
/** The current test's fake RunPod (closed after each test). */
let rp: RunpodTestEnv | undefined;

beforeAll(async () => {
  binDir = (await ensureLlamaCppBuild({ tools: [] })).binDir;
});

async function podEnv(extra: Record<string, string> = {}) {
  rp = await startEnv({ costPerHr: 0.69 });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-x86-runpod-'));
  return {
    BENCH_CONFIG: 'fixtures/configs/demo.json',
    BENCH_TARGET: 'runpod',
    BENCH_LLAMA_BIN_DIR: binDir,
    BENCH_CACHE_DIR: rp.cacheDir,
    BENCH_REPORTS_DIR: join(scratch, 'reports'),
    BENCH_WORK_DIR: join(scratch, 'pod-work'),
    ...fakeRunpodEnv(rp),
    RUNPOD_READY_POLL_S: '0.1',
    // A bound, not a wait: readiness ends as soon as SSH answers; on a loaded machine that can take a while.
    RUNPOD_READY_TIMEOUT_S: '300',
    ...extra,
  };
}
const record = (reportsDir: string): RunRecord => JSON.parse(readFileSync(join(reportsDir, 'latest', 'run.json'), 'utf8'));
/** Every pod the run created is terminated (a stopped pod is not running but still billed), each by a delete. */
const terminatedEverything = () => {
  const pods = [...rp!.fake.pods.values()];
  expect(pods.length).toBeGreaterThan(0);
  expect(pods.map((p) => p.status)).toEqual(pods.map(() => 'TERMINATED'));
  const deleted = new Set(rp!.fake.operations('deletePod').filter((r) => r.status === 204).map((r) => r.podId));
  expect(pods.filter((p) => !deleted.has(p.id)).map((p) => p.id)).toEqual([]);
};

/** The text report of the run. */
const textReport = (reportsDir: string) => readFileSync(join(reportsDir, 'latest', 'bitnet_coherent_results.txt'), 'utf8');

// Each test runs the whole x86 project in a child Vitest (two, for kill -9): minutes on a loaded 2-core machine.
// Every wait inside is bounded by an event (a log line, the child's exit), so this is only the outer guard.
describe('x86 project on a (fake) RunPod pod', { timeout: 900_000 }, () => {
  it('passes: create → SSH → generate → reports with cost → terminate', async () => {
    const env = await podEnv();
    const run = await runVitestProject('x86', env);
    observe(run.output);
    expect(run.status, run.output).toBe(0);
    const r = record(env.BENCH_REPORTS_DIR);
    expect(r.environment).toMatchObject({ target: 'runpod', engine: 'llama.cpp' });
    expect(r.environment!.targetLabel).toMatch(/^runpod \S+ \(NVIDIA GeForce RTX 4090, COMMUNITY\)$/);
    expect(r.cost!.costPerHr).toBe(0.69);
    expect(r.cost!.phases.map((p) => p.name)).toEqual(['provision', 'setup', 'generate', 'teardown']);
    expect(r.cost!.totalDollars).toBeGreaterThan(0);
    expect(textReport(env.BENCH_REPORTS_DIR)).toMatch(/Billed: \$\d+\.\d{4} for \d+ s at \$0\.690\/hr \(provision \d+ s/);
    expect(run.output).toMatch(/RunPod cost:/);
    // The server-side backstop rode on the create request: terminate at create time + the run's budget (3600 s).
    const [create] = rp!.fake.operations('podFindAndDeployOnDemand');
    const pod = [...rp!.fake.pods.values()][0]!;
    expect(create!.input!.terminateAfter).toBe(pod.terminateAfter);
    expect(Date.parse(pod.terminateAfter!) - Date.parse(pod.createdAt)).toBeGreaterThan(3500_000);
    expect(Date.parse(pod.terminateAfter!) - Date.parse(pod.createdAt)).toBeLessThanOrEqual(3600_000);
    // …and the report says which leak guards were armed.
    expect(textReport(env.BENCH_REPORTS_DIR)).toMatch(
      /Leak guards: server terminateAfter armed \(RunPod terminates it at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\); in-pod watchdog NOT armed \(no runpodctl in the image, so it cannot act\); signal\/crash stop armed/,
    );
    expect(r.cost!.leakGuards!.map((g) => g.layer)).toEqual(['server terminateAfter', 'in-pod watchdog', 'signal/crash stop', 'state file + reaper']);
    terminatedEverything();
  });

  it('a CPU pod: created over REST with at most 20 GB of container disk, then terminated', async () => {
    const env = await podEnv({ RUNPOD_COMPUTE: 'cpu' });
    const run = await runVitestProject('x86', env);
    observe(run.output);
    expect(run.status, run.output).toBe(0);
    const [create] = rp!.fake.operations('createPod');
    expect(create).toMatchObject({ status: 201, problems: [] });
    expect(create!.input).toMatchObject({ cpu: { id: 'cpu5c', vcpuCount: 8 }, cloud: 'SECURE' });
    expect(create!.input!.disk).toBeLessThanOrEqual(20);
    expect(record(env.BENCH_REPORTS_DIR).environment!.targetLabel).toMatch(/\(cpu5c-8-16, SECURE\)$/);
    expect(textReport(env.BENCH_REPORTS_DIR)).toContain('server terminateAfter NOT armed (not offered for CPU pods');
    terminatedEverything();
  });

  it('tests fail (kernel-fault twin): the pod is still terminated', async () => {
    const env = await podEnv({ BENCH_LLAMA_MODEL: 'tiny:kernel-fault' });
    const run = await runVitestProject('x86', env);
    observe(run.output);
    expect(run.status).toBe(1);
    terminatedEverything();
  });

  it('setup throws after the pod was created: teardown terminates it and the run exits as an infrastructure failure', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-engine-'));
    mkdirSync(join(empty, 'bin'));
    const env = await podEnv({ BENCH_LLAMA_BIN_DIR: join(empty, 'bin') });
    const run = await runVitestProject('x86', env);
    observe(run.output);
    expect(run.status, run.output).toBe(2);
    expect(record(env.BENCH_REPORTS_DIR).failure).toMatchObject({ kind: 'infrastructure' });
    expect(rp!.fake.operations('podFindAndDeployOnDemand')).toHaveLength(1);
    terminatedEverything();
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-generation: the pod is terminated although Vitest skips teardown', async (signal) => {
    const env = await podEnv({ BENCH_LLAMA_MODEL: 'tiny:loop', BENCH_N_PREDICT: '2000' });
    const run = startVitestProject('x86', env);
    await run.waitFor(/generate: generate \d+ prompts …/, 600_000);
    expect(rp!.fake.runningPods()).toHaveLength(1);
    run.signal(signal);
    await run.exited;
    observe(run.output());
    terminatedEverything();
    // the reports were written although Vitest skipped the teardown
    expect(record(env.BENCH_REPORTS_DIR)).toMatchObject({ status: 'failed', failure: { message: `interrupted by ${signal}` } });
  });

  it('kill -9 mid-generation, then a new run: the reaper terminates the orphan', async () => {
    const env = await podEnv({ BENCH_LLAMA_MODEL: 'tiny:loop', BENCH_N_PREDICT: '2000' });
    const killed = startVitestProject('x86', env);
    // Bounded by events: the log line, or the child exiting first (waitFor then fails at once).
    await killed.waitFor(/generate: generate \d+ prompts …/, 600_000);
    killed.signal('SIGKILL');
    await killed.exited;
    expect(rp!.fake.runningPods()).toHaveLength(1); // nothing could run: the pod leaked
    const next = await runVitestProject('x86', { ...env, BENCH_LLAMA_MODEL: 'tiny:coherent', BENCH_N_PREDICT: '64' });
    observe(killed.output() + next.output);
    expect(next.status, next.output).toBe(0);
    expect(next.output).toMatch(/reap/i);
    expect(rp!.fake.pods.size).toBe(2); // the orphan and the new run's pod, both deleted
    terminatedEverything();
  });
});
