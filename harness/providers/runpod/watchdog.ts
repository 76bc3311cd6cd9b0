import type { Target } from '../../targets/target.ts';

/**
 * The in-pod watchdog: the pod's own start command removes the pod once the run's time budget is
 * spent, whatever happened to the harness (laptop closed, network gone, kill -9). RunPod documents
 * `sleep 2h; runpodctl stop pod $RUNPOD_POD_ID &` for exactly this, and injects RUNPOD_POD_ID and a
 * pod-scoped RUNPOD_API_KEY into every pod, with runpodctl preinstalled in its images.
 *
 * It is the second layer: RunPod's own terminateAfter (set at create, where the API offers it) is the first.
 * Without `runpodctl` in the image the watchdog cannot act, so it says so in its log and exits at once, and
 * the harness reports it as not armed (`watchdogArmed`). Removing (terminate) is tried first so nothing is
 * billed afterwards; `stop` is the documented fallback. The command wraps the image's own start script (`/start.sh` in RunPod's base images,
 * which installs PUBLIC_KEY and starts sshd), so SSH still comes up.
 */
export interface WatchdogOptions {
  budgetSeconds: number;
  /** The image's normal start command; the pod would not start sshd without it. */
  imageStartCommand: string;
}

/** The watchdog's log inside the pod. */
export const WATCHDOG_LOG = '/tmp/bench-watchdog.log';

export function watchdogDockerArgs({ budgetSeconds, imageStartCommand }: WatchdogOptions): string {
  if (!Number.isInteger(budgetSeconds) || budgetSeconds <= 0) throw new Error(`watchdog budget must be a positive whole number of seconds, got ${budgetSeconds}`);
  if (/['"\\]/.test(imageStartCommand)) throw new Error('imageStartCommand must not contain quotes or backslashes');
  const selfDestruct =
    'command -v runpodctl >/dev/null 2>&1 || { echo "bench-watchdog: runpodctl not found, not armed"; exit 0; }; ' +
    `echo "bench-watchdog: armed for ${budgetSeconds} s"; sleep ${budgetSeconds}; ` +
    'runpodctl remove pod "$RUNPOD_POD_ID" || runpodctl stop pod "$RUNPOD_POD_ID"';
  return `bash -c '(${selfDestruct}) >${WATCHDOG_LOG} 2>&1 & exec ${imageStartCommand}'`;
}

/** Asked over SSH once the pod is up: the watchdog can act only where `runpodctl` is on PATH. */
export async function watchdogArmed(target: Target): Promise<boolean> {
  const result = await target.exec({ argv: ['sh', '-c', 'command -v runpodctl'], timeoutMs: 15_000 });
  return result.exitCode === 0 && result.stdout.trim().length > 0;
}
