/**
 * Pod names carry what a reaper needs to judge a pod without any local state: that this harness made
 * it, when, and how long it may live. `bitnet-bench-<runId>-c<createdEpochSeconds>-b<budgetSeconds>`.
 */
export const POD_NAME_PREFIX = 'bitnet-bench-';

export interface PodNameParts {
  runId: string;
  createdAtMs: number;
  budgetSeconds: number;
}

export function podName(runId: string, createdAtMs: number, budgetSeconds: number): string {
  const safeRunId = runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${POD_NAME_PREFIX}${safeRunId}-c${Math.floor(createdAtMs / 1000)}-b${Math.ceil(budgetSeconds)}`;
}

/** null for pods this harness did not name (never touch those). */
export function parsePodName(name: string): PodNameParts | null {
  const match = /^bitnet-bench-(.+)-c(\d+)-b(\d+)$/.exec(name);
  if (!match) return null;
  return { runId: match[1]!, createdAtMs: Number(match[2]) * 1000, budgetSeconds: Number(match[3]) };
}

export function isHarnessPodName(name: string): boolean {
  return name.startsWith(POD_NAME_PREFIX);
}
