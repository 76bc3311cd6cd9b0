import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../harness/log.ts';
import { reapOrphans } from '../../harness/providers/runpod/reaper.ts';
import { fakeClient, type RunpodTestEnv, useRunpodTestEnv } from '../support/runpod-test-env.ts';
import { observe } from '../support/secret-scan.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const startEnv = useRunpodTestEnv();

/**
 * Runs a real nested `vitest run` whose test holds a pod, then delivers Ctrl-C the way a terminal does
 * (SIGINT to the whole process group). Vitest exits at once and skips the test's `finally`, so only the
 * synchronous signal handler can terminate the pod. The control run, with handlers off, shows the leak
 * this prevents.
 */
async function interruptVitestHoldingPod(e: RunpodTestEnv, handlersOn: boolean) {
  const readyFile = join(e.cacheDir, 'ready');
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/runpod/fixtures/vitest.fixture.config.ts'], {
    cwd: ROOT,
    detached: true, // own process group, like a shell job
    env: {
      ...process.env,
      RUNPOD_API_KEY: e.apiKey,
      FAKE_RUNPOD_URL: e.fake.url,
      FAKE_RUNPOD_GRAPHQL_URL: e.fake.graphqlUrl,
      STATE_FILE: e.guard.stateFile,
      READY_FILE: readyFile,
      NO_SIGNAL_STOP: handlersOn ? '0' : '1',
      VITEST: undefined,
      VITEST_POOL_ID: undefined,
      VITEST_WORKER_ID: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 60_000;
    // The fixture's writeFileSync creates the file before it writes the id: wait for the id, not the file (a loaded
    // machine showed the gap: an empty id read, the test failing although the pod was terminated).
    const podIdWritten = () => existsSync(readyFile) && readFileSync(readyFile, 'utf8') !== '';
    while (!podIdWritten()) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nested vitest never held a pod:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const podId = readFileSync(readyFile, 'utf8');
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    observe(output);
    return podId;
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}

describe('Ctrl-C on a Vitest run that holds a pod', () => {
  it('terminates the pod although Vitest skips teardown', async () => {
    const env = await startEnv();
    const podId = await interruptVitestHoldingPod(env, true);
    // Vitest's main process is gone within milliseconds; the worker's handler is still sending the
    // terminate (its stop script outlives the worker if Vitest kills it). Give it a few seconds.
    await until(() => env.fake.operations('deletePod').length > 0, 15_000);
    expect(env.fake.operations('deletePod').map((r) => r.podId)).toEqual([podId]);
    expect(env.fake.runningPods()).toEqual([]);
    // Vitest may kill its worker before the handler crossed the pod off the state file; the next
    // run's reaper then finds the pod gone and drops the stale entry without another terminate.
    const client = fakeClient(env);
    const reaped = await reapOrphans({ client, guard: env.guard, logger: silentLogger });
    expect(reaped.terminated).toEqual([]);
    expect(env.guard.list()).toEqual([]);
  });

  it('control: without the signal handlers the pod is left running (the leak being prevented)', async () => {
    const env = await startEnv();
    const podId = await interruptVitestHoldingPod(env, false);
    await new Promise((r) => setTimeout(r, 2000)); // as long as the positive case may need
    expect(env.fake.operations('deletePod')).toEqual([]);
    expect(env.fake.runningPods().map((p) => p.id)).toEqual([podId]);
    // …but it is on record, so the next run's reaper finds it.
    expect(env.guard.list().map((r) => r.podId)).toEqual([podId]);
  });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
