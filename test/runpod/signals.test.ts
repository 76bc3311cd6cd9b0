import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { podName } from '../../harness/providers/runpod/naming.ts';
import { reapOrphans } from '../../harness/providers/runpod/reaper.ts';
import { fakeClient, type RunpodTestEnv, useRunpodTestEnv } from '../support/runpod-test-env.ts';
import { captureLogger, observe } from '../support/secret-scan.ts';

const HOLD_POD = fileURLToPath(new URL('./fixtures/hold-pod.ts', import.meta.url));
const logger = captureLogger();
const startEnv = useRunpodTestEnv();
let child: ChildProcess | null = null;

// Registered after useRunpodTestEnv's hook, so it runs before it: the child is gone before its fake RunPod closes.
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

/** Starts the child, resolves with the pod id once it printed READY; collects all its output. */
function holdPod(e: RunpodTestEnv, extraEnv: Record<string, string> = {}): Promise<{ podId: string; output: () => string; exit: Promise<{ code: number | null; signal: string | null }> }> {
  child = spawn(process.execPath, ['--import', 'tsx', HOLD_POD], {
    env: { ...process.env, RUNPOD_API_KEY: e.apiKey, FAKE_RUNPOD_URL: e.fake.url, FAKE_RUNPOD_GRAPHQL_URL: e.fake.graphqlUrl, STATE_FILE: e.guard.stateFile, RUN_ID: 'sigtest', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const proc = child;
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    proc.stderr!.on('data', (d) => (output += d));
    proc.stdout!.on('data', (d) => {
      output += d;
      const match = /READY (\w+)/.exec(output);
      if (match) resolve({ podId: match[1]!, output: () => output, exit });
    });
    void exit.then(() => reject(new Error(`child exited before READY:\n${output}`)));
  });
}

describe('a process holding a pod', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`terminates the pod synchronously on ${signal} and exits ${code}`, async () => {
      const e = await startEnv();
      const held = await holdPod(e);
      expect(e.fake.runningPods().map((p) => p.id)).toEqual([held.podId]);
      expect(e.guard.list().map((r) => r.podId)).toEqual([held.podId]);

      child!.kill(signal);
      const exit = await held.exit;
      observe(held.output());
      expect(exit.code).toBe(code);
      expect(e.fake.operations('deletePod').map((r) => r.podId)).toEqual([held.podId]);
      expect(e.fake.runningPods()).toEqual([]);
      expect(e.guard.list()).toEqual([]);
      expect(held.output()).toContain(`${signal}: terminated RunPod pod(s) ${held.podId} before exit`);
    });
  }

  for (const crash of ['throw', 'reject'] as const) {
    it(`terminates the pod synchronously when an error nobody handles ends the process (${crash === 'throw' ? 'uncaught exception' : 'unhandled rejection'})`, async () => {
      const e = await startEnv();
      const held = await holdPod(e, { CRASH: crash });
      const exit = await held.exit;
      observe(held.output());
      expect(exit.code).toBe(1);
      expect(held.output()).toContain(`read ECONNRESET (${crash === 'throw' ? 'uncaught' : 'unhandled rejection'})`);
      expect(e.fake.operations('deletePod').map((r) => r.podId)).toEqual([held.podId]);
      expect(e.fake.runningPods()).toEqual([]);
      expect(e.guard.list()).toEqual([]);
    });
  }

  it('leaves the pod to the normal release when the application handles uncaught errors itself (as Vitest does)', async () => {
    const e = await startEnv();
    const held = await holdPod(e, { CRASH: 'throw', CRASH_HANDLED: '1' });
    const deadline = Date.now() + 60_000;
    while (!held.output().includes('HANDLED read ECONNRESET') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(held.output()).toContain('HANDLED read ECONNRESET (uncaught)');
    expect(child!.exitCode).toBeNull(); // the process lives on, so its own teardown will release the pod
    expect(e.fake.operations('deletePod')).toEqual([]);
    child!.kill('SIGTERM'); // and its signal stop still works
    await held.exit;
    expect(e.fake.runningPods()).toEqual([]);
  });

  it('after kill -9, the next run’s reaper terminates the orphan from the state file', async () => {
    const e = await startEnv();
    const held = await holdPod(e);
    child!.kill('SIGKILL');
    await held.exit;
    observe(held.output());
    expect(e.fake.runningPods().map((p) => p.id)).toEqual([held.podId]);

    const client = fakeClient(e, logger);
    const result = await reapOrphans({ client, guard: e.guard, logger });
    expect(result.terminated).toEqual([expect.objectContaining({ podId: held.podId, reason: expect.stringContaining('is dead') })]);
    expect(e.fake.runningPods()).toEqual([]);
    expect(e.guard.list()).toEqual([]);
  });
});

describe('reaper', () => {
  it('terminates harness pods past their budget and leaves everything else alone', async () => {
    const e = await startEnv();
    const now = Date.now();
    const expired = e.fake.addPod(podName('old-run', now - 3 * 3600_000, 3600));
    const fresh = e.fake.addPod(podName('live-run', now - 60_000, 3600));
    const foreign = e.fake.addPod('my-jupyter-notebook');
    const unparseable = e.fake.addPod('bitnet-bench-handmade');
    const client = fakeClient(e, logger);
    // A state entry for a pod RunPod no longer has is dropped.
    e.guard.record({ podId: 'gonegonegone00', name: 'x', runId: 'x', budgetSeconds: 60, apiUrl: e.fake.url });

    const result = await reapOrphans({ client, guard: e.guard, logger, now: () => now });
    expect(result.terminated.map((t) => t.podId)).toEqual([expired.id]);
    expect(result.terminated[0]!.reason).toContain('older than its 3600 s budget');
    expect(e.fake.runningPods().map((p) => p.id).sort()).toEqual([fresh.id, foreign.id, unparseable.id].sort());
    expect(e.guard.list()).toEqual([]);
    expect(logger.lines.some((l) => l.includes('no budget in its name'))).toBe(true);
  });
});
