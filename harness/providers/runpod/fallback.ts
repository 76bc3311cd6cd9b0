import type { Logger } from '../../log.ts';
import { RunpodApiError, RunpodCapacityError } from './errors.ts';
import type { RunpodClient } from './client.ts';
import { describeChoice, type ComputeChoice, type PodSpec, type RunpodPod } from './types.ts';

export interface FallbackAttempt {
  choice: ComputeChoice;
  outcome: 'created' | 'no-capacity';
  message?: string;
}

/**
 * Tries each compute choice in order until RunPod has capacity for one. Only "out of capacity" moves
 * on; any other error (bad image, bad key, malformed request) would fail the same way everywhere, so
 * it stops the run at once.
 */
export async function createWithFallback(
  client: RunpodClient,
  spec: Omit<PodSpec, 'compute'>,
  choices: ComputeChoice[],
  logger: Logger,
): Promise<{ pod: RunpodPod; choice: ComputeChoice; attempts: FallbackAttempt[] }> {
  if (choices.length === 0) throw new Error('no RunPod compute choices configured');
  const attempts: FallbackAttempt[] = [];
  for (const [index, choice] of choices.entries()) {
    logger.info(`RunPod: requesting ${describeChoice(choice)} (option ${index + 1}/${choices.length})`);
    try {
      const pod = await client.createPod({ ...spec, compute: choice });
      attempts.push({ choice, outcome: 'created' });
      logger.info(`RunPod: created pod ${pod.id} (${describeChoice(choice)})`);
      return { pod, choice, attempts };
    } catch (error) {
      if (!(error instanceof RunpodCapacityError)) throw error;
      attempts.push({ choice, outcome: 'no-capacity', message: error.messages.join('; ') });
      logger.warn(`RunPod: no capacity for ${describeChoice(choice)}: ${error.messages.join('; ')}`);
    }
  }
  // REST answers 400 both for "no capacity" and for a request that breaks a rule, so when every candidate was
  // refused the last refusal is shown too: it may be the real cause (RunPod's createPod description says so).
  throw new RunpodApiError(
    'create RunPod pod',
    `no capacity for any of: ${choices.map(describeChoice).join(', ')} (last refusal: ${attempts.at(-1)?.message ?? 'none'})`,
    'add more GPU/CPU types or cloud types to the list (RUNPOD_GPU_TYPES / RUNPOD_CPU_INSTANCES / RUNPOD_CLOUD_TYPES), or try again later; if the last refusal names a rule, fix the setting it names',
  );
}
