import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunpodClient } from '../../harness/providers/runpod/client.ts';
import { RunpodApiError, RunpodAuthError, RunpodCapacityError, RunpodGraphqlError } from '../../harness/providers/runpod/errors.ts';
import { GraphqlTransport } from '../../harness/providers/runpod/graphql.ts';
import { HttpTransport, parseRetryAfter } from '../../harness/providers/runpod/http.ts';
import { RunpodRest } from '../../harness/providers/runpod/rest.ts';
import type { PodSpec } from '../../harness/providers/runpod/types.ts';
import { HarnessError } from '../../harness/errors.ts';
import { CAPACITY_MESSAGE } from '../support/fake-runpod.ts';
import { OpenApiContract } from '../support/openapi-contract.ts';
import { freePort } from '../support/sshd.ts';
import { startRunpodTestEnv, type RunpodTestEnv } from '../support/runpod-test-env.ts';
import { captureLogger, caught, scanForSecretsAfterAll } from '../support/secret-scan.ts';

let env: RunpodTestEnv;
const sleeps: number[] = [];
const logger = captureLogger();
const client = (apiKey = env.apiKey, url = env.fake.url) => {
  const http = new HttpTransport({ apiKey, logger, maxRetries: 3, baseDelayMs: 10, sleep: async (ms) => void sleeps.push(ms) });
  return new RunpodClient(new RunpodRest(http, url), new GraphqlTransport(http, env.fake.graphqlUrl));
};

beforeAll(async () => {
  env = await startRunpodTestEnv({ outOfCapacity: ['NVIDIA GeForce RTX 4090/COMMUNITY', 'cpu3c-2-4/SECURE'], startSshd: false });
});
afterAll(() => env.close());
scanForSecretsAfterAll(() => [env.apiKey]);

const spec: Omit<PodSpec, 'compute'> = {
  name: 'bitnet-bench-t-c1-b60',
  imageName: 'runpod/base:test',
  containerDiskInGb: 20,
  volumeInGb: 0,
  ports: ['22/tcp'],
  env: { PUBLIC_KEY: 'ssh-ed25519 AAAA test', TRICKY: 'quote " backslash \\ newline \n end' },
  terminateAfter: null,
};
const gpu = (gpuTypeId = 'NVIDIA RTX A5000', cloudType: 'SECURE' | 'COMMUNITY' = 'SECURE') => ({ kind: 'gpu' as const, gpuTypeId, cloudType });

describe('RunPod REST v2 client against the OpenAPI-validating fake', () => {
  it('creates a CPU pod with POST /v2/pods: nested cpu {id, vcpuCount}, disk within the CPU limit, env as an object', async () => {
    const pod = await client().createPod({ ...spec, compute: { kind: 'cpu', instanceId: 'cpu5c-8-16', cloudType: 'SECURE' } });
    expect(pod).toMatchObject({ status: 'PROVISIONING', costPerHr: 0.69, containerUp: false, sshDirect: null });
    const request = env.fake.operations('createPod').at(-1)!;
    expect(request).toMatchObject({ api: 'rest', authorized: true, status: 201, problems: [] });
    expect(request.input).toEqual({
      name: spec.name,
      image: 'runpod/base:test',
      cloud: 'SECURE',
      cpu: { id: 'cpu5c', vcpuCount: 8 },
      disk: 20,
      args: '',
      ports: ['22/tcp'],
      env: spec.env,
      globalNetworking: false,
      startJupyter: false,
      startSsh: false,
    });
    // Values with quotes, backslashes and newlines arrive byte for byte.
    expect(env.fake.pods.get(pod.id)!.env).toEqual(spec.env);
  });

  it('creates a GPU pod over REST when no terminate-after is asked for', async () => {
    const pod = await client().createPod({ ...spec, compute: gpu() });
    expect(env.fake.operations('createPod').at(-1)!.input).toMatchObject({ gpu: { id: 'NVIDIA RTX A5000', count: 1 } });
    expect(env.fake.pods.get(pod.id)!.api).toBe('rest');
  });

  it('creates a GPU pod with a server-side terminateAfter through GraphQL, the one call REST lacks', async () => {
    const terminateAfter = '2026-12-02T03:00:00Z';
    const pod = await client().createPod({ ...spec, terminateAfter, compute: gpu('NVIDIA GeForce RTX 4090', 'SECURE') });
    const request = env.fake.operations('podFindAndDeployOnDemand').at(-1)!;
    expect(request).toMatchObject({ api: 'graphql', authorized: true, status: 200, problems: [] });
    expect(request.input).toMatchObject({ terminateAfter, gpuTypeId: 'NVIDIA GeForce RTX 4090', cloudType: 'SECURE', supportPublicIp: true, ports: '22/tcp', containerDiskInGb: 20 });
    expect(env.fake.pods.get(pod.id)).toMatchObject({ api: 'graphql', terminateAfter, env: spec.env });
    // Everything after the create is REST.
    expect((await client().getPod(pod.id))?.id).toBe(pod.id);
  });

  it('reads a pod: no runtime while the image pulls, then a runtime without ports, then the public 22/tcp', async () => {
    const pod = await client().createPod({ ...spec, compute: gpu() });
    expect(await client().getPod(pod.id)).toMatchObject({ status: 'PROVISIONING', containerUp: false, sshDirect: null });
    expect(await client().getPod(pod.id)).toMatchObject({ status: 'RUNNING', containerUp: true, sshDirect: null });
    const ready = await client().getPod(pod.id);
    expect(ready?.sshDirect).toEqual({ host: '127.0.0.1', port: env.fake.pods.get(pod.id)!.sshPort });
  });

  it('lists, stops (POST …/action) and terminates (DELETE); a pod RunPod no longer knows reads as null', async () => {
    const pod = await client().createPod({ ...spec, compute: gpu() });
    expect((await client().listPods()).map((p) => p.id)).toContain(pod.id);
    await client().stopPod(pod.id);
    expect((await client().getPod(pod.id))?.status).toBe('EXITED');
    expect(await client().terminatePod(pod.id)).toBe('deleted');
    expect(await client().getPod(pod.id)).toBeNull();
    expect(await client().terminatePod(pod.id)).toBe('gone');
    expect((await client().listPods()).map((p) => p.id)).not.toContain(pod.id);
  });

  it('a pod that disappears (terminated from outside) reads as null and lists as absent', async () => {
    const pod = await client().createPod({ ...spec, compute: gpu() });
    env.fake.vanish(pod.id);
    expect(await client().getPod(pod.id)).toBeNull();
    expect((await client().listPods()).map((p) => p.id)).not.toContain(pod.id);
  });

  it('turns HTTP 401 into a clear infrastructure error without retrying', async () => {
    const before = env.fake.requests.length;
    const error = await caught(client('rpa_WRONGKEY0123456789').listPods());
    expect(error).toBeInstanceOf(RunpodAuthError);
    expect((error as HarnessError).kind).toBe('infrastructure');
    expect(error.message).toContain('RUNPOD_API_KEY rejected (HTTP 401)');
    expect(env.fake.requests.length - before).toBe(1);
  });

  it('turns GraphQL\'s "HTTP 200, data null" for a bad key into the same clear error', async () => {
    const error = await caught(client('rpa_WRONGKEY0123456789').createPod({ ...spec, terminateAfter: '2026-12-02T03:00:00Z', compute: gpu() }));
    expect(error).toBeInstanceOf(RunpodAuthError);
    expect(error.message).toContain('RUNPOD_API_KEY rejected (GraphQL answered no pod (HTTP 200, data null))');
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
    const pod = await client().createPod({ ...spec, name, compute: gpu() });
    const made = [...env.fake.pods.values()].filter((p) => p.name === name);
    expect(made.map((p) => p.id)).toEqual([pod.id]);
    expect(env.fake.operations('createPod').filter((r) => r.input?.name === name)).toHaveLength(1);

    // A 5xx on a create that did nothing is reported, not retried.
    env.fake.inject({ status: 503 });
    const error = await caught(client().createPod({ ...spec, name: 'bitnet-bench-none-c1-b60', compute: gpu() }));
    expect(error.message).toContain('HTTP 503 after 1 try');
    expect([...env.fake.pods.values()].filter((p) => p.name === 'bitnet-bench-none-c1-b60')).toEqual([]);

    // 429 means RunPod did not act on it: retried.
    env.fake.inject({ status: 429, retryAfter: '1' });
    const retried = await client().createPod({ ...spec, name: 'bitnet-bench-429-c1-b60', compute: gpu() });
    expect(env.fake.pods.get(retried.id)!.name).toBe('bitnet-bench-429-c1-b60');
  });

  it('capacity refusals become RunpodCapacityError on both APIs (REST 400 problem, GraphQL errors array)', async () => {
    const rest = await caught(client().createPod({ ...spec, compute: { kind: 'cpu', instanceId: 'cpu3c-2-4', cloudType: 'SECURE' } }));
    expect(rest).toBeInstanceOf(RunpodCapacityError);
    expect((rest as RunpodCapacityError).messages).toEqual([CAPACITY_MESSAGE]);

    const graphql = await caught(client().createPod({ ...spec, terminateAfter: '2026-12-02T03:00:00Z', compute: gpu('NVIDIA GeForce RTX 4090', 'COMMUNITY') }));
    expect(graphql).toBeInstanceOf(RunpodCapacityError);
    expect((graphql as RunpodCapacityError).messages).toEqual([CAPACITY_MESSAGE]);

    env.fake.inject({ graphqlError: 'Something broke' });
    const generic = await caught(client().createPod({ ...spec, terminateAfter: '2026-12-02T03:00:00Z', compute: gpu() }));
    expect(generic).toBeInstanceOf(RunpodGraphqlError);
    expect(generic.message).toContain('Something broke');
  });

  it('reports an unreachable API after retrying', async () => {
    const closedPort = await freePort();
    sleeps.length = 0;
    const error = await caught(client(env.apiKey, `http://127.0.0.1:${closedPort}`).listPods());
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

describe('the fake enforces RunPod\'s OpenAPI document', () => {
  const post = (path: string, body: unknown, key = env.apiKey) =>
    fetch(`${env.fake.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const valid = { name: 'bitnet-bench-x-c1-b60', image: 'runpod/base:test', cpu: { id: 'cpu5c', vcpuCount: 2 }, disk: 20 };

  it('rejects a create with a misspelt field (imageName for image) with RunPod\'s 422 problem, and creates nothing', async () => {
    const before = env.fake.pods.size;
    const { image, ...rest } = valid;
    const misspelt = { ...rest, imageName: image };
    const response = await post('/v2/pods', misspelt);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { errors: string[] };
    expect(problem.errors).toContain("body: $: additional property 'imageName' not allowed");
    expect(problem.errors).toContain("body: $: must have required property 'image'");
    expect(env.fake.pods.size).toBe(before);
    // The control: the same body spelt right is accepted.
    expect((await post('/v2/pods', valid)).status).toBe(201);
    expect(env.fake.takeBadRequests().map((r) => r.operation)).toEqual(['createPod']);
  });

  it('rejects wrong types, unknown nested fields, unknown query parameters and paths', async () => {
    expect((await post('/v2/pods', { ...valid, disk: '20' })).status).toBe(422);
    expect((await post('/v2/pods', { ...valid, cpu: { id: 'cpu5c', vcpuCount: 2, memory: 4 } })).status).toBe(422);
    expect((await post('/v2/pods/abc/action', { action: 'halt' })).status).toBe(422);
    const auth = { authorization: `Bearer ${env.apiKey}` };
    expect((await fetch(`${env.fake.url}/v2/pods?includeClusterPod=true`, { headers: auth })).status).toBe(422);
    expect((await fetch(`${env.fake.url}/v1/pods`, { headers: auth })).status).toBe(404);
    expect(env.fake.takeBadRequests().map((r) => r.status)).toEqual([422, 422, 422, 422, 404]);
  });

  it('rejects a GraphQL create with a quoted enum, a quoted number or an unknown field, or sent as a query; creates nothing', async () => {
    const before = env.fake.pods.size;
    const gql = (query: string) => post('/graphql', { query });
    const create = (fields: string, kind = 'mutation') =>
      gql(`${kind} { podFindAndDeployOnDemand(input: { name: "n", imageName: "i", gpuTypeId: "g", ${fields} }) { id } }`);
    expect((await create('cloudType: "SECURE"')).status).toBe(400);
    expect((await create('cloudType: SECURE, gpuCount: "1"')).status).toBe(400);
    expect((await create('cloudType: SECURE, env: [{ key: "K" }]')).status).toBe(400);
    expect((await create('cloudType: SECURE, gpuTypeIds: ["g"]')).status).toBe(400);
    expect((await create('cloudType: SECURE', 'query')).status).toBe(400);
    expect(env.fake.pods.size).toBe(before);
    expect(env.fake.takeBadRequests()).toHaveLength(5);
    // The control: the same create spelt right is accepted.
    expect((await create('cloudType: SECURE, gpuCount: 1, env: [{ key: "K", value: "v" }]')).status).toBe(200);
    expect(env.fake.pods.size).toBe(before + 1);
  });

  it('checks responses too: a pod missing required fields, or a body on a 204, breaks the document', async () => {
    const contract = await OpenApiContract.load();
    const [listed] = (await (await fetch(`${env.fake.url}/v2/pods`, { headers: { authorization: `Bearer ${env.apiKey}` } }).then((r) => r.json())) as { pods: Record<string, unknown>[] }).pods;
    expect(contract.checkResponse('getPod', 200, 'application/json', listed)).toEqual([]);
    const { ssh: _, ...withoutSsh } = listed!;
    expect(contract.checkResponse('getPod', 200, 'application/json', withoutSsh)).toEqual(["HTTP 200 body: $: must have required property 'ssh'"]);
    expect(contract.checkResponse('getPod', 200, 'application/json', { ...listed, status: 'BOOTING' })).toContain('HTTP 200 body: /status: must be equal to one of the allowed values');
    expect(contract.checkResponse('deletePod', 204, 'application/json', {})).toEqual(['deletePod HTTP 204 has no body, but one was sent']);
    expect(contract.checkResponse('listPods', 401, 'application/json', { title: 'Unauthorized', status: 401, detail: 'x' })).toEqual([
      'listPods HTTP 401 is application/problem+json, not application/json',
    ]);
  });

  it('answers only in shapes the document allows (checked on every response, none broken so far)', async () => {
    await client().listPods();
    expect(env.fake.requests.length).toBeGreaterThan(10);
    expect(env.fake.contractViolations).toEqual([]);
  });
});
