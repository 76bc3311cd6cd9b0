import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunpodClient } from '../../harness/providers/runpod/client.ts';
import { RunpodApiError, RunpodAuthError, RunpodCapacityError, RunpodGraphqlError } from '../../harness/providers/runpod/errors.ts';
import { GraphqlTransport, parseRetryAfter } from '../../harness/providers/runpod/graphql.ts';
import { HarnessError } from '../../harness/errors.ts';
import { CAPACITY_MESSAGE } from '../support/fake-runpod.ts';
import { freePort } from '../support/sshd.ts';
import { startRunpodTestEnv, type RunpodTestEnv } from '../support/runpod-test-env.ts';
import { captureLogger, caught, scanForSecretsAfterAll } from '../support/secret-scan.ts';

let env: RunpodTestEnv;
const sleeps: number[] = [];
const logger = captureLogger();
const client = (apiKey = env.apiKey, url = env.fake.url) =>
  new RunpodClient(new GraphqlTransport({ apiKey, url, logger, maxRetries: 3, baseDelayMs: 10, sleep: async (ms) => void sleeps.push(ms) }));

beforeAll(async () => {
  env = await startRunpodTestEnv({ outOfCapacity: ['NVIDIA GeForce RTX 4090/COMMUNITY'], startSshd: false });
});
afterAll(() => env.close());
scanForSecretsAfterAll(() => [env.apiKey]);

const spec = {
  name: 'bitnet-bench-t-c1-b60',
  imageName: 'runpod/base:test',
  containerDiskInGb: 20,
  volumeInGb: 0,
  ports: '22/tcp',
  env: { PUBLIC_KEY: 'ssh-ed25519 AAAA test', TRICKY: 'quote " backslash \\ newline \n end' },
};

describe('RunPod GraphQL client against the fake API', () => {
  it('creates a GPU pod with podFindAndDeployOnDemand, SSH enabled and the key in env', async () => {
    const pod = await client().createPod({ ...spec, compute: { kind: 'gpu', gpuTypeId: 'NVIDIA GeForce RTX 4090', cloudType: 'SECURE' } });
    expect(pod.id).toMatch(/^[a-z0-9]{14}$/);
    expect(pod.costPerHr).toBe(0.69);
    const request = env.fake.operations('podFindAndDeployOnDemand').at(-1)!;
    expect(request.authorized).toBe(true);
    expect(request.input).toMatchObject({
      gpuTypeId: 'NVIDIA GeForce RTX 4090',
      cloudType: 'SECURE',
      gpuCount: 1,
      startSsh: true,
      supportPublicIp: true,
      ports: '22/tcp',
      containerDiskInGb: 20,
      name: 'bitnet-bench-t-c1-b60',
    });
    // Values with quotes, backslashes and newlines arrive byte for byte.
    expect(env.fake.pods.get(pod.id)!.env).toEqual(spec.env);
  });

  it('creates a CPU pod with deployCpuPod and an instance id', async () => {
    const pod = await client().createPod({ ...spec, compute: { kind: 'cpu', instanceId: 'cpu3c-8-16', cloudType: 'SECURE' } });
    const request = env.fake.operations('deployCpuPod').at(-1)!;
    expect(request.input).toMatchObject({ instanceId: 'cpu3c-8-16', cloudType: 'SECURE', startSsh: true });
    expect(request.input).not.toHaveProperty('gpuTypeId');
    expect(env.fake.pods.get(pod.id)!.desiredStatus).toBe('RUNNING');
  });

  it('reads a pod: runtime null while the image pulls, then port mappings', async () => {
    const pod = await client().createPod({ ...spec, compute: { kind: 'gpu', gpuTypeId: 'NVIDIA RTX A5000', cloudType: 'SECURE' } });
    const first = await client().getPod(pod.id);
    expect(first?.runtime).toBeNull();
    const second = await client().getPod(pod.id);
    expect(second?.runtime?.ports).toContainEqual(expect.objectContaining({ privatePort: 22, isIpPublic: true, type: 'tcp' }));
  });

  it('lists, stops and terminates', async () => {
    const pod = await client().createPod({ ...spec, compute: { kind: 'gpu', gpuTypeId: 'NVIDIA RTX A5000', cloudType: 'SECURE' } });
    expect((await client().listPods()).map((p) => p.id)).toContain(pod.id);
    await client().stopPod(pod.id);
    expect((await client().getPod(pod.id))?.desiredStatus).toBe('EXITED');
    await client().terminatePod(pod.id);
    expect(await client().getPod(pod.id)).toBeNull();
    expect((await client().listPods()).map((p) => p.id)).not.toContain(pod.id);
  });

  it('turns HTTP 401 into a clear infrastructure error without retrying', async () => {
    const before = env.fake.requests.length;
    const error = await caught(client('rpa_WRONGKEY0123456789').listPods());
    expect(error).toBeInstanceOf(RunpodAuthError);
    expect((error as HarnessError).kind).toBe('infrastructure');
    expect(error.message).toContain('RUNPOD_API_KEY rejected');
    expect(env.fake.requests.length - before).toBe(1);
  });

  it('retries 429 honouring Retry-After, and 5xx with backoff', async () => {
    sleeps.length = 0;
    env.fake.inject({ status: 429, retryAfter: '2' }, { status: 502 });
    const pods = await client().listPods();
    expect(Array.isArray(pods)).toBe(true);
    expect(sleeps).toEqual([2000, 20]);
    expect(logger.lines.some((l) => l.includes('HTTP 429; retry 1/3 in 2.0 s'))).toBe(true);
  });

  it('gives up after the retry bound', async () => {
    env.fake.inject({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const error = await caught(client().listPods());
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error.message).toContain('HTTP 503 after 4 tries');
  });

  it('never blindly retries a create whose answer was lost, and finds the pod it made by name', async () => {
    const name = 'bitnet-bench-lost-c1-b60';
    env.fake.inject({ status: 502, afterExecuting: true });
    const pod = await client().createPod({ ...spec, name, compute: { kind: 'gpu', gpuTypeId: 'NVIDIA RTX A5000', cloudType: 'SECURE' } });
    const made = [...env.fake.pods.values()].filter((p) => p.name === name);
    expect(made.map((p) => p.id)).toEqual([pod.id]);
    expect(env.fake.operations('podFindAndDeployOnDemand').filter((r) => r.input?.name === name)).toHaveLength(1);

    // A 5xx on a create that did nothing is reported, not retried.
    env.fake.inject({ status: 503 });
    const error = await caught(client().createPod({ ...spec, name: 'bitnet-bench-none-c1-b60', compute: { kind: 'gpu', gpuTypeId: 'NVIDIA RTX A5000', cloudType: 'SECURE' } }));
    expect(error.message).toContain('HTTP 503 after 1 try');
    expect([...env.fake.pods.values()].filter((p) => p.name === 'bitnet-bench-none-c1-b60')).toEqual([]);

    // 429 means RunPod did not act on it: retried.
    env.fake.inject({ status: 429, retryAfter: '1' });
    const retried = await client().createPod({ ...spec, name: 'bitnet-bench-429-c1-b60', compute: { kind: 'gpu', gpuTypeId: 'NVIDIA RTX A5000', cloudType: 'SECURE' } });
    expect(env.fake.pods.get(retried.id)!.name).toBe('bitnet-bench-429-c1-b60');
  });

  it('turns HTTP 200 + errors into typed errors, capacity included', async () => {
    env.fake.inject({ graphqlError: 'Something broke' });
    const generic = await caught(client().listPods());
    expect(generic).toBeInstanceOf(RunpodGraphqlError);
    expect(generic).not.toBeInstanceOf(RunpodCapacityError);
    expect(generic.message).toContain('Something broke');

    const capacity = await caught(client().createPod({ ...spec, compute: { kind: 'gpu', gpuTypeId: 'NVIDIA GeForce RTX 4090', cloudType: 'COMMUNITY' } }));
    expect(capacity).toBeInstanceOf(RunpodCapacityError);
    expect((capacity as RunpodCapacityError).messages).toEqual([CAPACITY_MESSAGE]);
  });

  it('reports an unreachable API after retrying', async () => {
    const closedPort = await freePort();
    sleeps.length = 0;
    const error = await caught(client(env.apiKey, `http://127.0.0.1:${closedPort}/graphql`).listPods());
    expect(error).toBeInstanceOf(RunpodApiError);
    expect(error.message).toContain('cannot reach the RunPod API');
    expect(sleeps).toHaveLength(3);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
