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
      try {
        const podIds = guard.mine().map((p) => p.podId);
        // The request goes out before anything is logged: under Vitest, console output travels over an
        // IPC channel that may already be closed, and a throw from a log call must not cost a pod.
        if (podIds.length > 0) stopPodsSync(guard, podIds, options, signal, safe(logger));
      } finally {
        process.exit(128 + SIGNAL_NUMBERS[signal]);
      }
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstall;
}

/** A logger whose calls never throw. */
function safe(logger: Logger): Logger {
  const guarded = (fn: (m: string) => void) => (m: string) => {
    try {
      fn(m);
    } catch {
      // Nowhere left to report to.
    }
  };
  return { info: guarded((m) => logger.info(m)), warn: guarded((m) => logger.warn(m)), debug: guarded((m) => logger.debug(m)) };
}

function stopPodsSync(guard: PodGuard, podIds: string[], options: SignalStopOptions, signal: StopSignal, logger: Logger): void {
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
  logger.warn(`${signal}: ${options.action === 'stop' ? 'stopped' : 'terminated'} RunPod pod(s) ${podIds.join(', ')} before exit`);
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
