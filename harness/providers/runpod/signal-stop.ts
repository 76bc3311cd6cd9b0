import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../log.ts';
import { silentLogger } from '../../log.ts';
import type { PodGuard } from './guard.ts';
import { redact } from './redact.ts';

const STOP_SCRIPT = fileURLToPath(new URL('./stop-pods.mjs', import.meta.url));
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;
type CrashEvent = 'uncaughtException' | 'unhandledRejection';

export interface SignalStopOptions {
  apiKey: string;
  apiUrl: string;
  action: 'terminate' | 'stop';
  logger?: Logger;
  /** Upper bound on the blocking stop request, so a dead network cannot hang Ctrl-C forever. */
  timeoutMs?: number;
  signals?: StopSignal[];
  /** Also stop the pods before an uncaught exception / unhandled rejection ends the process (default on). */
  onCrash?: boolean;
}

/**
 * On SIGINT/SIGTERM/SIGHUP, and on an error nobody catches, terminate this process's pods before dying. It must be synchronous: Vitest
 * (and most runners) exit about a millisecond after the signal and skip every async teardown, so an
 * `await client.terminatePod()` in a handler would never be sent. `spawnSync` blocks the event loop
 * until a child node process has made the request. Afterwards the process exits with 128+signal, the
 * shell's convention for "killed by signal".
 *
 * An uncaught exception or unhandled rejection (an ssh2 socket's ECONNRESET without a listener, a bug) would
 * end the process without any teardown: the same synchronous stop runs first, then the error is printed and the
 * process exits 1, as Node itself would. Only when this handler is the process's last line of defence: if
 * another handler is installed (Vitest's, which records the error and carries on to its teardown), the process
 * survives and the normal release gives the pod back, so the pod is left alone here.
 * Returns a function that removes every handler.
 */
export function installSignalStop(guard: PodGuard, options: SignalStopOptions): () => void {
  const logger = options.logger ?? silentLogger;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = new Map<StopSignal, () => void>();

  const onCrash = (error: unknown, origin: CrashEvent) => {
    const listeners: unknown[] = origin === 'unhandledRejection' ? process.listeners('unhandledRejection') : process.listeners('uncaughtException');
    if (listeners.some((l) => l !== crashHandlers[origin])) return;
    uninstall();
    try {
      const podIds = guard.mine().map((p) => p.podId);
      if (podIds.length > 0) stopPodsSync(guard, podIds, options, origin, safe(logger));
    } finally {
      try {
        process.stderr.write(`${redact(error instanceof Error ? (error.stack ?? error.message) : `${origin}: ${String(error)}`)}\n`);
      } finally {
        process.exit(1);
      }
    }
  };
  const crashHandlers = {
    uncaughtException: (error: unknown) => onCrash(error, 'uncaughtException'),
    unhandledRejection: (reason: unknown) => onCrash(reason, 'unhandledRejection'),
  };

  const uninstall = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
    process.removeListener('uncaughtException', crashHandlers.uncaughtException);
    process.removeListener('unhandledRejection', crashHandlers.unhandledRejection);
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
  if (options.onCrash !== false) {
    process.on('uncaughtException', crashHandlers.uncaughtException);
    process.on('unhandledRejection', crashHandlers.unhandledRejection);
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

function stopPodsSync(guard: PodGuard, podIds: string[], options: SignalStopOptions, signal: string, logger: Logger): void {
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
