import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { freePort, startSshd, type TestSshd } from './sshd.ts';

/**
 * A stand-in for RunPod's GraphQL API (https://api.runpod.io/graphql) on 127.0.0.1, implementing the
 * documented requests the harness sends and answering in RunPod's documented shapes: HTTP 200 with
 * `data`, or with an `errors` array for GraphQL-level failures; 401 for a bad key; 429/5xx when told to.
 * Queries are parsed with graphql-js, so a malformed query from the client fails here as it would there.
 * Each pod's "machine" is a real local sshd that trusts the PUBLIC_KEY the client sent.
 */
export const CAPACITY_MESSAGE = 'There are no longer any instances available with the requested specifications. Please refresh and try again.';

export interface FakeRunpodOptions {
  apiKey: string;
  /** `<gpuTypeId or instanceId>/<cloudType>` pairs that have no capacity. */
  outOfCapacity?: string[];
  /** `pod` polls answered with runtime null (image pulling), then with ports but sshd not started. */
  pollsWithoutRuntime?: number;
  pollsBeforeSshd?: number;
  costPerHr?: number;
  /** Real sshd per pod; off for tests that never reach SSH. */
  startSshd?: boolean;
}

export interface FakePod {
  id: string;
  name: string;
  input: Record<string, unknown>;
  env: Record<string, string>;
  desiredStatus: 'RUNNING' | 'EXITED' | 'TERMINATED';
  costPerHr: number;
  polls: number;
  sshPort: number | null;
  sshd: TestSshd | null;
}

export interface RecordedRequest {
  operation: string;
  input: Record<string, unknown> | null;
  authorized: boolean;
  status: number;
}

/** `afterExecuting`: do the operation, then answer with the failure (a response lost after the fact). */
type Injected = { status: number; retryAfter?: string; afterExecuting?: boolean } | { graphqlError: string };

export class FakeRunpod {
  readonly pods = new Map<string, FakePod>();
  readonly requests: RecordedRequest[] = [];
  private readonly injected: Injected[] = [];
  private server!: Server;
  url = '';

  constructor(readonly options: FakeRunpodOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('fake RunPod has no port');
    this.url = `http://127.0.0.1:${address.port}/graphql`;
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

  runningPods(): FakePod[] {
    return [...this.pods.values()].filter((p) => p.desiredStatus === 'RUNNING');
  }

  /** Pre-place a pod, e.g. one an earlier run left behind. */
  addPod(name: string, desiredStatus: FakePod['desiredStatus'] = 'RUNNING'): FakePod {
    const pod: FakePod = { id: newPodId(), name, input: {}, env: {}, desiredStatus, costPerHr: this.options.costPerHr ?? 0.69, polls: 0, sshPort: null, sshd: null };
    this.pods.set(pod.id, pod);
    return pod;
  }

  operations(name: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const authorized = req.headers.authorization === `Bearer ${this.options.apiKey}`;
    const send = (status: number, body: unknown, operation: string, input: Record<string, unknown> | null, headers: Record<string, string> = {}) => {
      this.requests.push({ operation, input, authorized, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/graphql') return send(404, { error: 'not found' }, 'http', null);
    let field: FieldNode;
    let input: Record<string, unknown> | null;
    try {
      const { query } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      const op = parse(query).definitions[0] as OperationDefinitionNode;
      field = op.selectionSet.selections[0] as FieldNode;
      const arg = field.arguments?.find((a) => a.name.value === 'input');
      input = arg ? (valueFromASTUntyped(arg.value) as Record<string, unknown>) : null;
      if (op.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
    } catch (error) {
      return send(400, { errors: [{ message: `Syntax Error: ${(error as Error).message}` }] }, 'invalid', null);
    }
    const operation = field.name.value;
    if (!authorized) return send(401, { error: 'Unauthorized' }, operation, input);
    const failure = this.injected.shift();
    if (failure && 'status' in failure) {
      if (failure.afterExecuting) await this.execute(operation, input, field).catch(() => undefined);
      return send(failure.status, { errors: [{ message: `HTTP ${failure.status}` }] }, operation, input, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    if (failure) {
      const message = failure.graphqlError.replace('{auth}', req.headers.authorization ?? '');
      return send(200, { errors: [{ message, path: [operation] }], data: null }, operation, input);
    }
    try {
      const data = await this.execute(operation, input, field);
      send(200, { data: { [operation]: data } }, operation, input);
    } catch (error) {
      send(200, { errors: [{ message: (error as Error).message, path: [operation] }], data: { [operation]: null } }, operation, input);
    }
  }

  private async execute(operation: string, input: Record<string, unknown> | null, field: FieldNode): Promise<unknown> {
    switch (operation) {
      case 'podFindAndDeployOnDemand':
      case 'deployCpuPod':
        return this.view(this.create(operation, input ?? {}));
      case 'pod': {
        const pod = this.pods.get(String(input?.podId));
        if (!pod || pod.desiredStatus === 'TERMINATED') return null;
        return this.view(await this.poll(pod));
      }
      case 'myself': {
        const pods = [...this.pods.values()].filter((p) => p.desiredStatus !== 'TERMINATED').map((p) => this.view(p));
        return { pods };
      }
      case 'podStop': {
        const pod = this.requirePod(input);
        pod.desiredStatus = 'EXITED';
        await pod.sshd?.stop();
        pod.sshd = null;
        return { id: pod.id, desiredStatus: pod.desiredStatus };
      }
      case 'podTerminate': {
        const pod = this.requirePod(input);
        pod.desiredStatus = 'TERMINATED';
        await pod.sshd?.stop();
        pod.sshd = null;
        return null;
      }
      default:
        throw new Error(`Cannot query field "${field.name.value}" on type "Mutation".`);
    }
  }

  private create(operation: string, input: Record<string, unknown>): FakePod {
    for (const key of ['name', 'imageName', 'cloudType', 'ports']) {
      if (typeof input[key] !== 'string') throw new Error(`Field "${key}" of required type was not provided.`);
    }
    const type = operation === 'deployCpuPod' ? input.instanceId : input.gpuTypeId;
    if (typeof type !== 'string') throw new Error(operation === 'deployCpuPod' ? 'instanceId is required' : 'gpuTypeId is required');
    if (this.options.outOfCapacity?.includes(`${type}/${String(input.cloudType)}`)) throw new Error(CAPACITY_MESSAGE);
    const env = Object.fromEntries(((input.env as { key: string; value: string }[] | undefined) ?? []).map((e) => [e.key, e.value]));
    const pod: FakePod = {
      id: newPodId(),
      name: String(input.name),
      input,
      env,
      desiredStatus: 'RUNNING',
      costPerHr: this.options.costPerHr ?? 0.69,
      polls: 0,
      sshPort: null,
      sshd: null,
    };
    this.pods.set(pod.id, pod);
    return pod;
  }

  /** A pod's life as the API shows it: no runtime, then a port with nothing listening, then sshd. */
  private async poll(pod: FakePod): Promise<FakePod> {
    pod.polls++;
    const noRuntime = this.options.pollsWithoutRuntime ?? 1;
    const beforeSshd = this.options.pollsBeforeSshd ?? 1;
    if (pod.desiredStatus === 'RUNNING' && pod.polls > noRuntime) pod.sshPort ??= await freePort();
    if (pod.desiredStatus === 'RUNNING' && pod.polls > noRuntime + beforeSshd && !pod.sshd && this.options.startSshd !== false) {
      pod.sshd = await startSshd({ authorizedKey: pod.env.PUBLIC_KEY ?? '', port: pod.sshPort! });
    }
    return pod;
  }

  private view(pod: FakePod) {
    const running = pod.desiredStatus === 'RUNNING' && pod.polls > (this.options.pollsWithoutRuntime ?? 1);
    return {
      id: pod.id,
      name: pod.name,
      desiredStatus: pod.desiredStatus,
      costPerHr: pod.costPerHr,
      imageName: pod.input.imageName ?? null,
      machineId: 'fakemachine01',
      runtime: running
        ? {
            uptimeInSeconds: pod.polls,
            ports: [
              { ip: '127.0.0.1', isIpPublic: false, privatePort: 22, publicPort: 1, type: 'tcp' },
              { ip: '127.0.0.1', isIpPublic: true, privatePort: 22, publicPort: pod.sshPort, type: 'tcp' },
            ],
          }
        : null,
    };
  }

  private requirePod(input: Record<string, unknown> | null): FakePod {
    const pod = this.pods.get(String(input?.podId));
    if (!pod || pod.desiredStatus === 'TERMINATED') throw new Error('pod not found');
    return pod;
  }
}

function newPodId(): string {
  // RunPod ids are 14 lowercase alphanumerics, e.g. 50qynxzilsxoey.
  return randomBytes(10).toString('hex').slice(0, 14);
}
