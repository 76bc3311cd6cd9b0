import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Kind, parse, print, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode, type ValueNode } from 'graphql';
import { OpenApiContract } from './openapi-contract.ts';
import { freePort, startSshd, type TestSshd } from './sshd.ts';

/**
 * A stand-in for RunPod on 127.0.0.1: its REST API v2 (`/v2/pods…`), and the one GraphQL mutation the harness
 * still sends (`podFindAndDeployOnDemand` with `terminateAfter`, at `/graphql`).
 *
 * The REST side enforces RunPod's published OpenAPI document (fixtures/runpod/openapi-v2.json) both ways: a request
 * that does not match it (misspelt field, wrong type, unknown path or parameter) gets RunPod's 422 problem answer,
 * and a response of the fake's own that does not match it is recorded in `contractViolations` (and answered 500),
 * which the test environment turns into a failure. The GraphQL side checks input field names against runpodctl's
 * CreatePodGQLInput (internal/api/graphql.go), the closest thing to a schema RunPod publishes for it.
 *
 * It serves RunPod's odd answers too: 401 for a bad key (GraphQL: HTTP 200 with `data` null, runpodctl #46), a
 * runtime without ports, a pod that vanishes, capacity refusals (REST 400, GraphQL `errors`), 429 with
 * Retry-After. Each pod's "machine" is a real local sshd that trusts the PUBLIC_KEY the client sent.
 */
export const CAPACITY_MESSAGE = 'There are no longer any instances available with the requested specifications. Please refresh and try again.';

/**
 * runpodctl's CreatePodGQLInput fields (json names) with the literal kind each takes: what podFindAndDeployOnDemand
 * is known to take. GraphQL refuses a quoted string for an enum or a number, so the fake does too; `any` where the
 * type is not known.
 */
type GraphqlInputKind = 'string' | 'int' | 'boolean' | 'cloudType' | 'env' | 'any';
const GRAPHQL_CREATE_FIELDS: Record<string, GraphqlInputKind> = {
  cloudType: 'cloudType', containerDiskInGb: 'int', dataCenterId: 'string', env: 'env', gpuCount: 'int', gpuTypeId: 'string',
  imageName: 'string', name: 'string', ports: 'string', startSsh: 'boolean', supportPublicIp: 'boolean', templateId: 'string',
  volumeInGb: 'int', volumeMountPath: 'string', networkVolumeId: 'string', minCudaVersion: 'string', dockerArgs: 'string',
  containerRegistryAuthId: 'string', countryCode: 'string', stopAfter: 'string', terminateAfter: 'string', compliance: 'any',
};

/** Where the literal `input: { … }` breaks CreatePodGQLInput: unknown fields and values of the wrong kind. */
function graphqlInputProblems(input: ValueNode | undefined): string[] {
  if (!input) return ['Field "podFindAndDeployOnDemand" argument "input" of type "PodFindAndDeployOnDemandInput!" is required, but it was not provided.'];
  if (input.kind !== Kind.OBJECT) return [`Expected value of type "PodFindAndDeployOnDemandInput!", found ${print(input)}.`];
  const problems: string[] = [];
  for (const field of input.fields) {
    const name = field.name.value;
    const kind = Object.hasOwn(GRAPHQL_CREATE_FIELDS, name) ? GRAPHQL_CREATE_FIELDS[name] : undefined;
    if (!kind) {
      problems.push(`Field "${name}" is not defined by type "PodFindAndDeployOnDemandInput".`);
      continue;
    }
    const value = field.value;
    if (value.kind === Kind.NULL || kind === 'any') continue;
    const ok =
      kind === 'string' ? value.kind === Kind.STRING
      : kind === 'int' ? value.kind === Kind.INT
      : kind === 'boolean' ? value.kind === Kind.BOOLEAN
      : kind === 'cloudType' ? value.kind === Kind.ENUM && ['SECURE', 'COMMUNITY', 'ALL'].includes(value.value)
      : value.kind === Kind.LIST && value.values.every((e) => e.kind === Kind.OBJECT && e.fields.length === 2 && e.fields.every((f) => ['key', 'value'].includes(f.name.value) && f.value.kind === Kind.STRING));
    if (!ok) problems.push(`Field "${name}" of type "${kind}" cannot represent ${print(value)}.`);
  }
  return problems;
}

export interface FakeRunpodOptions {
  apiKey: string;
  /** `<gpuTypeId or instanceId>/<cloudType>` pairs that have no capacity. */
  outOfCapacity?: string[];
  /** GET polls answered with runtime null (image pulling), then a runtime without ports, then sshd not started yet. */
  pollsWithoutRuntime?: number;
  pollsWithoutPorts?: number;
  pollsBeforeSshd?: number;
  costPerHr?: number;
  /** Real sshd per pod; off for tests that never reach SSH. */
  startSshd?: boolean;
}

export type FakePodStatus = 'PROVISIONING' | 'RUNNING' | 'EXITED' | 'TERMINATED';

export interface FakePod {
  id: string;
  name: string;
  /** The create request as sent (REST body or GraphQL input). */
  input: Record<string, unknown>;
  api: 'rest' | 'graphql';
  env: Record<string, string>;
  status: FakePodStatus;
  costPerHr: number;
  cloud: 'SECURE' | 'COMMUNITY';
  compute: { gpu: { id: string; count: number } } | { cpu: { id: string; vcpuCount: number; memory: number } };
  /** GraphQL create only: when RunPod itself would terminate the pod. */
  terminateAfter: string | null;
  createdAt: string;
  polls: number;
  sshPort: number | null;
  sshd: TestSshd | null;
}

export interface RecordedRequest {
  api: 'rest' | 'graphql';
  /** REST operationId (createPod, getPod, listPods, podAction, deletePod) or the GraphQL field. */
  operation: string;
  input: Record<string, unknown> | null;
  /** The pod the request was about (REST path `{id}`). */
  podId?: string;
  authorized: boolean;
  status: number;
  /** Where the request broke the OpenAPI document (answered 422). */
  problems: string[];
}

/**
 * `afterExecuting`: do the operation, then answer with the failure (a response lost after the fact). `{auth}` in a
 * detail or GraphQL error is replaced by the request's Authorization header (an API that echoes it).
 */
type Injected = { status: number; retryAfter?: string; afterExecuting?: boolean; detail?: string } | { graphqlError: string };

export class FakeRunpod {
  readonly pods = new Map<string, FakePod>();
  readonly requests: RecordedRequest[] = [];
  /** Responses of the fake that the OpenAPI document does not allow: a bug in the fake, failed by the test env. */
  readonly contractViolations: string[] = [];
  private readonly injected: Injected[] = [];
  private server!: Server;
  private contract!: OpenApiContract;
  /** REST base, as RUNPOD_API_URL. */
  url = '';
  /** As RUNPOD_GRAPHQL_URL. */
  graphqlUrl = '';

  constructor(readonly options: FakeRunpodOptions) {}

  async start(): Promise<this> {
    this.contract = await OpenApiContract.load();
    this.server = createServer((req, res) =>
      // A fault of the fake itself (sshd would not start) must fail the request, not the test process.
      this.handle(req, res).catch((error: Error) => {
        this.contractViolations.push(`fake RunPod failed: ${error.message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify(problem(500, `fake RunPod failed: ${error.message}`)));
      }),
    );
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('fake RunPod has no port');
    this.url = `http://127.0.0.1:${address.port}`;
    this.graphqlUrl = `${this.url}/graphql`;
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pods.values()].map((p) => p.sshd?.stop()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next requests fail this way, in order (429 with Retry-After, 502, or a GraphQL error). */
  inject(...failures: Injected[]): void {
    this.injected.push(...failures);
  }

  /** Pods still billed (not stopped, not terminated). */
  runningPods(): FakePod[] {
    return [...this.pods.values()].filter((p) => p.status === 'RUNNING' || p.status === 'PROVISIONING');
  }

  /** Pre-place a pod, e.g. one an earlier run left behind. */
  addPod(name: string, status: FakePodStatus = 'RUNNING'): FakePod {
    const pod = this.newPod(name, {}, 'rest', {}, 'SECURE', { gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 } }, null);
    pod.status = status;
    return pod;
  }

  /** The pod disappears from RunPod (console, terminateAfter, another tool): 404 from now on. */
  vanish(podId: string): void {
    const pod = this.pods.get(podId);
    if (pod) pod.status = 'TERMINATED';
  }

  /** Removes and returns the requests that broke the OpenAPI document (422), for a test that sent them on purpose. */
  takeBadRequests(): RecordedRequest[] {
    const bad = this.requests.filter((r) => r.problems.length > 0);
    this.requests.splice(0, this.requests.length, ...this.requests.filter((r) => r.problems.length === 0));
    return bad;
  }

  operations(name: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const authorized = req.headers.authorization === `Bearer ${this.options.apiKey}`;
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/graphql') return this.handleGraphql(req, res, raw, authorized);
    return this.handleRest(req, res, url, raw, authorized);
  }

  // ---- REST v2 -----------------------------------------------------------------------------------------------

  private async handleRest(req: IncomingMessage, res: ServerResponse, url: URL, raw: string, authorized: boolean): Promise<void> {
    let body: unknown;
    let problems: string[] = [];
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        problems.push(`body is not JSON: ${(error as Error).message}`);
      }
    }
    const method = req.method ?? 'GET';
    const checked = this.contract.checkRequest(method, url, body, req.headers['content-type']);
    problems = [...problems, ...checked.problems];
    const op = checked.operation;
    const record = (status: number) =>
      this.requests.push({ api: 'rest', operation: op?.operationId ?? `${method} ${url.pathname}`, input: (body as Record<string, unknown>) ?? null, podId: op?.pathParams.id, authorized, status, problems });
    const reply = (status: number, answer: unknown, headers: Record<string, string> = {}) => {
      const contentType = answer === undefined ? undefined : status >= 400 ? 'application/problem+json' : 'application/json';
      if (op) {
        const broken = this.contract.checkResponse(op.operationId, status, contentType, answer);
        if (broken.length > 0) {
          this.contractViolations.push(`${op.operationId} → HTTP ${status}: ${broken.join('; ')}`);
          status = 500;
          answer = problem(500, `fake RunPod answer breaks the OpenAPI document: ${broken.join('; ')}`);
        }
      }
      record(status);
      res.writeHead(status, { ...(answer === undefined ? {} : { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' }), ...headers });
      res.end(answer === undefined ? undefined : JSON.stringify(answer));
    };

    if (!op) return reply(404, problem(404, problems.join('; ')));
    if (!authorized) return reply(401, problem(401, 'invalid bearer token'));
    if (problems.length > 0) return reply(422, { ...problem(422, 'request does not match the API contract'), errors: problems });
    const failure = this.injected.shift();
    if (failure && 'status' in failure) {
      if (failure.afterExecuting) await this.executeRest(op.operationId, op.pathParams, body).catch(() => undefined);
      const detail = (failure.detail ?? `HTTP ${failure.status}`).replace('{auth}', req.headers.authorization ?? '');
      return reply(failure.status, problem(failure.status, detail), failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    if (failure) this.injected.unshift(failure); // a GraphQL error is for the GraphQL endpoint
    const [status, answer] = await this.executeRest(op.operationId, op.pathParams, body);
    return reply(status, answer);
  }

  private async executeRest(operationId: string, params: Record<string, string>, body: unknown): Promise<[number, unknown]> {
    const live = (id: string | undefined) => {
      const pod = id ? this.pods.get(id) : undefined;
      return pod && pod.status !== 'TERMINATED' ? pod : null;
    };
    switch (operationId) {
      case 'createPod': {
        const input = body as Record<string, unknown> & { gpu?: { id: string; count?: number }; cpu?: { id: string; vcpuCount: number } };
        if (!input.gpu === !input.cpu) return [400, problem(400, 'exactly one of gpu or cpu must be set')];
        const cloud = (input.cloud as 'SECURE' | 'COMMUNITY' | undefined) ?? 'SECURE';
        // CPU flavours here give 2 GB per vCPU, so cpu3c with 8 vCPUs is the instance cpu3c-8-16.
        const type = input.gpu ? input.gpu.id : `${input.cpu!.id}-${input.cpu!.vcpuCount}-${input.cpu!.vcpuCount * 2}`;
        if (this.noCapacity(type, cloud)) return [400, problem(400, CAPACITY_MESSAGE)];
        const compute = input.gpu
          ? { gpu: { id: input.gpu.id, count: input.gpu.count ?? 1 } }
          : { cpu: { id: input.cpu!.id, vcpuCount: input.cpu!.vcpuCount, memory: input.cpu!.vcpuCount * 2 } };
        const pod = this.newPod(String(input.name), input, 'rest', (input.env as Record<string, string>) ?? {}, cloud, compute, null);
        return [201, this.view(pod)];
      }
      case 'getPod': {
        const pod = live(params.id);
        if (!pod) return [404, problem(404, 'pod not found')];
        return [200, this.view(await this.poll(pod))];
      }
      case 'listPods':
        return [200, { pods: [...this.pods.values()].filter((p) => p.status !== 'TERMINATED').map((p) => this.view(p)) }];
      case 'podAction': {
        const pod = live(params.id);
        if (!pod) return [404, problem(404, 'pod not found')];
        const action = (body as { action: string }).action;
        if (action === 'stop') {
          if (pod.status === 'EXITED') return [409, problem(409, 'pod is already stopped')];
          await this.halt(pod, 'EXITED');
          return [200, this.view(pod)];
        }
        if (action === 'terminate') {
          await this.halt(pod, 'TERMINATED');
          return [204, undefined];
        }
        return [409, problem(409, `action ${action} is not supported by this fake`)];
      }
      case 'deletePod': {
        const pod = live(params.id);
        if (!pod) return [404, problem(404, 'pod not found')];
        await this.halt(pod, 'TERMINATED');
        return [204, undefined];
      }
      default:
        return [405, problem(405, `${operationId} is not implemented by this fake`)];
    }
  }

  // ---- GraphQL: only the create with terminateAfter ----------------------------------------------------------

  private async handleGraphql(req: IncomingMessage, res: ServerResponse, raw: string, authorized: boolean): Promise<void> {
    const send = (status: number, body: unknown, operation: string, input: Record<string, unknown> | null, problems: string[] = [], headers: Record<string, string> = {}) => {
      this.requests.push({ api: 'graphql', operation, input, authorized, status, problems });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return send(405, { errors: [{ message: 'POST only' }] }, 'http', null);
    let field: FieldNode;
    let inputNode: ValueNode | undefined;
    let input: Record<string, unknown> | null;
    let isMutation: boolean;
    try {
      const { query } = JSON.parse(raw) as { query: string };
      const op = parse(query).definitions[0] as OperationDefinitionNode;
      if (op.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
      isMutation = op.operation === 'mutation';
      field = op.selectionSet.selections[0] as FieldNode;
      inputNode = field.arguments?.find((a) => a.name.value === 'input')?.value;
      input = inputNode ? (valueFromASTUntyped(inputNode) as Record<string, unknown>) : null;
    } catch (error) {
      return send(400, { errors: [{ message: `Syntax Error: ${(error as Error).message}` }] }, 'invalid', null);
    }
    const operation = field.name.value;
    // RunPod's GraphQL answers a key it does not accept with HTTP 200 and null data (runpodctl #46: `myself: null`).
    if (!authorized) return send(200, { data: { [operation]: null } }, operation, input);
    if (operation !== 'podFindAndDeployOnDemand') {
      return send(200, { errors: [{ message: `Cannot query field "${operation}": the harness keeps GraphQL only for podFindAndDeployOnDemand` }] }, operation, input);
    }
    const problems = isMutation ? graphqlInputProblems(inputNode) : ['podFindAndDeployOnDemand is a mutation, sent as a query'];
    if (problems.length > 0) return send(400, { errors: problems.map((message) => ({ message })) }, operation, input, problems);
    const failure = this.injected.shift();
    if (failure && 'status' in failure) {
      if (failure.afterExecuting) this.graphqlCreate(input ?? {});
      return send(failure.status, { errors: [{ message: `HTTP ${failure.status}` }] }, operation, input, [], failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    if (failure) return send(200, { errors: [{ message: failure.graphqlError.replace('{auth}', req.headers.authorization ?? ''), path: [operation] }], data: null }, operation, input);
    try {
      const pod = this.graphqlCreate(input ?? {});
      send(200, { data: { [operation]: { id: pod.id, name: pod.name, desiredStatus: 'RUNNING', costPerHr: pod.costPerHr, imageName: pod.input.imageName ?? null } } }, operation, input);
    } catch (error) {
      send(200, { errors: [{ message: (error as Error).message, path: [operation] }], data: { [operation]: null } }, operation, input);
    }
  }

  private graphqlCreate(input: Record<string, unknown>): FakePod {
    for (const key of ['name', 'imageName', 'cloudType', 'gpuTypeId']) {
      if (typeof input[key] !== 'string') throw new Error(`Field "${key}" of required type was not provided.`);
    }
    const cloud = input.cloudType as 'SECURE' | 'COMMUNITY';
    if (this.noCapacity(String(input.gpuTypeId), cloud)) throw new Error(CAPACITY_MESSAGE);
    const env = Object.fromEntries(((input.env as { key: string; value: string }[] | undefined) ?? []).map((e) => [e.key, e.value]));
    const terminateAfter = typeof input.terminateAfter === 'string' ? input.terminateAfter : null;
    if (terminateAfter !== null && Number.isNaN(Date.parse(terminateAfter))) throw new Error(`terminateAfter is not a date-time: ${terminateAfter}`);
    return this.newPod(String(input.name), input, 'graphql', env, cloud, { gpu: { id: String(input.gpuTypeId), count: Number(input.gpuCount ?? 1) } }, terminateAfter);
  }

  // ---- pods ----------------------------------------------------------------------------------------------------

  private noCapacity(type: string, cloud: string): boolean {
    return this.options.outOfCapacity?.includes(`${type}/${cloud}`) ?? false;
  }

  private newPod(name: string, input: Record<string, unknown>, api: FakePod['api'], env: Record<string, string>, cloud: FakePod['cloud'], compute: FakePod['compute'], terminateAfter: string | null): FakePod {
    const pod: FakePod = {
      id: newPodId(),
      name,
      input,
      api,
      env,
      status: 'PROVISIONING',
      costPerHr: this.options.costPerHr ?? 0.69,
      cloud,
      compute,
      terminateAfter,
      createdAt: new Date().toISOString(),
      polls: 0,
      sshPort: null,
      sshd: null,
    };
    this.pods.set(pod.id, pod);
    return pod;
  }

  private async halt(pod: FakePod, status: 'EXITED' | 'TERMINATED'): Promise<void> {
    pod.status = status;
    await pod.sshd?.stop();
    pod.sshd = null;
  }

  /** A pod's life as the API shows it: no runtime, then a runtime without ports, then a port with nothing listening, then sshd. */
  private async poll(pod: FakePod): Promise<FakePod> {
    pod.polls++;
    const noRuntime = this.options.pollsWithoutRuntime ?? 1;
    const noPorts = noRuntime + (this.options.pollsWithoutPorts ?? 1);
    const beforeSshd = noPorts + (this.options.pollsBeforeSshd ?? 1);
    if (pod.status === 'PROVISIONING' && pod.polls > noRuntime) pod.status = 'RUNNING';
    if (pod.status === 'RUNNING' && pod.polls > noPorts) pod.sshPort ??= await freePort();
    if (pod.status === 'RUNNING' && pod.polls > beforeSshd && !pod.sshd && this.options.startSshd !== false) {
      pod.sshd = await startSshd({ authorizedKey: pod.env.PUBLIC_KEY ?? '', port: pod.sshPort! });
    }
    return pod;
  }

  /** The pod as REST v2's `Pod` schema has it. */
  private view(pod: FakePod) {
    const running = pod.status === 'RUNNING';
    const port = running ? pod.sshPort : null;
    const input = pod.input;
    return {
      id: pod.id,
      name: pod.name,
      status: pod.status,
      actions: running ? ['stop', 'restart', 'terminate'] : pod.status === 'EXITED' ? ['start', 'terminate'] : ['terminate'],
      image: String(input.image ?? input.imageName ?? 'runpod/base:fake'),
      args: String(input.args ?? input.dockerArgs ?? ''),
      disk: Number(input.disk ?? input.containerDiskInGb ?? 20),
      mounts: {},
      ports: Array.isArray(input.ports) ? input.ports : typeof input.ports === 'string' ? input.ports.split(',') : [],
      env: pod.env,
      registry: null,
      ...pod.compute,
      cloud: pod.cloud,
      dataCenterId: running ? 'US-TX-3' : null,
      cudaVersion: 'gpu' in pod.compute && running ? '12.8' : null,
      ssh: {
        proxy: running ? { host: 'ssh.runpod.io', port: 22, username: `${pod.id}-64411eb2`, command: `ssh ${pod.id}-64411eb2@ssh.runpod.io` } : null,
        direct: port ? { host: '127.0.0.1', port, username: 'root', command: `ssh root@127.0.0.1 -p ${port}` } : null,
      },
      template: null,
      cost: running || pod.status === 'PROVISIONING' ? pod.costPerHr : 0,
      locked: false,
      globalNetworking: { enabled: false },
      runtime: running
        ? {
            uptime: pod.polls,
            cpu: { util: 3 },
            memory: { util: 5 },
            // The odd answer: a running container whose ports are not mapped yet has no `ports` at all.
            ...(port ? { ports: [{ private: 22, public: port, type: 'tcp', ip: '127.0.0.1' }] } : {}),
          }
        : null,
      createdAt: pod.createdAt,
      startedAt: running ? pod.createdAt : null,
    };
  }
}

/** RFC 9457 problem, as REST v2's ErrorResponse. */
function problem(status: number, detail: string) {
  const titles: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 422: 'Unprocessable Entity', 429: 'Too Many Requests' };
  return { title: titles[status] ?? (status >= 500 ? 'Server Error' : 'Error'), status, detail };
}

function newPodId(): string {
  // RunPod ids are 14 lowercase alphanumerics, e.g. 50qynxzilsxoey.
  return randomBytes(10).toString('hex').slice(0, 14);
}
