import { afterEach, describe, expect, it } from 'vitest';
import { provisionRunpodPod, withRunpodPod } from '../../harness/providers/runpod/provision.ts';
import { RunpodApiError, RunpodAuthError } from '../../harness/providers/runpod/errors.ts';
import type { SshConnect } from '../../harness/providers/runpod/readiness.ts';
import { startRunpodTestEnv, testConfig, type RunpodTestEnv } from '../support/runpod-test-env.ts';
import { captureLogger, caught, observe, scanForSecretsAfterAll } from '../support/secret-scan.ts';
import { connectWithSsh2 } from '../support/ssh2-connect.ts';

const logger = captureLogger();
const envs: RunpodTestEnv[] = [];
const privateKeys: string[] = [];
let apiKey = '';

/** The real ssh2 connect, recording each attempt and the key it was handed (for the leak scan). */
function recordingConnect(attempts: string[]): SshConnect {
  return async (options) => {
    privateKeys.push(options.privateKey);
    try {
      const target = await connectWithSsh2(options);
      attempts.push('ok');
      return target;
    } catch (error) {
      attempts.push('refused');
      throw error;
    }
  };
}

async function env(options: Parameters<typeof startRunpodTestEnv>[0] = {}) {
  const e = await startRunpodTestEnv(options, apiKey || undefined);
  apiKey = e.apiKey;
  envs.push(e);
  return e;
}

afterEach(async () => {
  for (const e of envs.splice(0)) {
    // Whatever a test did, the fake must hold no running pod of ours afterwards.
    expect(e.fake.runningPods().map((p) => p.name)).toEqual([]);
    await e.close();
  }
});
scanForSecretsAfterAll(() => [apiKey, ...privateKeys]);

describe('provisionRunpodPod', () => {
  it('falls back over GPU and cloud types in order, logging each attempt', async () => {
    const e = await env({ outOfCapacity: ['NVIDIA GeForce RTX 4090/COMMUNITY', 'NVIDIA GeForce RTX 4090/SECURE'] });
    const attempts: string[] = [];
    await withRunpodPod(
      testConfig(e, { gpuTypeIds: ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 3090'] }),
      { connect: recordingConnect(attempts), logger, guard: e.guard, installSignalHandlers: false },
      async (pod) => {
        expect(pod.choice).toEqual({ kind: 'gpu', gpuTypeId: 'NVIDIA GeForce RTX 3090', cloudType: 'COMMUNITY' });
      },
    );
    const tried = e.fake.operations('podFindAndDeployOnDemand').map((r) => `${r.input?.gpuTypeId}/${r.input?.cloudType}`);
    expect(tried).toEqual(['NVIDIA GeForce RTX 4090/COMMUNITY', 'NVIDIA GeForce RTX 4090/SECURE', 'NVIDIA GeForce RTX 3090/COMMUNITY']);
    expect(logger.lines.filter((l) => l.includes('no capacity for GPU NVIDIA GeForce RTX 4090'))).toHaveLength(2);
  });

  it('says which options were tried when none has capacity, and creates nothing', async () => {
    const e = await env({ outOfCapacity: ['cpu3c-8-16/SECURE'] });
    const error = await caught(
      provisionRunpodPod(testConfig(e, { compute: 'cpu', cpuInstanceIds: ['cpu3c-8-16'], cloudTypes: ['SECURE'] }), {
        connect: connectWithSsh2,
        logger,
        guard: e.guard,
        installSignalHandlers: false,
      }),
    );
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error.message).toContain('no capacity for any of: CPU cpu3c-8-16 (SECURE) (last refusal: There are no longer any instances available');
    expect(e.fake.pods.size).toBe(0);
  });

  it('waits for the public port 22 mapping AND a working SSH handshake', async () => {
    const e = await env({ pollsWithoutRuntime: 2, pollsBeforeSshd: 3 });
    const attempts: string[] = [];
    await withRunpodPod(testConfig(e), { connect: recordingConnect(attempts), logger, guard: e.guard, installSignalHandlers: false }, async (pod) => {
      const fakePod = e.fake.pods.get(pod.pod.id)!;
      // No connect while there was no runtime (2 polls) or a runtime without ports (1 poll); refused while sshd
      // was not up (3 polls).
      expect(attempts).toEqual(['refused', 'refused', 'refused', 'ok']);
      expect(fakePod.polls).toBe(7);
      expect(pod.port).toBe(fakePod.sshPort);
      const result = await pod.target.exec({ argv: ['sh', '-c', 'echo $((6*7))'] });
      expect(result.stdout.trim()).toBe('42');
      // The pod got our public key, the watchdog and SSH-only ports.
      expect(fakePod.env.PUBLIC_KEY).toMatch(/^ssh-ed25519 /);
      expect(fakePod.input).toMatchObject({ ports: '22/tcp', startSsh: true, supportPublicIp: true });
      // The server-side backstop: RunPod itself terminates the pod at create + budget (3600 s).
      expect(Date.parse(fakePod.terminateAfter!) - Date.parse(fakePod.createdAt)).toBeGreaterThan(3590_000);
      expect(Date.parse(fakePod.terminateAfter!) - Date.parse(fakePod.createdAt)).toBeLessThanOrEqual(3600_000);
      expect(pod.leakGuards.map((g) => `${g.layer}: ${g.armed}`)).toEqual([
        'server terminateAfter: true',
        'in-pod watchdog: false', // the fake pod (a local sshd) has no runpodctl
        'signal/crash stop: false', // off in this test
        'state file + reaper: true',
      ]);
      expect(String(fakePod.input.dockerArgs)).toContain('runpodctl remove pod "$RUNPOD_POD_ID"');
      expect(pod.pod.name).toMatch(/^bitnet-bench-test-run-c\d+-b3600$/);
      expect(e.guard.list().map((r) => r.podId)).toEqual([pod.pod.id]);
    });
    expect(logger.lines.some((l) => l.includes('container not up yet'))).toBe(true);
    expect(logger.lines.some((l) => l.includes('SSH not accepting yet'))).toBe(true);
  });

  it('rents a CPU pod over REST: ≤ 20 GB disk, Secure Cloud, and says the server backstop is not offered for it', async () => {
    const e = await env();
    await withRunpodPod(testConfig(e, { compute: 'cpu' }), { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false }, async (pod) => {
      expect(pod.choice).toEqual({ kind: 'cpu', instanceId: 'cpu5c-8-16', cloudType: 'SECURE' });
      const create = e.fake.operations('createPod').at(-1)!;
      expect(create).toMatchObject({ api: 'rest', status: 201, problems: [] });
      expect(create.input).toMatchObject({ cpu: { id: 'cpu5c', vcpuCount: 8 }, disk: 20, cloud: 'SECURE', ports: ['22/tcp'] });
      expect(create.input).not.toHaveProperty('mounts');
      expect(String(create.input!.args)).toContain('runpodctl remove pod "$RUNPOD_POD_ID"');
      expect(pod.leakGuards[0]).toMatchObject({ layer: 'server terminateAfter', armed: false, detail: expect.stringContaining('not offered for CPU pods') });
      expect(pod.costSoFar().leakGuards).toEqual(pod.leakGuards);
    });
    expect(e.fake.operations('podFindAndDeployOnDemand')).toEqual([]);
  });

  it('releases after a passing run: terminated, state file cleared, cost reported', async () => {
    const e = await env();
    const pod = await provisionRunpodPod(testConfig(e), { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false });
    pod.phase('generate');
    await pod.release();
    await pod.release(); // idempotent
    expect(e.fake.operations('deletePod')).toHaveLength(1);
    expect(e.fake.pods.get(pod.pod.id)!.status).toBe('TERMINATED');
    expect(e.guard.list()).toEqual([]);
    const cost = pod.costSoFar();
    expect(cost.phases.map((p) => p.name)).toEqual(['provision', 'setup', 'generate', 'teardown']);
    expect(cost.costPerHr).toBe(0.69);
    expect(cost.totalDollars).toBeCloseTo((cost.totalSeconds * 0.69) / 3600, 10);
    expect(logger.lines.some((l) => l.includes('RunPod cost: $'))).toBe(true);
  });

  it('releases when the run fails', async () => {
    const e = await env();
    let podId = '';
    const error = await caught(
      withRunpodPod(testConfig(e), { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false }, async (pod) => {
        podId = pod.pod.id;
        throw new Error('generation blew up');
      }),
    );
    expect(error.message).toBe('generation blew up');
    expect(e.fake.pods.get(podId)!.status).toBe('TERMINATED');
  });

  it('releases when provisioning throws after create (SSH never comes up)', async () => {
    const e = await env({ startSshd: false });
    const error = await caught(
      provisionRunpodPod(testConfig(e, { readyTimeoutSeconds: 10, readyPollSeconds: 0.05 }), {
        connect: connectWithSsh2,
        logger,
        guard: e.guard,
        installSignalHandlers: false,
        now: fastClock(),
      }),
    );
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error.message).toMatch(/not reachable over SSH after \d+ s/);
    expect(e.fake.operations('deletePod')).toHaveLength(1);
    expect(e.guard.list()).toEqual([]);
  });

  it('stops instead of terminating when onRelease is stop, and keeps the pod on record', async () => {
    const e = await env();
    const pod = await provisionRunpodPod(testConfig(e, { onRelease: 'stop' }), { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false });
    await pod.release();
    expect(e.fake.operations('podAction')).toHaveLength(1);
    expect(e.fake.operations('deletePod')).toHaveLength(0);
    expect(e.fake.pods.get(pod.pod.id)!.status).toBe('EXITED');
    expect(e.guard.list().map((r) => r.podId)).toEqual([pod.pod.id]);
  });

  it('when terminate fails, says so loudly and leaves the pod for the reaper', async () => {
    const e = await env();
    const pod = await provisionRunpodPod(testConfig(e), { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false });
    e.fake.inject({ status: 409 }); // documented for DELETE /v2/pods/{id}: the pod belongs to a cluster
    const error = await caught(pod.release());
    expect(error.message).toContain(`could not terminate pod ${pod.pod.id}`);
    expect((error as RunpodApiError).hint).toContain('runpod:pods -- --reap');
    expect(e.guard.list().map((r) => r.podId)).toEqual([pod.pod.id]);
    // Clean up for the no-running-pod check.
    observe(error);
    await fetch(`${e.fake.url}/v2/pods/${pod.pod.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${e.apiKey}` } });
  });

  it('treats a pod already gone (watchdog fired, console) as released', async () => {
    const e = await env();
    const pod = await provisionRunpodPod(testConfig(e), { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false });
    e.fake.vanish(pod.pod.id); // removed behind the harness's back (terminateAfter, watchdog, console)
    await pod.release();
    expect(e.guard.list()).toEqual([]);
  });

  it('fails fast with a clear message when the API key is rejected', async () => {
    const e = await env();
    const error = await caught(
      provisionRunpodPod({ ...testConfig(e), apiKey: 'rpa_NOTTHEKEY000000000000' }, { connect: connectWithSsh2, logger, guard: e.guard, installSignalHandlers: false }),
    );
    expect(error).toBeInstanceOf(RunpodAuthError);
    expect(error.message).toContain('RUNPOD_API_KEY rejected');
    expect(e.fake.pods.size).toBe(0);
  });
});

/** A clock that runs 100× faster than real time, so the readiness budget expires quickly. */
function fastClock(): () => number {
  const start = Date.now();
  return () => start + (Date.now() - start) * 100;
}
