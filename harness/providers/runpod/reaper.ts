import { hostname } from 'node:os';
import type { Logger } from '../../log.ts';
import type { RunpodClient } from './client.ts';
import { isProcessAlive, type PodGuard } from './guard.ts';
import { isHarnessPodName, parsePodName } from './naming.ts';
import { describeError } from './redact.ts';

export interface ReapOptions {
  client: RunpodClient;
  guard: PodGuard;
  logger: Logger;
  now?: () => number;
  /** Slack past a pod's budget before it counts as abandoned (the watchdog should have fired). */
  graceSeconds?: number;
}

export interface ReapResult {
  terminated: { podId: string; name: string; reason: string }[];
  failed: { podId: string; error: string }[];
  /** Harness pods left alone: another live run's, still within budget. */
  kept: string[];
}

/**
 * Run at the start of each run (and by `npm run runpod:pods -- --reap`). Terminates this harness's pods
 * that nobody is using any more: those past the budget written in their name, and those whose owning
 * process on this machine (from the state file) is dead. Pods not named by this harness are never
 * touched. State-file entries for pods RunPod no longer has are dropped.
 */
export async function reapOrphans(options: ReapOptions): Promise<ReapResult> {
  const { client, guard, logger } = options;
  const now = options.now ?? Date.now;
  const grace = (options.graceSeconds ?? 120) * 1000;
  const records = guard.list().filter((r) => r.apiUrl === client.apiUrl);
  const result: ReapResult = { terminated: [], failed: [], kept: [] };

  const pods = await client.listPods();
  for (const pod of pods) {
    if (!isHarnessPodName(pod.name) || pod.status === 'TERMINATED') continue;
    const parts = parsePodName(pod.name);
    const record = records.find((r) => r.podId === pod.id);
    let reason: string | null = null;
    if (record && record.hostname === hostname() && record.pid !== process.pid && !isProcessAlive(record.pid)) {
      reason = `its run (pid ${record.pid}) is dead`;
    } else if (parts && now() > parts.createdAtMs + parts.budgetSeconds * 1000 + grace) {
      reason = `older than its ${parts.budgetSeconds} s budget`;
    } else if (!parts) {
      logger.warn(`RunPod reaper: ${pod.id} "${pod.name}" has the harness prefix but no budget in its name; leaving it`);
    }
    if (!reason) {
      result.kept.push(pod.id);
      continue;
    }
    try {
      await client.terminatePod(pod.id);
      guard.forget(pod.id);
      result.terminated.push({ podId: pod.id, name: pod.name, reason });
      logger.warn(`RunPod reaper: terminated orphan pod ${pod.id} "${pod.name}": ${reason}`);
    } catch (error) {
      result.failed.push({ podId: pod.id, error: describeError(error) });
      logger.warn(`RunPod reaper: could not terminate ${pod.id}: ${describeError(error)}`);
    }
  }

  const known = new Set(pods.filter((p) => p.status !== 'TERMINATED').map((p) => p.id));
  for (const record of records) {
    if (!known.has(record.podId)) guard.forget(record.podId);
  }
  return result;
}
