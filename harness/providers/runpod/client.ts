import { GqlEnum, gqlLiteral } from './gql-literal.ts';
import { RunpodApiError, RunpodAuthError, RunpodCapacityError, RunpodGraphqlError } from './errors.ts';
import type { GraphqlTransport } from './graphql.ts';
import type { CreatePodBody, RestPod, RunpodRest } from './rest.ts';
import { parseCpuInstanceId, type PodSpec, type RunpodPod } from './types.ts';

/** What GraphQL's create answers with (fields as runpodctl's internal/api/graphql.go asks for them). */
interface GraphqlCreatedPod {
  id: string;
  name: string;
  desiredStatus: string | null;
  costPerHr: number | null;
  imageName: string | null;
}

/**
 * The RunPod operations the harness needs. Everything goes through the REST API v2 (typed from RunPod's OpenAPI
 * document) except one call REST lacks: a GPU pod created with a server-side `terminateAfter` goes through
 * GraphQL's `podFindAndDeployOnDemand`, as runpodctl's `pod create --terminate-after` does
 * (cmd/pod/create.go, internal/api/graphql.go). See docs/runpod.md.
 */
export class RunpodClient {
  constructor(
    private readonly rest: RunpodRest,
    private readonly graphql: GraphqlTransport | null = null,
  ) {}

  /** The REST base; pods in the state file are tied to it. */
  get apiUrl(): string {
    return this.rest.baseUrl;
  }

  /** Which API a create of this spec goes to, and so whether RunPod itself will end the pod. */
  createRoute(spec: Pick<PodSpec, 'compute' | 'terminateAfter'>): 'graphql' | 'rest' {
    return spec.compute.kind === 'gpu' && spec.terminateAfter !== null && this.graphql ? 'graphql' : 'rest';
  }

  /** Returns as soon as RunPod accepted the pod; billing starts now, readiness comes later. */
  async createPod(spec: PodSpec): Promise<RunpodPod> {
    try {
      return this.createRoute(spec) === 'graphql' ? await this.createWithGraphql(spec) : viewOf(await this.rest.createPod(restCreateBody(spec)));
    } catch (error) {
      // The answer may have been lost after RunPod created the pod (timeout, 5xx). Pod names are unique per
      // run, so look for it: an unseen pod is a leaked pod.
      if (!(error instanceof RunpodApiError) || error instanceof RunpodGraphqlError || error instanceof RunpodAuthError || error instanceof RunpodCapacityError) throw error;
      const created = (await this.listPods().catch(() => [])).find((p) => p.name === spec.name && p.status !== 'TERMINATED');
      if (created) return created;
      throw error;
    }
  }

  /** null when RunPod no longer knows the pod (terminated). */
  async getPod(podId: string): Promise<RunpodPod | null> {
    const pod = await this.rest.getPod(podId);
    return pod ? viewOf(pod) : null;
  }

  async listPods(): Promise<RunpodPod[]> {
    return (await this.rest.listPods()).map(viewOf);
  }

  /** Stops billing for compute; the volume disk (if any) is still billed until terminate. */
  async stopPod(podId: string): Promise<void> {
    await this.rest.stopPod(podId);
  }

  /** Deletes the pod and its disks; nothing is billed afterwards. A pod RunPod no longer knows counts as done. */
  async terminatePod(podId: string): Promise<'deleted' | 'gone'> {
    return this.rest.deletePod(podId);
  }

  private async createWithGraphql(spec: PodSpec): Promise<RunpodPod> {
    if (spec.compute.kind !== 'gpu' || !this.graphql) throw new Error('GraphQL create is only for GPU pods');
    // Field names as runpodctl's CreatePodGQLInput; supportPublicIp because a Community Cloud pod may otherwise
    // have no public IP and SSH would never come up.
    const input = {
      name: spec.name,
      imageName: spec.imageName,
      cloudType: new GqlEnum(spec.compute.cloudType),
      gpuTypeId: spec.compute.gpuTypeId,
      gpuCount: spec.compute.gpuCount ?? 1,
      containerDiskInGb: spec.containerDiskInGb,
      volumeInGb: spec.volumeInGb,
      dockerArgs: spec.dockerArgs ?? '',
      ports: spec.ports.join(','),
      startSsh: true,
      supportPublicIp: true,
      env: Object.entries(spec.env).map(([key, value]) => ({ key, value })),
      terminateAfter: spec.terminateAfter ?? undefined,
    };
    const data = await this.graphql.request<{ podFindAndDeployOnDemand: GraphqlCreatedPod | null }>(
      'create RunPod pod',
      `mutation { podFindAndDeployOnDemand(input: ${gqlLiteral(input)}) { id name desiredStatus costPerHr imageName } }`,
      { createsResource: true },
    );
    const pod = data.podFindAndDeployOnDemand;
    // HTTP 200 with `data: { …: null }` is how RunPod's GraphQL answers a key it does not accept (runpodctl #46).
    if (!pod?.id) throw new RunpodAuthError('create RunPod pod', 'GraphQL answered no pod (HTTP 200, data null)');
    return {
      id: pod.id,
      name: pod.name,
      status: pod.desiredStatus ?? 'PROVISIONING',
      costPerHr: pod.costPerHr,
      image: pod.imageName,
      uptimeSeconds: null,
      containerUp: false,
      sshDirect: null,
    };
  }
}

/** REST v2 `CreatePodRequest`: nested `gpu`/`cpu`, `image`, `disk`, `args`, `env` as an object, ports as a list. */
export function restCreateBody(spec: PodSpec): CreatePodBody {
  const { compute } = spec;
  return {
    name: spec.name,
    image: spec.imageName,
    cloud: compute.cloudType,
    ...(compute.kind === 'gpu' ? { gpu: { id: compute.gpuTypeId, count: compute.gpuCount ?? 1 } } : { cpu: parseCpuInstanceId(compute.instanceId) }),
    disk: spec.containerDiskInGb,
    // CPU pods take no persistent mount (the document's CreatePodRequest); a 0 GB volume is simply left out.
    ...(compute.kind === 'gpu' && spec.volumeInGb > 0 ? { mounts: { persistent: { size: spec.volumeInGb, path: '/workspace' } } } : {}),
    args: spec.dockerArgs ?? '',
    ports: spec.ports,
    env: spec.env,
    globalNetworking: false,
    startJupyter: false,
    // The harness sets PUBLIC_KEY itself (a fresh key per run); startSsh would only inject the account's keys.
    startSsh: false,
  };
}

/** The harness's view of a REST v2 `Pod`. */
export function viewOf(pod: RestPod): RunpodPod {
  const mapped = pod.runtime?.ports?.find((p) => p.private === 22 && p.type === 'tcp' && p.ip && p.public);
  const direct = pod.ssh?.direct ?? (mapped ? { host: mapped.ip!, port: mapped.public! } : null);
  return {
    id: pod.id,
    name: pod.name,
    status: pod.status,
    costPerHr: typeof pod.cost === 'number' ? pod.cost : null,
    image: pod.image ?? null,
    uptimeSeconds: pod.runtime?.uptime ?? null,
    containerUp: pod.runtime != null,
    sshDirect: direct ? { host: direct.host, port: direct.port } : null,
  };
}
