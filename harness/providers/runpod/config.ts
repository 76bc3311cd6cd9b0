import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { RUNPOD_GRAPHQL_URL } from './graphql.ts';
import { RUNPOD_REST_URL } from './rest.ts';
import type { CloudType, ComputeChoice } from './types.ts';

const cloudType = z.enum(['SECURE', 'COMMUNITY']);

/** RunPod's CPU flavours reject a larger container disk (runpod-python tests/runpod_smoke/config.py: 20 GB; the largest allow 30). */
export const CPU_MAX_CONTAINER_DISK_GB = 20;

/** RUNPOD_API_URL: the REST base, as in runpodctl v2 (which reads RUNPOD_GRAPHQL_URL for GraphQL). */
export const restApiUrl = z
  .url()
  .refine((u) => !/\/v1\/?$/.test(u), 'RUNPOD_API_URL points at REST v1, retired on 2026-11-15: set it to https://api.runpod.io (the v2 host) or unset it')
  .refine((u) => !/\/graphql\/?$/.test(u), 'RUNPOD_API_URL is the REST base (https://api.runpod.io); put a GraphQL URL in RUNPOD_GRAPHQL_URL');

const runpodSettings = z.object({
  apiKey: z.string().min(8, 'RUNPOD_API_KEY is missing or too short'),
  /** REST base, as RUNPOD_API_URL in runpodctl; the paths (`/v2/pods` …) come from the OpenAPI document. */
  apiUrl: restApiUrl.default(RUNPOD_REST_URL),
  /** Only for the one call REST lacks (GPU create with terminateAfter). */
  graphqlUrl: z.url().default(RUNPOD_GRAPHQL_URL),
  runId: z.string().min(1),
  /** Needs sshd started from env PUBLIC_KEY at /start.sh, as RunPod's own images do. */
  image: z.string().min(1).default('runpod/pytorch:2.1.0-py3.10-cuda11.8.0-devel-ubuntu22.04'),
  /** bitnet.cpp runs on the CPU; a CPU pod buys the same cores for less than a GPU pod. */
  compute: z.enum(['gpu', 'cpu']).default('gpu'),
  gpuTypeIds: z.array(z.string().min(1)).min(1).default(['NVIDIA GeForce RTX 4090']),
  cpuInstanceIds: z
    .array(
      z
        .string()
        .regex(/^cpu\w+-\d+-\d+$/, 'CPU instance ids look like cpu3c-8-16 (flavour-vCPUs-GB)')
        .refine((id) => isPowerOfTwo(Number(id.split('-')[1])), 'the vCPU count of a CPU instance must be a power of two, at least 2 (REST v2 BaseCpuConfig.vcpuCount)'),
    )
    .min(1)
    .default(['cpu5c-8-16', 'cpu3c-8-16']),
  /** Tried in this order for each type. Default: COMMUNITY then SECURE for GPU pods, SECURE only for CPU pods. */
  cloudTypes: z.array(cloudType).min(1).optional(),
  containerDiskInGb: z.number().int().min(5).default(CPU_MAX_CONTAINER_DISK_GB),
  volumeInGb: z.number().int().min(0).default(0),
  /** Whole-run budget: RunPod's terminateAfter, the in-pod watchdog and the reaper end the pod after this. */
  budgetSeconds: z.number().int().min(60).default(3600),
  /** RunPod terminates the pod itself at create time + budget (GPU pods; REST has no such field, see docs/runpod.md). */
  serverBackstop: z.boolean().default(true),
  readyTimeoutSeconds: z.number().int().min(10).default(900),
  readyPollSeconds: z.number().min(0.05).default(5),
  onRelease: z.enum(['terminate', 'stop']).default('terminate'),
  sshUsername: z.string().min(1).default('root'),
  watchdog: z.boolean().default(true),
  imageStartCommand: z.string().min(1).default('/start.sh'),
  reapOnStart: z.boolean().default(true),
});

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

export const runpodConfigSchema = runpodSettings.superRefine((c, ctx) => {
  if (c.compute === 'cpu' && c.containerDiskInGb > CPU_MAX_CONTAINER_DISK_GB) {
    ctx.addIssue({
      code: 'custom',
      path: ['containerDiskInGb'],
      message: `CPU pods accept at most ${CPU_MAX_CONTAINER_DISK_GB} GB of container disk, got ${c.containerDiskInGb}: set RUNPOD_CONTAINER_DISK_GB to ${CPU_MAX_CONTAINER_DISK_GB} or less`,
    });
  }
  // Pods created over REST cannot ask for a public IP (CreatePodRequest has no such field), and a Community
  // Cloud pod "might not have a public IP": SSH would never come up. Secure Cloud pods always have one.
  const overRest = c.compute === 'cpu' || !c.serverBackstop;
  if (overRest && c.cloudTypes?.includes('COMMUNITY')) {
    ctx.addIssue({
      code: 'custom',
      path: ['cloudTypes'],
      message: `${c.compute === 'cpu' ? 'CPU pods' : 'GPU pods without the server backstop'} are created through REST, which cannot request a public IP on Community Cloud: set RUNPOD_CLOUD_TYPES=SECURE`,
    });
  }
});

export type RunpodConfig = z.infer<typeof runpodConfigSchema>;
export type RunpodConfigInput = z.input<typeof runpodConfigSchema>;

export function parseRunpodConfig(input: RunpodConfigInput): RunpodConfig {
  const result = runpodConfigSchema.safeParse(input);
  if (!result.success) {
    // Never echo the input: it holds the API key.
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid RunPod configuration: ${problems}`, 'see docs/runpod.md for the RUNPOD_* settings');
  }
  return result.data;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
/** A numeric RUNPOD_* variable (seconds or GB; fractions allowed, the schema checks the range). */
const numberVar = (name: string, value: string | undefined) => {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number, got "${value}"`, `set ${name} to a number such as the default in docs/runpod.md, or unset it`);
  return n;
};

/** The settings a harness config file may hold: everything but the key (env only) and the run id (per run). */
export const runpodFileSettingsSchema = runpodSettings.omit({ apiKey: true, runId: true }).partial();
export type RunpodFileSettings = z.infer<typeof runpodFileSettingsSchema>;

/** Reads the RUNPOD_* environment variables documented in docs/runpod.md. */
export function runpodConfigFromEnv(runId: string, env: NodeJS.ProcessEnv = process.env, fromFile: RunpodFileSettings = {}): RunpodConfig {
  if (!env.RUNPOD_API_KEY) {
    throw new ConfigError('RUNPOD_API_KEY is not set', 'create a key at console.runpod.io → Settings → API Keys and export RUNPOD_API_KEY');
  }
  const fromEnv = runpodSettingsFromEnv(env);
  const defined = Object.fromEntries(Object.entries(fromEnv).filter(([, v]) => v !== undefined));
  return parseRunpodConfig({ ...fromFile, ...defined, apiKey: env.RUNPOD_API_KEY, runId });
}

function runpodSettingsFromEnv(env: NodeJS.ProcessEnv): RunpodFileSettings {
  return {
    apiUrl: env.RUNPOD_API_URL || undefined,
    graphqlUrl: env.RUNPOD_GRAPHQL_URL || undefined,
    image: env.RUNPOD_IMAGE || undefined,
    compute: (env.RUNPOD_COMPUTE as 'gpu' | 'cpu' | undefined) || undefined,
    gpuTypeIds: list(env.RUNPOD_GPU_TYPES),
    cpuInstanceIds: list(env.RUNPOD_CPU_INSTANCES),
    cloudTypes: list(env.RUNPOD_CLOUD_TYPES) as CloudType[] | undefined,
    containerDiskInGb: numberVar('RUNPOD_CONTAINER_DISK_GB', env.RUNPOD_CONTAINER_DISK_GB),
    volumeInGb: numberVar('RUNPOD_VOLUME_GB', env.RUNPOD_VOLUME_GB),
    budgetSeconds: numberVar('RUNPOD_BUDGET_S', env.RUNPOD_BUDGET_S),
    serverBackstop: env.RUNPOD_SERVER_BACKSTOP === undefined ? undefined : env.RUNPOD_SERVER_BACKSTOP !== '0',
    readyTimeoutSeconds: numberVar('RUNPOD_READY_TIMEOUT_S', env.RUNPOD_READY_TIMEOUT_S),
    readyPollSeconds: numberVar('RUNPOD_READY_POLL_S', env.RUNPOD_READY_POLL_S),
    onRelease: (env.RUNPOD_ON_RELEASE as 'terminate' | 'stop' | undefined) || undefined,
    watchdog: env.RUNPOD_WATCHDOG === undefined ? undefined : env.RUNPOD_WATCHDOG !== '0',
    imageStartCommand: env.RUNPOD_IMAGE_START_COMMAND || undefined,
  };
}

/** The ordered list of things to ask RunPod for: each type, in each cloud, in order. */
export function computeChoices(config: RunpodConfig): ComputeChoice[] {
  const clouds = config.cloudTypes ?? defaultCloudTypes(config);
  if (config.compute === 'cpu') {
    return config.cpuInstanceIds.flatMap((instanceId) => clouds.map((cloudType) => ({ kind: 'cpu' as const, instanceId, cloudType })));
  }
  return config.gpuTypeIds.flatMap((gpuTypeId) => clouds.map((cloudType) => ({ kind: 'gpu' as const, gpuTypeId, cloudType })));
}

/** COMMUNITY first where a public IP can be requested (GraphQL create), because it is cheaper; else SECURE only. */
export function defaultCloudTypes(config: Pick<RunpodConfig, 'compute' | 'serverBackstop'>): CloudType[] {
  return config.compute === 'gpu' && config.serverBackstop ? ['COMMUNITY', 'SECURE'] : ['SECURE'];
}
