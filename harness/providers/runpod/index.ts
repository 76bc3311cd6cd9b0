/** The RunPod provider's public API. See docs/runpod.md. */
export { provisionRunpodPod, withRunpodPod, type ProvisionDeps, type ProvisionedPod } from './provision.ts';
export { runpodConfigFromEnv, parseRunpodConfig, computeChoices, type RunpodConfig, type RunpodConfigInput } from './config.ts';
export { CostMeter, formatCost, type CostSummary, type CostPhase } from './cost.ts';
export { RunpodClient } from './client.ts';
export { GraphqlTransport, RUNPOD_GRAPHQL_URL } from './graphql.ts';
export { HttpTransport, parseRetryAfter } from './http.ts';
export { RunpodRest, RUNPOD_REST_URL } from './rest.ts';
export { PodGuard, defaultStateFile, type LivePodRecord } from './guard.ts';
export { reapOrphans, type ReapResult } from './reaper.ts';
export { installSignalStop } from './signal-stop.ts';
export { generateSshKeyPair, type SshKeyPair } from './keys.ts';
export { waitForSsh, type SshConnect, type SshConnectOptions } from './readiness.ts';
export { redact, registerSecret, redactingLogger } from './redact.ts';
export { RunpodApiError, RunpodAuthError, RunpodCapacityError, RunpodGraphqlError } from './errors.ts';
export type { RunpodPod, ComputeChoice, CloudType, LeakGuard } from './types.ts';
