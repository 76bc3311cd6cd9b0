/** RunPod pod shapes, as the documented GraphQL queries return them. */
export interface RunpodPortMapping {
  ip: string;
  isIpPublic: boolean;
  privatePort: number;
  publicPort: number;
  /** `tcp` or `http`. */
  type: string;
}

export interface RunpodPod {
  id: string;
  name: string;
  /** RUNNING, EXITED, TERMINATED … — what RunPod is driving the pod towards. */
  desiredStatus: string | null;
  /** Dollars per hour while running. */
  costPerHr: number | null;
  imageName: string | null;
  machineId: string | null;
  /** null until the container is up. */
  runtime: { uptimeInSeconds: number | null; ports: RunpodPortMapping[] | null } | null;
}

export type CloudType = 'SECURE' | 'COMMUNITY' | 'ALL';

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
  ports: string;
}

export function describeChoice(choice: ComputeChoice): string {
  return choice.kind === 'gpu'
    ? `GPU ${choice.gpuTypeId} ×${choice.gpuCount ?? 1} (${choice.cloudType})`
    : `CPU ${choice.instanceId} (${choice.cloudType})`;
}
