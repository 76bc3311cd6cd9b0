/**
 * The harness's view of a RunPod pod: the few fields it acts on, read from REST v2's `Pod`
 * (components.schemas.Pod in fixtures/runpod/openapi-v2.json) or from GraphQL's create answer.
 */
export interface RunpodPod {
  id: string;
  name: string;
  /** REST v2 PodStatus: PROVISIONING, STARTING, RUNNING, EXITED, ERROR, TERMINATED. */
  status: string;
  /** Dollars per hour while running (REST `cost`, GraphQL `costPerHr`). */
  costPerHr: number | null;
  image: string | null;
  uptimeSeconds: number | null;
  /** false until the container runs (REST `runtime` is null before). */
  containerUp: boolean;
  /** SSH straight to the pod's sshd via its public `22/tcp` mapping; null until RunPod assigned one. */
  sshDirect: { host: string; port: number } | null;
}

/** REST v2 `Cloud`: SECURE (RunPod's data centres, public IP always) or COMMUNITY. */
export type CloudType = 'SECURE' | 'COMMUNITY';

/** One concrete thing to ask RunPod for; the provisioner tries a list of these in order. */
export type ComputeChoice =
  | { kind: 'gpu'; gpuTypeId: string; cloudType: CloudType; gpuCount?: number }
  | { kind: 'cpu'; instanceId: string; cloudType: CloudType };

export interface PodSpec {
  name: string;
  imageName: string;
  compute: ComputeChoice;
  containerDiskInGb: number;
  volumeInGb: number;
  /** Becomes the container's start command (the in-pod watchdog lives here). */
  dockerArgs?: string;
  env: Record<string, string>;
  /** RunPod format, e.g. `22/tcp`. */
  ports: string[];
  /** Server-side backstop: RunPod terminates the pod at this ISO time whatever the harness does. */
  terminateAfter: string | null;
}

export function describeChoice(choice: ComputeChoice): string {
  return choice.kind === 'gpu'
    ? `GPU ${choice.gpuTypeId} ×${choice.gpuCount ?? 1} (${choice.cloudType})`
    : `CPU ${choice.instanceId} (${choice.cloudType})`;
}

/** `cpu5c-8-16` → REST v2's `cpu: { id: 'cpu5c', vcpuCount: 8 }` (memory follows from the flavour). */
export function parseCpuInstanceId(instanceId: string): { id: string; vcpuCount: number } {
  const match = /^(cpu\w+?)-(\d+)-(\d+)$/.exec(instanceId);
  if (!match) throw new Error(`CPU instance ids look like cpu3c-8-16, got "${instanceId}"`);
  return { id: match[1]!, vcpuCount: Number(match[2]) };
}

/** One layer of "never leak a pod" and whether it is armed for this pod (docs/runpod.md, "Never leaking a pod"). */
export interface LeakGuard {
  layer: 'server terminateAfter' | 'in-pod watchdog' | 'signal/crash stop' | 'state file + reaper';
  armed: boolean;
  detail: string;
}

/** `server terminateAfter armed (…); in-pod watchdog NOT armed (…)`: one line for the log and the reports. */
export function leakGuardsText(guards: readonly { layer: string; armed: boolean; detail: string }[]): string {
  return guards.map((g) => `${g.layer} ${g.armed ? 'armed' : 'NOT armed'} (${g.detail})`).join('; ');
}
