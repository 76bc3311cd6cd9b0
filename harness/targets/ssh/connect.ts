import ssh2 from 'ssh2';
import { HarnessError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { checkHostKey, type HostKeyPolicy } from './host-key.ts';

export interface RetryPolicy {
  /** Total connection attempts, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ConnectionSettings {
  host: string;
  port: number;
  username: string;
  privateKey?: string | Buffer;
  agent?: string;
  /** Where the key came from, for error messages (never the key itself). */
  keySource: string;
  hostKey: HostKeyPolicy;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  retry: RetryPolicy;
}

/** Connection failures that say something is wrong rather than not up yet: retrying cannot help. */
class FinalConnectError extends Error {
  constructor(readonly error: HarnessError) {
    super(error.message);
  }
}

/** Delay before retry number `retry` (0-based): exponential, capped. */
export function backoffDelayMs(retry: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
}

/**
 * Connects with retries: a freshly booted host refuses connections, resets them or stalls the
 * handshake until sshd is up, so those are retried with exponential backoff. Authentication failures
 * and host-key refusals are final at once: retrying a wrong key only delays the error message.
 */
export async function connectWithRetry(settings: ConnectionSettings, log: Logger, signal?: AbortSignal): Promise<ssh2.Client> {
  const { host, port, username, retry } = settings;
  const started = performance.now();
  let lastError: unknown;
  for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
    signal?.throwIfAborted();
    try {
      return await connectOnce(settings, log);
    } catch (error) {
      if (error instanceof FinalConnectError) throw error.error;
      lastError = error;
      if (attempt >= retry.attempts) break;
      const delay = backoffDelayMs(attempt - 1, retry);
      log.warn(`ssh ${username}@${host}:${port}: ${(error as Error).message}; retrying in ${delay} ms (attempt ${attempt + 1} of ${retry.attempts})`);
      await sleep(delay, signal);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  throw new HarnessError('infrastructure', `connect to ssh ${username}@${host}:${port}`, `no SSH connection after ${retry.attempts} attempts over ${seconds} s; last error: ${(lastError as Error).message}`, 'check that the host is up, sshd listens on that port and nothing blocks it; a host that is still booting may need more connectRetry.attempts', { cause: lastError });
}

function connectOnce(settings: ConnectionSettings, log: Logger): Promise<ssh2.Client> {
  const { host, port, username } = settings;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let refusal: HarnessError | undefined;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(classify(error, refusal, settings));
    };
    // A permanent listener: ssh2 emits 'error' (keepalive timeout, reset) for the connection's whole life,
    // and an unhandled 'error' event would crash the harness. The owner watches 'close' to notice the loss.
    client.on('error', (error) => (settled ? log.debug(`ssh ${host}:${port}: ${error.message}`) : fail(error)));
    client.once('close', () => fail(new Error('connection closed during the handshake')));
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    try {
      client.connect({
        host,
        port,
        username,
        privateKey: settings.privateKey,
        agent: settings.agent,
        readyTimeout: settings.readyTimeoutMs,
        keepaliveInterval: settings.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          checkHostKey(key, settings.hostKey, host, port, log).then(
            (result) => ((refusal = result), verify(result === undefined)),
            (error: Error) => ((refusal = new HarnessError('infrastructure', `verify host key of ${host}:${port}`, `cannot read or write ${settings.hostKey.knownHostsFile}: ${error.message}`, 'check that the known-hosts file is readable and its folder writable')), verify(false)),
          );
        },
      });
    } catch (error) {
      // ssh2 validates the key synchronously ("Cannot parse privateKey …").
      settled = true;
      reject(new FinalConnectError(new HarnessError('config', `connect to ssh ${username}@${host}:${port}`, `the private key (${settings.keySource}) cannot be used: ${(error as Error).message}`, 'give an unencrypted OpenSSH or PEM private key, or use an ssh-agent (agent: SSH_AUTH_SOCK)')));
    }
  });
}

type Ssh2Error = Error & { level?: string; code?: string };

function classify(error: Ssh2Error, refusal: HarnessError | undefined, settings: ConnectionSettings): Error {
  const { host, port, username } = settings;
  const step = `connect to ssh ${username}@${host}:${port}`;
  if (refusal) return new FinalConnectError(refusal);
  if (error.level === 'client-authentication') {
    return new FinalConnectError(new HarnessError('infrastructure', step, `the server refused the key for user ${username} (${settings.keySource}): ${error.message}`, `check the user name and that the public key is in ~${username}/.ssh/authorized_keys on the host`, { cause: error }));
  }
  if (error.level === 'agent') {
    return new FinalConnectError(new HarnessError('infrastructure', step, `the ssh-agent at ${settings.agent} failed: ${error.message}`, 'check SSH_AUTH_SOCK points at a running agent holding the key (`ssh-add -l`)', { cause: error }));
  }
  if (error.code === 'ENOTFOUND') {
    return new FinalConnectError(new HarnessError('config', step, `host name ${host} does not resolve`, 'check the host name or use an IP address', { cause: error }));
  }
  return error; // refused, reset, handshake timeout, closed early: the host may still be booting
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
