import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../log.ts';
import { silentLogger } from '../../log.ts';
import type { PodGuard } from './guard.ts';
import { redact } from './redact.ts';

const STOP_SCRIPT = fileURLToPath(new URL('./stop-pods.mjs', import.meta.url));
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

export interface SignalStopOptions {
  apiKey: string;
  apiUrl: string;
  action: 'terminate' | 'stop';
  logger?: Logger;
  /** Upper bound on the blocking stop request, so a dead network cannot hang Ctrl-C forever. */
  timeoutMs?: number;
  signals?: StopSignal[];
}

/**
 * On SIGINT/SIGTERM/SIGHUP, terminate this process's pods before dying. It must be synchronous: Vitest
 * (and most runners) exit about a millisecond after the signal and skip every async teardown, so an
 * `await client.terminatePod()` in a handler would never be sent. `spawnSync` blocks the event loop
 * until a child node process has made the request. Afterwards the process exits with 128+signal, the
 * shell's convention for "killed by signal". Returns a function that removes the handlers.
 */
export function installSignalStop(guard: PodGuard, options: SignalStopOptions): () => void {
  const logger = options.logger ?? silentLogger;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = new Map<StopSignal, () => void>();

  const uninstall = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };

  for (const signal of signals) {
    const handler = () => {
      uninstall();
      const podIds = guard.mine().map((p) => p.podId);
      if (podIds.length > 0) {
        logger.warn(`${signal}: ${options.action === 'stop' ? 'stopping' : 'terminating'} RunPod pod(s) ${podIds.join(', ')} before exit`);
        stopPodsSync(guard, podIds, options, logger);
      }
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstall;
}

function stopPodsSync(guard: PodGuard, podIds: string[], options: SignalStopOptions, logger: Logger): void {
  const result = spawnSync(process.execPath, [STOP_SCRIPT, ...podIds], {
    env: {
      PATH: process.env.PATH ?? '',
      RUNPOD_API_KEY: options.apiKey,
      RUNPOD_API_URL: options.apiUrl,
      RUNPOD_STOP_ACTION: options.action,
    },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
  });
  for (const line of (result.stdout ?? '').split('\n')) {
    const [status, podId, ...reason] = line.trim().split(' ');
    if (status === 'ok' && podId) {
      // Only a stopped pod leaves the state file; a failed one stays for the next run's reaper.
      if (options.action === 'terminate') guard.forget(podId);
      logger.warn(`pod ${podId}: ${options.action} sent`);
    } else if (status === 'fail' && podId) {
      logger.warn(redact(`pod ${podId}: ${options.action} failed (${reason.join(' ')}); it stays in ${guard.stateFile} for the reaper`));
    }
  }
  if (result.error) logger.warn(redact(`stop script failed: ${result.error.message}`));
}
