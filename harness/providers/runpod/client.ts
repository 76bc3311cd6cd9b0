import { GqlEnum, gqlLiteral } from './gql-literal.ts';
import { RunpodApiError, RunpodAuthError, RunpodGraphqlError } from './errors.ts';
import type { GraphqlTransport } from './graphql.ts';
import type { PodSpec, RunpodPod } from './types.ts';

/** Fields asked of every pod; `runtime.ports` is how SSH's public address is found. */
const POD_FIELDS = `id name desiredStatus costPerHr imageName machineId
  runtime { uptimeInSeconds ports { ip isIpPublic privatePort publicPort type } }`;

/**
 * The RunPod operations the harness needs, as documented at docs.runpod.io/sdks/graphql/manage-pods
 * (create, get, stop, list) plus `podTerminate` and `deployCpuPod` from RunPod's own SDK.
 */
export class RunpodClient {
  constructor(private readonly transport: GraphqlTransport) {}

  get apiUrl(): string {
    return this.transport.url;
  }

  /** Returns as soon as RunPod accepted the pod; billing starts now, readiness comes later. */
  async createPod(spec: PodSpec): Promise<RunpodPod> {
    const { compute } = spec;
    const env = Object.entries(spec.env).map(([key, value]) => ({ key, value }));
    const common = {
      name: spec.name,
      imageName: spec.imageName,
      cloudType: new GqlEnum(compute.cloudType),
      containerDiskInGb: spec.containerDiskInGb,
      dockerArgs: spec.dockerArgs ?? '',
      ports: spec.ports,
      startSsh: true,
      env,
    };
    // Field sets follow RunPod's Python SDK: CPU pods take an instanceId (e.g. cpu3c-8-16) and no
    // GPU, public-IP or volume fields.
    const [mutation, input] =
      compute.kind === 'gpu'
        ? [
            'podFindAndDeployOnDemand',
            { ...common, gpuTypeId: compute.gpuTypeId, gpuCount: compute.gpuCount ?? 1, volumeInGb: spec.volumeInGb, supportPublicIp: true },
          ]
        : ['deployCpuPod', { ...common, instanceId: compute.instanceId }];
    let data: Record<string, RunpodPod | null>;
    try {
      data = await this.transport.request('create RunPod pod', `mutation { ${mutation}(input: ${gqlLiteral(input)}) { ${POD_FIELDS} } }`, {
        createsResource: true,
      });
    } catch (error) {
      // The answer may have been lost after RunPod created the pod (timeout, 5xx). Pod names are unique
      // per run, so look for it: an unseen pod is a leaked pod.
      if (!(error instanceof RunpodApiError) || error instanceof RunpodGraphqlError || error instanceof RunpodAuthError) throw error;
      const created = (await this.listPods().catch(() => [])).find((p) => p.name === spec.name && p.desiredStatus !== 'TERMINATED');
      if (created) return created;
      throw error;
    }
    const pod = data[mutation];
    if (!pod?.id) throw new Error(`RunPod accepted ${mutation} but returned no pod id`);
    return pod;
  }

  /** null when RunPod no longer knows the pod (terminated). */
  async getPod(podId: string): Promise<RunpodPod | null> {
    const data = await this.transport.request<{ pod: RunpodPod | null }>(
      'read RunPod pod',
      `query { pod(input: ${gqlLiteral({ podId })}) { ${POD_FIELDS} } }`,
    );
    return data.pod;
  }

  async listPods(): Promise<RunpodPod[]> {
    const data = await this.transport.request<{ myself: { pods: RunpodPod[] | null } }>(
      'list RunPod pods',
      `query { myself { pods { ${POD_FIELDS} } } }`,
    );
    return data.myself.pods ?? [];
  }

  /** Stops billing for compute; the volume disk (if any) is still billed until terminate. */
  async stopPod(podId: string): Promise<void> {
    await this.transport.request('stop RunPod pod', `mutation { podStop(input: ${gqlLiteral({ podId })}) { id desiredStatus } }`);
  }

  /** Deletes the pod and its disks; nothing is billed afterwards. */
  async terminatePod(podId: string): Promise<void> {
    await this.transport.request('terminate RunPod pod', `mutation { podTerminate(input: ${gqlLiteral({ podId })}) }`);
  }
}
