import type { Logger } from '../../log.ts';
import type { Target } from '../../targets/target.ts';
import type { RunpodClient } from './client.ts';
import { formatCost, type CostMeter } from './cost.ts';
import { RunpodApiError } from './errors.ts';
import type { PodGuard } from './guard.ts';
import { describeError } from './redact.ts';

export interface ReleaseDeps {
  client: RunpodClient;
  guard: PodGuard;
  podId: string;
  action: 'terminate' | 'stop';
  meter: CostMeter;
  logger: Logger;
  /** The SSH target, once there is one. */
  target: () => Target | null;
  /** Runs last on every path (removes the signal handlers). */
  finally: () => void;
}

/**
 * The one way a pod is given back: close SSH, terminate (or stop), cross it off the state file, stop
 * the cost meter. Idempotent: every caller (normal end, error path, withRunpodPod) may call it.
 */
export function makeRelease(deps: ReleaseDeps): () => Promise<void> {
  let releasing: Promise<void> | null = null;
  return () => (releasing ??= release(deps));
}

async function release({ client, guard, podId, action, meter, logger, target, finally: done }: ReleaseDeps): Promise<void> {
  meter.phase('teardown');
  try {
    await target()
      ?.close()
      .catch((e) => logger.warn(`closing SSH to pod ${podId}: ${describeError(e)}`));
    if (action === 'stop') {
      // A stopped pod still exists (its volume is billed), so it stays on record for the reaper.
      await client.stopPod(podId);
    } else {
      await terminateUnlessGone(client, podId);
      guard.forget(podId);
    }
    logger.info(`RunPod: pod ${podId} ${action === 'stop' ? 'stopped' : 'terminated'}`);
  } catch (error) {
    throw new RunpodApiError(
      'release RunPod pod',
      `could not ${action} pod ${podId}: ${describeError(error)}`,
      `it is still billed; it is recorded in ${guard.stateFile}: run \`npm run runpod:pods -- --reap\` or terminate it in the RunPod console`,
    );
  } finally {
    meter.stop();
    done();
    logger.info(formatCost(meter.summary()));
  }
}

/**
 * Terminate; a pod already gone (terminateAfter, watchdog, console) is success: REST answers 404 then, and after
 * any other failure the pod is looked up once more.
 */
async function terminateUnlessGone(client: RunpodClient, podId: string): Promise<void> {
  try {
    await client.terminatePod(podId);
  } catch (error) {
    const now = await client.getPod(podId).catch(() => undefined);
    if (now === null || now?.status === 'TERMINATED') return;
    throw error;
  }
}
