import type { Logger } from '../../log.ts';
import type { Target } from '../../targets/target.ts';
import { RunpodApiError } from './errors.ts';
import type { RunpodClient } from './client.ts';
import { describeError } from './redact.ts';

export interface SshConnectOptions {
  host: string;
  port: number;
  username: string;
  privateKey: string;
}

/** Opens an SSH target (the SSH helper's `connectSshTarget`); injected so tests can use a local sshd. */
export type SshConnect = (options: SshConnectOptions) => Promise<Target>;

export interface ReadinessOptions {
  client: RunpodClient;
  podId: string;
  connect: SshConnect;
  privateKey: string;
  username: string;
  /** Image pulls can take many minutes; 15 min is the default budget. */
  timeoutMs: number;
  pollMs: number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Waits until the pod is really usable. RunPod says RUNNING long before that: first the runtime has no
 * ports (image still pulling), then a public port 22 appears, then sshd inside starts accepting. Only a
 * completed SSH handshake with our key ends the wait.
 */
export async function waitForSsh(options: ReadinessOptions): Promise<{ target: Target; host: string; port: number }> {
  const { client, podId, logger } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const started = now();
  let lastState = '';
  for (let poll = 1; ; poll++) {
    const pod = await client.getPod(podId);
    if (!pod) throw new RunpodApiError('wait for RunPod pod', `pod ${podId} disappeared while starting`, 'it was terminated from outside (console, reaper, watchdog); run again');
    if (pod.status === 'EXITED' || pod.status === 'TERMINATED' || pod.status === 'ERROR') {
      throw new RunpodApiError('wait for RunPod pod', `pod ${podId} is ${pod.status} while starting`, 'check the image and start command in the RunPod console logs');
    }
    const mapping = pod.sshDirect;
    let state: string;
    if (!mapping) {
      state = pod.containerUp ? 'container up, no public port 22 yet' : `${pod.status}, container not up yet (image pull)`;
    } else {
      try {
        const target = await options.connect({ host: mapping.host, port: mapping.port, username: options.username, privateKey: options.privateKey });
        logger.info(`RunPod: pod ${podId} reachable over SSH at ${mapping.host}:${mapping.port} after ${((now() - started) / 1000).toFixed(0)} s`);
        return { target, host: mapping.host, port: mapping.port };
      } catch (error) {
        state = `port 22 → ${mapping.host}:${mapping.port}, SSH not accepting yet (${describeError(error)})`;
      }
    }
    const elapsed = now() - started;
    if (state !== lastState || poll % 10 === 0) {
      logger.info(`RunPod: pod ${podId}: ${state} (${(elapsed / 1000).toFixed(0)} s)`);
      lastState = state;
    }
    if (elapsed >= options.timeoutMs) {
      throw new RunpodApiError(
        'wait for RunPod pod',
        `pod ${podId} not reachable over SSH after ${(elapsed / 1000).toFixed(0)} s: ${state}`,
        'raise RUNPOD_READY_TIMEOUT_S for big images, or check that the image starts sshd from PUBLIC_KEY (RunPod base images do)',
      );
    }
    await sleep(Math.min(options.pollMs, Math.max(0, options.timeoutMs - elapsed)));
  }
}
